"""The plan page and its PDF, reached by the assessment's read-only plan token."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from followup.progress import followup_plan, plan_progress
from physios.models import invited_by
from programs.builder import Plan, plan_for
from programs.print_name import MAX_LENGTH, clean_print_name
from programs.render import plan_context
from questionnaire.engine import Answers
from questionnaire.models import Assessment
from questionnaire.views import holds_private_link
from valgus_app.ratelimits import rate_limit, setting

logger = logging.getLogger(__name__)

PAPERS = ("a4", "letter")


@require_safe
def plan(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(token)
    if assessment is None:
        return render(request, "programs/not_found.html", status=404)
    if assessment.completed_at is None:
        return render(request, "programs/not_ready.html")
    # A programme in use is kept: retention counts from the last activity.
    Assessment.note_activity(assessment.pk)
    answers = assessment.valid_answers()
    plan = plan_for(answers)
    invited = _plan_from_physio(request, assessment, plan)
    if invited is not None:
        return invited
    chart = plan_progress(assessment, plan, answers)
    # The PDF is queued now, so it is usually ready when asked for; after the request's
    # transaction, if any, so the worker sees what this request saw.
    transaction.on_commit(
        lambda: _queue_plan_pdf(assessment, answers, plan, paper="a4", chart=chart)
    )
    return _plan_page(request, assessment, answers, plan, chart)


def _plan_page(
    request: HttpRequest,
    assessment: Assessment,
    answers: Answers,
    plan: Plan,
    chart: str,
    *,
    name_form: Mapping[str, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The plan page; ``name_form`` refills the PDF name form with what was typed and why not."""
    context = plan_context(plan, date=_date(assessment), answers=answers)
    return render(
        request,
        "programs/plan.html",
        {
            **context,
            "token": assessment.plan_token,
            "screen_link": _screen_link(request, assessment),
            "name_form": name_form or {},
            "name_max_length": MAX_LENGTH,
            **_follow_up(request, assessment, chart),
        },
        status=status,
    )


def _follow_up(request: HttpRequest, assessment: Assessment, chart: str) -> dict[str, Any]:
    """The progress chart, and the session log's link for the browser that owns the check.

    The log writes and sits under the private link, so a shared plan link never shows it.
    """
    owner = holds_private_link(request, assessment.token)
    log_url = reverse("followup:log", args=[assessment.token]) if owner else ""
    return {"progress_chart": chart, "log_url": log_url}


def _screen_link(request: HttpRequest, assessment: Assessment) -> str | None:
    """Where to answer the safety questions this check never asked (plan_context names them).

    The plan link may be shared, and it must not open the answers for editing: the link to the
    questions is given only to the browser that holds the private link already.
    """
    if not holds_private_link(request, assessment.token):
        return None
    return reverse("questionnaire:top_up", args=[assessment.token])


@rate_limit(setting("RATE_PDF"))
@require_safe
def plan_pdf(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _assessment(token)
    if assessment is None or assessment.completed_at is None:
        return render(request, "programs/not_found.html", status=404)
    paper = request.GET.get("paper", "a4").lower()
    if paper not in PAPERS:
        paper = "a4"
    answers = assessment.valid_answers()
    plan = plan_for(answers)
    invited = _plan_from_physio(request, assessment, plan)
    if invited is not None:
        return invited
    date = _date(assessment)
    chart = plan_progress(assessment, plan, answers)
    typed = request.GET.get("name", "")
    name = clean_print_name(typed)
    if name.error:
        # Nothing is lost: the page shows the name as typed, with what to change.
        form = {"name": typed, "paper": paper, "error": name.error}
        return _plan_page(request, assessment, answers, plan, chart, name_form=form, status=400)
    return plan_pdf_download(
        request,
        plan,
        answers,
        assessment_id=assessment.pk,
        paper=paper,
        date=date,
        filename=f"knee-plan-{date:%Y-%m-%d}-{paper}.pdf",
        progress_chart=chart,
        name=name.name,
    )


def plan_pdf_download(
    request: HttpRequest,
    plan: Plan,
    answers: Answers,
    *,
    assessment_id: int,
    paper: str,
    date: dt.date,
    filename: str,
    progress_chart: str = "",
    name: str = "",
) -> HttpResponse:
    """The plan's PDF as a download, rendered by the job worker and waited for a bounded time.

    A PDF with a typed ``name`` (programs.print_name) has its own cache key, and is dropped
    from the cache, with its render job, once served: the name is kept nowhere.
    """
    from programs import pdf

    chart = progress_chart
    key = pdf.cache_key(plan, answers=answers, paper=paper, date=date, progress=chart, name=name)
    return pdf_download(
        request,
        key,
        lambda: [
            pdf.plan_print_html(
                plan, paper=paper, date=date, answers=answers, progress_chart=chart, name=name
            )
        ],
        assessment_id=assessment_id,
        filename=filename,
        named=bool(name),
    )


def pdf_download(
    request: HttpRequest,
    key: str,
    documents: Callable[[], list[str]],
    *,
    assessment_id: int,
    filename: str,
    named: bool = False,
) -> HttpResponse:
    """The PDF under ``key`` as a download, rendered by the job worker and waited for a bounded
    time, or the page to retry from while it is still queued. A ``named`` PDF (it carries a typed
    name) is kept only for its download and dropped, with its render job, once served."""
    from programs import tasks

    body = tasks.wait_for_pdf(
        key,
        documents,
        settings.PDF_WAIT_SECONDS,
        assessment_id=assessment_id,
        keep_seconds=settings.PDF_NAMED_KEEP_SECONDS if named else None,
    )
    if body is None:
        # The retry link is this same URL, name and paper included.
        return pdf_preparing(request, request.get_full_path())
    if named:
        tasks.forget_pdf(key)
    response = HttpResponse(body, content_type="application/pdf")
    # Cache-Control: no-store comes with every page under a token (PrivateTokenPagesMiddleware).
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def pdf_preparing(request: HttpRequest, pdf_url: str) -> HttpResponse:
    """The page a download answers when its render is still queued: the same link, to retry.

    202 Accepted: the request is fine and its PDF is on the way, but not in this response.
    """
    response = render(request, "programs/pdf_preparing.html", {"pdf_url": pdf_url}, status=202)
    response["Cache-Control"] = "no-store"
    return response


def _queue_plan_pdf(
    assessment: Assessment, answers: Answers, plan: Plan, *, paper: str, chart: str = ""
) -> None:
    from programs import pdf, tasks

    date = _date(assessment)
    key = pdf.cache_key(plan, answers=answers, paper=paper, date=date, progress=chart)
    try:
        tasks.queue_pdf(
            key,
            lambda: [
                pdf.plan_print_html(
                    plan, paper=paper, date=date, answers=answers, progress_chart=chart
                )
            ],
            assessment_id=assessment.pk,
        )
    except Exception:  # the page must not fail for want of a head start on its PDF
        logger.warning("could not queue the plan PDF", exc_info=True)


def _plan_from_physio(
    request: HttpRequest, assessment: Assessment, plan: Plan
) -> HttpResponse | None:
    """For a client a physio invited, the page saying the plan comes from the physio.

    Such a client gets one plan, the one their physio publishes; the automatic plan would sit
    beside it and disagree. Advice to see a clinician first (no plan allowed) still shows as
    for anyone, since it is safety advice rather than a plan.
    """
    invited = invited_by(assessment.pk) if plan.assessment.triage.plan_allowed else None
    if invited is None:
        return None
    # The session log follows the physio's plan, so it opens once that plan is published.
    follow_up = {}
    if invited.published:
        chart = plan_progress(assessment, followup_plan(assessment))
        follow_up = _follow_up(request, assessment, chart)
    return render(request, "physios/plan_from_physio.html", {"invited": invited, **follow_up})


def _assessment(token: str) -> Assessment | None:
    return Assessment.objects.filter(plan_token=token).first()


def _date(assessment: Assessment) -> Any:
    moment = assessment.completed_at or assessment.updated_at
    return timezone.localdate(moment)
