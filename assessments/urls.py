from django.urls import path

from . import placement_views, quiz_views, views

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("matrix/", views.matrix, name="matrix"),
    path("onboarding/", views.profile_edit, name="onboarding"),
    path("profile/", views.profile_edit, name="profile"),
    path("profile/export/json/", views.export_json_download, name="export_json"),
    path("profile/export/csv/", views.export_csv_download, name="export_csv"),
    path("profile/card/", views.profile_card_settings, name="profile_card_settings"),
    path("card/<slug:code>/", views.profile_card, name="profile_card"),
    path("profile/time-zone/", views.time_zone_detect, name="time_zone_detect"),
    path("assess/", views.self_assessment, name="self_assessment"),
    path("assess/<slug:area_slug>/", views.self_assessment_area, name="self_assessment_area"),
    path("assess/rate/<slug:competency_slug>/", views.rate, name="rate"),
    path("results/", views.results, name="results"),
    path("quizzes/", quiz_views.quiz_list, name="quiz_list"),
    path("quizzes/<slug:quiz_slug>/start/", quiz_views.quiz_start, name="quiz_start"),
    path("attempts/<id:attempt_id>/", quiz_views.attempt_resume, name="attempt"),
    path("attempts/<id:attempt_id>/q/<id:number>/", quiz_views.attempt_question, name="attempt_question"),
    path("attempts/<id:attempt_id>/q/<id:number>/answer/", quiz_views.attempt_answer, name="attempt_answer"),
    path("attempts/<id:attempt_id>/overview/", quiz_views.attempt_overview, name="attempt_overview"),
    path("attempts/<id:attempt_id>/submit/", quiz_views.attempt_finish, name="attempt_submit"),
    path("attempts/<id:attempt_id>/results/", quiz_views.attempt_results, name="attempt_results"),
    path("placement/", placement_views.placement, name="placement"),
    path("placement/start/", placement_views.placement_begin, name="placement_start"),
    path("placement/<id:test_id>/", placement_views.placement_resume, name="placement_test"),
    path("placement/<id:test_id>/q/<id:number>/", placement_views.placement_question, name="placement_question"),
    path(
        "placement/<id:test_id>/q/<id:number>/answer/",
        placement_views.placement_answer_view,
        name="placement_answer",
    ),
    path("placement/<id:test_id>/result/", placement_views.placement_result, name="placement_result"),
]
