from __future__ import annotations

import os
from typing import Any

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, settings

from questionnaire.content import Content, get_content

# The property tests (fuzzed requests, random people's plans and triage) run the same examples on
# every run, so CI is repeatable; each test sets only how many. HYPOTHESIS_PROFILE=explore draws
# new ones each time, to search further by hand (with FUZZ_EXAMPLES, PLAN_EXAMPLES or
# TRIAGE_EXAMPLES raised).
settings.register_profile(
    "suite",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile("explore", settings.get_profile("suite"), derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))


@pytest.fixture(scope="session", autouse=True)
def _record_jinja_renders() -> None:
    """Let the test client see which template a page used and its context, as it does for
    Django's own templates (``response.context``, ``assertTemplateUsed``)."""
    from types import SimpleNamespace

    from django.template.backends.jinja2 import Template
    from django.test.signals import template_rendered

    render = Template.render

    def recorded(self: Template, context: dict[str, object] | None = None, request=None) -> str:
        shown = SimpleNamespace(name=self.template.name)
        template_rendered.send(sender=Template, template=shown, context=dict(context or {}))
        return render(self, context, request)

    Template.render = recorded  # type: ignore[method-assign]


@pytest.fixture(scope="session", autouse=True)
def _system_checks() -> None:
    """Run Django's system checks first, so broken content stops the whole test run."""
    call_command("check", fail_level="ERROR")


@pytest.fixture(autouse=True)
def _immediate_tasks(settings: Any) -> None:
    """Run jobs (PDF renders) in the test process as they are queued; the queued path's own
    tests switch back to the database backend and a real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def _generous_rate_limits(settings: Any) -> None:
    """Every test comes from one address and the counts can outlive a test (live server, the
    database cache): the per-address limits are raised, and their own tests lower them."""
    settings.RATE_NEW_ASSESSMENTS = "100000/h"
    settings.RATE_PDF = "100000/h"
    settings.RATE_FOLLOWUP_WRITES = "100000/h"


@pytest.fixture(scope="session")
def content() -> Content:
    return get_content()
