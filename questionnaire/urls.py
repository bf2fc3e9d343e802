from __future__ import annotations

from django.urls import path

from questionnaire import views
from valgus_app import converters  # noqa: F401  (registers <token:...>)

app_name = "questionnaire"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
    path("deleted/", views.deleted, name="deleted"),
    path("a/<token:token>/", views.resume, name="resume"),
    path("a/<token:token>/q/<slug:page_id>/", views.page, name="page"),
    path("a/<token:token>/emergency/", views.triage, {"level": "emergency"}, name="emergency"),
    path("a/<token:token>/urgent/", views.triage, {"level": "urgent"}, name="urgent"),
    path("a/<token:token>/summary/", views.doctor_summary, name="doctor_summary"),
    path("a/<token:token>/summary/pdf/", views.doctor_summary_pdf, name="doctor_summary_pdf"),
    path("a/<token:token>/new-safety-questions/", views.top_up, name="top_up"),
    path("a/<token:token>/check/", views.check, name="check"),
    path("a/<token:token>/results/", views.results, name="results"),
    path("a/<token:token>/delete/", views.delete, name="delete"),
]
