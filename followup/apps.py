from __future__ import annotations

from django.apps import AppConfig


class FollowupConfig(AppConfig):
    name = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        from followup import checks  # noqa: F401  (registers the follow-up content check)
