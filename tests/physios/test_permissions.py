"""Every physios URL, walked with the wrong visitor: nothing of Alice's reaches anyone else.

The patterns are read from the URL resolver, so a new URL is walked as soon as it exists; one
with a parameter this file does not know fails until it is added to IDS below.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink
from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db

# Pages anyone may open: the account pages before logging in.
OPEN = {
    "signup",
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "signup_sent",
    "signup_confirm",
}
# Pages opened with a link token instead of a login; a wrong token is a 404 for everyone.
BY_TOKEN = {"invite", "shared_plan", "shared_plan_pdf"}
# Pages about the logged-in physio's own account; no one else's object is involved.
OWN_ACCOUNT = {"dashboard", "client_new", "password_change", "password_change_done"}


def physio_patterns() -> list[URLPattern]:
    resolvers = [
        p
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and p.namespace == "physios"
    ]
    assert len(resolvers) == 1
    return [p for p in resolvers[0].url_patterns if isinstance(p, URLPattern)]


def _names() -> list[str]:
    return [p.name or "" for p in physio_patterns()]


def _params(name: str) -> list[str]:
    pattern = next(p for p in physio_patterns() if p.name == name)
    return list(pattern.pattern.converters)


@pytest.fixture
def world(alice, bob, jd, jd_assessment, share):
    invite = Invite.objects.create(client=jd, expires_at=Invite.default_expiry())
    bobs_client = Client.objects.create(physio=bob, display_name="Bob's own")
    bobs_link = ClientAssessment.objects.create(
        client=bobs_client, assessment=Assessment.objects.create()
    )
    return {
        "alice": {
            "client_id": jd.pk,
            "invite_id": invite.pk,
            "assessment_id": jd_assessment.pk,
            "number": 1,
            "share_id": share.pk,
        },
        "bobs_client_id": bobs_client.pk,
        "bobs_assessment_id": bobs_link.pk,
        "invite": invite,
        "share": share,
    }


def test_every_pattern_is_classified():
    names = _names()
    assert len(names) == len(set(names)), "every physios URL needs a unique name"
    for name in names:
        params = _params(name)
        if name in OPEN:
            continue
        if name in BY_TOKEN:
            assert params == ["token"]
        elif name in OWN_ACCOUNT:
            assert params == [], f"{name} takes ids: it must be walked as an owned page"
        else:
            unknown = set(params) - {
                "client_id",
                "invite_id",
                "assessment_id",
                "number",
                "share_id",
            }
            assert not unknown, f"teach test_permissions about {unknown} in {name}"


def _owned() -> list[str]:
    return [n for n in _names() if n not in OPEN | BY_TOKEN | OWN_ACCOUNT]


def _url(name: str, ids: dict[str, int]) -> str:
    return reverse(f"physios:{name}", kwargs={p: ids[p] for p in _params(name)})


@pytest.mark.parametrize("name", _owned())
def test_another_physio_gets_404_for_alices_objects(name, world, as_bob):
    url = _url(name, world["alice"])
    statuses = {
        as_bob.get(url).status_code,
        as_bob.post(url, {"expires_on": "2999-01-01"}).status_code,
    }
    assert statuses <= {404, 405}
    assert 404 in statuses


@pytest.mark.parametrize("name", [n for n in _owned() if len(_params(n)) > 1])
def test_another_physio_gets_404_mixing_his_client_with_alices_objects(name, world, as_bob):
    ids = {**world["alice"], "client_id": world["bobs_client_id"]}
    url = _url(name, ids)
    assert {as_bob.get(url).status_code, as_bob.post(url).status_code} <= {404, 405}
    ids = {**world["alice"], "assessment_id": world["bobs_assessment_id"]}
    url = _url(name, ids)
    assert {as_bob.get(url).status_code, as_bob.post(url).status_code} <= {404, 405}


@pytest.mark.parametrize("name", _owned())
@pytest.mark.parametrize("guess", [987654, 0, 10**30], ids=["guess", "zero", "huge"])
def test_a_guessed_id_is_a_404_even_for_a_physio(name, guess, world, as_alice):
    placeholder = 123456789012345678
    for key in _params(name):
        # Built by hand: a number the URL patterns refuse cannot be reversed.
        url = _url(name, {**world["alice"], key: placeholder}).replace(str(placeholder), str(guess))
        assert {as_alice.get(url).status_code, as_alice.post(url).status_code} <= {404, 405}


@pytest.mark.parametrize("name", _owned() + sorted(OWN_ACCOUNT))
def test_a_logged_out_visitor_is_sent_to_log_in(name, world, client):
    url = _url(name, world["alice"])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("physios:login"))


def test_nothing_changed_after_the_walk(world, as_bob, client):
    for name in _owned():
        url = _url(name, world["alice"])
        as_bob.post(url, {"expires_on": "2999-01-01", "notes": "x"})
        client.post(url, {"expires_on": "2999-01-01", "notes": "x"})
    world["invite"].refresh_from_db()
    world["share"].refresh_from_db()
    assert world["invite"].revoked_at is None
    assert world["share"].revoked_at is None
    assert Client.objects.filter(pk=world["alice"]["client_id"]).exists()
    assert Assessment.objects.count() == 2
    assert PlanVersion.objects.count() == 1
    assert ShareLink.objects.count() == 1
    assert Invite.objects.filter(revoked_at__isnull=False).count() == 0


@pytest.mark.parametrize("name", _owned())
def test_the_owner_reaches_every_page(name, world, as_alice):
    """Proves the ids above are real, so the 404s for others mean something."""
    url = _url(name, world["alice"])
    status = as_alice.get(url).status_code
    if status == 405:
        status = as_alice.post(url, {"expires_on": "2999-01-01"}).status_code
    assert status in {200, 302}


@pytest.mark.parametrize("name", sorted(BY_TOKEN))
def test_a_token_page_with_a_wrong_token_is_a_404_for_everyone(
    name, world, as_alice, as_bob, client
):
    url = reverse(f"physios:{name}", args=["D" * 43])
    for visitor in (as_alice, as_bob, client):
        assert visitor.get(url).status_code == 404


def test_another_physios_clients_do_not_appear_on_the_dashboard(world, as_bob):
    html = as_bob.get(reverse("physios:dashboard")).content.decode()
    assert "J.D." not in html
    assert "Bob&#39;s own" in html


def test_a_client_token_never_opens_physio_pages(world, client):
    share = world["share"]
    client.get(reverse("physios:shared_plan", args=[share.token]))
    url = reverse("physios:client", args=[world["alice"]["client_id"]])
    assert client.get(url).status_code == 302
