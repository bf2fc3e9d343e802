"""Skipping every movement self-test in real Chromium, with JavaScript on and off.

The person answers the questions, chooses "I did not do this test" on each of the fourteen test
pages, and sees the skips reported on the check page, the results and the plan; every page on
the way passes axe-core.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Page, expect

from questionnaire.content import get_content
from questionnaire.models import Assessment
from tests.browser.steps import fill_page, submit
from tests.personas import QUIET

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
TITLES = [test.title for test in get_content().self_tests]


def assert_accessible(page: Page) -> None:
    results = axe.run(page)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def skip_every_test(page: Page, *, check_axe: bool) -> list[str]:
    """Answer each question page with QUIET; skip each test page. Returns the tests skipped."""
    skipped: list[str] = []
    for _ in range(40):
        if "/check/" in page.url:
            return skipped
        if page.get_by_role("button", name="I did not do this test").count():
            skipped.append(page.locator("h1").inner_text())
            # Something filled in first is dropped, never checked: skipping needs no answer.
            radios = page.locator("main form input[type=radio]")
            if radios.count():
                radios.first.check()
            if check_axe and len(skipped) == 1:
                assert_accessible(page)
            submit(page, "I did not do this test")
        else:
            fill_page(page, QUIET)
            submit(page)
    raise AssertionError(f"never reached the check page; stuck at {page.url}")


def test_a_person_skips_every_movement_test_and_sees_it_reported(new_context, javascript) -> None:
    page = new_context(javascript=javascript, bypass_csp=True).new_page()
    page.goto("/start/")
    skipped = skip_every_test(page, check_axe=javascript)
    assert skipped == TITLES

    expect(page.locator("h1")).to_have_text("Check your answers")
    notice = page.locator(".notice-tests")
    expect(notice).to_contain_text("No movement test was done")
    expect(notice).to_contain_text("None of the 14 movement self-tests was done")
    expect(page.get_by_role("link", name=re.compile("^Do this test"))).to_have_count(14)
    if javascript:  # axe-core is itself a script
        assert_accessible(page)

    submit(page, "See my results")
    expect(page.locator("h1")).to_have_text("Your results")
    notice = page.locator(".notice-tests")
    expect(notice).to_contain_text("No movement test was done")
    expect(notice).to_contain_text("rough first guess")
    expect(page.locator("main")).not_to_contain_text("move well")
    if javascript:
        assert_accessible(page)

    page.get_by_role("link", name=re.compile("plan")).first.click()
    page.locator("h1").wait_for()
    expect(page.locator(".notice-tests")).to_contain_text("No movement test was done")
    expect(page.locator(".screen-incomplete")).to_have_count(0)
    if javascript:
        assert_accessible(page)

    saved = Assessment.objects.get().answers
    movement = {qid for test in get_content().self_tests for qid in test.questions}
    assert {k: v for k, v in saved.items() if k in movement} == {
        "heel_lift_corrects": "not_tried",
        "cue_corrects": "not_tried",
        "band_effect": "not_tried",
    }


def test_a_skipped_test_can_be_done_from_the_check_page(new_context, javascript) -> None:
    page = new_context(javascript=javascript).new_page()
    page.goto("/start/")
    skip_every_test(page, check_axe=False)
    page.get_by_role("link", name=re.compile(r"^Do this test\W+Clamshell$")).click()
    expect(page.locator("h1")).to_have_text("Clamshell")
    # Never done: the steps are unfolded for reading.
    expect(page.locator("details.test-guide")).to_have_attribute("open", "")
    page.locator("#clamshell_pelvis_rolls-0").check()
    submit(page, "Save and go back to your answers")
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(page.locator(".notice-tests")).to_contain_text("13 of the 14 movement self-tests")
    expect(page.locator(".notice-tests li", has_text="Clamshell")).to_have_count(0)


def test_an_unfinished_safety_screen_is_said_on_the_plan_page(new_context) -> None:
    old = {k: v for k, v in QUIET.items() if k not in {"knee_hot_or_swollen", "fever_or_unwell"}}
    assessment = Assessment.objects.create(answers=old, completed_at=timezone.now())
    page = new_context(bypass_csp=True).new_page()
    page.goto(f"/plan/{assessment.plan_token}/")
    notice = page.locator(".screen-incomplete")
    expect(notice).to_contain_text("2 safety questions were not asked")
    expect(notice).to_contain_text("The safety check is not finished")
    expect(notice.locator("li")).to_have_text(
        [
            "Is your knee hot, red or clearly swollen right now?",
            "Since your knee trouble began, have you had a fever or shivers, or felt generally"
            " unwell?",
        ]
    )
    assert_accessible(page)


def test_the_doctors_summary_after_an_early_stop_names_what_was_not_asked(new_context) -> None:
    # Stopped at the emergency page after the injury questions: the rest was never asked.
    answers = {
        "age": 24,
        "recent_injury": True,
        "injury_days_ago": 3,
        "high_energy_injury": False,
        "injury_pop": True,
        "kneecap_dislocated": False,
        "swelling_within_2h": True,
        "can_walk_4_steps": False,
    }
    assessment = Assessment.objects.create(answers=answers)
    page = new_context(bypass_csp=True).new_page()
    page.goto(f"/a/{assessment.token}/summary/")
    notice = page.locator(".screen-incomplete")
    expect(notice).to_contain_text("The safety check is not finished")
    expect(notice).to_contain_text("Do not wait to answer them")
    expect(notice.get_by_role("link", name="Answer the safety questions")).to_be_visible()
    expect(page.locator(".notice-tests")).to_contain_text("No movement test was done")
    assert_accessible(page)
    notice.locator("summary").click()
    expect(notice.locator("li").first).to_be_visible()
    assert_accessible(page)
