"""The system check refuses to start on a broken library or plan file, naming file and field."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import pytest
import yaml

from programs.checks import check_plan_content
from programs.library import LIBRARY_FILE, load_library
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


@pytest.mark.parametrize(
    ("tags", "message"),
    [(None, "Field required"), (["hip_targeted", "wobbly"], "unknown tag 'wobbly'")],
    ids=["no tags", "unknown tag"],
)
def test_an_exercise_without_tags_or_with_an_unknown_tag_stops_the_site(
    tmp_path: Path, tags: list[str] | None, message: str
) -> None:
    raw = yaml.safe_load(LIBRARY_FILE.read_text(encoding="utf-8"))
    entry = raw["exercises"][2]
    if tags is None:
        del entry["tags"]
    else:
        entry["tags"] = tags
    path = tmp_path / "exercises.yaml"
    path.write_text(yaml.safe_dump(raw, sort_keys=False), encoding="utf-8")
    with mock.patch("programs.checks.load_library", side_effect=lambda: load_library(path)):
        messages = check_plan_content()
    assert [m.id for m in messages] == ["programs.E001"]
    assert "exercises.yaml: exercises[2] (id=side_lying_hip_abduction).tags" in messages[0].msg
    assert message in messages[0].msg
