"""The production configuration: check --deploy, SQLite under concurrent writers, the PDF cache."""

from __future__ import annotations

import itertools
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from valgus_app.cache import LeastRecentlyUsedDatabaseCache

ROOT = Path(__file__).resolve().parents[2]


def documented_environment() -> dict[str, str]:
    """The variables .env.example sets, as an operator who copied it would have them."""
    env = {}
    for line in (ROOT / ".env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    # The example says to replace its placeholder with a long random key, as they would.
    env["DJANGO_SECRET_KEY"] = secrets.token_urlsafe(50)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_", "EMAIL_"))
    }
    return subprocess.run(
        args, cwd=ROOT, env={**clean, **env}, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_has_no_warning_with_the_documented_environment() -> None:
    env = documented_environment()
    assert env["DJANGO_ENV"] == "production"
    done = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_check_deploy_warns_when_hsts_is_turned_off() -> None:
    env = {**documented_environment(), "DJANGO_HSTS_SECONDS": "0"}
    done = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], env)
    assert done.returncode != 0
    assert "security.W004" in done.stderr


CONCURRENT_WRITERS = """
import threading, django
django.setup()
from django.db import connection, transaction
with connection.cursor() as cursor:
    cursor.execute("CREATE TABLE answers (n INTEGER)")
    cursor.execute("PRAGMA journal_mode")
    print(cursor.fetchone()[0])
errors = []
def writer():
    try:
        for _ in range(40):
            # Read then write in one transaction, as saving an answer does.
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM answers")
                cursor.execute("INSERT INTO answers VALUES (%s)", [cursor.fetchone()[0]])
    except Exception as error:
        errors.append(repr(error))
    finally:
        connection.close()
threads = [threading.Thread(target=writer) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
with connection.cursor() as cursor:
    cursor.execute("SELECT count(*) FROM answers")
    print(cursor.fetchone()[0], errors)
"""


def test_sqlite_serves_concurrent_read_then_write_transactions_without_locking_errors(
    tmp_path: Path,
) -> None:
    env = {
        "DJANGO_SETTINGS_MODULE": "valgus_app.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    done = run([sys.executable, "-c", CONCURRENT_WRITERS], env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n")[:2] == ["wal", "160 []"]


@pytest.mark.django_db
def test_the_pdf_cache_evicts_the_least_recently_used_entry(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Expiry times are stored to the second: each cache call happens a second after the last.
    clock = itertools.count(int(time.time()))
    monkeypatch.setattr("django.core.cache.backends.base.time.time", lambda: next(clock))
    cache = LeastRecentlyUsedDatabaseCache(
        "valgus_pdf_cache", {"TIMEOUT": 3600, "OPTIONS": {"MAX_ENTRIES": 3, "CULL_FREQUENCY": 3}}
    )
    for key in ("a", "b", "c", "d"):  # Django culls once more than MAX_ENTRIES are stored
        cache.set(key, key.encode())
    assert cache.get("a") == b"a"  # a is now the most recently used; b the least
    cache.set("e", b"e")  # over the limit: culls one entry (Django's own would drop a)
    assert cache.get("b") is None
    assert [cache.get(key) for key in ("a", "c", "d", "e")] == [b"a", b"c", b"d", b"e"]


def test_a_number_setting_that_is_not_a_number_is_a_clear_error() -> None:
    done = run([sys.executable, "-c", "import valgus_app.settings"], {"SQLITE_TIMEOUT": "soon"})
    assert done.returncode != 0
    assert "SQLITE_TIMEOUT must be a whole number, not 'soon'." in done.stderr
