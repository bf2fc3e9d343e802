"""The questionnaire, with JavaScript off, under the production referrer policy (issue 13):
forms still pass Django's CSRF check, and no request ever carries a private link's path in its
Referer. The new pages (privacy, 400, 409 conflict) pass axe; screenshots at phone size."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from questionnaire.models import Assessment
from tests.browser.steps import answer_until, submit
from tests.personas import WEAK_HIP_RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Looked at by a person after a run; not kept in the repository.
SHOTS = Path(tempfile.gettempdir()) / "valgus-screenshots"
TOKEN_PATH = re.compile(r"/(a|plan)/[A-Za-z0-9_-]{20,}")


def test_a_questionnaire_completes_without_javascript_and_leaks_no_link(
    new_context, live_server, settings
) -> None:
    assert settings.SECURE_REFERRER_POLICY == "strict-origin"
    context = new_context(javascript=False)
    requests: list[Any] = []
    # Headers are read afterwards: a call into Playwright inside its own event handler deadlocks.
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    page.goto("/")
    meta = page.locator('meta[name="referrer"]')
    expect(meta).to_have_attribute("content", "strict-origin")
    page.get_by_role("button", name=re.compile("Start")).click()
    answer_until(page, WEAK_HIP_RUNNER)
    submit(page, "See my results")
    expect(page.locator("h1")).to_have_text("Your results")
    page.get_by_role("link", name=re.compile("plan")).first.click()
    page.wait_for_load_state()
    token = Assessment.objects.get().token
    origin = live_server.url
    sent = [(r.method, r.url, r.all_headers()) for r in requests]

    posts = [headers for method, _, headers in sent if method == "POST"]
    assert len(posts) > 10  # every page was a form post, each accepted (no 403 page)
    for headers in posts:
        # What Django's CSRF check reads: the origin, never "null", never a path.
        assert headers.get("origin") == origin
        assert headers.get("referer") == origin + "/"
    for _, url, headers in sent:
        referer = headers.get("referer", "")
        assert not TOKEN_PATH.search(referer), (url, referer)
        assert token not in referer


axe = Axe()


def _accessible(page, name: str) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_the_new_pages_are_accessible(new_context) -> None:
    page = new_context().new_page()
    page.goto("/privacy/")
    expect(page.locator("h1")).to_have_text("Your answers and your privacy")
    _accessible(page, "privacy")
    page.goto("/?q=%00")
    expect(page.locator("h1")).to_have_text("We could not read that")
    _accessible(page, "bad-request")


def test_the_conflict_page_is_accessible(new_context) -> None:
    done = Assessment.objects.create(answers=WEAK_HIP_RUNNER, step="check")
    url = f"/a/{done.token}/q/knee-to-wall/?change=1"
    page = new_context().new_page()
    page.goto(url)
    Assessment.objects.filter(pk=done.pk).update(
        answers={**WEAK_HIP_RUNNER, "knee_to_wall_left_cm": 7}
    )
    page.locator('input[name="knee_to_wall_left_cm"]').fill("12")
    page.get_by_role("button", name=re.compile("Save")).click()
    expect(page.locator(".error-summary")).to_contain_text("changed on another device")
    expect(page.locator('input[name="knee_to_wall_left_cm"]')).to_have_value("12")
    _accessible(page, "conflict")
