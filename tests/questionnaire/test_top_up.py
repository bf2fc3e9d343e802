"""Assessments stored before the version 2 safety questions: the result stands, the results
page says which questions were not asked, and the top-up asks only those, then updates the
triage. Expectations follow contract 5.3 (which questions apply to whom) and 5.2 (the levels)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from questionnaire.content import Content
from questionnaire.flow import retire_superseded
from questionnaire.models import Assessment
from tests.personas import CALM_V2, QUIET, form_data

pytestmark = pytest.mark.django_db

# A calm adult's check as version 1 stored it: none of the version 2 safety answers.
V1_QUIET = {qid: value for qid, value in QUIET.items() if qid not in CALM_V2}
V2_ONLY = ("knee_hot_or_swollen", "fever_or_unwell", "cold_pale_foot", "foot_numb_tingling")
# What a version 1 check asked after an injury; version 2 adds four follow-ups.
V1_INJURY = {
    "injury_pop": False,
    "swelling_within_2h": False,
    "can_walk_4_steps": True,
    "bony_tenderness": False,
    "can_bend_90": True,
}
V2_INJURY = (
    "injury_days_ago",
    "high_energy_injury",
    "kneecap_dislocated",
    "can_straight_leg_raise",
)


def shown_page(html: str) -> str:
    match = re.search(r'name="page" value="([^"]+)"', html)
    assert match, html[:1500]
    return match.group(1)


def stored(answers: dict[str, Any], *, completed: bool = True, step: str = "check") -> Assessment:
    return Assessment.objects.create(
        answers=answers, step=step, completed_at=timezone.now() if completed else None
    )


def top_up_all(client: Client, assessment: Assessment, answers: dict[str, Any]) -> str:
    """Answer every page the top-up shows with these answers; the URL it finally leaves for."""
    url = f"/a/{assessment.token}/new-safety-questions/"
    data = form_data(answers)
    for _ in range(20):
        page = client.get(url)
        if page.status_code == 302:
            return page["Location"]
        shown = shown_page(page.content.decode())
        response = client.post(url, {**data, "page": shown})
        assert response.status_code == 302, response.content.decode()[:1500]
        if not response["Location"].endswith("/new-safety-questions/"):
            return response["Location"]
    raise AssertionError("the top-up did not end")


def test_an_old_result_is_shown_with_the_questions_it_was_never_asked(
    client: Client, content: Content
) -> None:
    old = stored(V1_QUIET)
    response = client.get(f"/a/{old.token}/results/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Your results" in html
    assert "safety questions were not asked" in html
    for qid in V2_ONLY:
        assert content.questions[qid].label in html
    # The version 1 questions they replace are answered, so they are not listed.
    assert content.questions["hot_swollen_fever"].label not in html
    assert f'href="/a/{old.token}/new-safety-questions/"' in html
    # The private link brings the person back to that result too, not into the questions.
    assert client.get(f"/a/{old.token}/")["Location"] == f"/a/{old.token}/results/"


def test_a_complete_check_shows_no_notice(client: Client) -> None:
    done = stored(QUIET)
    html = client.get(f"/a/{done.token}/results/").content.decode()
    assert "were not asked" not in html and "was not asked" not in html


def test_the_top_up_asks_only_what_is_missing(client: Client, content: Content) -> None:
    old = stored(V1_QUIET)
    html = client.get(f"/a/{old.token}/new-safety-questions/").content.decode()
    assert content.questions["knee_hot_or_swollen"].label in html
    # Answered in version 1, on the same page or before: not asked again.
    for qid in ("age", "recent_injury", "deformity", "locking"):
        assert f'name="{qid}"' not in html
    assert "Back to your results" in html


def test_after_the_top_up_the_result_is_complete_and_nothing_else_changed(client: Client) -> None:
    old = stored(V1_QUIET)
    assert top_up_all(client, old, QUIET) == f"/a/{old.token}/results/"
    answers = Assessment.objects.get().answers
    # The finer answers replace the version 1 ones they split; everything else is kept.
    assert answers == {
        qid: value
        for qid, value in QUIET.items()
        if qid not in ("hot_swollen_fever", "numb_or_cold_foot")
    }
    assert Assessment.objects.get().result().triage.screen_complete is True
    html = client.get(f"/a/{old.token}/results/").content.decode()
    assert "not asked" not in html
    # Nothing is left to top up: the page goes back to the results.
    response = client.get(f"/a/{old.token}/new-safety-questions/")
    assert response["Location"] == f"/a/{old.token}/results/"


def test_the_injury_follow_ups_come_only_after_an_injury(client: Client) -> None:
    hurt = stored({**V1_QUIET, "recent_injury": True, **V1_INJURY})
    html = client.get(f"/a/{hurt.token}/new-safety-questions/").content.decode()
    assert all(f'name="{qid}"' in html for qid in V2_INJURY[:3])
    calm = stored({**V1_QUIET, "recent_injury": False})
    html = client.get(f"/a/{calm.token}/new-safety-questions/").content.decode()
    assert not any(f'name="{qid}"' in html for qid in V2_INJURY)


@pytest.mark.parametrize(("age", "asked"), [(15, True), (30, False)])
def test_the_child_question_is_asked_only_under_18(client: Client, age: int, asked: bool) -> None:
    old = stored({**V1_QUIET, "age": age})
    seen: set[str] = set()
    url = f"/a/{old.token}/new-safety-questions/"
    data = form_data({**QUIET, "age": age, "child_unwell_signs": False})
    while (page := client.get(url)).status_code == 200:
        html = page.content.decode()
        seen.update(re.findall(r'name="([a-z_0-9]+)" (?:type|value)', html))
        client.post(url, {**data, "page": shown_page(html)})
    assert ("child_unwell_signs" in seen) is asked


def test_a_new_emergency_sign_in_the_top_up_stops_at_once(client: Client) -> None:
    # Contract 5.2: a hot or swollen knee while feverish or unwell is an emergency (septic joint).
    old = stored(V1_QUIET)
    url = top_up_all(client, old, {**QUIET, "knee_hot_or_swollen": True, "fever_or_unwell": True})
    assert url == f"/a/{old.token}/emergency/"
    saved = Assessment.objects.get()
    assert saved.result().triage.level == "emergency"
    # Answered by mistake? The emergency page returns to the page that raised it.
    html = client.get(url).content.decode()
    assert f"/a/{old.token}/q/{saved.step}/?change=1" in html
    assert client.get(f"/a/{old.token}/q/{saved.step}/?change=1").status_code == 200


def test_a_new_urgent_sign_shows_the_urgent_advice_when_the_top_up_ends(client: Client) -> None:
    # Contract 5.2: sudden, very severe pain without an injury is urgent.
    old = stored(V1_QUIET)
    url = top_up_all(client, old, {**QUIET, "sudden_severe_pain": True})
    assert url == f"/a/{old.token}/urgent/"
    assert Assessment.objects.get().result().triage.level == "urgent"


def test_a_stale_form_is_shown_again_not_saved(client: Client) -> None:
    old = stored(V1_QUIET)
    url = f"/a/{old.token}/new-safety-questions/"
    response = client.post(url, {**form_data(QUIET), "page": "safety-1"})
    assert response.status_code == 200
    assert Assessment.objects.get().answers == V1_QUIET


def test_a_missing_answer_is_named_and_what_was_typed_is_kept(client: Client) -> None:
    old = stored(V1_QUIET)
    url = f"/a/{old.token}/new-safety-questions/"
    page = shown_page(client.get(url).content.decode())
    response = client.post(url, {"page": page, "knee_hot_or_swollen": "yes"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'value="yes" checked' in html
    assert Assessment.objects.get().answers == V1_QUIET


def test_an_unfinished_old_check_goes_through_the_top_up_before_its_next_page(
    client: Client,
) -> None:
    old = stored(
        {k: v for k, v in V1_QUIET.items() if k in ("age", "sex", *QUIET)},
        completed=False,
        step="about-2",
    )
    assert client.get(f"/a/{old.token}/")["Location"] == f"/a/{old.token}/new-safety-questions/"
    assert client.get(f"/a/{old.token}/q/about-1/")["Location"].endswith("/new-safety-questions/")


# --- A version 1 "yes" the web no longer asks --------------------------------------------------


def test_a_mistaken_version_1_yes_can_be_corrected_from_the_emergency_page(
    client: Client, content: Content
) -> None:
    old = stored({**V1_QUIET, "hot_swollen_fever": True}, completed=False, step="safety-3")
    assert old.result().triage.level == "emergency"
    html = client.get(f"/a/{old.token}/emergency/").content.decode()
    assert "Answer the newer questions" in html
    assert content.questions["hot_swollen_fever"].label in html
    assert f'href="/a/{old.token}/new-safety-questions/"' in html
    # The old yes keeps its emergency while the finer questions are answered, without looping
    # back to the emergency page; answering them "no" replaces it.
    url = top_up_all(client, old, QUIET)
    saved = Assessment.objects.get()
    assert "hot_swollen_fever" not in saved.answers
    assert saved.answers["knee_hot_or_swollen"] is False
    assert saved.result().triage.level == "self_care"
    assert url == f"/a/{old.token}/"
    retired = ("hot_swollen_fever", "numb_or_cold_foot")
    assert {k: v for k, v in saved.answers.items() if k in V1_QUIET} == {
        k: v for k, v in V1_QUIET.items() if k not in retired
    }


def test_a_version_1_yes_confirmed_by_the_finer_questions_stays_an_emergency(
    client: Client,
) -> None:
    old = stored({**V1_QUIET, "hot_swollen_fever": True}, completed=False, step="safety-3")
    answers = {**QUIET, "knee_hot_or_swollen": True, "fever_or_unwell": True}
    assert top_up_all(client, old, answers) == f"/a/{old.token}/emergency/"


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        ({"hot_swollen_fever": True}, True),
        ({"hot_swollen_fever": True, "knee_hot_or_swollen": False}, True),
        (
            {"hot_swollen_fever": True, "knee_hot_or_swollen": False, "fever_or_unwell": False},
            False,
        ),
        ({"numb_or_cold_foot": True, "cold_pale_foot": False, "foot_numb_tingling": True}, False),
    ],
)
def test_a_version_1_answer_is_retired_only_when_every_finer_one_is_answered(
    content: Content, answers: dict[str, Any], kept: bool
) -> None:
    old_id = next(qid for qid in answers if content.questions[qid].superseded_by)
    assert (old_id in retire_superseded(answers, content)) is kept


def test_the_plan_page_says_what_was_not_asked_and_links_only_for_the_owner(
    client: Client, content: Content
) -> None:
    old = stored(V1_QUIET)
    link = f'href="/a/{old.token}/new-safety-questions/"'
    shared = client.get(f"/plan/{old.plan_token}/").content.decode()
    assert content.questions["knee_hot_or_swollen"].label in shared
    assert "through the private link" in shared
    # Someone given the plan link cannot reach the answers through it.
    assert old.token not in shared
    client.get(f"/a/{old.token}/")
    owner = client.get(f"/plan/{old.plan_token}/").content.decode()
    assert link in owner


def test_changing_a_later_answer_of_an_old_check_asks_the_new_safety_questions_first(
    client: Client,
) -> None:
    old = stored(V1_QUIET)
    check = client.get(f"/a/{old.token}/check/")
    assert check.status_code == 200
    response = client.get(f"/a/{old.token}/q/about-1/?change=1")
    assert response["Location"] == f"/a/{old.token}/new-safety-questions/"
    top_up_all(client, old, QUIET)
    assert client.get(f"/a/{old.token}/q/about-1/?change=1").status_code == 200
