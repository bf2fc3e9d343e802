from __future__ import annotations

import secrets

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
