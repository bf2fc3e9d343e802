"""A physio's login lasts a working day, not two weeks (issue 13)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.physios.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_physio_login_lasts_a_working_day(client, alice, settings) -> None:
    settings.PHYSIO_SESSION_HOURS = 8
    response = client.post(
        reverse("physios:login"), {"username": "alice@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert response.cookies["sessionid"]["max-age"] == 8 * 60 * 60


def test_an_anonymous_questionnaire_session_keeps_the_default(client, settings) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE
