"""Creating assessments and downloading PDFs are limited per client address (issue 13)."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from questionnaire.models import Assessment
from tests.personas import RUNNER

pytestmark = pytest.mark.django_db

FIRST_PAGE = {"age": "30", "recent_injury": "no"}


@pytest.fixture(autouse=True)
def _fresh_counts(settings) -> None:
    cache.clear()
    settings.RATE_NEW_ASSESSMENTS = "5/h"
    settings.RATE_PDF = "3/10m"
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]


def visitor(address: str) -> Client:
    return Client(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=address)


def test_creating_assessments_is_limited_per_address_with_a_clear_page() -> None:
    someone = visitor("203.0.113.5")
    statuses = [someone.post("/start/", FIRST_PAGE).status_code for _ in range(7)]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429, 429]
    page = someone.post("/start/", FIRST_PAGE)
    assert "Too many tries" in page.content.decode()
    assert page["Retry-After"]
    assert Assessment.objects.count() == 5
    # Another person behind the same proxy is not affected.
    assert visitor("198.51.100.7").post("/start/", FIRST_PAGE).status_code == 302


def test_only_created_assessments_count_not_corrected_forms() -> None:
    someone = visitor("203.0.113.5")
    for _ in range(10):
        assert someone.post("/start/", {"age": "300"}).status_code == 200
    assert someone.post("/start/", FIRST_PAGE).status_code == 302


def test_answering_more_pages_of_ones_own_assessment_is_not_limited() -> None:
    someone = visitor("203.0.113.5")
    url = someone.post("/start/", FIRST_PAGE)["Location"]
    token = Assessment.objects.get().token
    for _ in range(10):
        response = someone.post(f"/a/{token}/q/safety-1/", FIRST_PAGE)
        assert response.status_code == 302, url


def test_pdf_downloads_are_limited_per_address() -> None:
    done = Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())
    url = reverse("programs:plan_pdf", args=[done.plan_token])
    someone = visitor("203.0.113.5")
    statuses = [someone.get(url).status_code for _ in range(4)]
    assert statuses[:3] == [200] * 3
    assert statuses[3] == 429
    assert visitor("198.51.100.7").get(url).status_code == 200
