"""Link tokens stay private: one referrer policy, no-store on every page under a token, and no
token in any log line, traceback or the access log (issue 13)."""

from __future__ import annotations

import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from questionnaire.models import Assessment
from tests.personas import RUNNER
from valgus_app.redact import RedactTokens, redact

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def done(db) -> Assessment:
    return Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())


def test_the_shell_and_the_header_give_one_referrer_policy(client, db, settings) -> None:
    response = client.get("/")
    assert settings.SECURE_REFERRER_POLICY == "strict-origin"
    assert response["Referrer-Policy"] == "strict-origin"
    metas = re.findall(r'<meta name="referrer" content="([^"]+)">', response.content.decode())
    assert metas == ["strict-origin"]


def test_every_page_under_a_token_is_no_store(client, done) -> None:
    token, plan = done.token, done.plan_token
    urls = [
        f"/a/{token}/",
        f"/a/{token}/q/safety-1/",
        f"/a/{token}/check/",
        f"/a/{token}/results/",
        f"/plan/{plan}/",
        f"/plan/{plan}/pdf/",
        f"/a/{'A' * 43}/",  # an unknown token is a secret too
    ]
    for url in urls:
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url
        assert "noindex" in response["X-Robots-Tag"], url


def test_the_home_page_showing_a_private_link_is_no_store(client, db) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    token = Assessment.objects.get().token
    response = client.get("/")
    assert token in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_pages_without_a_token_may_be_cached(client, db) -> None:
    assert "no-store" not in client.get("/").get("Cache-Control", "")


def test_a_traceback_with_a_token_is_redacted(caplog) -> None:
    token = "r4nd0m" + "T" * 37
    logger = logging.getLogger("questionnaire.views")
    try:
        raise ValueError(f"no assessment at /a/{token}/q/safety-1/")
    except ValueError:
        record = logger.makeRecord(
            logger.name,
            logging.ERROR,
            __file__,
            1,
            "failed on %s",
            (f"/a/{token}/",),
            sys.exc_info(),
        )
    RedactTokens().filter(record)
    written = logging.Formatter().format(record)
    assert token not in written
    assert "Traceback" in written and "[redacted]" in written
    assert "ValueError: no assessment at /a/[redacted]/q/safety-1/" in written


def test_django_logs_a_failing_token_page_without_the_token(done, caplog, monkeypatch) -> None:
    def boom(*args, **kwargs):
        raise RuntimeError("the engine failed")

    monkeypatch.setattr("questionnaire.views.get_flow", boom)
    browser = Client(raise_request_exception=False)
    assert browser.get(f"/a/{done.token}/").status_code == 500
    assert "the engine failed" in caplog.text
    assert done.token not in caplog.text
    assert "/a/[redacted]/" in caplog.text


@pytest.mark.parametrize(
    ("line", "logged"),
    [
        (
            "GET /plan/x/pdf/?name=Sam+Q&paper=a4 HTTP/1.1",
            "GET /plan/x/pdf/?name=[redacted]&paper=a4 HTTP/1.1",
        ),
        ("paper=letter&name=Zo%C3%AB", "paper=letter&name=[redacted]"),
        ("name=Sam", "name=[redacted]"),
        ("/plan/x/pdf/?surname=kept&nickname=kept", "/plan/x/pdf/?surname=kept&nickname=kept"),
    ],
)
def test_a_typed_name_in_a_query_is_redacted(line, logged) -> None:
    assert redact(line) == logged


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_no_token_reaches_gunicorns_logs(tmp_path) -> None:
    """The production server's access and error logs, with tokens in paths, queries and Referer."""
    port = _free_port()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_DEBUG": "false",
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "GUNICORN_ACCESS_LOG": "-",
    }
    for command in (["migrate", "-v0"], ["createcachetable"]):
        subprocess.run(
            [sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True, timeout=120
        )
    log = tmp_path / "gunicorn.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "valgus_app.wsgi"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    tokens = ["Ab3" + "x" * 40, "Qz9_" + "y" * 39, "mN7-" + "z" * 39, "Kp2" + "w" * 40]
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        requests = [
            (f"/a/{tokens[0]}/q/safety-1/", f"{base}/a/{tokens[1]}/results/"),
            (f"/plan/{tokens[2]}/?from={tokens[3]}", f"{base}/physio/plan/{tokens[0]}/"),
            (f"/physio/invite/{tokens[1]}/", f"{base}/plan/{tokens[2]}/pdf/"),
            # A name typed for a PDF (programs.print_name), in the query and the Referer.
            (
                f"/plan/{tokens[3]}/pdf/?paper=a4&name=Quillon+Marsh",
                f"{base}/plan/{tokens[3]}/pdf/?name=Quillon%20Marsh",
            ),
        ]
        for path, referer in requests:
            request = urllib.request.Request(base + path, headers={"Referer": referer})
            try:
                urllib.request.urlopen(request, timeout=10)
            except urllib.error.HTTPError as error:
                assert error.code == 404
    finally:
        server.terminate()
        server.wait(timeout=30)
    written = log.read_text()
    assert written.count('"GET /') >= 4  # the access log was written
    assert "[redacted]" in written
    for token in tokens:
        assert token not in written
    assert "Quillon" not in written and "name=[redacted]" in written
