"""A physio's clients: their assessments are the physio's records, kept past the anonymous
retention periods, and deleting a client deletes the shared PDFs at once (issue 13)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from physios.models import ClientAssessment
from programs.models import CachedPdf
from questionnaire.models import Assessment
from questionnaire.retention import retention_run

pytestmark = pytest.mark.django_db


def test_a_physios_clients_assessments_are_kept(jd_assessment, settings):
    settings.RETENTION_FINISHED_DAYS = 1
    Assessment.objects.filter(pk=jd_assessment.assessment_id).update(
        updated_at=timezone.now() - dt.timedelta(days=400)
    )
    retention_run()
    assert set(Assessment.objects.values_list("pk", flat=True)) == {jd_assessment.assessment_id}


def test_deleting_a_client_deletes_the_shared_pdf_at_once(share, as_alice, jd, client):
    assessment_id = share.client_assessment.assessment_id
    response = client.get(reverse("physios:shared_plan_pdf", args=[share.token]))
    assert response.status_code == 200
    plan = Assessment.objects.get(pk=assessment_id)
    client.get(reverse("programs:plan_pdf", args=[plan.plan_token]))
    keys = list(CachedPdf.objects.filter(assessment_id=assessment_id).values_list("key", flat=True))
    assert any(key.startswith("physio-plan-pdf:") for key in keys)
    assert all(caches["pdf"].get(key) for key in keys)
    as_alice.post(reverse("physios:client_delete", args=[jd.pk]))
    assert not ClientAssessment.objects.exists()
    assert all(caches["pdf"].get(key) is None for key in keys)
