"""`manage.py plan`: the builder's plan as JSON by default, HTML or PDF on request; bad input
exits 2, names what is wrong on standard error and prints nothing on standard output."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.personas import DEFORMITY, FOOTBALLER, ROUTINE
from tests.programs.pango import needs_weasyprint

ROOT = Path(__file__).resolve().parents[2]


def run_plan(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "manage.py", "plan", *args],
        cwd=ROOT,
        input=stdin.encode(),
        capture_output=True,
        timeout=120,
        check=False,
    )


def write(tmp_path: Path, data: str | bytes, name: str = "answers.json") -> str:
    path = tmp_path / name
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return str(path)


def test_it_prints_the_builders_plan_as_json(tmp_path, make_plan):
    out = io.StringIO()
    call_command("plan", write(tmp_path, json.dumps(FOOTBALLER)), stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == make_plan(FOOTBALLER).model_dump(mode="json")
    assert printed["contract"] == 2
    assert set(printed) >= {"assessment", "phases", "pain_rules", "referral", "adaptations"}
    # Contract 5.3: a footballer's plan is fitted to a jumping sport, and says so.
    assert [a["id"] for a in printed["adaptations"]] == ["athlete_progression"]
    assert printed["adaptations"][0]["reason"].startswith("Because you play a sport")
    phase = printed["phases"][0]
    assert set(phase) >= {
        "number",
        "title",
        "weeks",
        "sessions_per_week",
        "goal",
        "progress_when",
        "exercises",
    }
    assert set(phase["exercises"][0]) >= {
        "id",
        "name",
        "dose",
        "targets",
        "cue",
        "easier",
        "harder",
        "tags",
    }
    assert all(e["tags"] for p in printed["phases"] for e in p["exercises"])


def test_it_reads_standard_input_and_gives_no_phases_in_an_emergency():
    done = run_plan("-", stdin=json.dumps(DEFORMITY))
    assert done.returncode == 0, done.stderr
    printed = json.loads(done.stdout)
    assert printed["phases"] == []
    assert printed["referral"]["level"] == "emergency"
    assert printed["referral"]["advice"]


def test_it_writes_json_to_a_file_with_o(tmp_path):
    target = tmp_path / "plan.json"
    out = io.StringIO()
    call_command("plan", write(tmp_path, json.dumps(ROUTINE)), "-o", str(target), stdout=out)
    assert out.getvalue() == ""
    assert json.loads(target.read_text(encoding="utf-8"))["referral"]["level"] == "routine"


def test_it_renders_html(tmp_path):
    out = io.StringIO()
    call_command("plan", write(tmp_path, json.dumps(FOOTBALLER)), "--format", "html", stdout=out)
    assert "Phase 1: Wake up and loosen" in out.getvalue()
    assert "Two-foot jump and stick" in out.getvalue()


@needs_weasyprint
def test_it_renders_a_pdf_to_a_file(tmp_path):
    target = tmp_path / "plan.pdf"
    done = run_plan(write(tmp_path, json.dumps(ROUTINE)), "--format", "pdf", "-o", str(target))
    assert done.returncode == 0, done.stderr
    assert done.stdout == b""
    assert target.read_bytes().startswith(b"%PDF-")


BAD_FILES = [
    pytest.param(None, "no such file", id="missing file"),
    pytest.param("DIR", "is a directory", id="directory"),
    pytest.param(b"\xff\xfe{}", "not UTF-8", id="not utf-8"),
    pytest.param("{", "not valid JSON", id="bad json"),
    pytest.param('{"age": NaN}', "NaN", id="nan"),
    pytest.param('{"age": 30, "age": 31}', "age: given more than once", id="duplicate key"),
    pytest.param("[1, 2]", "JSON object", id="not an object"),
    pytest.param('{"age": 5, "colour": "red"}', "age", id="bad answers"),
    pytest.param('{"age": 5, "colour": "red"}', "colour: unknown question id", id="unknown id"),
    pytest.param('{"recent_injury": "yes"}', "true or false", id="wrong type"),
]


@pytest.mark.parametrize(("data", "message"), BAD_FILES)
def test_bad_input_exits_2_with_the_reason_on_stderr_only(tmp_path, data, message):
    if data is None:
        path = str(tmp_path / "missing.json")
    elif data == "DIR":
        path = str(tmp_path)
    else:
        path = write(tmp_path, data)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("plan", path, stdout=out)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert out.getvalue() == ""


def test_bad_input_from_the_shell_exits_2_and_prints_nothing():
    done = run_plan("-", stdin='{"age": 5, "sport": "chess"}')
    assert done.returncode == 2
    assert done.stdout == b""
    stderr = done.stderr.decode()
    assert "age" in stderr and "sport" in stderr
    assert "Traceback" not in stderr


def test_an_unknown_format_is_refused():
    done = run_plan("-", "--format", "docx", stdin="{}")
    assert done.returncode == 2
    assert done.stdout == b""
