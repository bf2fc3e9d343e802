from __future__ import annotations

from django.urls import path

from programs import views

app_name = "programs"

urlpatterns = [
    path("<str:token>/", views.plan, name="plan"),
    path("<str:token>/pdf/", views.plan_pdf, name="plan_pdf"),
]
