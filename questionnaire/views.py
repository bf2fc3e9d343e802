"""The questionnaire in the browser: load the assessment, ask flow.py where to go, save, render.

Every page is a plain form post followed by a redirect; with htmx the same views answer with
just the main part of the page (the template extends the bare layout when ``partial`` is set),
and send ``Vary: HX-Request`` so a cache never mixes the two.

The step pages are the hot path (a person shows and answers up to 23 of them), so they are
rendered by the Jinja2 environment directly (``_render_jinja``) and keep per-process what never
changes between requests: URLs (``_token_url``), forms (forms.form_class) and field markup
(presentation). The check and results pages, which list every answer, go the same way.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import cache
from typing import Any, cast

import jinja2
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.template import engines
from django.template.backends.jinja2 import Jinja2
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from physios.models import invited_by
from questionnaire import presentation
from questionnaire.content import Content, Question, get_content
from questionnaire.coverage import self_test_coverage, self_test_done
from questionnaire.engine import AnswerValue, assess
from questionnaire.flow import (
    Flow,
    Page,
    Shown,
    Target,
    after_saving,
    after_top_up,
    get_flow,
    past_safety,
    prune,
    resume_at,
    showing,
    skip_test,
    superseded_answers,
    top_up_page,
    top_up_questions,
    turned_away,
)
from questionnaire.forms import form_class, initial_for, to_answer
from questionnaire.models import Assessment, Saved
from valgus_app.ratelimits import over_limit, rate_limit, rate_limited, setting

SESSION_KEY = "assessment_token"
# The name of the "I did not do this test" button on a self-test page.
SKIP_TEST = "skip_test"


def _partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return bool(htmx and not htmx.history_restore_request)


def _render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    # Each page chooses its own layout (see templates/questionnaire/page.html).
    response = render(request, template, {**context, "partial": _partial(request)})
    patch_vary_headers(response, ("HX-Request",))
    return response


def _render_jinja(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """A step, check or results page, rendered by the Jinja2 environment itself rather than
    through Django's template backend.

    The pages use nothing the backend adds but the CSRF field, so that is put in directly
    (masked afresh for every response, as the backend's would be), rather than the backend's
    lazy ``request``, ``csrf_input`` and ``csrf_token`` wrappers. Jinja2 keeps the compiled
    template, and reloads it when it changes only in development, as the backend would.
    """
    # Each page chooses its own layout (see templates/questionnaire/page.html).
    context["partial"] = _partial(request)
    # get_token() also marks the CSRF cookie to be sent again, only to restart its one-year
    # expiry. These pages leave that to the others: they send the cookie only when the
    # request brought none (or a malformed one), which CsrfViewMiddleware flagged already.
    renew = "CSRF_COOKIE" not in request.META or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    context["csrf_input"] = csrf_input(request)
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = bool(renew)
    response = HttpResponse(_jinja_env().get_template(template).render(context))
    # A new response has no Vary to merge with. Cookie: the page holds a CSRF token.
    response.headers["Vary"] = "HX-Request, Cookie"
    return response


@cache
def _jinja_env() -> jinja2.Environment:
    # The Jinja2 backend configured in settings.TEMPLATES, found once per process.
    env: jinja2.Environment = cast(Jinja2, engines["jinja2"]).env
    return env


def remember_private_link(request: HttpRequest, token: str) -> None:
    """This browser holds the check's private link (holds_private_link). Done when the check is
    created (here or from a physio's invite) and on the private link only: reading the session
    costs a query, and writing it only when it changes spares a write."""
    if not holds_private_link(request, token):
        request.session[SESSION_KEY] = token


def holds_private_link(request: HttpRequest, token: str) -> bool:
    """Whether this browser opened the check's private link (pages reached by a shareable link
    offer what only the owner may do, such as editing answers, only then)."""
    return bool(request.session.get(SESSION_KEY) == token)


def _load(token: str) -> Saved:
    assessment = Assessment.by_token(token)
    if assessment is None:
        raise Http404("There is no check at this link.")
    return assessment


# Stands in for a token in the cached URLs below; the token converter accepts it.
_ANY_TOKEN = "TOKEN" * 4


@cache
def _token_url(name: str, *args: str) -> str:
    """A URL with a stand-in token, reversed once per process for each URL name and page.

    Every step needs several links for its assessment, and filling the token into a cached URL
    costs a small fraction of a reverse(). (The URL prefix a deployment serves under is fixed
    for the life of the process, so caching it is safe.)
    """
    return reverse(f"questionnaire:{name}", args=[_ANY_TOKEN, *args])


def _page_url(token: str, page: Page, *, changing: bool = False) -> str:
    url = _token_url("page", page.id).replace(_ANY_TOKEN, token, 1)
    return f"{url}?change=1" if changing else url


def _url(name: str, token: str) -> str:
    return _token_url(name).replace(_ANY_TOKEN, token, 1)


def _target_url(token: str, target: Target, *, changing: bool = False) -> str:
    if isinstance(target, Page):
        return _page_url(token, target, changing=changing)
    return _url(target, token)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    content = get_content()
    token = request.session.get(SESSION_KEY)
    resume = Assessment.objects.filter(token=token).exists() if token else False
    return _render(
        request,
        "questionnaire/home.html",
        {
            "causes": content.causes.values(),
            "test_count": len(content.self_tests),
            "resume_token": token if resume else None,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """The first page; the assessment is only created when its first answer arrives."""
    content = get_content()
    flow = get_flow(content)
    return _question_page(request, content, flow, flow.first, None)


@require_http_methods(["GET", "HEAD", "POST"])
def page(request: HttpRequest, token: str, page_id: str) -> HttpResponse:
    content = get_content()
    flow = get_flow(content)
    assessment = _load(token)
    current = flow.by_id.get(page_id)
    if current is None:
        raise Http404("There is no such page.")
    elsewhere = turned_away(flow, current, assessment.answers, content)
    if elsewhere == "resume":
        return redirect(_turned_back(assessment, flow, content))
    if elsewhere == "emergency":
        return redirect(_url("emergency", assessment.token))
    return _question_page(request, content, flow, current, assessment)


def _question_page(
    request: HttpRequest,
    content: Content,
    flow: Flow,
    current: Page,
    assessment: Saved | None,
) -> HttpResponse:
    answers: dict[str, AnswerValue] = assessment.answers if assessment else {}
    changing = request.GET.get("change") == "1"
    now = showing(flow, current, answers, content)
    conflict: dict[str, AnswerValue] | None = None
    if request.method == "POST":
        if current.self_test is not None and SKIP_TEST in request.POST:
            # "I did not do this test": no answer is required, and none is kept for this page.
            skipped = _save_page(request, content, flow, now, assessment, None)
            assert isinstance(skipped, HttpResponse)  # a skip never waits on another device
            return skipped
        form = form_class(now.questions)(request.POST)
        if form.is_valid():
            saved = _save_page(request, content, flow, now, assessment, form.cleaned_data)
            if isinstance(saved, HttpResponse):
                return saved
            conflict = saved
        typed = {q.id: request.POST.get(q.id, "") for q in now.questions}
        shown = presentation.fields(now.questions, typed, presentation.form_errors(form))
    else:
        # Showing a page needs no form object: the saved answers are the values.
        shown = presentation.fields(now.questions, initial_for(now.questions, answers))
        if assessment is not None and assessment.step != current.id and not changing:
            Assessment.objects.filter(pk=assessment.pk).update(step=current.id)
    errors = presentation.error_summary(shown)
    if conflict is not None:
        errors.insert(0, (shown[0].first_input_id, _conflict_text(now, conflict)))
    context = {
        "page": current,
        "fields": [presentation.field_html(field) for field in shown],
        "errors": errors,
        # What this page's answers were when it was shown: a save that finds them changed by
        # another device asks instead of overwriting (see _save_page).
        "seen": _seen(request, now, answers, conflict) if assessment is not None else "",
        "changing": changing,
        "back_url": (
            _url("check", assessment.token)
            if changing and assessment
            else _page_url(assessment.token, now.back)
            if now.back and assessment
            else reverse("questionnaire:home")
        ),
        "section": presentation.section(content, current, flow),
        "caption": presentation.section_title(content, current),
        "instructions": presentation.instructions(content, current),
        # A self-test's steps start open until the test holds a result, folded after that.
        "guide_open": request.method != "POST"
        and current.self_test is not None
        and not self_test_done(current.self_test, answers),
        "step_number": now.number,
        "step_total": now.total,
        "action": request.get_full_path(),
        # Picks the knee-angle tool's reference values (questionnaire/_knee_angle.html).
        "sex": answers.get("sex"),
    }
    if assessment is not None:
        resume_path = _url("resume", assessment.token)
        context["resume_path"] = resume_path
        context["resume_url"] = request.build_absolute_uri(resume_path)
    # A conflict is answered like a form with a mistake (200, so htmx swaps it in): the page
    # again, with what was typed and the question above it.
    return _render_jinja(request, "questionnaire/page.html", context)


def _seen(
    request: HttpRequest,
    now: Shown,
    answers: dict[str, AnswerValue],
    conflict: dict[str, AnswerValue] | None,
) -> str:
    if conflict is not None:  # saving again keeps what is typed over what the other device saved
        return _page_version(now, conflict)
    # A form sent back with a mistake keeps the version it was first shown with.
    posted = request.POST.get("seen", "") if request.method == "POST" else ""
    if _VERSION.fullmatch(posted):
        return posted
    return _page_version(now, answers)


_VERSION = re.compile(r"[0-9a-f]{16}")


def _page_version(now: Shown, answers: dict[str, AnswerValue]) -> str:
    """A short fingerprint of this page's stored answers."""
    values = {q.id: answers.get(q.id) for q in now.questions}
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]


def _conflict_text(now: Shown, stored: dict[str, AnswerValue]) -> str:
    saved = "; ".join(
        f"{q.label} {presentation.answer_text(q, stored.get(q.id))}" for q in now.questions
    )
    return (
        "These answers were changed on another device while this page was open "
        f"(saved there: {saved}). Your answers are below, not saved yet: check them and "
        "save again to keep them"
    )


def _save_page(
    request: HttpRequest,
    content: Content,
    flow: Flow,
    now: Shown,
    assessment: Saved | None,
    cleaned: dict[str, Any] | None,
) -> HttpResponse | dict[str, AnswerValue]:
    """Save this page's answers and go on (``cleaned`` None: the person skipped this
    self-test); or, when another device changed this same page since it was shown, the
    answers stored there (nothing is saved: the page asks).

    Only this page's questions are written, into the answers as stored at that moment (read
    under a row lock): two devices saving different pages at once both keep their answers.
    """
    changing = request.GET.get("change") == "1"
    if assessment is None:
        answers = _with_page(now, {}, cleaned, content)
        route = after_saving(
            flow,
            now.page,
            answers,
            content,
            seen_flags=[],
            changing=changing,
            skipped=cleaned is None,
        )
        if over_limit(request, "new-assessment", setting("RATE_NEW_ASSESSMENTS")):
            return rate_limited(request)
        new = Assessment.objects.create(answers=answers, step=route.step)
        remember_private_link(request, new.token)
        return HttpResponseRedirect(_target_url(new.token, route.to, changing=route.changing))
    with transaction.atomic():
        stored = Assessment.locked(assessment.pk)
        if stored is None:
            raise Http404("There is no check at this link.")
        stored_answers, seen_flags = stored
        seen = request.POST.get("seen")
        if cleaned is not None and seen and seen != _page_version(now, stored_answers):
            return stored_answers
        answers = _with_page(now, stored_answers, cleaned, content)
        route = after_saving(
            flow,
            now.page,
            answers,
            content,
            seen_flags=seen_flags,
            changing=changing,
            skipped=cleaned is None,
        )
        Assessment.save_progress(assessment.pk, answers, route.step)
    return HttpResponseRedirect(_target_url(assessment.token, route.to, changing=route.changing))


def _with_page(
    now: Shown, stored: dict[str, Any], cleaned: dict[str, Any] | None, content: Content
) -> dict[str, AnswerValue]:
    answers = dict(stored)
    if cleaned is None:
        return prune(skip_test(now.page, answers), content)
    for question in now.questions:
        value = to_answer(question, cleaned.get(question.id))
        if value is None:
            answers.pop(question.id, None)
        else:
            answers[question.id] = value
    return prune(answers, content)


def _turned_back(assessment: Saved, flow: Flow, content: Content) -> str:
    """Where a page that may not be opened yet sends the person."""
    answers = assessment.answers
    if past_safety(flow, answers) and top_up_page(flow, answers, content) is not None:
        # An older check lacks new safety questions, which come before every later page.
        return _url("top_up", assessment.token)
    return _resume_url(assessment, flow, content)


def _resume_url(assessment: Saved, flow: Flow, content: Content) -> str:
    target = resume_at(
        flow, assessment.answers, content, step=assessment.step, completed=assessment.completed
    )
    return _target_url(assessment.token, target)


@require_safe
def resume(request: HttpRequest, token: str) -> HttpResponse:
    """The private link: it brings a person back to where they left off, on any device."""
    assessment = _load(token)
    remember_private_link(request, token)
    Assessment.note_activity(assessment.pk)
    content = get_content()
    return redirect(_resume_url(assessment, get_flow(content), content))


@require_safe
def triage(request: HttpRequest, token: str, level: str) -> HttpResponse:
    """What to do now (emergency) or soon (urgent), with the advice each red flag carries."""
    assessment = _load(token)
    content = get_content()
    result = assessment.result()
    if result.triage.level != level:
        return redirect(_url("resume", assessment.token))
    flags = [f for f in result.red_flags if f.level == level]
    flow = get_flow(content)
    change_url = _change_url(assessment, flow, content)
    if level == "urgent":
        seen = sorted({*assessment.seen_flags, *(f.id for f in flags)})
        if seen != sorted(assessment.seen_flags):
            Assessment.objects.filter(pk=assessment.pk).update(seen_flags=seen)
    return _render(
        request,
        "questionnaire/triage.html",
        {
            "assessment": assessment,
            "triage": result.triage,
            "flags": flags,
            # Contract 5.2: a child's red flag speaks to the adult with them too; no age given
            # counts as a child, the safer reading.
            "for_carer": not isinstance(age := assessment.answers.get("age"), int) or age < 18,
            "change_url": change_url,
            # Version 1 answers the web no longer asks: corrected by answering the finer ones.
            "superseded": (
                superseded_answers(assessment.answers, content)
                if change_url == _url("top_up", assessment.token)
                else ()
            ),
        },
    )


def _change_url(assessment: Saved, flow: Flow, content: Content) -> str:
    """Where "answered by mistake?" leads from a red-flag page."""
    answers = assessment.answers
    if superseded_answers(answers, content) and top_up_page(flow, answers, content):
        return _url("top_up", assessment.token)
    step = flow.by_id.get(assessment.step)
    if step is not None and step.section == "safety" and past_safety(flow, answers):
        # Raised while answering the new safety questions of an older check: change that page,
        # then only what is still open, rather than every page after it.
        return _page_url(assessment.token, step, changing=True)
    return _page_url(assessment.token, step or flow.first)


@require_http_methods(["GET", "HEAD", "POST"])
def top_up(request: HttpRequest, token: str) -> HttpResponse:
    """The safety questions an assessment stored before they existed lacks, a page at a time.

    Only the open questions of the first safety page that has any: the page to show follows
    from the saved answers, so a stale form (another tab went on) is shown afresh, not saved.
    """
    assessment = _load(token)
    content = get_content()
    flow = get_flow(content)
    answers = assessment.answers
    current = top_up_page(flow, answers, content)
    if current is None:
        return redirect(_resume_url(assessment, flow, content))
    questions = top_up_questions(current, answers, content)
    if request.method == "POST" and request.POST.get("page") == current.id:
        form = form_class(questions)(request.POST)
        if form.is_valid():
            return _save_top_up(assessment, flow, content, current, questions, form.cleaned_data)
        typed = {q.id: request.POST.get(q.id, "") for q in questions}
        shown = presentation.fields(questions, typed, presentation.form_errors(form))
    else:
        shown = presentation.fields(questions, {})
    return _render_jinja(
        request,
        "questionnaire/top_up.html",
        {
            "page": current,
            "fields": [presentation.field_html(field) for field in shown],
            "errors": presentation.error_summary(shown),
            "action": _url("top_up", assessment.token),
            "back_url": _url("results" if assessment.completed else "resume", assessment.token),
            "completed": assessment.completed,
        },
    )


def _save_top_up(
    assessment: Saved,
    flow: Flow,
    content: Content,
    current: Page,
    questions: tuple[Question, ...],
    cleaned: dict[str, Any],
) -> HttpResponse:
    answers = dict(assessment.answers)
    for question in questions:
        value = to_answer(question, cleaned.get(question.id))
        if value is not None:
            answers[question.id] = value
    answers = prune(answers, content)
    target = after_top_up(
        flow,
        assessment.answers,
        answers,
        content,
        seen_flags=assessment.seen_flags,
        completed=assessment.completed,
    )
    # An emergency's "answered by mistake?" link returns to the page that raised it.
    step = current.id if target == "emergency" else assessment.step
    Assessment.save_progress(assessment.pk, answers, step)
    return HttpResponseRedirect(_target_url(assessment.token, target))


def _doctor_summary_allowed(assessment: Saved) -> bool:
    # Only a person told to get checked gets the summary before finishing: everyone else gets
    # it with the plan once the questions are done.
    return assessment.result().triage.level in ("urgent", "emergency")


@require_safe
def doctor_summary(request: HttpRequest, token: str) -> HttpResponse:
    """The clinician summary from the answers so far: no movement test needed."""
    assessment = _load(token)
    if not _doctor_summary_allowed(assessment):
        return redirect(_url("resume", assessment.token))
    # Imported here: the plan pages belong to programs, which imports this app's models.
    from programs.builder import plan_for
    from programs.render import plan_context

    answers = assessment.valid_answers()
    plan = plan_for(answers)
    context = plan_context(plan, date=timezone.localdate(), answers=answers)
    return render(
        request,
        "programs/plan.html",
        {
            **context,
            "token": None,
            "summary_pdf_url": _url("doctor_summary_pdf", token),
            "screen_link": _url("top_up", token),
            "screen_link_text": "Answer the safety questions",
        },
    )


@rate_limit(setting("RATE_PDF"))
@require_safe
def doctor_summary_pdf(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _load(token)
    if not _doctor_summary_allowed(assessment):
        return redirect(_url("resume", assessment.token))
    from programs.builder import plan_for
    from programs.views import plan_pdf_download

    answers = assessment.valid_answers()
    today = timezone.localdate()
    return plan_pdf_download(
        request,
        plan_for(answers),
        answers,
        assessment_id=assessment.pk,
        paper="a4",
        date=today,
        filename=f"knee-summary-for-the-doctor-{today:%Y-%m-%d}.pdf",
    )


@require_http_methods(["GET", "HEAD", "POST"])
def check(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _load(token)
    content = get_content()
    flow = get_flow(content)
    answers = assessment.answers
    # Asked as from the check page itself: a person part-way through the movement tests may
    # come here, since every test may be skipped.
    target = resume_at(flow, answers, content, step="check", completed=assessment.completed)
    if target not in ("check", "results"):
        return redirect(_target_url(assessment.token, target))
    if request.method == "POST":
        if not assessment.completed:
            Assessment.objects.filter(pk=assessment.pk).update(completed_at=timezone.now())
        return redirect(_url("results", assessment.token))
    coverage = self_test_coverage(assessment.valid_answers(), content)
    return _render_jinja(
        request,
        "questionnaire/check.html",
        {
            "action": _url("check", assessment.token),
            "groups": [
                {
                    **group,
                    "change_url": _page_url(assessment.token, group["page"], changing=True),
                    "not_done": group["page"].self_test in coverage.not_done,
                }
                for group in presentation.answer_groups(flow, content, answers)
            ],
            "coverage": coverage,
            "resume_url": request.build_absolute_uri(_url("resume", assessment.token)),
        },
    )


@require_safe
def results(request: HttpRequest, token: str) -> HttpResponse:
    assessment = _load(token)
    content = get_content()
    flow = get_flow(content)
    if not assessment.completed:
        return redirect(_resume_url(assessment, flow, content))
    answers = assessment.valid_answers()
    result = assess(answers, content)
    return _render_jinja(
        request,
        "questionnaire/results.html",
        {
            "assessment": assessment,
            "result": result,
            "triage": result.triage,
            "flags": result.red_flags,
            "causes": presentation.causes(result, content, answers),
            "coverage": self_test_coverage(answers, content),
            "resume_url": request.build_absolute_uri(_url("resume", assessment.token)),
            # Contract 5.3: safety questions this check never asked (stored before they existed,
            # or left on the way to the doctor's summary), and the page that asks only those.
            "unanswered": presentation.unanswered_questions(result.triage.unanswered, content),
            "screen_link": _url("top_up", assessment.token),
            # A client a physio invited gets their plan from the physio, not from us.
            "invited": invited_by(assessment.pk),
        },
    )


@require_POST
def delete(request: HttpRequest, token: str) -> HttpResponse:
    """Ask first, then erase the assessment at once: the row goes, not a flag on it.

    The delete buttons post here without ``confirm``, which shows the question; its own form
    posts ``confirm=yes``. Two plain posts, so it asks without JavaScript too.
    """
    if request.POST.get("confirm") != "yes":
        return _render(
            request, "questionnaire/delete.html", {"assessment": _load(token), "token": token}
        )
    Assessment.objects.filter(token=token).delete()
    if holds_private_link(request, token):
        del request.session[SESSION_KEY]
    return redirect("questionnaire:deleted")


@require_safe
def deleted(request: HttpRequest) -> HttpResponse:
    return _render(request, "questionnaire/deleted.html", {})
