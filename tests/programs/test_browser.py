"""The plan page in real Chromium (headless, JavaScript on), and the PDF behind its link."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import urllib.request

import pytest
from django.urls import reverse
from django.utils import timezone

from questionnaire.models import Assessment
from tests.programs.answers import FOOTBALLER
from tests.programs.pango import needs_weasyprint

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        CHROMIUM is None and os.environ.get("CI") != "true", reason="Chromium is not installed"
    ),
]


def dump_dom(url: str) -> str:
    assert CHROMIUM, "CI needs Chromium for the browser tests"
    done = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )
    return done.stdout


@needs_weasyprint
def test_the_plan_page_renders_in_chromium_and_its_pdf_link_downloads(
    live_server, transactional_db
):
    assessment = Assessment.objects.create(answers=FOOTBALLER, completed_at=timezone.now())
    url = live_server.url + reverse("programs:plan", args=[assessment.plan_token])
    dom = dump_dom(url)
    assert "Phase 1: Wake up and loosen" in dom
    assert "Two-foot jump and stick" in dom
    link = re.search(r'<a class="plan-button" href="([^"]+)">([^<]*PDF[^<]*)</a>', dom)
    assert link, "the page needs a link whose text contains PDF"
    with urllib.request.urlopen(live_server.url + link.group(1), timeout=60) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.read(5) == b"%PDF-"
