"""Physio pages: all behind login, every object fetched through its owner.

The pages a client opens from a link, without an account, are in ``physios.link_views``."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from followup.progress import physio_summary
from physios.editing import EditError, Review, parse_op, plan_apply, plan_edit, plan_rows
from physios.forms import ClientForm, LoginForm, ReviewForm, ShareForm, SignUpForm
from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink
from programs.builder import AnswerLine, Plan, answer_lines, plan_for
from programs.library import get_library
from questionnaire.content import get_content
from questionnaire.models import Assessment
from valgus_app.ratelimits import rate_limit

TOKEN_RATE = "30/m"
SIGNUP_RATE = "10/h"
# Login attempts from one address, whatever the accounts: far more than a clinic sharing one
# connection needs, far fewer than spraying passwords over many accounts wants. (Each account
# and address pair also locks after AXES_FAILURE_LIMIT wrong passwords.)
LOGIN_RATE = "20/15m"
STATUS_WORDS = {
    "new": "No link yet",
    "invited": "Invited",
    "in_progress": "In progress",
    "stopped": "Stopped at the safety check",
    "completed": "Completed",
    "shared": "Plan shared",
}


def _physio(request: HttpRequest) -> User:
    return cast(User, request.user)


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
    """Create an account that the owner of the e-mail address confirms from a link.

    The page answers the same whether or not the address already has an account, so sign-up
    cannot be used to find out who does: a new address gets the confirmation link, a known one
    an e-mail saying so, with the way to log in or reset the password.
    """
    if request.user.is_authenticated:
        return redirect("physios:dashboard")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        existing = form.existing_account()
        if existing is not None:
            # As long as hashing the new account's password takes, so timing tells nothing.
            make_password(form.cleaned_data["password1"])
        if existing is None:
            user = form.save(commit=False)
            user.is_active = False
            user.save()
            _mail(request, user, "signup_confirm", confirm=_confirm_path(user))
        elif not existing.is_active:
            _mail(request, existing, "signup_confirm", confirm=_confirm_path(existing))
        else:
            _mail(request, existing, "signup_existing")
        return redirect("physios:signup_sent")
    return render(request, "physios/signup.html", {"form": form})


def _confirm_path(user: User) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return reverse("physios:signup_confirm", args=[uid, default_token_generator.make_token(user)])


def _mail(request: HttpRequest, user: User, name: str, **paths: str) -> None:
    context = {
        "email": user.email,
        "site": request.build_absolute_uri("/").rstrip("/"),
        **{key: request.build_absolute_uri(path) for key, path in paths.items()},
    }
    subject = render_to_string(f"physios/account/{name}_subject.txt", context).strip()
    body = render_to_string(f"physios/account/{name}_email.txt", context)
    send_mail(subject, body, None, [user.email])


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "physios/account/signup_sent.html")


@rate_limit(TOKEN_RATE)
@require_http_methods(["GET", "POST"])
def signup_confirm(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The link from the sign-up e-mail: a button that turns the account on and logs in.

    A button, not the link alone: mail scanners open links, and must not log anyone in.
    """
    try:
        user = User.objects.filter(pk=int(urlsafe_base64_decode(uidb64))).first()
    except (ValueError, OverflowError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "physios/link_gone.html", status=404)
    if request.method == "POST":
        if not user.is_active:
            user.is_active = True
            user.save(update_fields=["is_active"])
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, "Your account is ready. Add your first client to get a link.")
        return redirect("physios:dashboard")
    return render(request, "physios/account/signup_confirm.html")


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
    if link.assessment.completed_at is None:
        engine = link.assessment.result()
        return _review_page(request, link, {"ready": False, "engine": engine})
    generated = plan_for(link.assessment.valid_answers())
    latest = link.latest_version
    base = latest.as_plan() if latest else generated
    context = {"ready": True, "engine": generated.assessment, "latest": latest}
    if request.method == "GET":
        initial = {"notes": latest.notes if latest else "", "version": _number(latest)}
        return _review_page(
            request, link, {**context, "form": ReviewForm(plan=base, initial=initial)}
        )
    form = ReviewForm(request.POST, plan=base)
    try:
        op = parse_op(request.POST.get("op", "publish"))
        if not form.is_valid():
            return _review_page(request, link, {**context, "form": form}, status=400)
        if op.kind == "publish":
            return _review_publish(request, link, base, form, context)
        present = [cause.id for cause in base.assessment.causes]
        library = get_library()
        edits = form.edits()
        draft = plan_rows(base, edits.phases, library=library, present=present)
        draft = plan_apply(draft, op, add=form.to_add(op.phase), library=library, present=present)
    except EditError as error:
        form.add_error(None, str(error))
        return _review_page(request, link, {**context, "form": form}, status=400)
    redrawn = ReviewForm(plan=draft, initial=form.carried())
    return _review_page(request, link, {**context, "form": redrawn, "draft": True})


def _number(version: PlanVersion | None) -> int:
    return version.number if version else 0


def _review_publish(
    request: HttpRequest,
    link: ClientAssessment,
    base: Plan,
    form: ReviewForm,
    context: dict[str, Any],
) -> HttpResponse:
    plan, decisions = plan_edit(base, form.edits(), library=get_library(), content=get_content())
    try:
        version, new = version_publish(
            link=link,
            plan=plan,
            review=decisions,
            notes=form.cleaned_data["notes"],
            physio=_physio(request),
            drawn_on=form.cleaned_data["version"],
        )
    except StaleVersion as stale:
        # Someone (this physio in another tab, or a second click that changed something)
        # published since the form was drawn: keep every edit, and let a second click publish
        # on top of the newer version.
        data = request.POST.copy()
        data["version"] = str(stale.number)
        again = ReviewForm(data, plan=base)
        again.is_valid()
        again.add_error(
            None,
            f"Version {stale.number} was published after you opened this page, so nothing was"
            f" published now. Your changes are still here: check them, then publish again to"
            f" make them version {stale.number + 1}.",
        )
        return _review_page(request, link, {**context, "form": again}, status=409)
    if new:
        messages.success(request, f"Version {version.number} is published.")
    else:
        messages.info(request, f"Version {version.number} was already published from this form.")
    url = reverse("physios:review", args=[link.client_id, link.pk])
    if _htmx(request):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def _review_page(
    request: HttpRequest, link: ClientAssessment, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    """The review page, or with htmx only its form, which the edit buttons swap."""
    if _htmx(request) and "form" in context:
        # htmx swaps only 2xx answers in: the form with its error summary must still arrive.
        response = render(
            request,
            "physios/_review_form.html",
            {"client": link.client, "link": link, **context},
        )
    else:
        response = render(
            request,
            "physios/review.html",
            {
                "client": link.client,
                "link": link,
                "answers": _answers_in_words(link.assessment),
                "versions": list(link.versions.all()),
                **context,
                **_shares(request, link),
            },
            status=status,
        )
    patch_vary_headers(response, ("HX-Request",))
    return response


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _shares(request: HttpRequest, link: ClientAssessment) -> dict[str, Any]:
    shares = [
        {"share": s, "link": _link(request, "physios:shared_plan", s.token)}
        for s in link.share_links.usable()
    ]
    share_form = ShareForm(initial={"expires_on": timezone.localdate() + dt.timedelta(days=90)})
    return {"shares": shares, "share_form": share_form}


def _answers_in_words(assessment: Assessment) -> list[AnswerLine]:
    return answer_lines(assessment.valid_answers(), get_content())


class StaleVersion(Exception):
    """A version other than the form's was published since the form was drawn."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def version_publish(
    *,
    link: ClientAssessment,
    plan: Plan,
    review: Review | None = None,
    notes: str,
    physio: User,
    drawn_on: int | None = None,
) -> tuple[PlanVersion, bool]:
    """Write the next immutable version of this assessment's plan; say if it is new.

    ``drawn_on`` is the version number the physio's form showed. When a later version exists
    and holds exactly this plan and these notes, the same form was sent twice (a double click):
    that version is the answer and nothing is written. A later version with other content
    raises StaleVersion. The row lock makes two requests that arrive together take turns.
    """
    stored = PlanVersion.stored(plan, review)
    with transaction.atomic():
        ClientAssessment.objects.select_for_update().filter(pk=link.pk).first()
        latest = link.versions.order_by("-number").first()
        last = _number(latest)
        if drawn_on is not None and last != drawn_on:
            if latest is not None and latest.holds(stored, notes=notes.strip()):
                return latest, False
            raise StaleVersion(last)
        version = PlanVersion.objects.create(
            client_assessment=link,
            number=last + 1,
            plan=stored,
            notes=notes.strip(),
            published_by=physio,
        )
    link.client.touch()
    return version, True


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


login_view = rate_limit(LOGIN_RATE, method="POST")(
    auth_views.LoginView.as_view(
        template_name="physios/account/login.html",
        authentication_form=LoginForm,
        redirect_authenticated_user=True,
    )
)

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
