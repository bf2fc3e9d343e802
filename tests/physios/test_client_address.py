"""Behind the TLS proxy, limits and lockouts key on the real client address (issue 13)."""

from __future__ import annotations

import pytest
from django.test import Client as Browser
from django.test import RequestFactory, override_settings
from django.urls import reverse

from tests.physios.conftest import PASSWORD
from valgus_app.clients import client_address

PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _behind_the_proxy(settings) -> None:
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "::1"]


def visitor(address: str) -> Browser:
    """A browser whose requests reach us through the proxy, which appends their address."""
    return Browser(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)


def _address(remote: str, forwarded: str | None) -> str:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    request = RequestFactory().get("/")
    request.META.update(meta)
    return client_address(request)


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        (PROXY, "203.0.113.7", "203.0.113.7"),
        # What the visitor wrote sits left of what the proxy appended: never reached.
        (PROXY, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two trusted hops (a load balancer, then the proxy).
        (PROXY, "203.0.113.7, 10.1.1.1", "203.0.113.7"),
        # Not from a trusted proxy: the header is the visitor's own and is ignored.
        ("198.51.100.9", "1.2.3.4", "198.51.100.9"),
        (PROXY, None, PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "2001:db8::5", "2001:db8::5"),
    ],
)
def test_it_reads_the_client_address_behind_trusted_proxies(remote, forwarded, expected):
    assert _address(remote, forwarded) == expected


def test_with_no_trusted_proxy_the_connecting_address_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert _address(PROXY, "203.0.113.7") == PROXY


def test_a_bad_trusted_proxies_setting_is_a_clear_error():
    import os
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-c", "import valgus_app.settings"],
        env={**os.environ, "TRUSTED_PROXIES": "10.0.0.0/8,the-proxy"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "TRUSTED_PROXIES" in done.stderr and "the-proxy" in done.stderr


@pytest.mark.django_db
@override_settings(AXES_FAILURE_LIMIT=5)
def test_wrong_passwords_from_elsewhere_do_not_lock_the_physio_out(alice):
    url = reverse("physios:login")
    attacker = visitor("203.0.113.66")
    statuses = [
        attacker.post(url, {"username": alice.username, "password": "wrong"}).status_code
        for _ in range(6)
    ]
    assert statuses[-1] == 429  # the attacker's own address is locked for this account
    physio = visitor("198.51.100.20")
    response = physio.post(url, {"username": alice.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("physios:dashboard")


@pytest.mark.django_db
def test_spraying_many_accounts_from_one_address_is_slowed(db):
    url = reverse("physios:login")
    sprayer = visitor("203.0.113.66")
    statuses = [
        sprayer.post(
            url, {"username": f"user{n}@example.org", "password": "Winter2026!"}
        ).status_code
        for n in range(25)
    ]
    assert statuses[:20] == [200] * 20
    assert set(statuses[20:]) == {429}
    # Someone else behind the same proxy logs in as usual.
    assert visitor("198.51.100.20").get(url).status_code == 200
    other = visitor("198.51.100.20").post(url, {"username": "x@example.org", "password": "y"})
    assert other.status_code == 200


@pytest.mark.django_db
def test_bogus_share_link_requests_do_not_block_a_clients_valid_link(share):
    bogus = reverse("physios:shared_plan", args=["B" * 43])
    attacker = visitor("203.0.113.66")
    statuses = [attacker.get(bogus).status_code for _ in range(35)]
    assert statuses[-1] == 429
    client = visitor("198.51.100.30")
    response = client.get(reverse("physios:shared_plan", args=[share.token]))
    assert response.status_code == 200
