"""The system check refuses to start on a broken library or plan file, naming file and field."""

from __future__ import annotations

from unittest import mock

from programs.checks import check_plan_content
from questionnaire.content import ContentError


def test_the_shipped_content_passes():
    assert check_plan_content() == []


def test_a_broken_plan_file_is_an_error_naming_the_file_and_field():
    error = ContentError("plan.yaml", "phases[0].sources", "unknown source 'x'")
    with mock.patch("programs.checks.load_plan_content", side_effect=error):
        messages = check_plan_content()
    assert [m.id for m in messages] == ["programs.E001"]
    assert "plan.yaml: phases[0].sources: unknown source 'x'" in messages[0].msg
    assert str(messages[0].hint).endswith("programs/data/plan.yaml.")
