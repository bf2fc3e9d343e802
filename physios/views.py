"""Physio pages: all behind login, every object fetched through its owner.

The pages a client opens from a link, without an account, are in ``physios.link_views``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from followup.progress import physio_summary
from physios.editing import Review, plan_edit
from physios.forms import ClientForm, ReviewForm, ShareForm, SignUpForm
from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink
from programs.builder import AnswerLine, Plan, answer_lines, plan_for
from programs.library import get_library
from questionnaire.content import get_content
from questionnaire.models import Assessment

View = Callable[..., HttpResponseBase]

TOKEN_RATE = "30/m"
SIGNUP_RATE = "10/h"
# The questionnaire remembers a person's assessment in the session under this key (issue 3).
QUESTIONNAIRE_SESSION_KEY = "assessment_token"
STATUS_WORDS = {
    "new": "No link yet",
    "invited": "Invited",
    "in_progress": "In progress",
    "stopped": "Stopped at the safety check",
    "completed": "Completed",
    "shared": "Plan shared",
}


def rate_limit(rate: str, method: Any = ratelimit.ALL) -> Callable[[View], View]:
    """django-ratelimit by client address, typed; over the limit the visitor gets a 429 page."""
    decorator: Callable[[View], View] = ratelimit(key="ip", rate=rate, method=method, block=True)
    return decorator


def _physio(request: HttpRequest) -> User:
    return cast(User, request.user)


def rate_limited(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "physios/rate_limited.html", status=429)


def qr_svg(url: str, title: str) -> SafeString:
    svg = segno.make(url, error="m").svg_inline(
        scale=4, border=2, omitsize=True, title=title, svgclass="qr"
    )
    return mark_safe(svg)


def _link(request: HttpRequest, name: str, token: str) -> dict[str, Any]:
    url = request.build_absolute_uri(reverse(name, args=[token]))
    return {"url": url, "qr": qr_svg(url, "QR code of the link")}


# --- Accounts -------------------------------------------------------------------------------


@rate_limit(SIGNUP_RATE, method="POST")
@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("physios:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. Add your first client to get a link.")
        return redirect("physios:dashboard")
    return render(request, "physios/signup.html", {"form": form})


# --- The physio's own pages ------------------------------------------------------------------


def _client(request: HttpRequest, client_id: int) -> Client:
    return get_object_or_404(Client, pk=client_id, physio=_physio(request))


def _client_assessment(
    request: HttpRequest, client_id: int, assessment_id: int
) -> ClientAssessment:
    return get_object_or_404(
        ClientAssessment.objects.select_related("assessment", "client"),
        pk=assessment_id,
        client_id=client_id,
        client__physio=_physio(request),
    )


def client_status(client: Client) -> str:
    now = timezone.now()
    links = list(client.assessments.all())
    if any(
        s.revoked_at is None and s.expires_at > now
        for link in links
        for s in link.share_links.all()
    ):
        return "shared"
    if links:
        latest = max(links, key=lambda link: link.created_at).assessment
        if latest.completed_at:
            return "completed"
        # The questionnaire stops at an emergency without finishing: the physio must see that.
        return "stopped" if latest.result().triage.level == "emergency" else "in_progress"
    return "invited" if client.invites.exists() else "new"


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    clients = (
        Client.objects.filter(physio=_physio(request))
        .annotate(
            last_activity=Greatest(
                "touched_at",
                Coalesce(Max("assessments__assessment__updated_at"), "touched_at"),
            )
        )
        .order_by("-last_activity", "-pk")
        .prefetch_related("assessments__assessment", "assessments__share_links", "invites")
    )
    rows = [
        {
            "client": c,
            "status": (status := client_status(c)),
            "status_word": STATUS_WORDS[status],
            "follow": _follow_summary(c),
        }
        for c in clients
    ]
    return render(request, "physios/dashboard.html", {"rows": rows})


def _follow_summary(client: Client) -> Any:
    # The session log of the client's latest completed assessment: adherence and alerts.
    done = [link.assessment for link in client.assessments.all() if link.assessment.completed_at]
    latest = max(done, key=lambda a: a.completed_at or a.updated_at, default=None)
    return physio_summary(latest, chart=False) if latest else None


@login_required
@require_http_methods(["GET", "POST"])
def client_new(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        client = form.save(commit=False)
        client.physio = _physio(request)
        client.save()
        Invite.objects.create(client=client, expires_at=Invite.default_expiry())
        return redirect("physios:client", client_id=client.pk)
    return render(request, "physios/client_new.html", {"form": form})


@login_required
@require_GET
def client_detail(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    invite = client.invites.usable().filter(used_at__isnull=True).first()
    links = list(client.assessments.select_related("assessment").order_by("created_at"))
    return render(
        request,
        "physios/client.html",
        {
            "client": client,
            "status_word": STATUS_WORDS[client_status(client)],
            "invite": invite,
            "invite_link": _link(request, "physios:invite", invite.token) if invite else None,
            "columns": _columns(links),
            "rows": _answer_rows(links),
            "follows": [
                (link, summary)
                for link in reversed(links)
                if (summary := physio_summary(link.assessment)) is not None
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def client_delete(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    if request.method == "POST":
        name = client.display_name
        client_erase(client=client)
        messages.success(request, f"{name} and all their answers and plans are deleted.")
        return redirect("physios:dashboard")
    return render(request, "physios/client_delete.html", {"client": client})


def client_erase(*, client: Client) -> None:
    """Delete a client with their answers, plans and links; nothing is kept hidden."""
    with transaction.atomic():
        Assessment.objects.filter(client_link__client=client).delete()
        client.delete()


def _columns(links: list[ClientAssessment]) -> list[dict[str, Any]]:
    now = timezone.now()
    columns = []
    for link in links:
        done = link.assessment.completed_at is not None
        summary = link.assessment.result() if done else None
        shares = [
            {"share": s, "link": _share_link_info(s)}
            for s in link.share_links.all()
            if s.revoked_at is None and s.expires_at > now
        ]
        columns.append(
            {"link": link, "summary": summary, "version": link.latest_version, "shares": shares}
        )
    return columns


def _share_link_info(share: ShareLink) -> dict[str, Any]:
    return {"path": reverse("physios:shared_plan", args=[share.token])}


def _answer_rows(links: list[ClientAssessment]) -> list[dict[str, Any]]:
    """The answers of every assessment lined up by question, for a side-by-side table."""
    rows: dict[str, dict[str, Any]] = {}
    for index, link in enumerate(links):
        for line in _answers_in_words(link.assessment):
            row = rows.setdefault(line.question, {"label": line.label, "cells": {}})
            row["cells"][index] = line.answer
    return [
        {"label": row["label"], "cells": [row["cells"].get(i, "–") for i in range(len(links))]}
        for row in rows.values()
    ]


@login_required
@require_POST
def invite_new(request: HttpRequest, client_id: int) -> HttpResponse:
    client = _client(request, client_id)
    # One open questionnaire link per client: a new one replaces any still unused.
    client.invites.filter(used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    Invite.objects.create(client=client, expires_at=Invite.default_expiry())
    client.touch()
    messages.success(request, "Here is a new questionnaire link. Any older unused link stopped.")
    return redirect("physios:client", client_id=client.pk)


@login_required
@require_POST
def invite_revoke(request: HttpRequest, client_id: int, invite_id: int) -> HttpResponse:
    invite = get_object_or_404(Invite, pk=invite_id, client=_client(request, client_id))
    invite.revoke()
    messages.success(request, "The questionnaire link no longer works.")
    return redirect("physios:client", client_id=client_id)


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, client_id: int, assessment_id: int) -> HttpResponse:
    link = _client_assessment(request, client_id, assessment_id)
    context: dict[str, Any] = {
        "client": link.client,
        "link": link,
        "answers": _answers_in_words(link.assessment),
        "versions": list(link.versions.all()),
    }
    if link.assessment.completed_at is None:
        engine = link.assessment.result()
        return render(request, "physios/review.html", {**context, "ready": False, "engine": engine})
    generated = plan_for(link.assessment.valid_answers())
    latest = link.latest_version
    base = latest.as_plan() if latest else generated
    form = ReviewForm(
        request.POST or None, plan=base, initial={"notes": latest.notes if latest else ""}
    )
    if request.method == "POST" and form.is_valid():
        plan, decisions = plan_edit(
            base, form.edits(), library=get_library(), content=get_content()
        )
        version = version_publish(
            link=link,
            plan=plan,
            review=decisions,
            notes=form.cleaned_data["notes"],
            physio=_physio(request),
        )
        messages.success(request, f"Version {version.number} is published.")
        return redirect("physios:review", client_id=client_id, assessment_id=link.pk)
    shares = [
        {"share": s, "link": _link(request, "physios:shared_plan", s.token)}
        for s in link.share_links.usable()
    ]
    share_form = ShareForm(initial={"expires_on": timezone.localdate() + dt.timedelta(days=90)})
    return render(
        request,
        "physios/review.html",
        {
            **context,
            "ready": True,
            "engine": generated.assessment,
            "form": form,
            "latest": latest,
            "shares": shares,
            "share_form": share_form,
        },
        status=400 if form.is_bound else 200,
    )


def _answers_in_words(assessment: Assessment) -> list[AnswerLine]:
    return answer_lines(assessment.valid_answers(), get_content())


def version_publish(
    *,
    link: ClientAssessment,
    plan: Plan,
    review: Review | None = None,
    notes: str,
    physio: User,
) -> PlanVersion:
    """Write the next immutable version of this assessment's plan."""
    with transaction.atomic():
        ClientAssessment.objects.select_for_update().filter(pk=link.pk).first()
        last = link.versions.aggregate(n=Max("number"))["n"] or 0
        version = PlanVersion.objects.create(
            client_assessment=link,
            number=last + 1,
            plan=PlanVersion.stored(plan, review),
            notes=notes.strip(),
            published_by=physio,
        )
    link.client.touch()
    return version


@login_required
@require_GET
def version_detail(
    request: HttpRequest, client_id: int, assessment_id: int, number: int
) -> HttpResponse:
    link = _client_assessment(request, client_id, assessment_id)
    version = get_object_or_404(PlanVersion, client_assessment=link, number=number)
    return render(
        request,
        "physios/version.html",
        {
            "client": link.client,
            "link": link,
            "version": version,
            "review": version.review(),
        },
    )


@login_required
@require_POST
def share_new(request: HttpRequest, client_id: int, assessment_id: int) -> HttpResponse:
    link = _client_assessment(request, client_id, assessment_id)
    form = ShareForm(request.POST)
    if not link.versions.exists():
        messages.error(request, "Publish the plan first; the link shows the published version.")
    elif not form.is_valid():
        messages.error(request, " ".join(str(e) for e in form.errors.get("expires_on", [])))
    else:
        day_end = dt.datetime.combine(form.cleaned_data["expires_on"], dt.time.max)
        ShareLink.objects.create(
            client_assessment=link,
            expires_at=timezone.make_aware(day_end, timezone.get_current_timezone()),
        )
        link.client.touch()
        messages.success(request, "The plan link is ready to give to your client.")
    return redirect("physios:review", client_id=client_id, assessment_id=link.pk)


@login_required
@require_POST
def share_revoke(
    request: HttpRequest, client_id: int, assessment_id: int, share_id: int
) -> HttpResponse:
    link = _client_assessment(request, client_id, assessment_id)
    share = get_object_or_404(ShareLink, pk=share_id, client_assessment=link)
    share.revoke()
    messages.success(request, "The plan link no longer works.")
    return redirect("physios:review", client_id=client_id, assessment_id=link.pk)


password_reset = rate_limit(SIGNUP_RATE, method="POST")(
    auth_views.PasswordResetView.as_view(
        template_name="physios/account/password_reset.html",
        email_template_name="physios/account/password_reset_email.txt",
        subject_template_name="physios/account/password_reset_subject.txt",
        success_url=reverse_lazy("physios:password_reset_done"),
    )
)

# Django's reset links carry a token too: limited like our own link pages.
password_reset_confirm = rate_limit(TOKEN_RATE)(
    auth_views.PasswordResetConfirmView.as_view(
        template_name="physios/account/password_reset_confirm.html",
        success_url=reverse_lazy("physios:password_reset_complete"),
    )
)
