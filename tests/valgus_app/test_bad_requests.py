"""Input Django cannot read gets one clear 400 page, never a 500 (issue 13)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client

ROOT = Path(__file__).resolve().parents[2]
URLS = ["/", "/start/", "/no-such-page/", "/physio/login/", "/admin/login/", "/a/x/q/age/"]


@pytest.fixture
def browser() -> Client:
    # As a real browser would: CSRF checked, and a crash answered as the server would.
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def _is_clear_400(response) -> bool:
    return response.status_code == 400 and b"We could not read that" in response.content


@pytest.mark.django_db
@pytest.mark.parametrize("charset", ["latin-1", "iso-8859-1", "utf-16", "cp1252"])
@pytest.mark.parametrize("url", URLS)
def test_it_answers_a_form_in_another_charset_with_a_clear_400(browser, charset, url) -> None:
    response = browser.generic(
        "POST",
        url,
        b"age=30",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert _is_clear_400(response)


@pytest.mark.django_db
@pytest.mark.parametrize("url", URLS)
def test_it_answers_multipart_without_a_boundary_with_a_clear_400(browser, url) -> None:
    response = browser.generic("POST", url, b"age=30", content_type="multipart/form-data")
    assert _is_clear_400(response)


@pytest.mark.django_db
def test_it_refuses_a_nul_in_a_form_field(client) -> None:
    response = client.post("/start/", {"age": "3\x000"})
    assert _is_clear_400(response)


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/?q=%00", "/a/%00/", "/start/?change=1%00"])
def test_it_refuses_a_nul_in_the_path_or_query(client, path) -> None:
    assert _is_clear_400(client.get(path))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["q=%00", "completed_at__isnull=%00", "o=%00", "q=a%00b"],
)
def test_it_refuses_a_nul_in_an_admin_filter(client, query) -> None:
    # On PostgreSQL a NUL reaching a query raised an error: the admin answered 500.
    admin = User.objects.create_superuser("root@example.org", "root@example.org", "pw-123456789")
    client.force_login(admin)
    response = client.get(f"/admin/questionnaire/assessment/?{query}")
    assert _is_clear_400(response)


@pytest.mark.django_db
def test_a_bad_host_gets_the_same_page(client) -> None:
    assert _is_clear_400(client.get("/", HTTP_HOST="evil.example"))


def test_a_well_formed_form_still_goes_through(client, db) -> None:
    response = client.post("/start/", {"age": "30"})
    assert response.status_code in (200, 302)


def _command(name: str, text: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", name, "-"],
        cwd=ROOT,
        input=text,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


NESTED = [
    pytest.param("[" * 100_000 + "]" * 100_000, id="past the parser's limit"),
    pytest.param('{"age": ' + "[" * 950 + "]" * 950 + "}", id="just under it"),
    pytest.param('{"age": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}", id="nested objects"),
]


@pytest.mark.parametrize("name", ["assess", "plan"])
@pytest.mark.parametrize("text", NESTED)
def test_the_commands_exit_2_on_deeply_nested_json(name, text) -> None:
    done = _command(name, text)
    assert done.returncode == 2, done.stderr[-500:]
    assert "nested too deeply" in done.stderr
    assert done.stdout == ""
