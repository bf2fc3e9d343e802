"""A small cast: Alice and Bob are physios; Alice's client J.D. has finished a questionnaire."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client as Browser
from django.utils import timezone

from physios.models import Client, ClientAssessment, Invite, ShareLink
from programs.builder import plan_for
from questionnaire.models import Assessment
from tests.personas import RUNNER

PASSWORD = "knee-valgus-test-pass-1"


@pytest.fixture(autouse=True)
def _empty_cache(request) -> None:
    # Rate-limit counters and lockouts live in the (database) cache; every test starts with none.
    if request.node.get_closest_marker("django_db") or "db" in request.fixturenames:
        cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings) -> None:
    # The real hasher is slow on purpose; these tests only need passwords to check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db) -> User:
    return User.objects.create_user(
        "alice@example.org", "alice@example.org", PASSWORD, first_name="Alice Ward"
    )


@pytest.fixture
def bob(db) -> User:
    return User.objects.create_user("bob@example.org", "bob@example.org", PASSWORD)


@pytest.fixture
def as_alice(alice, client):
    client.force_login(alice)
    return client


@pytest.fixture
def as_bob(bob) -> Browser:
    browser = Browser()
    browser.force_login(bob)
    return browser


@pytest.fixture
def jd(alice) -> Client:
    return Client.objects.create(physio=alice, display_name="J.D.")


@pytest.fixture
def invite(jd) -> Invite:
    return Invite.objects.create(client=jd, expires_at=Invite.default_expiry())


@pytest.fixture
def jd_assessment(jd, invite) -> ClientAssessment:
    assessment = Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())
    invite.used_at = timezone.now()
    invite.save()
    return ClientAssessment.objects.create(client=jd, assessment=assessment, invite=invite)


@pytest.fixture
def share(jd_assessment, alice) -> ShareLink:
    from physios.views import version_publish

    version_publish(
        link=jd_assessment,
        plan=plan_for(jd_assessment.assessment.valid_answers()),
        notes="Start gently.",
        physio=alice,
    )
    return ShareLink.objects.create(
        client_assessment=jd_assessment, expires_at=timezone.now() + dt.timedelta(days=7)
    )
