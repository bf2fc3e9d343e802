"""A system check that refuses to start the site on broken clinical content.

It runs on `manage.py check`, `runserver`, `migrate` and the test run, and names the file and
the field at fault, so a clinician editing YAML finds the mistake at once.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import checks

from questionnaire.content import DATA_DIR, ContentError, load_content


def content_dir() -> Path:
    return Path(getattr(settings, "VALGUS_CONTENT_DIR", DATA_DIR))


@checks.register()
def check_content(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    directory = content_dir()
    try:
        load_content(directory)
    except ContentError as error:
        return [
            checks.Error(
                f"Clinical content is invalid: {error.file}: {error.field}: {error.message}",
                hint=f"Fix {directory / error.file}.",
                id="questionnaire.E001",
            )
        ]
    return []
