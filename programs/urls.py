from __future__ import annotations

from django.urls import path

from programs import views
from valgus_app import converters  # noqa: F401  (registers <token:...>)

app_name = "programs"

urlpatterns = [
    path("<token:token>/", views.plan, name="plan"),
    path("<token:token>/pdf/", views.plan_pdf, name="plan_pdf"),
]
