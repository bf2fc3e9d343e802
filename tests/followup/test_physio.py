"""What a physio sees of a client's session log: adherence, the chart, and the alerts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from followup.models import SessionLog
from physios.models import Client, ClientAssessment, Invite
from questionnaire.models import Assessment
from tests.personas import RUNNER

pytestmark = pytest.mark.django_db


@pytest.fixture
def physio_client(client):
    physio = User.objects.create_user("pt@example.org", "pt@example.org", "x-long-password")
    client.force_login(physio)
    return client, physio


def _client_with_log(physio: User, *, last_pain: int, quiet_days: int = 0) -> Client:
    jd = Client.objects.create(physio=physio, display_name="J.D.")
    invite = Invite.objects.create(client=jd, expires_at=Invite.default_expiry())
    started = timezone.now() - dt.timedelta(days=42)
    assessment = Assessment.objects.create(answers=RUNNER, completed_at=started)
    ClientAssessment.objects.create(client=jd, assessment=assessment, invite=invite)
    start = timezone.localdate(started)
    last_day = 41 - quiet_days
    for day in range(0, last_day + 1, 2):
        SessionLog.objects.create(
            assessment=assessment,
            done_on=start + dt.timedelta(days=day),
            phase=1,
            exercises=["clamshell"],
            pain_before=1,
            pain_during=last_pain if day > last_day - 7 else 1,
            pain_morning=1,
        )
    return jd


def test_the_physio_sees_adherence_and_the_chart(physio_client):
    client, physio = physio_client
    jd = _client_with_log(physio, last_pain=1)
    page = client.get(reverse("physios:client", args=[jd.pk])).content.decode()
    assert "Progress between assessments" in page
    assert 'class="followup-chart"' in page
    assert "Alert:" not in page


def test_the_dashboard_flags_rising_pain(physio_client):
    client, physio = physio_client
    _client_with_log(physio, last_pain=5)
    page = client.get(reverse("physios:dashboard")).content.decode()
    assert "Alert: Pain during sessions is rising" in page


def test_the_dashboard_flags_a_client_who_stopped_logging(physio_client):
    client, physio = physio_client
    _client_with_log(physio, last_pain=1, quiet_days=15)
    page = client.get(reverse("physios:dashboard")).content.decode()
    assert "Alert: No session logged for two weeks" in page


def test_another_physio_sees_nothing(physio_client, django_user_model):
    client, physio = physio_client
    jd = _client_with_log(physio, last_pain=1)
    other = django_user_model.objects.create_user("o@example.org", "o@example.org", "pw-long-x")
    client.force_login(other)
    assert client.get(reverse("physios:client", args=[jd.pk])).status_code == 404
