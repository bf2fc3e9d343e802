"""The privacy page says, in plain words and with today's settings, what is kept and how long."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_the_privacy_page_states_the_periods_from_the_settings(client, settings) -> None:
    settings.RETENTION_UNFINISHED_DAYS = 30
    settings.RETENTION_FINISHED_DAYS = 180
    settings.PHYSIO_SESSION_HOURS = 8
    settings.PDF_NAMED_KEEP_SECONDS = 20 * 60
    html = client.get("/privacy/").content.decode()
    assert "and 20 minutes after it was made if you never do" in html
    assert "<strong>30 days</strong> after you" in html
    assert "<strong>180 days</strong> after" in html
    assert "A login lasts 8 hours" in html
    for heading in ("What we keep", "How long we keep it", "Who can see it", "How to delete it"):
        assert f"<h2>{heading}</h2>" in html


def test_every_page_links_to_it_from_the_footer(client) -> None:
    for url in ("/", "/start/", "/physio/login/", "/privacy/"):
        assert 'href="/privacy/"' in client.get(url).content.decode(), url
