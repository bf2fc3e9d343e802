"""Six weeks of the session log in real Chromium (JavaScript on and off), the week 6 re-test and
its chart, and the physio seeing the same client's progress and alert; axe-clean throughout.

With SCREENSHOTS=/some/dir set, each page is also saved there as a PNG at phone width.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone

from followup.models import Retest, SessionLog
from physios.models import Client, ClientAssessment
from physios.views import version_publish
from programs.builder import plan_for
from questionnaire.models import Assessment
from tests.personas import RUNNER

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

axe = Axe()
PASSWORD = "follow-up-test-pass-7"


def _check(page, name: str, *, javascript: bool = True) -> None:
    # axe runs as a script in the page, so it checks the pages with JavaScript on; the no-JS
    # run shows the same markup and proves the forms work without it.
    if javascript:
        results = axe.run(page)
        assert results.violations_count == 0, f"{name}\n{results.generate_report()}"
    if os.environ.get("SCREENSHOTS"):
        shot = Path(os.environ["SCREENSHOTS"]) / f"{name}{'' if javascript else '-nojs'}.png"
        page.screenshot(path=str(shot), full_page=True)


def _seed() -> tuple[Assessment, dt.date]:
    physio = User.objects.create_user("kim@example.org", "kim@example.org", PASSWORD)
    client = Client.objects.create(physio=physio, display_name="R.T.")
    # Six weeks ago: the plan's week 6 is this week, as if the person had started then.
    started = timezone.now() - dt.timedelta(days=41)
    answers = {**RUNNER, "fppa_degrees": 18, "knee_to_wall_left_cm": 8, "pain_worst": 5}
    assessment = Assessment.objects.create(answers=answers, completed_at=started)
    link = ClientAssessment.objects.create(client=client, assessment=assessment)
    # An invited client's plan is the one their physio publishes, and the log follows it.
    version_publish(link=link, plan=plan_for(assessment.valid_answers()), notes="", physio=physio)
    return assessment, timezone.localdate(started)


def _log(page, day: dt.date, *, during: int, morning: int) -> None:
    page.get_by_label("Date of the session").fill(day.isoformat())
    page.get_by_label("Pain before you started, 0 (none) to 10 (worst imaginable)").select_option(
        "1"
    )
    page.get_by_label("Worst pain during the session, 0").select_option(str(during))
    page.get_by_label("Pain the next morning").select_option(str(morning))
    page.get_by_role("button", name="Save this session").click()
    page.locator("#decision").wait_for()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_six_weeks_of_logs_a_retest_and_the_physio_sees_it(
    browser, live_server, new_context, javascript
):
    assessment, start = _seed()
    page = new_context(javascript=javascript, bypass_csp=True).new_page()
    page.goto(f"/follow/{assessment.token}/")
    page.get_by_role("heading", name="Your session log").wait_for()
    _check(page, "log-empty", javascript=javascript)

    # Baseline outcome scores first.
    page.get_by_role("link", name="rate your knee now").click()
    page.get_by_label("Over the past 7 days").select_option("5")
    page.get_by_label("Activity 1", exact=True).fill("Going down stairs")
    page.get_by_label("How well you can do activity 1, 0 to 10").select_option("3")
    page.get_by_label("as a percentage of normal").fill("50")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved. The re-tests at weeks 6 and 12").wait_for()
    page.goto(f"/follow/{assessment.token}/")

    # Six weeks, three sessions a week; calm for five weeks, then a sorer sixth week.
    for week in range(6):
        for offset in (0, 2, 4):
            during = 4 if week == 5 else 1
            _log(page, start + dt.timedelta(days=7 * week + offset), during=during, morning=1)
            if (week, offset) == (0, 2):
                # Two calm sessions in a row (2/10 or less during and the next morning).
                decision = page.locator("#decision").inner_text()
                assert "Next session: move up" in decision
    assert SessionLog.objects.filter(assessment=assessment).count() == 18
    assert page.locator("svg.followup-chart").is_visible()
    _check(page, "log-six-weeks", javascript=javascript)

    # The week 6 re-test: the safety screen first, then the same self-tests.
    page.get_by_role("link", name="Start the week 6 re-test").click()
    page.get_by_text("the safety questions again").wait_for()
    _check(page, "retest-safety", javascript=javascript)
    for radio in page.locator('input[type="radio"][value="no"]').all():
        radio.check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="The same self-tests as the first time").wait_for()
    if javascript:
        # The knee-angle tool of the first check, here too (it needs JavaScript).
        page.get_by_role("button", name="Open the angle tool").wait_for()
    _check(page, "retest-tests", javascript=javascript)
    page.locator("#fppa_degrees").fill("10")
    page.locator("#knee_to_wall_left_cm").fill("10.5")
    page.get_by_label("Over the past 7 days").select_option("2")
    assert page.get_by_label("Activity 1", exact=True).input_value() == "Going down stairs"
    page.get_by_label("How well you can do activity 1, 0 to 10").select_option("6")
    page.get_by_label("as a percentage of normal").fill("75")
    page.get_by_role("button", name="Save").click()
    table = page.locator("table.follow-table")
    table.wait_for()
    angle = table.locator("tr", has_text="Knee angle in the single-leg squat")
    assert "No clear change" in angle.inner_text()  # 18 -> 10 degrees: inside 9
    assert "Improved" in table.locator("tr", has_text="Knee-to-wall, left").inner_text()
    assert "Improved" in table.locator("tr", has_text="Activities your knee limits").inner_text()
    assert page.locator("svg.followup-chart").is_visible()
    _check(page, "retest-done", javascript=javascript)
    assert Retest.objects.get(assessment=assessment, week=6).tests["fppa_degrees"] == 10
    page.goto(f"/plan/{assessment.plan_token}/")
    assert page.locator("svg.followup-chart").is_visible()
    _check(page, "plan-with-chart", javascript=javascript)

    # The physio sees the same client's progress and the rising-pain alert.
    physio = new_context(javascript=javascript, bypass_csp=True).new_page()
    physio.goto("/physio/login/")
    physio.get_by_label("E-mail address").fill("kim@example.org")
    physio.get_by_label("Password").fill(PASSWORD)
    physio.get_by_role("button", name="Log in").click()
    physio.locator("h1", has_text="Your clients").wait_for()
    row = physio.locator("tr", has_text="R.T.")
    assert "Alert: Pain during sessions is rising" in row.inner_text()
    _check(physio, "physio-dashboard", javascript=javascript)
    row.get_by_role("link", name="R.T.").click()
    physio.get_by_role("heading", name="Progress between assessments").wait_for()
    assert physio.locator("svg.followup-chart").is_visible()
    assert "18 sessions logged" in physio.locator("main").inner_text()
    _check(physio, "physio-client", javascript=javascript)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_invited_clients_log_before_the_physio_publishes(
    browser, live_server, new_context, javascript
):
    """The log's address typed in before the physio has published: the page says who the plan
    comes from, with no log to fill in against the automatic plan."""
    physio = User.objects.create_user(
        "kim@example.org", "kim@example.org", PASSWORD, first_name="Kim", last_name="Lee"
    )
    client = Client.objects.create(physio=physio, display_name="R.T.")
    assessment = Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())
    ClientAssessment.objects.create(client=client, assessment=assessment)
    page = new_context(javascript=javascript, bypass_csp=True).new_page()
    response = page.goto(f"/follow/{assessment.token}/")
    assert response is not None and response.status == 404
    page.get_by_role("heading", name="Your plan comes from Kim Lee").wait_for()
    assert page.get_by_role("button", name="Save this session").count() == 0
    _check(page, "log-awaiting-physio", javascript=javascript)
