"""Staff manage accounts and see assessments in the Django admin; link secrets stay hidden."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from physios.models import Client, ClientAssessment, Invite, PlanVersion, ShareLink
from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_staff(client):
    admin = User.objects.create_superuser("admin@example.org", "admin@example.org", "pw-admin-1")
    client.force_login(admin)
    return client


MODELS = [User, Client, Invite, ClientAssessment, PlanVersion, ShareLink, Assessment]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_staff_see_every_model_listed_and_in_detail(as_staff, share, model):
    meta = model._meta
    listing = as_staff.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
    assert listing.status_code == 200
    obj = model.objects.first()
    detail = as_staff.get(
        reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    )
    assert detail.status_code == 200


def test_the_admin_never_shows_link_secrets(as_staff, share, jd_assessment, invite):
    pages = [
        reverse("admin:physios_sharelink_change", args=[share.pk]),
        reverse("admin:physios_invite_change", args=[invite.pk]),
        reverse("admin:questionnaire_assessment_change", args=[jd_assessment.assessment.pk]),
    ]
    html = "".join(as_staff.get(url).content.decode() for url in pages)
    for secret in (share.token, share.seed, invite.token, invite.seed):
        assert secret not in html
    assert jd_assessment.assessment.token not in html
    assert jd_assessment.assessment.plan_token not in html


def test_a_physio_who_is_not_staff_cannot_open_the_admin(as_alice):
    response = as_alice.get(reverse("admin:physios_client_changelist"))
    assert response.status_code == 302
