"""The pages a client opens from a link, with no account: the invitation and the shared plan.

Found only by the SHA-256 of the token the visitor brings; rate-limited per address. Like every
page under a token, nothing caches them and the site's referrer policy sends no path
(valgus_app.middleware.PrivateTokenPagesMiddleware, settings.SECURE_REFERRER_POLICY).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from pydantic import ValidationError

from physios.editing import plan_with_notes
from physios.models import (
    ClientAssessment,
    Invite,
    PlanVersion,
    ShareLink,
    hash_token,
    physio_name,
)
from physios.views import TOKEN_RATE, qr_svg
from programs.render import plan_context
from questionnaire.models import Assessment
from questionnaire.views import holds_private_link, remember_private_link
from valgus_app.ratelimits import View, rate_limit, setting

logger = logging.getLogger(__name__)


def _usable_invite(token: str) -> Invite | None:
    invite = (
        Invite.objects.select_related("client__physio").filter(token_hash=hash_token(token)).first()
    )
    return invite if invite is not None and invite.is_usable else None


def _questionnaire_url(assessment: Assessment) -> str:
    return reverse("questionnaire:resume", args=[assessment.token])


def _link_gone(request: HttpRequest) -> HttpResponse:
    return render(request, "physios/link_gone.html", status=404)


@rate_limit(TOKEN_RATE)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, token: str) -> HttpResponse:
    found = _usable_invite(token)
    if found is None:
        return _link_gone(request)
    if found.used_at is not None:
        started = ClientAssessment.objects.filter(invite=found).select_related("assessment").first()
        if started and holds_private_link(request, started.assessment.token):
            return HttpResponseRedirect(_questionnaire_url(started.assessment))
        return render(request, "physios/invite_used.html", {"invite": found}, status=410)
    error = None
    if request.method == "POST":
        if request.POST.get("consent") == "yes":
            assessment = invite_accept(invite=found)
            if assessment is not None:
                remember_private_link(request, assessment.token)
                return HttpResponseRedirect(_questionnaire_url(assessment))
            return render(request, "physios/invite_used.html", {"invite": found}, status=410)
        error = "Tick the box to say you agree, or close this page if you do not."
    physio = found.client.physio
    return render(
        request,
        "physios/invite.html",
        {"physio_name": physio.get_full_name() or physio.username, "error": error},
        status=400 if error else 200,
    )


def invite_accept(*, invite: Invite) -> Assessment | None:
    """Start the client's assessment from an invite; None if the invite was used meanwhile."""
    with transaction.atomic():
        claimed = Invite.objects.filter(pk=invite.pk, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            return None
        assessment = Assessment.objects.create()
        ClientAssessment.objects.create(client=invite.client, assessment=assessment, invite=invite)
    invite.client.touch()
    return assessment


ShareView = Callable[[HttpRequest, ShareLink, PlanVersion], HttpResponse]


def _share_page(view: ShareView) -> View:
    """A page of a share link: the usable link and its newest version, or the link-gone page."""

    @rate_limit(TOKEN_RATE)
    @require_GET
    @wraps(view)
    def wrapper(request: HttpRequest, token: str) -> HttpResponse:
        share = (
            ShareLink.objects.select_related("client_assessment__client__physio")
            .filter(token_hash=hash_token(token))
            .first()
        )
        version = share.client_assessment.latest_version if share and share.is_usable else None
        if share is None or version is None:
            return _link_gone(request)
        return view(request, share, version)

    return wrapper


def _physio_name(share: ShareLink) -> str:
    return physio_name(share.client_assessment.client.physio)


@_share_page
def shared_plan(request: HttpRequest, share: ShareLink, version: PlanVersion) -> HttpResponse:
    context = {
        "version": version,
        "physio_name": _physio_name(share),
        "pdf_url": reverse("physios:shared_plan_pdf", args=[share.token]),
        "expires_at": share.expires_at,
    }
    try:
        plan = version.as_plan()
    except ValidationError:
        # Stored before the plan's shape last changed: still shown, in a plainer layout.
        return render(request, "physios/shared_plan_simple.html", context)
    date = timezone.localdate(version.published_at)
    transaction.on_commit(lambda: _queue_version_pdf(request, share, version))
    return render(request, "physios/shared_plan.html", {**plan_context(plan, date=date), **context})


def _queue_version_pdf(request: HttpRequest, share: ShareLink, version: PlanVersion) -> None:
    from programs import tasks

    try:
        key, documents = _version_pdf(request, share, version, "a4")
        tasks.queue_pdf(key, documents, assessment_id=share.client_assessment.assessment_id)
    except Exception:  # the page must not fail for want of a head start on its PDF
        logger.warning("could not queue the shared plan PDF", exc_info=True)


@rate_limit(setting("RATE_PDF"))
@_share_page
def shared_plan_pdf(request: HttpRequest, share: ShareLink, version: PlanVersion) -> HttpResponse:
    from programs.views import pdf_download

    paper = "letter" if request.GET.get("paper") == "letter" else "a4"
    try:
        key, documents = _version_pdf(request, share, version, paper)
    except ValidationError:
        return render(request, "physios/pdf_unavailable.html", status=404)
    published = timezone.localdate(version.published_at)
    return pdf_download(
        request,
        key,
        documents,
        assessment_id=share.client_assessment.assessment_id,
        filename=f"knee-plan-{published:%Y-%m-%d}-v{version.number}.pdf",
    )


def _version_pdf(
    request: HttpRequest, share: ShareLink, version: PlanVersion, paper: str
) -> tuple[str, Callable[[], list[str]]]:
    """The share link's PDF key and how to make its documents (only built if a render is due)."""
    # Imported here: only the PDF needs WeasyPrint and its system libraries.
    from physios.pdf import shared_pdf_documents, shared_pdf_key

    physio = _physio_name(share)
    email = share.client_assessment.client.physio.email
    client = share.client_assessment.client.display_name
    url = request.build_absolute_uri(reverse("physios:shared_plan", args=[share.token]))
    plan = plan_with_notes(version.as_plan(), notes=version.notes, physio=physio)
    # Everything printed is in the key: a renamed client or physio never gets an old PDF.
    key = shared_pdf_key((version.pk, share.pk, paper, physio, email, client, url))

    def documents() -> list[str]:
        return shared_pdf_documents(
            plan,
            paper=paper,
            date=timezone.localdate(version.published_at),
            physio=physio,
            physio_email=email,
            client=client,
            version=version.number,
            notes=version.notes,
            url=url,
            qr=qr_svg(url, "QR code of the plan link"),
        )

    return key, documents
