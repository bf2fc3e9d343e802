from __future__ import annotations

import secrets
from functools import cache
from typing import cast

from django.db import connection, models
from django.db.models.sql import UpdateQuery
from django.utils import timezone

PROGRESS_FIELDS = ("answers", "step", "updated_at")


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

    def save_progress(self) -> None:
        """Save the answers and step after a page: ``save(update_fields=PROGRESS_FIELDS)``
        with its UPDATE compiled once per process, like by_token's query."""
        self.updated_at = timezone.now()
        by_name = {field.name: field for field in self._meta.concrete_fields}
        fields = [by_name[name] for name in PROGRESS_FIELDS]
        values = [
            field.get_db_prep_save(getattr(self, field.attname), connection) for field in fields
        ]
        with connection.cursor() as cursor:
            cursor.execute(_save_progress_sql(), [*values, self.pk])


@cache
def _by_token_sql() -> str:
    sql, _ = Assessment.objects.filter(token="").order_by().query.sql_with_params()
    return sql


@cache
def _save_progress_sql() -> str:
    query = cast(UpdateQuery, Assessment.objects.filter(pk=0).query.chain(UpdateQuery))
    # Any values will do, in PROGRESS_FIELDS order: only the SQL is kept.
    query.add_update_values({"answers": {}, "step": "", "updated_at": timezone.now()})
    sql: str = query.get_compiler(connection.alias).as_sql()[0]
    return sql
