from __future__ import annotations

import secrets
from functools import cache

from django.db import models


def new_token() -> str:
    """An unguessable link token: 32 random bytes (256 bits), URL-safe."""
    return secrets.token_urlsafe(32)


class Assessment(models.Model):
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
    def by_token(cls, token: str) -> Assessment | None:
        """The assessment at this private link, or None: every questionnaire request starts here.

        The same query as ``objects.filter(token=token)``, but its SQL is compiled once
        per process, because compiling it costs the ORM twice as long as running it.
        """
        found = list(cls.objects.raw(_by_token_sql(), [token]))
        return found[0] if found else None


@cache
def _by_token_sql() -> str:
    sql, _ = Assessment.objects.filter(token="").order_by().query.sql_with_params()
    return sql
