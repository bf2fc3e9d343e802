from __future__ import annotations

from django.urls import path

from questionnaire import views

app_name = "questionnaire"

urlpatterns = [
    path("", views.home, name="home"),
    path("start/", views.start, name="start"),
]
