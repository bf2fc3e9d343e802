"""The plan page and its PDF, reached by the assessment's read-only plan token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from programs.builder import plan_for
from programs.render import plan_context
from questionnaire.models import Assessment

PAPERS = ("a4", "letter")


@require_safe
def plan(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(token)
    if assessment is None:
        return render(request, "programs/not_found.html", status=404)
    if assessment.completed_at is None:
        return render(request, "programs/not_ready.html")
    context = plan_context(plan_for(assessment.valid_answers()), date=_date(assessment))
    return render(request, "programs/plan.html", {**context, "token": token})


@require_safe
def plan_pdf(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(token)
    if assessment is None or assessment.completed_at is None:
        return render(request, "programs/not_found.html", status=404)
    paper = request.GET.get("paper", "a4").lower()
    if paper not in PAPERS:
        paper = "a4"
    # Imported here: only the PDF needs WeasyPrint and its system libraries.
    from programs import pdf

    answers = assessment.valid_answers()
    body = pdf.cached_plan_pdf(
        plan_for(answers), answers=answers, paper=paper, date=_date(assessment)
    )
    response = HttpResponse(body, content_type="application/pdf")
    filename = f"knee-plan-{_date(assessment):%Y-%m-%d}-{paper}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private"
    response["X-Robots-Tag"] = "noindex"
    return response


def _assessment(token: str) -> Assessment | None:
    return Assessment.objects.filter(plan_token=token).first()


def _date(assessment: Assessment) -> Any:
    moment = assessment.completed_at or assessment.updated_at
    return timezone.localdate(moment)
