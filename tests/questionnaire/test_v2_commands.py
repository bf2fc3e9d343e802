"""`manage.py assess` and `manage.py plan` on the version 2 answers: the screen in the output, and
every bad value of a new question exits 2 naming it, with nothing on standard output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(command: str, answers: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", command, "-"],
        cwd=ROOT,
        input=json.dumps(answers),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


BAD = [
    pytest.param({"injury_days_ago": 43}, ["injury_days_ago", "0 to 42", "43"], id="days over 42"),
    pytest.param({"injury_days_ago": -1}, ["injury_days_ago", "0 to 42"], id="negative days"),
    pytest.param({"injury_days_ago": 2.5}, ["injury_days_ago", "whole number"], id="half a day"),
    pytest.param({"injury_days_ago": "3"}, ["injury_days_ago"], id="days as text"),
    pytest.param({"injury_days_ago": True}, ["injury_days_ago"], id="days as a bool"),
    pytest.param(
        {"knee_hot_or_swollen": "yes"}, ["knee_hot_or_swollen", "true or false"], id="yes"
    ),
    pytest.param({"cold_pale_foot": 1}, ["cold_pale_foot", "true or false"], id="1 for a bool"),
    pytest.param({"child_unwell_signs": None}, ["child_unwell_signs", "null"], id="null"),
    pytest.param({"fever_or_unwel": True}, ["fever_or_unwel", "unknown"], id="misspelt id"),
    pytest.param(
        {"anticoagulants": "no", "injury_days_ago": 99, "saddle_bladder_bowel": []},
        ["anticoagulants", "injury_days_ago", "saddle_bladder_bowel", "3 invalid answers"],
        id="every problem at once",
    ),
]


@pytest.mark.parametrize("command", ["assess", "plan"])
@pytest.mark.parametrize(("answers", "named"), BAD)
def test_bad_v2_answers_exit_2_naming_the_question(
    command: str, answers: dict[str, Any], named: list[str]
) -> None:
    done = run(command, answers)
    assert (done.returncode, done.stdout) == (2, "")
    for fragment in named:
        assert fragment in done.stderr
    assert "Traceback" not in done.stderr


def test_assess_prints_the_screen_and_the_new_flags() -> None:
    done = run("assess", {"age": 70, "knee_hot_or_swollen": True, "immunosuppressed": True})
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["contract"] == 2
    assert result["triage"]["level"] == "emergency"
    assert result["triage"]["screen_complete"] is False
    assert "recent_injury" in result["triage"]["unanswered"]
    assert "child_unwell_signs" not in result["triage"]["unanswered"]
    flag = result["red_flags"][0]
    assert flag["id"] == "hot_swollen_knee_at_risk"
    assert flag["advice"] and flag["advice_carer"] and flag["tell_them"]


def test_plan_says_contract_2_and_holds_back_the_plan_on_an_emergency() -> None:
    done = run("plan", {"recent_injury": True, "can_straight_leg_raise": False})
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert plan["contract"] == 2
    assert plan["assessment"]["triage"]["level"] == "emergency"
    assert plan["phases"] == []
    assert "injury_days_ago" in plan["assessment"]["triage"]["unanswered"]
