"""The project as a whole: the home page, settings from the environment, the pure-core contract."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parents[1]


def test_home_explains_the_tool_and_offers_start(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "not a diagnosis" in html
    assert "Start" in html
    # No third-party requests: every src and href is local.
    assert "http://" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in html


def settings_import(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-c", "import valgus_app.settings as s; print(s.DEBUG, s.DATABASES)"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_development_defaults_need_nothing_set() -> None:
    done = settings_import()
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("True")
    assert "sqlite3" in done.stdout


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({}, "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "example.org"}, "DJANGO_SECRET_KEY"),
    ],
)
def test_production_refuses_incomplete_settings(env: dict[str, str], named: str) -> None:
    done = settings_import(DJANGO_ENV="production", **env)
    assert done.returncode != 0
    assert "Production settings are incomplete" in done.stderr
    assert named in done.stderr


def test_production_with_secrets_turns_debug_off_and_reads_database_url() -> None:
    done = settings_import(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="example.org",
        DATABASE_URL="postgres://app@db.example.org:5432/valgus",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("False")
    assert "postgresql" in done.stdout and "db.example.org" in done.stdout


def test_a_typo_in_a_boolean_setting_is_a_clear_error() -> None:
    done = settings_import(DJANGO_DEBUG="maybe")
    assert done.returncode != 0
    assert "DJANGO_DEBUG must be true or false" in done.stderr


def test_engine_and_content_never_import_django() -> None:
    lint_imports = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


def test_the_contract_in_docs_lists_every_question_id(content) -> None:
    text = (Path(__file__).resolve().parent.parent / "docs" / "contract.md").read_text()
    assert [qid for qid in content.questions if f"| `{qid}` |" not in text] == []
