from __future__ import annotations

import pytest

from questionnaire.content import Content
from questionnaire.engine import assess
from questionnaire.flow import (
    first_incomplete,
    get_flow,
    is_emergency,
    next_page,
    page_applies,
    previous_page,
    progress,
    prune,
    reachable,
    triage_stop,
    visible_questions,
)
from tests.personas import EMERGENCY, HEEL_LIFT_RESPONDER, QUIET, URGENT, WEAK_HIP_RUNNER


def test_it_asks_every_question_exactly_once_except_the_split_version_1_ones(
    content: Content,
) -> None:
    asked = [qid for page in get_flow(content).pages for qid in (q.id for q in page.questions)]
    split = {"hot_swollen_fever", "numb_or_cold_foot"}
    assert sorted(asked) == sorted(set(content.questions) - split)


def test_no_safety_page_carries_more_than_four_yes_no_questions(content: Content) -> None:
    for page in get_flow(content).pages:
        if page.section == "safety":
            assert sum(q.type == "bool" for q in page.questions) <= 4, page.id


def test_the_step_count_counts_only_the_pages_these_answers_lead_through(
    content: Content,
) -> None:
    flow = get_flow(content)
    calm = progress(flow, flow.by_id["safety-4"], QUIET, content)
    injured = progress(flow, flow.by_id["safety-4"], {**QUIET, "recent_injury": True}, content)
    # The two injury follow-up pages come before it only after an injury.
    assert calm[0] == 2 and injured[0] == 4
    assert injured[1] == calm[1] + 2


def test_it_starts_with_the_safety_screen_and_asks_age_first(content: Content) -> None:
    flow = get_flow(content)
    assert flow.first.section == "safety"
    assert flow.first.questions[0].id == "age"
    sections = [page.section for page in flow.pages]
    assert sections == sorted(sections, key=["safety", "about", "symptoms", "movement"].index)


def test_it_gives_each_self_test_its_own_page(content: Content) -> None:
    pages = [p for p in get_flow(content).pages if p.section == "movement"]
    assert [p.self_test.id for p in pages if p.self_test] == [t.id for t in content.self_tests]


def test_it_skips_the_injury_questions_without_a_recent_injury(content: Content) -> None:
    flow = get_flow(content)
    injury_page = flow.by_id["safety-2"]
    assert "injury_pop" in [q.id for q in injury_page.questions]
    assert not page_applies(injury_page, {"age": 30, "recent_injury": False}, content)
    assert (
        next_page(flow, flow.first, {"age": 30, "recent_injury": False}, content)
        == (flow.by_id["safety-4"])
    )
    assert next_page(flow, flow.first, {"age": 30, "recent_injury": True}, content) == injury_page


def test_it_goes_back_over_skipped_pages(content: Content) -> None:
    flow = get_flow(content)
    answers = {"age": 30, "recent_injury": False}
    assert previous_page(flow, flow.by_id["safety-4"], answers, content) == flow.first
    assert previous_page(flow, flow.first, answers, content) is None


def test_it_asks_where_it_hurts_only_when_it_hurts(content: Content) -> None:
    page = get_flow(content).by_id["symptoms-2"]
    assert visible_questions(page, {"pain_worst": 0}, content) == ()
    shown = visible_questions(page, {"pain_worst": 4}, content)
    assert [q.id for q in shown] == ["pain_where", "pain_duration_weeks"]


@pytest.mark.parametrize(
    ("answers", "kept"),
    [
        ({"recent_injury": False, "injury_pop": True}, {"recent_injury": False}),
        ({"recent_injury": True, "injury_pop": True}, {"recent_injury": True, "injury_pop": True}),
        (
            {"pain_worst": 0, "pain_where": "front", "pain_duration_weeks": 3},
            {"pain_worst": 0},
        ),
        ({"self_correction_weeks": 0, "improving": "no"}, {"self_correction_weeks": 0}),
    ],
)
def test_it_drops_answers_to_questions_that_no_longer_apply(content, answers, kept) -> None:
    assert prune(answers, content) == kept


def test_it_keeps_every_answer_of_a_complete_person(content: Content) -> None:
    # Except the version 1 questions whose finer version 2 questions are all answered: those
    # answers replace them (a stored "yes" given by mistake is corrected that way).
    replaced = {"hot_swollen_fever", "numb_or_cold_foot"}
    assert prune(QUIET, content) == {k: v for k, v in QUIET.items() if k not in replaced}
    assert first_incomplete(get_flow(content), QUIET, content) is None


def test_it_lets_nobody_skip_ahead(content: Content) -> None:
    flow = get_flow(content)
    assert reachable(flow, flow.first, {}, content)
    assert not reachable(flow, flow.by_id["about-1"], {"age": 30}, content)
    assert reachable(flow, flow.by_id["about-1"], QUIET, content)


def test_it_waits_for_a_question_but_never_for_a_movement_test(content: Content) -> None:
    # The movement introduction tells people to skip any test that hurts: an unanswered test
    # is skipped, not waiting, while every other required question still holds the way.
    flow = get_flow(content)
    without_landing = {k: v for k, v in QUIET.items() if k != "stiff_landing"}
    assert first_incomplete(flow, without_landing, content) is None
    without_sport = {k: v for k, v in QUIET.items() if k != "sport"}
    waiting = first_incomplete(flow, without_sport, content)
    assert waiting is not None and "sport" in [q.id for q in waiting.questions]


def test_it_stops_at_once_for_an_emergency(content: Content) -> None:
    assert triage_stop(EMERGENCY, content, past_safety=False, seen_flags=()) == "emergency"


def test_it_holds_urgent_advice_until_the_safety_screen_is_done(content: Content) -> None:
    assert triage_stop(URGENT, content, past_safety=False, seen_flags=()) is None
    assert triage_stop(URGENT, content, past_safety=True, seen_flags=()) == "urgent"


def test_it_shows_urgent_advice_once_per_new_sign(content: Content) -> None:
    seen = ["night_or_constant_pain"]
    assert triage_stop(URGENT, content, past_safety=True, seen_flags=seen) is None
    both = {**URGENT, "weight_loss": True}
    assert triage_stop(both, content, past_safety=True, seen_flags=seen) == "urgent"


def test_it_does_not_stop_a_person_with_nothing_wrong(content: Content) -> None:
    assert triage_stop(QUIET, content, past_safety=True, seen_flags=()) is None


@pytest.mark.parametrize(
    "answers",
    [QUIET, EMERGENCY, URGENT, HEEL_LIFT_RESPONDER, WEAK_HIP_RUNNER, {**URGENT, "deformity": True}],
)
def test_it_sees_an_emergency_exactly_when_the_engine_does(content: Content, answers) -> None:
    engine = assess(answers, content)
    assert is_emergency(answers, content) == (engine.triage.level == "emergency")
