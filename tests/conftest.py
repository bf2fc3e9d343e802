from __future__ import annotations

import pytest
from django.core.management import call_command

from questionnaire.content import Content, get_content


@pytest.fixture(scope="session", autouse=True)
def _system_checks() -> None:
    """Run Django's system checks first, so broken content stops the whole test run."""
    call_command("check", fail_level="ERROR")


@pytest.fixture(scope="session")
def content() -> Content:
    return get_content()
