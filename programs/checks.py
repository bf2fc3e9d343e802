"""A system check that refuses to start the site on a broken exercise library or plan file."""

from __future__ import annotations

from typing import Any

from django.core import checks

from programs.library import LIBRARY_FILE, load_library
from programs.plan_content import PLAN_FILE, load_plan_content
from questionnaire.content import ContentError


@checks.register()
def check_plan_content(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    try:
        load_library()
        load_plan_content()
    except ContentError as error:
        if error.file not in (PLAN_FILE.name, LIBRARY_FILE.name):
            return []  # the questionnaire's own check reports broken clinical content
        path = PLAN_FILE if error.file == PLAN_FILE.name else LIBRARY_FILE
        return [
            checks.Error(
                f"Plan content is invalid: {error.file}: {error.field}: {error.message}",
                hint=f"Fix {path.parent / error.file}.",
                id="programs.E001",
            )
        ]
    return []
