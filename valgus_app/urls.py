from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from valgus_app import views

# Django's own 400 view reads the request body again and fails on the body that caused it.
handler400 = "valgus_app.requests.bad_request"

urlpatterns = [
    path("", include("questionnaire.urls")),
    path("privacy/", views.privacy, name="privacy"),
    path("plan/", include("programs.urls")),
    path("physio/", include("physios.urls")),
    path("follow/", include("followup.urls")),
    path("admin/", admin.site.urls),
]
