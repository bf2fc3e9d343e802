from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import override_settings
from django.urls import reverse

from tests.physios.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _signup(client: Any, email: str = "sam@example.org", password: str = PASSWORD) -> Any:
    return client.post(
        reverse("physios:signup"),
        {"first_name": "Sam Patel", "email": email, "password1": password, "password2": password},
    )


def _confirm_link(client: Any) -> str:
    body = mail.outbox[-1].body
    link = next(line for line in body.splitlines() if "/physio/signup/confirm/" in line)
    return link.split("testserver", 1)[1]


def test_it_signs_up_the_new_physio_once_they_confirm_their_address(client):
    response = _signup(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("physios:signup_sent")
    user = User.objects.get(username="sam@example.org")
    assert user.first_name == "Sam Patel"
    assert not user.is_active
    assert client.get(reverse("physios:dashboard")).status_code == 302  # not logged in yet
    path = _confirm_link(client)
    assert "Turn on my account" in client.get(path).content.decode()
    user.refresh_from_db()
    assert not user.is_active  # opening the link alone (a mail scanner) turns nothing on
    done = client.post(path)
    assert done["Location"] == reverse("physios:dashboard")
    user.refresh_from_db()
    assert user.is_active
    assert client.get(reverse("physios:dashboard")).status_code == 200


def test_sign_up_does_not_reveal_whether_an_address_has_an_account(client, alice):
    new = _signup(client, email="sam@example.org")
    known = _signup(client, email="ALICE@example.org")
    assert known.status_code == new.status_code == 302
    assert known["Location"] == new["Location"]
    assert User.objects.filter(email__iexact="alice@example.org").count() == 1
    # Only the address's owner learns it has an account, with the way in.
    to_alice = [m for m in mail.outbox if m.to == ["alice@example.org"]]
    assert len(to_alice) == 1
    assert "already has one" in to_alice[0].body
    assert "/physio/password/reset/" in to_alice[0].body
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)  # the password typed at sign-up changed nothing


def test_a_wrong_confirmation_link_does_not_work(client):
    _signup(client)
    path = _confirm_link(client)
    broken = path.rstrip("/")[:-3] + "abc/"
    assert client.post(broken).status_code == 404
    assert client.get("/physio/signup/confirm/!!/x/").status_code == 404
    assert not User.objects.get(username="sam@example.org").is_active


def test_it_shows_an_error_summary_and_keeps_the_typed_values(client):
    response = _signup(client, password="short")
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="sam@example.org"' in html
    assert "<title>Error:" in html


def test_it_logs_in_with_the_email_address_in_any_case(client, alice):
    response = client.post(
        reverse("physios:login"), {"username": "Alice@Example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("physios:dashboard")


def test_it_logs_out_only_by_post(as_alice):
    assert as_alice.get(reverse("physios:logout")).status_code == 405
    response = as_alice.post(reverse("physios:logout"))
    assert response.status_code == 302
    assert as_alice.get(reverse("physios:dashboard")).status_code == 302


def test_it_changes_the_password(as_alice, alice):
    response = as_alice.post(
        reverse("physios:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-pass-2",
            "new_password2": "another-long-pass-2",
        },
    )
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-pass-2")


def test_it_mails_a_working_password_reset_link(client, alice):
    response = client.post(reverse("physios:password_reset"), {"email": "alice@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/physio/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "brand-new-pass-3", "new_password2": "brand-new-pass-3"},
    )
    assert done.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("brand-new-pass-3")


def test_it_sends_no_mail_for_an_unknown_address(client):
    client.post(reverse("physios:password_reset"), {"email": "nobody@example.org"})
    assert mail.outbox == []


@override_settings(AXES_FAILURE_LIMIT=3)
def test_it_locks_a_login_out_after_repeated_wrong_passwords(client, alice):
    url = reverse("physios:login")
    for _ in range(2):
        assert (
            client.post(url, {"username": "alice@example.org", "password": "wrong"}).status_code
            == 200
        )
    locked = client.post(url, {"username": "alice@example.org", "password": "wrong"})
    assert locked.status_code == 429
    assert "Login paused" in locked.content.decode()
    # Even the right password is refused while the lockout lasts.
    again = client.post(url, {"username": "alice@example.org", "password": PASSWORD})
    assert again.status_code == 429


def test_it_limits_signups_from_one_address(client):
    statuses = [
        _signup(client, email=f"p{i}@example.org", password="x").status_code for i in range(12)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[-1] == 429
