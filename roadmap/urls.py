from django.urls import path

from . import views

urlpatterns = [
    path("roadmap/", views.roadmap_page, name="roadmap"),
    path("roadmap/status/", views.roadmap_status_hx, name="roadmap_status_hx"),
    path("roadmap/recompute/", views.roadmap_recompute, name="roadmap_recompute"),
    path("roadmap/steps/<int:step_id>/status/", views.step_status, name="step_status"),
    path("roadmap/steps/<int:step_id>/note/", views.step_note, name="step_note"),
]
