from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from questionnaire.content import get_content


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    content = get_content()
    return render(
        request,
        "questionnaire/home.html",
        {"causes": content.causes.values(), "test_count": len(content.self_tests)},
    )


@require_GET
def start(request: HttpRequest) -> HttpResponse:
    content = get_content()
    return render(request, "questionnaire/start.html", {"sections": content.sections})
