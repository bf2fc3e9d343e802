"""Skipping movement self-tests through the test client, and the pages that report the skips.

The movement introduction tells people to skip any test that hurts; contract section 1 makes a
missing answer "not answered" and `not_tried` the comparison squats' word for a test left out.
So a skip saves nothing for the test (or `not_tried`), keeps every other answer, and every page
that reports the answers names the test as not done rather than counting it as normal.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from questionnaire.content import get_content
from questionnaire.models import Assessment
from tests.personas import EMERGENCY, QUIET, URGENT, form_data
from tests.programs.pango import needs_weasyprint

pytestmark = pytest.mark.django_db

MOVEMENT = {qid for test in get_content().self_tests for qid in test.questions}
NOT_TRIED = {
    "heel_lift_corrects": "not_tried",
    "cue_corrects": "not_tried",
    "band_effect": "not_tried",
}
TITLES = [test.title for test in get_content().self_tests]


def walk_skipping(client: Client, answers, skip: set[str] | None = None, url: str = "/start/"):
    """Answer every page; on a self-test page named in ``skip`` (None: every one) choose
    "I did not do this test", with the test's own answers filled in as well."""
    data = form_data(answers)
    while "/q/" in url or url == "/start/":
        page_id = url.rstrip("/").rsplit("/", 1)[-1]
        is_test = page_id.replace("-", "_") in {t.id for t in get_content().self_tests}
        if is_test and (skip is None or page_id in skip):
            response = client.post(url, {**data, "skip_test": "1"})
        else:
            response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
        if url.endswith("/urgent/"):
            client.get(url)
            url = client.get(url.replace("urgent/", ""))["Location"]
    return url


def saved() -> Assessment:
    return Assessment.objects.get()


def test_every_test_page_offers_the_skip_as_a_second_submit_button(client: Client) -> None:
    walk_skipping(client, QUIET, skip=set())
    token = saved().token
    for test in get_content().self_tests:
        html = client.get(f"/a/{token}/q/{test.id.replace('_', '-')}/").content.decode()
        assert 'name="skip_test"' in html, test.id
        assert ">I did not do this test</button>" in html
        assert 'type="submit"' in html and "formnovalidate" in html


def test_skipping_every_test_keeps_every_other_answer_and_reaches_the_check(
    client: Client,
) -> None:
    url = walk_skipping(client, QUIET)
    assert url.endswith("/check/")
    answers = saved().answers
    # Nothing of the fourteen tests was kept but the contract's own "did not try".
    assert {k: v for k, v in answers.items() if k in MOVEMENT} == NOT_TRIED
    asked_before = {k: v for k, v in QUIET.items() if k not in MOVEMENT}
    assert {k: v for k, v in answers.items() if k not in MOVEMENT} == {
        k: v for k, v in asked_before.items() if k not in {"hot_swollen_fever", "numb_or_cold_foot"}
    }


def test_a_skip_is_never_stopped_by_an_answer_that_would_not_pass(client: Client) -> None:
    walk_skipping(client, QUIET, skip=set())
    token = saved().token
    before = dict(saved().answers)
    url = f"/a/{token}/q/double-leg-squat/"
    response = client.post(url, {"squat_knees_in": "sideways", "skip_test": "1"})
    assert response.status_code == 302
    # On, as after any answered page: the next test.
    assert response["Location"] == f"/a/{token}/q/heel-lift-squat/"
    after = saved().answers
    for qid in (
        "squat_knees_in",
        "heels_lift_in_squat",
        "hip_hinge_poor",
        "squat_feel_front_thighs",
    ):
        assert qid not in after
    assert {k: v for k, v in after.items()} == {
        k: v for k, v in before.items() if k not in get_content().self_tests[1].questions
    }


def test_the_skip_button_does_nothing_on_a_question_page(client: Client) -> None:
    response = client.post("/start/", {"skip_test": "1"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Assessment.objects.exists()


def test_the_check_page_lists_the_skipped_tests_with_a_way_back_to_each(client: Client) -> None:
    skip = {"standing-alignment", "landing", "band-squat"}
    url = walk_skipping(client, QUIET, skip=skip)
    token = saved().token
    html = client.get(url).content.decode()
    # QUIET also left out the heel-lift and cue squats ("did not try") and took none of the
    # knee-to-wall, side-lying hold and butterfly measurements: 3 + 5 tests.
    assert "8 of the 14 movement self-tests were not done" in html
    for title in ("How you stand", "Jump landing", "Squat with a mini-band", "Butterfly sit"):
        assert f"<li>{title}</li>" in html
    assert html.count(">Do this test<") == 8
    assert f'href="/a/{token}/q/landing/?change=1">Do this test' in html
    assert "Single-leg bridge</li>" not in html


def test_a_skipped_test_can_be_done_later(client: Client) -> None:
    walk_skipping(client, QUIET, skip={"landing"})
    token = saved().token
    url = f"/a/{token}/q/landing/?change=1"
    html = client.get(url).content.decode()
    assert 'name="stiff_landing"' in html and " checked" not in html
    # Never answered: the steps are shown unfolded, as on a first visit.
    assert '<details class="details test-guide" open>' in html
    response = client.post(url, {"stiff_landing": "yes"})
    assert response["Location"] == f"/a/{token}/check/"
    assert saved().answers["stiff_landing"] is True
    assert "Jump landing</li>" not in client.get(response["Location"]).content.decode()


def test_an_answered_test_folds_its_steps_so_the_questions_come_first(client: Client) -> None:
    walk_skipping(client, QUIET, skip=set())
    token = saved().token
    html = client.get(f"/a/{token}/q/landing/").content.decode()
    assert '<details class="details test-guide">' in html
    assert html.index("Show how to do this test again") < html.index('name="stiff_landing"')


def finished(client: Client, skip: set[str] | None = None) -> Assessment:
    url = walk_skipping(client, QUIET, skip=skip)
    assert client.post(url).status_code == 302
    return saved()


def test_the_results_list_the_skipped_tests_and_never_call_the_knees_normal(
    client: Client,
) -> None:
    assessment = finished(client)
    html = client.get(f"/a/{assessment.token}/results/").content.decode()
    assert "No movement test was done" in html
    assert "None of the 14 movement self-tests was done" in html
    assert "rough first guess" in html
    assert "move well" not in html
    assert "screen-incomplete" not in html


def test_the_plan_page_lists_the_skipped_tests(client: Client) -> None:
    assessment = finished(client, skip={"clamshell", "single-leg-bridge"})
    html = client.get(reverse("programs:plan", args=[assessment.plan_token])).content.decode()
    assert "8 of the 14 movement self-tests were not done" in html
    assert "<li>Clamshell</li>" in html and "<li>Single-leg bridge</li>" in html
    assert "less information than a full check" in " ".join(html.split())


def test_the_doctor_summary_lists_the_tests_not_done(client: Client) -> None:
    url = "/start/"
    while "urgent" not in url:
        url = client.post(url, form_data(URGENT))["Location"]
    token = saved().token
    html = client.get(f"/a/{token}/summary/").content.decode()
    assert "No movement test was done" in html
    assert "screen-incomplete" not in html


def test_an_emergency_summary_says_the_safety_check_stopped_early(client: Client) -> None:
    url = "/start/"
    while "emergency" not in url:
        url = client.post(url, form_data(EMERGENCY))["Location"]
    token = saved().token
    html = client.get(f"/a/{token}/summary/").content.decode()
    assert "The safety check is not finished" in html
    # Asked after the injury pages: their answers never came.
    assert "Is your knee hot, red or clearly swollen right now?" in html
    assert "Do not wait to answer them before getting the help this page advises." in html
    # The top-up page asks only what is missing, beside the advice rather than before it.
    top_up = f'href="/a/{token}/new-safety-questions/" hx-boost="false">Answer the safety questions'
    assert top_up in html


# A version 1 answer set (stored before the finer safety questions existed): the plan pages
# must say what was never asked.
OLD = {k: v for k, v in QUIET.items() if k not in {"knee_hot_or_swollen", "cold_pale_foot"}}


def test_the_plan_page_names_the_unanswered_safety_questions(client: Client) -> None:
    assessment = Assessment.objects.create(answers=OLD, completed_at="2026-03-02T09:30Z")
    html = client.get(reverse("programs:plan", args=[assessment.plan_token])).content.decode()
    assert "2 safety questions were not asked" in html
    assert "<li>Is your knee hot, red or clearly swollen right now?</li>" in html
    assert "<li>Is your foot or lower leg cold, pale, grey or blue?</li>" in html
    # A shared plan link must not open the answers for editing.
    assert assessment.token not in html
    assert "through the private link" in html


def test_the_owner_of_the_plan_gets_a_link_to_answer_them(client: Client) -> None:
    assessment = Assessment.objects.create(answers=OLD, completed_at="2026-03-02T09:30Z")
    session = client.session
    session["assessment_token"] = assessment.token
    session.save()
    html = client.get(reverse("programs:plan", args=[assessment.plan_token])).content.decode()
    assert f'href="/a/{assessment.token}/new-safety-questions/"' in html


PDFTOTEXT = shutil.which("pdftotext")


@needs_weasyprint
@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_the_plan_pdf_lists_the_skipped_tests_and_the_unfinished_screen(
    client: Client, tmp_path
) -> None:
    answers = {k: v for k, v in OLD.items() if k not in {"stiff_landing", "sl_bridge_poor"}}
    assessment = Assessment.objects.create(answers=answers, completed_at="2026-03-02T09:30Z")
    response = client.get(reverse("programs:plan_pdf", args=[assessment.plan_token]))
    assert response.status_code == 200
    path = tmp_path / "plan.pdf"
    path.write_bytes(response.content)
    assert PDFTOTEXT is not None
    text = subprocess.run(
        [PDFTOTEXT, "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "The safety check is not finished" in flat
    assert "Is your knee hot, red or clearly swollen right now?" in flat
    assert "Is your foot or lower leg cold, pale, grey or blue?" in flat
    assert "8 of the 14 movement self-tests were not done" in flat
    for title in ("Jump landing", "Single-leg bridge", "Squat with a mini-band"):
        assert title in flat
    assert "move well" not in flat
