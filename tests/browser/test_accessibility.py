"""Every page, in every state a person can meet it, passes axe-core with no violations."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.steps import fill_page, submit
from tests.personas import EMERGENCY, URGENT, WEAK_HIP_RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()


def assert_accessible(page, seen: list[str]) -> None:
    results = axe.run(page)
    seen.append(page.url)
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def walk_checking(page, answers, stop: str, seen: list[str]) -> None:
    for _ in range(40):
        assert_accessible(page, seen)
        if stop in page.url:
            return
        fill_page(page, answers)
        submit(page)
    raise AssertionError(f"never reached {stop}")


def test_every_page_of_a_full_check_passes_axe(new_context) -> None:
    # axe is injected by script; the site's own policy would rightly refuse it.
    page = new_context(bypass_csp=True).new_page()
    seen: list[str] = []
    page.goto("/")
    assert_accessible(page, seen)
    page.goto("/start/")
    page.get_by_role("button", name="Continue").click()
    page.locator(".error-summary").wait_for()
    assert_accessible(page, seen)
    walk_checking(page, WEAK_HIP_RUNNER, "/check/", seen)
    submit(page, "See my results")
    page.get_by_text("Why we think so").first.click()
    assert_accessible(page, seen)
    submit(page, "Delete my answers")
    assert_accessible(page, seen)
    submit(page, "Yes, delete my answers")
    assert_accessible(page, seen)
    page.goto("/a/this-link-does-not-exist-at-all/")
    assert_accessible(page, seen)
    assert len(seen) > 25


@pytest.mark.parametrize(("persona", "stop"), [(EMERGENCY, "/emergency/"), (URGENT, "/urgent/")])
def test_the_triage_pages_pass_axe(new_context, persona, stop) -> None:
    page = new_context(bypass_csp=True).new_page()
    page.goto("/start/")
    walk_checking(page, persona, stop, [])
