"""Two devices saving one assessment at the same moment (issue 13): different pages both keep
their answers; the same page never loses one silently. Real threads, released together, on
SQLite (a file, in a process of its own) and on PostgreSQL (when the tests run on it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from questionnaire.models import Assessment
from tests.personas import WEAK_HIP_RUNNER as COMPLETE
from tests.questionnaire.concurrent_saves import SEEN, WALL, different_pages, same_page

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("LOST_UPDATE_ROUNDS", "20"))


@pytest.fixture
def finished() -> Assessment:
    return Assessment.objects.create(answers=COMPLETE, step="check", completed_at=timezone.now())


def test_concurrent_saves_lose_nothing_on_an_sqlite_file(tmp_path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "false",
    }
    done = subprocess.run(
        [sys.executable, "-m", "tests.questionnaire.concurrent_saves", str(ROUNDS)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"sqlite, {ROUNDS} rounds: {result}")
    assert result == {"lost": 0, "silent": 0}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason="the in-memory SQLite test database cannot hold threads' locks; see the test above",
)
def test_concurrent_saves_lose_nothing_on_postgresql(finished) -> None:
    assert connection.vendor == "postgresql"
    args = (finished.pk, finished.token, COMPLETE, ROUNDS)
    lost, silent = different_pages(*args), same_page(*args)
    print(f"postgresql, {ROUNDS} rounds: lost {lost}, silent {silent}")
    assert (lost, silent) == (0, 0)


@pytest.mark.django_db
def test_the_conflict_page_shows_both_answers_and_saving_again_keeps_mine(finished) -> None:
    url = f"/a/{finished.token}/q/{WALL}/?change=1"
    mine, theirs = Client(), Client()
    seen = SEEN.search(mine.get(url).content.decode())
    their_seen = SEEN.search(theirs.get(url).content.decode())
    assert seen and their_seen
    saved = theirs.post(url, {"knee_to_wall_left_cm": "7", "seen": their_seen.group(1)})
    assert saved.status_code == 302
    response = mine.post(url, {"knee_to_wall_left_cm": "12", "seen": seen.group(1)})
    html = response.content.decode()
    assert response.status_code == 200  # like a form with a mistake, so htmx shows it
    assert "changed on another device" in html
    assert "7 cm" in html  # what the other device saved
    assert 'value="12"' in html  # what I typed, not lost
    assert Assessment.objects.get(pk=finished.pk).answers["knee_to_wall_left_cm"] == 7
    again = SEEN.search(html)
    assert again
    kept = mine.post(url, {"knee_to_wall_left_cm": "12", "seen": again.group(1)})
    assert kept.status_code == 302
    assert Assessment.objects.get(pk=finished.pk).answers["knee_to_wall_left_cm"] == 12


@pytest.mark.django_db
def test_a_form_without_the_version_still_saves(finished) -> None:
    # An older page still open in a browser when this was deployed.
    url = f"/a/{finished.token}/q/{WALL}/?change=1"
    assert Client().post(url, {"knee_to_wall_left_cm": "6"}).status_code == 302
    assert Assessment.objects.get(pk=finished.pk).answers["knee_to_wall_left_cm"] == 6
