from django.urls import path

from . import mentor_views, recheck_views, views

urlpatterns = [
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("roadmap/status/", views.roadmap_status_hx, name="roadmap_status_hx"),
    path("roadmap/recompute/", views.roadmap_recompute, name="roadmap_recompute"),
    path("roadmap/map/", views.roadmap_map, name="roadmap_map"),
    path("roadmap/steps/<id:step_id>/", views.step_detail, name="step_detail"),
    path("roadmap/steps/<id:step_id>/status/", views.step_status, name="step_status"),
    path("roadmap/steps/<id:step_id>/note/", views.step_note, name="step_note"),
    path("roadmap/steps/<id:step_id>/links/", views.step_link_add, name="step_link_add"),
    path("roadmap/steps/<id:step_id>/links/<id:number>/remove/", views.step_link_remove, name="step_link_remove"),
    path("roadmap/threads/<id:learner_id>/<slug:competency_slug>/", mentor_views.comment_add, name="comment_add"),
    path("rechecks/<id:recheck_id>/", recheck_views.recheck_page, name="recheck"),
    path("rechecks/<id:recheck_id>/q/<id:position>/answer/", recheck_views.recheck_answer, name="recheck_answer"),
    path("rechecks/<id:recheck_id>/submit/", recheck_views.recheck_submit_view, name="recheck_submit"),
    path("mentor/", mentor_views.mentor_dashboard, name="mentor_dashboard"),
    path("mentor/invites/", mentor_views.invite_new, name="invite_new"),
    path("mentor/mentees/<id:learner_id>/", mentor_views.mentee_detail, name="mentee_detail"),
    path(
        "mentor/mentees/<id:learner_id>/roadmap/status/",
        mentor_views.mentee_roadmap_status_hx,
        name="mentee_roadmap_status",
    ),
    path("mentor/mentees/<id:learner_id>/rate/<slug:competency_slug>/", mentor_views.mentee_rate, name="mentee_rate"),
    path(
        "mentor/mentees/<id:learner_id>/steps/<id:step_id>/",
        mentor_views.mentee_step_detail,
        name="mentee_step_detail",
    ),
    path("mentors/", mentor_views.my_mentors, name="my_mentors"),
    path("mentors/join/<slug:code>/", mentor_views.invite_accept_view, name="invite_accept"),
    path("mentors/<id:mentorship_id>/end/", mentor_views.mentorship_end_view, name="mentorship_end"),
    path("notifications/", mentor_views.notification_list, name="notifications"),
    path("notifications/read/", mentor_views.notifications_read, name="notifications_read"),
]
