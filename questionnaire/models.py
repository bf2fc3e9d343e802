from __future__ import annotations

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from django.db import connection, models
from django.db.models import Q
from django.utils import timezone

from questionnaire.content import get_content
from questionnaire.engine import AnswerValue, AssessmentResult, assess, still_valid_answers


def new_token() -> str:
    """An unguessable link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class StoredAnswers:
    """How every page, the PDF, the commands and the physio's review read stored answers."""

    answers: Any

    def valid_answers(self) -> dict[str, AnswerValue]:
        """The answers that still fit today's questions; any that no longer do are dropped."""
        return still_valid_answers(self.answers, get_content())

    def result(self) -> AssessmentResult:
        """The rules engine's triage and causes for today's valid answers."""
        return assess(self.valid_answers(), get_content())


class Assessment(StoredAnswers, models.Model):
    """One person's answers, saved on every page so that nothing they typed is lost.

    Two secrets reach it: `token` is the private link that resumes and edits the answers;
    `plan_token` is a read-only link to the plan that can be shared without exposing the answers
    for editing.
    """

    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    plan_token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    answers = models.JSONField(default=dict, blank=True)
    # The last page the person reached, so that resuming returns them to it.
    step = models.CharField(max_length=64, blank=True)
    # Urgent red flags the person has already been shown, so the urgent page appears once per
    # new sign rather than after every page.
    seen_flags = models.JSONField(default=list, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-updated_at",)

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({len(self.answers)} answers)"

    @classmethod
    def by_token(cls, token: str) -> Saved | None:
        """The assessment at this private link, or None: every questionnaire request starts here.

        Only the columns the pages read, straight from a cursor into a small frozen Saved
        rather than a model instance (building one, with its field conversions, costs the
        show path several times what the query does). The SQL is compiled once per process.
        """
        with connection.cursor() as cursor:
            cursor.execute(_by_token_sql(), [token])
            row = cursor.fetchone()
        if row is None:
            return None
        pk, token, plan_token, answers, step, seen_flags, completed = row
        return Saved(
            pk=pk,
            token=token,
            plan_token=plan_token,
            answers=json.loads(answers),
            step=step,
            seen_flags=json.loads(seen_flags),
            completed=bool(completed),
        )

    @staticmethod
    def locked(pk: int) -> tuple[dict[str, Any], list[str]] | None:
        """The stored answers and seen flags, with the row locked until the transaction ends.

        Call inside transaction.atomic(): a save reads and writes the answers under the lock, so
        two saves of one assessment never both start from the same answers (PostgreSQL locks
        the row; SQLite's IMMEDIATE transactions lock the database when they begin).
        """
        row = (
            Assessment.objects.select_for_update()
            .filter(pk=pk)
            .values_list("answers", "seen_flags")
            .first()
        )
        return None if row is None else (row[0], row[1])

    @staticmethod
    def note_activity(pk: int) -> None:
        """Count a visit as activity (questionnaire.retention), writing at most once a day."""
        now = timezone.now()
        Assessment.objects.filter(pk=pk, updated_at__lt=now - timedelta(days=1)).update(
            updated_at=now
        )

    @staticmethod
    def save_progress(pk: int, answers: dict[str, Any], step: str) -> None:
        """Save the answers and step after a page, and nothing else of the row."""
        Assessment.objects.filter(pk=pk).update(
            answers=answers, step=step, updated_at=timezone.now()
        )


@dataclass(frozen=True)
class Saved(StoredAnswers):
    """What the questionnaire pages read of an assessment (see Assessment.by_token)."""

    pk: int
    token: str
    plan_token: str
    answers: dict[str, Any]
    step: str
    seen_flags: list[str]
    completed: bool


@cache
def _by_token_sql() -> str:
    query = (
        Assessment.objects.filter(token="")
        .order_by()
        .annotate(completed=Q(completed_at__isnull=False))
        .values_list(*Saved.__dataclass_fields__)
    )
    sql, _ = query.query.sql_with_params()
    return sql
