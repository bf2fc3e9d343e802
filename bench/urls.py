from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def ok(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [
    path("bench/ok/", ok),
    path("", include("valgus_app.urls")),
]
