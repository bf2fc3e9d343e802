"""`manage.py assess`: good answers give the contract's JSON; every kind of bad input exits 2,
names what is wrong on standard error and prints nothing on standard output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.questionnaire.cases import CAUSE_CASES, VIGNETTES, Case

ROOT = Path(__file__).resolve().parents[2]


def run_assess(path: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", "assess", path],
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def write(tmp_path: Path, text: str | bytes, name: str = "answers.json") -> str:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return str(path)


def assess_json(path: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("assess", path, stdout=out)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_prints_the_assessment_for_an_answer_file(tmp_path: Path) -> None:
    case = VIGNETTES[0]  # 6.1: ankle-driven valgus
    result = assess_json(write(tmp_path, json.dumps(case.answers)))
    assert result["contract"] == 2
    assert result["triage"] == {**result["triage"], "level": "self_care", "plan_allowed": True}
    assert result["causes"][0]["id"] == "ankle_dorsiflexion_limitation"
    assert "heel_lift_corrects" in result["causes"][0]["evidence"]


def test_reads_standard_input_and_exits_zero() -> None:
    done = run_assess("-", stdin=json.dumps({"calf_swelling": True}))
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["triage"]["level"] == "emergency"
    assert result["triage"]["plan_allowed"] is False
    assert result["red_flags"][0]["id"] == "calf_swelling"
    assert result["red_flags"][0]["advice"]


def test_an_empty_object_is_valid() -> None:
    done = run_assess("-", stdin="{}")
    assert done.returncode == 0
    assert json.loads(done.stdout)["causes"] == []


BAD_ANSWERS = [
    pytest.param({"age": 5}, ["age", "8 to 100"], id="out of range"),
    pytest.param({"age": 30.5}, ["age", "whole number"], id="not a whole number"),
    pytest.param({"recent_injury": "yes"}, ["recent_injury", "true or false"], id="string bool"),
    pytest.param({"recent_injury": 1}, ["recent_injury", "true or false"], id="number bool"),
    pytest.param({"pain_worst": True}, ["pain_worst"], id="bool for int"),
    pytest.param({"sex": "robot"}, ["sex", '"female"'], id="unknown choice"),
    pytest.param({"heel_lift_corrects": True}, ["heel_lift_corrects"], id="bool for choice"),
    pytest.param({"knee_to_wall_left_cm": "9"}, ["knee_to_wall_left_cm"], id="string number"),
    pytest.param({"knee_to_wall_left_cm": -1}, ["knee_to_wall_left_cm", "0 to 30"], id="negative"),
    pytest.param({"fppa_degrees": None}, ["fppa_degrees"], id="null"),
    pytest.param({"favourite_colour": "blue"}, ["favourite_colour", "unknown"], id="unknown id"),
    pytest.param(
        {"age": 200, "sex": "x", "locking": "no", "nonsense": 1},
        ["age", "sex", "locking", "nonsense", "4 invalid answers"],
        id="every problem named at once",
    ),
]


@pytest.mark.parametrize(("answers", "expected"), BAD_ANSWERS)
def test_bad_answers_name_each_question(
    answers: dict[str, Any], expected: list[str], tmp_path: Path
) -> None:
    with pytest.raises(CommandError) as caught:
        assess_json(write(tmp_path, json.dumps(answers)))
    assert caught.value.returncode == 2
    for fragment in expected:
        assert fragment in str(caught.value)


BAD_FILES = [
    pytest.param("[1, 2]", "JSON object", id="a list"),
    pytest.param('"age"', "JSON object", id="a string"),
    pytest.param("", "not valid JSON", id="empty file"),
    pytest.param("{age: 30}", "not valid JSON", id="broken JSON"),
    pytest.param('{"fppa_degrees": NaN}', "NaN", id="NaN"),
    pytest.param('{"age": Infinity}', "Infinity", id="Infinity"),
    pytest.param('{"age": 30, "age": 31}', "age: given more than once", id="duplicate key"),
    pytest.param(b"\xff\xfe{}", "not UTF-8", id="not UTF-8"),
]


@pytest.mark.parametrize(("text", "message"), BAD_FILES)
def test_bad_files_exit_2_with_a_message_and_no_output(
    text: str | bytes, message: str, tmp_path: Path
) -> None:
    done = run_assess(write(tmp_path, text))
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_file(tmp_path: Path) -> None:
    done = run_assess(str(tmp_path / "nowhere.json"))
    assert (done.returncode, done.stdout) == (2, "")
    assert "no such file" in done.stderr


def test_directory_instead_of_a_file(tmp_path: Path) -> None:
    done = run_assess(str(tmp_path))
    assert (done.returncode, done.stdout) == (2, "")
    assert "is a directory" in done.stderr


def test_bad_answers_from_standard_input() -> None:
    done = run_assess("-", stdin='{"age": 7, "side": "middle"}')
    assert (done.returncode, done.stdout) == (2, "")
    assert "age: expected a whole number from 8 to 100, got 7" in done.stderr
    assert "side: expected one of" in done.stderr
    assert "Traceback" not in done.stderr


def test_missing_argument_is_a_usage_error() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "assess"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode != 0
    assert done.stdout == ""
    assert "file" in done.stderr


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda case: case.name)
def test_every_clinical_case_from_the_command_line(case: Case, tmp_path: Path) -> None:
    result = assess_json(write(tmp_path, json.dumps(case.answers)))
    ranked = [cause["id"] for cause in result["causes"]]
    assert result["triage"]["level"] == case.triage
    if case.top is not None:
        assert ranked[0] == case.top
    assert not set(case.absent) & set(ranked)
