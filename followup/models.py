"""The follow-up's records: sessions logged, re-tests and outcome scores, and calendar links.

Every row hangs off the questionnaire's Assessment and goes with it (CASCADE): deleting the check
deletes the log. Nothing here is reachable by the read-only plan link; the views find rows only
through the private token.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from followup.core import Entry, OutcomeAnswers
from questionnaire.models import Assessment


class SessionLog(models.Model):
    """One exercise session, as the person logged it."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="sessions")
    done_on = models.DateField()
    # The plan phase the session belonged to, so levels stay with their phase's exercises.
    phase = models.PositiveSmallIntegerField()
    exercises = models.JSONField(default=list)
    pain_before = models.PositiveSmallIntegerField()
    pain_during = models.PositiveSmallIntegerField()
    pain_morning = models.PositiveSmallIntegerField(null=True, blank=True)
    # The stop-list questions ticked (questionnaire question ids).
    stop_signs = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Retention counts from the last logged activity (see last_activity below).
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("done_on", "created_at", "pk")
        indexes = (models.Index(fields=["assessment", "done_on"]),)

    def __str__(self) -> str:
        return f"Session on {self.done_on:%Y-%m-%d}"

    def as_entry(self) -> Entry:
        return Entry(
            done_on=self.done_on,
            phase=self.phase,
            exercises=tuple(str(e) for e in self.exercises),
            pain_before=self.pain_before,
            pain_during=self.pain_during,
            pain_morning=self.pain_morning,
            stopped=bool(self.stop_signs),
        )


class Retest(models.Model):
    """The outcome scores at the start (week 0) or a re-test week, with that week's self-tests."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="retests")
    week = models.PositiveSmallIntegerField()
    # The safety screen's answers at this re-test (questionnaire question ids).
    safety = models.JSONField(default=dict, blank=True)
    # Self-test values by questionnaire question id; empty at week 0 (the questionnaire holds them).
    tests = models.JSONField(default=dict, blank=True)
    outcomes = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("week",)
        constraints = (
            models.UniqueConstraint(fields=["assessment", "week"], name="one_retest_per_week"),
        )

    def __str__(self) -> str:
        return f"Re-test week {self.week}"

    def outcome_answers(self) -> OutcomeAnswers | None:
        if self.outcomes is None:
            return None
        return OutcomeAnswers.model_validate(self.outcomes)

    @property
    def complete(self) -> bool:
        return self.outcomes is not None


class FeedQuerySet(models.QuerySet["CalendarFeed"]):
    def usable(self) -> FeedQuerySet:
        return self.filter(revoked_at__isnull=True)

    def revoke(self) -> int:
        return self.update(revoked_at=timezone.now())


class CalendarFeed(models.Model):
    """A read-only calendar link, separate from the private link, that the person can revoke.

    Calendar services fetch it and keep what they fetched, so it opens only the calendar."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="feeds")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "pk")

    def __str__(self) -> str:
        return f"Calendar feed {self.pk}"
