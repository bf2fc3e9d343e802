"""The session log and the re-tests, under the person's private link only.

Load the assessment by its private token, work out the follow-up (followup.progress), save, and
redirect after every post, so a reload never logs a session twice. Plain forms: no JavaScript
needed.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from followup.calendar import plan_calendar
from followup.content import get_followup_content
from followup.forms import MorningForm, OutcomeForm, SessionForm
from followup.models import CalendarFeed, Retest, SessionLog
from followup.progress import Followup, followup_for
from physios.models import InvitedBy, invited_by
from questionnaire import presentation
from questionnaire.content import Content, Question, get_content
from questionnaire.engine import AnswerValue, RedFlagHit, assess
from questionnaire.flow import get_flow, prune, visible_questions
from questionnaire.forms import form_class, initial_for, to_answer
from questionnaire.models import Assessment, new_token
from valgus_app.ratelimits import rate_limit, setting


class _AwaitingPhysio(Exception):
    """An invited client's log before their physio has published the plan it would follow."""

    def __init__(self, invited: InvitedBy) -> None:
        super().__init__(invited.physio_name)
        self.invited = invited


def _follow(token: str) -> Followup:
    assessment = Assessment.objects.filter(token=token).first()
    if assessment is None or assessment.completed_at is None:
        raise Http404("There is no finished check at this link.")
    # Logging, re-testing or just looking keeps the programme: retention counts from here
    # (questionnaire.retention). Calendar services fetching the feed do not count.
    Assessment.note_activity(assessment.pk)
    follow = followup_for(assessment)
    # An invited client has one plan, their physio's (programs.views._plan_from_physio): until
    # it is published there is nothing to log against, and the automatic plan must not stand in.
    if follow.invited and not follow.physio_plan and follow.plan.assessment.triage.plan_allowed:
        invited = invited_by(assessment.pk)
        if invited is not None:
            raise _AwaitingPhysio(invited)
    return follow


def _published_if_invited(
    view: Callable[..., HttpResponseBase],
) -> Callable[..., HttpResponseBase]:
    """Answer a view of an invited client's unpublished plan with the page that says who the plan
    will come from (404: the log is not there yet), whatever the method."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except _AwaitingPhysio as waiting:
            return render(
                request, "physios/plan_from_physio.html", {"invited": waiting.invited}, status=404
            )

    return wrapper


def _session_form(follow: Followup, data: Any = None) -> SessionForm:
    phase = follow.phase
    exercises = [(e.id, e.name) for e in phase.exercises] if phase else []
    signs = [(s.question, s.label) for s in get_followup_content().stop_signs]
    initial = {"done_on": follow.today, "exercises": [e for e, _ in exercises]}
    return SessionForm(
        data,
        initial=initial,
        exercises=exercises,
        signs=signs,
        start=follow.start,
        today=follow.today,
    )


def stop_advice(answers: dict[str, AnswerValue], ticked: list[str]) -> list[RedFlagHit]:
    """The red flags the ticked stop signs raise, most urgent first: the questionnaire's own
    advice, worked out by its rules engine."""
    content = get_content()
    before = {flag.id for flag in assess(answers, content).red_flags}
    after = assess({**answers, **dict.fromkeys(ticked, True)}, content).red_flags
    return [flag for flag in after if flag.id not in before]


def _render_log(
    request: HttpRequest, follow: Followup, form: SessionForm, status: int = 200
) -> HttpResponse:
    last = follow.sessions[-1] if follow.sessions else None
    advice = stop_advice(follow.assessment.valid_answers(), last.stop_signs) if last else []
    steps = follow.progress.steps
    recent = list(zip(follow.sessions, steps, strict=True))[-6:][::-1]
    return render(
        request,
        "followup/log.html",
        {
            "follow": follow,
            "token": follow.assessment.token,
            "form": form,
            "errors": presentation.form_errors(form) if form.is_bound else {},
            "dosed": follow.dosed(),
            "last_step": follow.progress.last,
            "advice": advice,
            "recent": recent,
            "needs_morning": last if last and last.pain_morning is None else None,
            "retest_due": follow.retest_due(),
            "baseline_done": 0 in follow.retests and follow.retests[0].complete,
            "chart": follow.chart_svg() if follow.sessions or follow.retests else "",
            "plan_allowed": follow.plan.assessment.triage.plan_allowed,
            "adherence": follow.adherence(),
            "feed_url": _feed_url(request, follow),
        },
        status=status,
    )


def _feed_url(request: HttpRequest, follow: Followup) -> str:
    feed = CalendarFeed.objects.filter(assessment=follow.assessment).usable().last()
    if feed is None:
        return ""
    return request.build_absolute_uri(reverse("followup:calendar_feed", args=[feed.token]))


@_published_if_invited
@require_safe
def log(request: HttpRequest, token: str) -> HttpResponse:
    follow = _follow(token)
    return _render_log(request, follow, _session_form(follow))


@_published_if_invited
@rate_limit(setting("RATE_FOLLOWUP_WRITES"), method="POST")
@require_POST
def session_save(request: HttpRequest, token: str) -> HttpResponse:
    follow = _follow(token)
    if not follow.plan.assessment.triage.plan_allowed or follow.phase is None:
        return redirect("followup:log", token)
    form = _session_form(follow, request.POST)
    if not form.is_valid():
        return _render_log(request, follow, form, status=400)
    data = form.cleaned_data
    week = min(follow.week_of(data["done_on"]), follow.plan_weeks)
    phase = next(p for p in follow.plan.phases if week in p.weeks)
    SessionLog.objects.create(
        assessment=follow.assessment,
        done_on=data["done_on"],
        phase=phase.number,
        exercises=[e for e in data["exercises"] if e in {x.id for x in phase.exercises}]
        or list(data["exercises"]),
        pain_before=data["pain_before"],
        pain_during=data["pain_during"],
        pain_morning=data["pain_morning"],
        stop_signs=list(data["stop_signs"]),
    )
    return redirect(reverse("followup:log", args=[token]) + "#decision")


@_published_if_invited
@rate_limit(setting("RATE_FOLLOWUP_WRITES"), method="POST")
@require_POST
def morning_save(request: HttpRequest, token: str, session_id: int) -> HttpResponse:
    follow = _follow(token)
    session = next((s for s in follow.sessions if s.pk == session_id), None)
    if session is None:
        raise Http404("There is no such session in this log.")
    form = MorningForm(request.POST)
    if not form.is_valid():
        return _render_log(request, follow, _session_form(follow), status=400)
    session.pain_morning = form.cleaned_data["pain_morning"]
    session.save(update_fields=["pain_morning", "updated_at"])
    return redirect(reverse("followup:log", args=[token]) + "#decision")


# ---------------------------------------------------------------------------------------------
# Calendar: a download under the private link, and a feed under its own revocable token


def _ics(follow: Followup, *, filename: str | None) -> HttpResponse:
    body = plan_calendar(
        start=follow.start,
        sessions_per_week=follow.sessions_per_week(),
        retest_weeks=get_followup_content().retest_weeks,
        uid_seed=f"{follow.assessment.pk}:{follow.assessment.created_at.isoformat()}",
        stamp=follow.assessment.completed_at or follow.assessment.updated_at,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@_published_if_invited
@require_safe
def calendar_download(request: HttpRequest, token: str) -> HttpResponse:
    follow = _follow(token)
    if not follow.plan.assessment.triage.plan_allowed:
        raise Http404("This check has no plan to put in a calendar.")
    return _ics(follow, filename="knee-exercises.ics")


@_published_if_invited
@rate_limit(setting("RATE_FOLLOWUP_WRITES"), method="POST")
@require_POST
def calendar_feed_new(request: HttpRequest, token: str) -> HttpResponse:
    """A new subscription link; any earlier one stops working."""
    follow = _follow(token)
    with transaction.atomic():
        CalendarFeed.objects.filter(assessment=follow.assessment).usable().revoke()
        CalendarFeed.objects.create(assessment=follow.assessment, token=new_token())
    return redirect(reverse("followup:log", args=[token]) + "#calendar")


@_published_if_invited
@require_POST
def calendar_feed_revoke(request: HttpRequest, token: str) -> HttpResponse:
    follow = _follow(token)
    CalendarFeed.objects.filter(assessment=follow.assessment).usable().revoke()
    return redirect(reverse("followup:log", args=[token]) + "#calendar")


@require_safe
def calendar_feed(request: HttpRequest, feed: str) -> HttpResponse:
    """What a calendar service fetches: read-only, no link to anything else."""
    found = (
        CalendarFeed.objects.usable()
        .select_related("assessment")
        .filter(token=feed, assessment__completed_at__isnull=False)
        .first()
    )
    if found is None:
        raise Http404("This calendar link has been stopped or never existed.")
    follow = followup_for(found.assessment)
    if not follow.plan.assessment.triage.plan_allowed:
        raise Http404("This check has no plan to put in a calendar.")
    return _ics(follow, filename=None)


# ---------------------------------------------------------------------------------------------
# Re-tests: the safety screen first, then the same self-tests and the outcome scores


def _safety_questions(answers: dict[str, AnswerValue], content: Content) -> tuple[Question, ...]:
    flow = get_flow(content)
    # The safety screen of contract 5.3: questions marked `safety`, wherever their page is.
    return tuple(
        q
        for page in flow.pages
        for q in visible_questions(page, answers, content)
        if q.safety and not q.superseded_by
    )


def _without_safety(answers: dict[str, AnswerValue], content: Content) -> dict[str, AnswerValue]:
    return {
        k: v
        for k, v in answers.items()
        if not (k in content.questions and content.questions[k].safety)
    }


def _measure_questions(content: Content) -> tuple[Question, ...]:
    return tuple(content.questions[m.question] for m in get_followup_content().measures)


@_published_if_invited
@rate_limit(setting("RATE_FOLLOWUP_WRITES"), method="POST")
@require_http_methods(["GET", "HEAD", "POST"])
def retest(request: HttpRequest, token: str, week: int) -> HttpResponse:
    follow = _follow(token)
    followup = get_followup_content()
    if week != 0 and week not in followup.retest_weeks:
        raise Http404("There is no re-test that week.")
    if week and follow.week < week:
        return _render_retest(request, follow, week, stage="early")
    existing = follow.retests.get(week)
    if week and (existing is None or not existing.safety):
        return _retest_safety(request, follow, week)
    if existing is not None and existing.complete and request.method != "POST":
        return _render_retest(request, follow, week, stage="done")
    if existing is not None and existing.safety and not _screen_allows(follow, existing.safety):
        return _render_retest(request, follow, week, stage="stopped", safety=existing.safety)
    return _retest_tests(request, follow, week, existing)


def _merged(follow: Followup, safety: dict[str, AnswerValue]) -> dict[str, AnswerValue]:
    content = get_content()
    return prune({**_without_safety(follow.assessment.valid_answers(), content), **safety}, content)


def _screen_allows(follow: Followup, safety: dict[str, AnswerValue]) -> bool:
    return assess(_merged(follow, safety), get_content()).triage.plan_allowed


def _retest_safety(request: HttpRequest, follow: Followup, week: int) -> HttpResponse:
    content = get_content()
    base = _merged(follow, {})
    if request.method != "POST":
        questions = _safety_questions(base, content)
        return _render_retest(
            request, follow, week, stage="safety", fields=presentation.fields(questions, {})
        )
    questions = _safety_questions(base, content)
    # Answers so far, then the questions they open (an injury's follow-ups), until none is new.
    safety: dict[str, AnswerValue] = {}
    for _ in range(5):
        form = form_class(questions)(request.POST)
        form.is_valid()
        safety = {
            q.id: answer
            for q in questions
            if q.id in form.cleaned_data
            and (answer := to_answer(q, form.cleaned_data[q.id])) is not None
        }
        more = _safety_questions({**base, **safety}, content)
        if {q.id for q in more} <= {q.id for q in questions}:
            break
        questions = more
    errors = presentation.form_errors(form)
    missing = [q for q in questions if q.id not in safety and not q.optional]
    if errors or missing:
        values = {k: str(v) for k, v in request.POST.items() if k in {q.id for q in questions}}
        for q in missing:
            errors.setdefault(q.id, "Select yes or no" if q.type == "bool" else "Answer this")
        fields = presentation.fields(questions, values, errors)
        return _render_retest(request, follow, week, stage="safety", fields=fields, status=400)
    merged = prune({**base, **safety}, content)
    safety = {k: v for k, v in merged.items() if k in {q.id for q in questions}}
    try:
        with transaction.atomic():
            Retest.objects.update_or_create(
                assessment=follow.assessment, week=week, defaults={"safety": safety}
            )
    except IntegrityError:  # two tabs at once: the other one saved it
        pass
    return redirect("followup:retest", follow.assessment.token, week)


def _retest_tests(
    request: HttpRequest, follow: Followup, week: int, existing: Retest | None
) -> HttpResponse:
    content = get_content()
    questions = _measure_questions(content) if week else ()
    activities = get_followup_content().outcomes.psfs.max_activities
    if request.method != "POST":
        initial = _outcome_initial(follow, existing)
        values = initial_for(questions, existing.tests) if existing else {}
        return _render_retest(
            request,
            follow,
            week,
            stage="tests",
            fields=presentation.fields(questions, values),
            outcome_form=OutcomeForm(initial=initial, activities=activities),
        )
    tests_form = form_class(questions)(request.POST)
    outcome_form = OutcomeForm(request.POST, activities=activities)
    tests_ok, outcome_ok = tests_form.is_valid(), outcome_form.is_valid()
    if not (tests_ok and outcome_ok):
        values = {q.id: request.POST.get(q.id, "") for q in questions}
        fields = presentation.fields(questions, values, presentation.form_errors(tests_form))
        return _render_retest(
            request,
            follow,
            week,
            stage="tests",
            fields=fields,
            outcome_form=outcome_form,
            status=400,
        )
    tests = {
        q.id: answer
        for q in questions
        if (answer := to_answer(q, tests_form.cleaned_data.get(q.id))) is not None
    }
    outcomes = outcome_form.answers().model_dump(mode="json")
    Retest.objects.update_or_create(
        assessment=follow.assessment, week=week, defaults={"tests": tests, "outcomes": outcomes}
    )
    return redirect("followup:retest", follow.assessment.token, week)


def _outcome_initial(follow: Followup, existing: Retest | None) -> dict[str, Any]:
    previous = existing.outcome_answers() if existing else None
    previous = previous or follow.baseline_outcomes
    initial: dict[str, Any] = {}
    if previous is not None:
        # The same activities as last time, to be rated again; the ratings start empty.
        for i, activity in enumerate(previous.activities):
            initial[f"activity_{i}"] = activity.name
    return initial


def _render_retest(
    request: HttpRequest,
    follow: Followup,
    week: int,
    *,
    stage: str,
    status: int = 200,
    **context: Any,
) -> HttpResponse:
    safety = context.pop("safety", None)
    existing = follow.retests.get(week)
    if safety is None and existing is not None and existing.safety:
        safety = existing.safety
    advice: list[RedFlagHit] = []
    if stage in ("stopped", "tests") and safety is not None:
        # At "tests" the screen allowed the plan: any new sign is a routine one, said all the same.
        before = {flag.id for flag in follow.plan.assessment.red_flags}
        found = assess(_merged(follow, safety), get_content()).red_flags
        advice = found if stage == "stopped" else [f for f in found if f.id not in before]
    fields = context.get("fields", [])
    return render(
        request,
        "followup/retest.html",
        {
            "follow": follow,
            "token": follow.assessment.token,
            "week": week,
            "stage": stage,
            "advice": advice,
            "field_html": [presentation.field_html(f) for f in fields],
            "error_summary": presentation.error_summary(fields),
            "rows": follow.rows(week) if stage == "done" else [],
            "outcomes": get_followup_content().outcomes,
            "sources": get_followup_content().citations(
                get_followup_content().all_source_ids(), get_content()
            ),
            **context,
        },
        status=status,
    )
