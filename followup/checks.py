"""A system check that refuses to start the site on a broken follow-up content file."""

from __future__ import annotations

from typing import Any

from django.core import checks

from followup.content import FOLLOWUP_FILE, load_followup_content
from questionnaire.content import ContentError


@checks.register()
def check_followup_content(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        load_followup_content()
    except ContentError as error:
        if error.file != FOLLOWUP_FILE.name:
            return []  # the questionnaire's own check reports broken clinical content
        return [
            checks.Error(
                f"Follow-up content is invalid: {error.file}: {error.field}: {error.message}",
                hint=f"Fix {FOLLOWUP_FILE}.",
                id="followup.E001",
            )
        ]
    return []
