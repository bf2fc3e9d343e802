from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("questionnaire.urls")),
    path("plan/", include("programs.urls")),
    path("physio/", include("physios.urls")),
    path("follow/", include("followup.urls")),
    path("admin/", admin.site.urls),
]
