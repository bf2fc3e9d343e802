"""Fill the questionnaire in a real browser, as a person would: click the radios, type numbers."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from tests.personas import form_data


def fill_page(page: Page, answers: dict[str, Any]) -> None:
    form = page.locator("main form[method=post]").first
    for name, value in form_data(answers).items():
        radio = form.locator(f'input[type=radio][name="{name}"][value="{value}"]')
        if radio.count():
            radio.check()
            continue
        box = form.locator(f'input[type=number][name="{name}"]')
        if box.count():
            box.fill(value)


def submit(page: Page, button: str = "Continue") -> None:
    before = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_function("url => window.location.href !== url", arg=before)
    page.wait_for_load_state()
    # With htmx, wait until the swapped-in page has settled.
    page.locator("h1").first.wait_for()


def answer_until(page: Page, answers: dict[str, Any], stop: str = "/check/") -> None:
    """From wherever the person is, answer every page until the URL contains ``stop``."""
    for _ in range(40):
        if stop in page.url:
            return
        fill_page(page, answers)
        submit(page)
    raise AssertionError(f"never reached {stop}; stuck at {page.url}")
