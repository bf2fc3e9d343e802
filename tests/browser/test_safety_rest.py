"""Issue 10 in a real browser, with JavaScript on and off: the urgent path to the doctor's
summary, the new safety questions for a check stored before them, the delete confirmation and
the private link on a phone. axe runs on every new page (it needs JavaScript, so only then)."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect
from pypdf import PdfReader

from questionnaire.content import get_content
from questionnaire.models import Assessment
from tests.browser.steps import answer_until, fill_page, submit
from tests.personas import CALM_V2, QUIET, URGENT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
# A calm adult's check as version 1 stored it: none of the version 2 safety answers.
V1_QUIET = {qid: value for qid, value in QUIET.items() if qid not in CALM_V2}


def open_page(new_context, javascript: bool) -> tuple[BrowserContext, Page]:
    # axe is injected by script; the site's own policy would rightly refuse it.
    context = new_context(javascript=javascript, bypass_csp=javascript)
    return context, context.new_page()


def assert_accessible(page: Page, javascript: bool) -> None:
    if javascript:
        results = axe.run(page)
        assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def assert_fits_a_phone(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_an_urgent_person_gets_the_doctors_summary_without_any_movement_test(
    new_context, javascript
) -> None:
    _, page = open_page(new_context, javascript)
    page.goto("/start/")
    answer_until(page, URGENT, stop="/urgent/")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("doctor", re.I))
    assert_accessible(page, javascript)
    assert_fits_a_phone(page)
    page.get_by_role("link", name="Get my summary for the doctor now").click()
    expect(page).to_have_url(re.compile(r"/summary/$"))
    expect(page.get_by_role("heading", name="Your answers, for the clinician")).to_be_visible()
    expect(page.get_by_role("heading", name=get_content().levels["urgent"].title)).to_be_visible()
    assert_accessible(page, javascript)
    assert_fits_a_phone(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this summary as a PDF").click()
    reader = PdfReader(io.BytesIO(Path(download.value.path()).read_bytes()))
    assert len(reader.pages) == 1
    assert "Answers given, for the clinician" in reader.pages[0].extract_text()
    # Not one movement test was asked on the way.
    movement = {q for test in get_content().self_tests for q in test.questions}
    assert not movement & set(Assessment.objects.get().answers)


def test_an_old_check_shows_its_result_and_asks_only_the_new_safety_questions(
    new_context, javascript
) -> None:
    old = Assessment.objects.create(answers=V1_QUIET, step="check", completed_at=timezone.now())
    _, page = open_page(new_context, javascript)
    page.goto(f"/a/{old.token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    notice = page.locator(".screen-incomplete")
    expect(notice).to_contain_text("safety questions were not asked")
    expect(notice).to_contain_text(get_content().questions["cold_pale_foot"].label)
    assert_accessible(page, javascript)
    notice.get_by_role("link", name="Answer the new safety questions").click()
    expect(page.locator(".caption")).to_have_text("New safety questions")
    # Only what the old check lacks: its answers are not asked again.
    expect(page.locator('input[name="recent_injury"]')).to_have_count(0)
    assert_accessible(page, javascript)
    assert_fits_a_phone(page)
    for _ in range(12):
        if page.url.endswith("/results/"):
            break
        fill_page(page, QUIET)
        # Every top-up page has the same address: wait for the next page's heading instead.
        heading = page.locator("h1").inner_text()
        page.get_by_role("button", name="Continue").click()
        page.wait_for_function(
            "h => (document.querySelector('h1') || {}).innerText !== h", arg=heading
        )
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    expect(page.locator(".screen-incomplete")).to_have_count(0)
    assert Assessment.objects.get().result().triage.screen_complete is True


def test_the_plan_page_offers_the_new_questions_to_the_owner(new_context, javascript) -> None:
    old = Assessment.objects.create(answers=V1_QUIET, step="check", completed_at=timezone.now())
    _, page = open_page(new_context, javascript)
    page.goto(f"/a/{old.token}/")
    page.goto(f"/plan/{old.plan_token}/")
    notice = page.locator(".screen-incomplete")
    expect(notice).to_contain_text("safety questions were not asked")
    assert_accessible(page, javascript)
    notice.get_by_role("link", name="Answer the new safety questions").click()
    expect(page.locator(".caption")).to_have_text("New safety questions")


def test_delete_asks_first_and_can_be_called_off(new_context, javascript) -> None:
    done = Assessment.objects.create(answers=QUIET, step="check", completed_at=timezone.now())
    _, page = open_page(new_context, javascript)
    page.goto(f"/a/{done.token}/results/")
    submit(page, "Delete my answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your answers?")
    assert_accessible(page, javascript)
    assert_fits_a_phone(page)
    page.get_by_role("link", name="No, keep my answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your results")
    assert Assessment.objects.exists()
    submit(page, "Delete my answers")
    submit(page, "Yes, delete my answers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your answers have been deleted")
    assert not Assessment.objects.exists()


def test_the_private_link_wraps_on_a_phone_and_can_be_copied(new_context, javascript) -> None:
    context, page = open_page(new_context, javascript)
    if javascript:
        context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/start/")
    fill_page(page, {"age": 41, "recent_injury": False})
    submit(page)
    page.get_by_text("Stop now and come back later").click()
    link = page.locator("a.private-link")
    expect(link).to_be_visible()
    assert_fits_a_phone(page)
    button = page.get_by_role("button", name="Copy link")
    if not javascript:
        expect(button).to_be_hidden()
        return
    button.click()
    expect(page.get_by_text("Link copied.")).to_be_visible()
    # The whole address, as the link shows it.
    assert page.evaluate("navigator.clipboard.readText()") == link.inner_text()
