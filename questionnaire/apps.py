from __future__ import annotations

from django.apps import AppConfig


class QuestionnaireConfig(AppConfig):
    name = "questionnaire"
    verbose_name = "Questionnaire"

    def ready(self) -> None:
        from questionnaire import checks  # noqa: F401  (registers the content check)
