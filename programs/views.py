from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET


# The plan issue replaces these two views with the plan page and its PDF; until then every
# plan link is a clean 404 rather than an error.
@require_GET
def plan(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404("No plan here yet.")


@require_GET
def plan_pdf(request: HttpRequest, token: str) -> HttpResponse:
    raise Http404("No plan here yet.")
