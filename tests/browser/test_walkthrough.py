from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from questionnaire.content import get_content
from tests.browser.steps import answer_until, fill_page, submit
from tests.personas import EMERGENCY, HEEL_LIFT_RESPONDER, WEAK_HIP_RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def start(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/")
    page.get_by_role("button", name=re.compile("Start")).click()
    expect(page.locator("h1")).to_contain_text("Safety check")
    return page


@pytest.mark.parametrize(
    ("persona", "cause"),
    [
        (HEEL_LIFT_RESPONDER, "ankle_dorsiflexion_limitation"),
        (WEAK_HIP_RUNNER, "glute_med_weakness"),
    ],
    ids=["heel-lift-responder", "weak-hip-runner"],
)
def test_a_person_goes_from_start_to_results(new_context, javascript, persona, cause) -> None:
    page = start(new_context(javascript=javascript))
    answer_until(page, persona)
    expect(page.locator("h1")).to_have_text("Check your answers")
    submit(page, "See my results")
    expect(page.locator("h1")).to_have_text("Your results")
    expect(page.locator(".triage")).to_be_visible()
    expect(page.locator(".cause-name").first).to_have_text(get_content().causes[cause].name)
    expect(page.get_by_role("link", name=re.compile("plan"))).to_be_visible()
    page.get_by_text("Why we think so").first.click()
    expect(page.locator(".cause .answers").first).to_be_visible()


def test_an_emergency_stops_the_questions(new_context, javascript) -> None:
    page = start(new_context(javascript=javascript))
    answer_until(page, EMERGENCY, stop="/emergency/")
    expect(page.locator("h1")).to_have_text("Get emergency help now")
    expect(page.locator(".triage-emergency")).to_be_visible()
    expect(page.get_by_text("What to tell them").first).to_be_visible()


def test_errors_are_summarised_and_focused(new_context, javascript) -> None:
    page = start(new_context(javascript=javascript))
    page.get_by_label("How old are you?").fill("3")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(page.get_by_label("How old are you?")).to_have_value("3")
    summary.get_by_role("link", name=re.compile("How old are you")).click()
    expect(page.get_by_label("How old are you?")).to_be_focused()


def test_a_person_can_come_back_after_closing_the_browser(new_context, javascript) -> None:
    context = new_context(javascript=javascript)
    page = start(context)
    fill_page(page, {"age": 41, "recent_injury": False})
    submit(page)
    resume = re.sub(r"/q/.*$", "/", page.url)
    context.close()

    page = new_context(javascript=javascript).new_page()
    page.goto(resume)
    expect(page.locator("h1")).to_have_text("How your knee is today")
    page.get_by_role("link", name="Back").click()
    expect(page.get_by_label("How old are you?")).to_have_value("41")


def test_the_session_cookie_brings_them_back_too(new_context) -> None:
    context = new_context()
    page = start(context)
    fill_page(page, {"age": 41, "recent_injury": False})
    submit(page)
    page.close()
    page = context.new_page()
    page.goto("/")
    page.get_by_role("link", name="Continue where you left off").click()
    expect(page.locator("h1")).to_have_text("How your knee is today")


def test_a_person_changes_an_answer_from_the_summary(new_context, javascript) -> None:
    page = start(new_context(javascript=javascript))
    answer_until(page, WEAK_HIP_RUNNER)
    row = page.locator(".summary-row", has_text="How old are you?")
    expect(row.locator(".summary-value")).to_have_text("29 years")
    row.get_by_role("link", name=re.compile("Change")).click()
    page.get_by_label("How old are you?").fill("52")
    submit(page, "Save and go back to your answers")
    expect(page.locator("h1")).to_have_text("Check your answers")
    expect(row.locator(".summary-value")).to_have_text("52 years")


def test_the_back_button_returns_to_the_previous_page(new_context, javascript) -> None:
    page = start(new_context(javascript=javascript))
    fill_page(page, {"age": 41, "recent_injury": False})
    submit(page)
    expect(page.locator("h1")).to_have_text("How your knee is today")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Safety check: part 1")
    page.go_forward()
    expect(page.locator("h1")).to_have_text("How your knee is today")


def test_htmx_swaps_each_step_in_place_and_keeps_history(new_context) -> None:
    page = new_context().new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.goto("/start/")
    page.evaluate("window.sameDocument = true")
    fill_page(page, {"age": 41, "recent_injury": False})
    submit(page)
    expect(page.locator("h1")).to_have_text("How your knee is today")
    assert page.evaluate("window.sameDocument === true")
    assert page.url.endswith("/q/safety-4/")
    assert page.title().startswith("How your knee is today")
    expect(page.locator("h1")).to_be_focused()
    assert problems == []


def test_the_copy_button_appears_only_with_javascript(new_context, javascript) -> None:
    page = start(new_context(javascript=javascript))
    answer_until(page, WEAK_HIP_RUNNER)
    button = page.get_by_role("button", name="Copy link")
    if javascript:
        expect(button).to_be_visible()
    else:
        expect(button).to_be_hidden()
    expect(page.get_by_label("Your private link")).to_have_value(re.compile(r"/a/[\w-]{43}/$"))


def test_a_page_can_be_answered_with_the_keyboard_alone(new_context) -> None:
    page = new_context().new_page()
    page.goto("/start/")
    age = page.get_by_label("How old are you?")
    for _ in range(10):
        page.keyboard.press("Tab")
        if age.evaluate("el => el === document.activeElement"):
            break
    page.keyboard.type("33")
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowRight")  # Tab lands on "Yes"; the arrow moves to "No" and picks it
    expect(page.locator("#recent_injury-1")).to_be_checked()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("How your knee is today")
