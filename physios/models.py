"""Physios, their clients, the links they hand out, and the plans they publish.

Every row hangs off the physio who owns it (`Client.physio`), and every view reaches a row through
that owner, so one physio's clients are invisible to anyone else.

Link tokens. Each link stores a random 256-bit seed and the SHA-256 of its token; the token itself
is an HMAC of the seed under the site's secret key. A copy of the database alone therefore holds no
usable link, a visitor's token is found by its hash (no timing leak through string comparison),
and the physio can still see the link and its QR code again later without it being stored.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac

from physios.editing import Review
from programs.builder import Plan
from questionnaire.models import Assessment

INVITE_DAYS = 30


def new_seed() -> str:
    return secrets.token_urlsafe(32)


def token_for(seed: str, purpose: str) -> str:
    digest = salted_hmac(f"physios.{purpose}", seed, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class LinkQuerySet(models.QuerySet[Any]):
    def usable(self) -> LinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())


class Link(models.Model):
    """A secret link: expiring, revocable, found only by the hash of its token."""

    PURPOSE = ""

    seed = models.CharField(max_length=64, default=new_seed, editable=False)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.token_hash:
            self.token_hash = hash_token(self.token)
        super().save(*args, **kwargs)

    @property
    def token(self) -> str:
        return token_for(self.seed, self.PURPOSE)

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


class Client(models.Model):
    """A physio's client, known only by the name or initials the physio chooses."""

    physio = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="clients"
    )
    display_name = models.CharField("name or initials", max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)
    # Bumped by every invite, publish and share, so the dashboard can put recent work first.
    touched_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-touched_at",)

    def __str__(self) -> str:
        return self.display_name

    def touch(self) -> None:
        self.touched_at = timezone.now()
        self.save(update_fields=["touched_at"])


class Invite(Link):
    """A questionnaire link for one client; used once, when the client agrees to start."""

    PURPOSE = "invite"

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="invites")
    used_at = models.DateTimeField(null=True, blank=True)

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Invite for {self.client} ({self.created_at:%Y-%m-%d})"

    @classmethod
    def default_expiry(cls) -> dt.datetime:
        return timezone.now() + dt.timedelta(days=INVITE_DAYS)


class ClientAssessment(models.Model):
    """Ties a questionnaire assessment to the client whose invite started it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="assessments")
    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, related_name="client_link"
    )
    invite = models.OneToOneField(
        Invite, on_delete=models.SET_NULL, null=True, blank=True, related_name="client_assessment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"{self.client}: assessment of {self.created_at:%Y-%m-%d}"

    @property
    def latest_version(self) -> PlanVersion | None:
        return self.versions.order_by("-number").first()


class PlanVersion(models.Model):
    """One published plan: the contract's section 3 plan as the physio edited it, and notes.

    Immutable once written; publishing again writes the next number.
    """

    client_assessment = models.ForeignKey(
        ClientAssessment, on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField()
    plan = models.JSONField()
    notes = models.TextField(blank=True)
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("-number",)
        constraints = (
            models.UniqueConstraint(
                fields=["client_assessment", "number"], name="one_number_per_version"
            ),
        )

    def __str__(self) -> str:
        return f"Version {self.number} for {self.client_assessment.client}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("A published plan version cannot be changed; publish a new one.")
        super().save(*args, **kwargs)

    @classmethod
    def stored(cls, plan: Plan, review: Review | None = None) -> dict[str, Any]:
        """The JSON a version keeps: the plan, and the physio's decisions beside it."""
        data = plan.model_dump(mode="json")
        return data if review is None else {**data, "review": review.model_dump(mode="json")}

    def holds(self, stored: dict[str, Any], *, notes: str) -> bool:
        """Whether this version holds exactly this stored plan and these notes."""
        # Through JSON, as the column gives it back (tuples become lists, and so on).
        return self.notes == notes and self.plan == json.loads(json.dumps(stored))

    def as_plan(self) -> Plan:
        """The stored plan read back into the builder's type. Raises ValidationError."""
        return Plan.model_validate({k: v for k, v in self.plan.items() if k != "review"})

    def review(self) -> Review:
        return Review.model_validate(self.plan.get("review", {}))


class ShareLink(Link):
    """A read-only link to the newest published plan of one assessment."""

    PURPOSE = "share"

    client_assessment = models.ForeignKey(
        ClientAssessment, on_delete=models.CASCADE, related_name="share_links"
    )

    objects = LinkQuerySet.as_manager()

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"Share link for {self.client_assessment.client} until {self.expires_at:%Y-%m-%d}"


@dataclass(frozen=True)
class InvitedBy:
    """What the client of an invited assessment is told about the physio the plan comes from."""

    physio_name: str
    physio_email: str
    client_name: str
    published: bool
    # The newest usable link the physio made to the published plan, if any.
    share_token: str | None


def physio_name(user: Any) -> str:
    """How a physio is named to their clients."""
    name: str = user.get_full_name() or "your physiotherapist"
    return name


def invited_by(assessment_id: int) -> InvitedBy | None:
    """The physio behind an assessment started from their invite, or None for anyone else."""
    link = (
        ClientAssessment.objects.select_related("client__physio")
        .filter(assessment_id=assessment_id)
        .first()
    )
    if link is None:
        return None
    share = link.share_links.usable().order_by("-expires_at").first()
    physio = link.client.physio
    return InvitedBy(
        physio_name=physio_name(physio),
        physio_email=physio.email,
        client_name=link.client.display_name,
        published=link.versions.exists(),
        share_token=share.token if share else None,
    )
