"""The system check refuses broken clinical content and names the file and field at fault."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from pytest_django.fixtures import Settings as SettingsWrapper

from questionnaire.content import DATA_DIR


def edit(name: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        path = directory / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not found in {name}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def remove(name: str) -> Callable[[Path], None]:
    return lambda directory: (directory / name).unlink()


def append(name: str, text: str) -> Callable[[Path], None]:
    def apply(directory: Path) -> None:
        with (directory / name).open("a", encoding="utf-8") as file:
            file.write(text)

    return apply


BROKEN = [
    pytest.param(remove("rules.yaml"), ["rules.yaml"], id="missing file"),
    pytest.param(
        edit("red_flags.yaml", "    level: emergency\n", "    level: emergency\n    colour: red\n"),
        ["red_flags.yaml", "colour"],
        id="unknown field",
    ),
    pytest.param(
        edit("red_flags.yaml", "level: urgent\n", "level: soon\n"),
        ["red_flags.yaml", "level"],
        id="unknown triage level",
    ),
    pytest.param(
        edit("rules.yaml", "{question: heel_lift_corrects,", "{question: heel_raise_fixes,"),
        ["rules.yaml", "heel_raise_fixes"],
        id="rule on an unknown question",
    ),
    pytest.param(
        edit("rules.yaml", 'equals: "no"}', "equals: no}"),
        ["rules.yaml", "heel_lift_corrects"],
        id="unquoted no read as false for a choice",
    ),
    pytest.param(
        edit("rules.yaml", "sources: [bell2008,", "sources: [bell2099,"),
        ["rules.yaml", "bell2099"],
        id="unknown source",
    ),
    pytest.param(
        edit("rules.yaml", "      ankle_dorsiflexion_limitation: 4", "      tight_ankles: 4"),
        ["rules.yaml", "tight_ankles"],
        id="unknown cause",
    ),
    pytest.param(
        edit("findings.yaml", "{finding: sls_valgus_present}", "{finding: no_such_finding}"),
        ["findings.yaml", "no_such_finding"],
        id="unknown finding",
    ),
    pytest.param(
        edit("questions.yaml", "    min: 8\n", "    min: 800\n"),
        ["questions.yaml", "age"],
        id="minimum above maximum",
    ),
    pytest.param(
        append("sources.yaml", "  : [\n"),
        ["sources.yaml"],
        id="not YAML",
    ),
]


@pytest.mark.parametrize(("breakage", "named"), BROKEN)
def test_check_rejects_broken_content(
    breakage: Callable[[Path], None],
    named: list[str],
    tmp_path: Path,
    settings: SettingsWrapper,
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    breakage(copy)
    settings.VALGUS_CONTENT_DIR = copy
    with pytest.raises(SystemCheckError) as caught:
        call_command("check")
    message = str(caught.value)
    assert "questionnaire.E001" in message
    for fragment in named:
        assert fragment in message


def test_check_accepts_an_unchanged_copy(tmp_path: Path, settings: SettingsWrapper) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    settings.VALGUS_CONTENT_DIR = copy
    call_command("check")
