"""Contract 5.3: triage.screen_complete and triage.unanswered, and the 5.1 ids with their types.

The lists (tests/questionnaire/contract_ids.py) are copied from the contract, so that content
which drifts from it fails here: which answers are safety questions, which are injury follow-ups,
and who is asked the child question.
"""

from __future__ import annotations

from typing import Any

import pytest

from questionnaire.content import Content
from questionnaire.engine import assess
from tests.personas import CALM_V2
from tests.questionnaire.cases import CALM
from tests.questionnaire.contract_ids import (
    FOR_EVERYONE,
    INJURY_FOLLOW_UPS,
    SAFETY,
    SPLIT,
    V2_QUESTIONS,
)

ADULT = {**CALM, **CALM_V2, "age": 30}


def unanswered(answers: dict[str, Any], content: Content) -> list[str]:
    triage = assess(answers, content).triage
    assert triage.screen_complete is (not triage.unanswered)
    return triage.unanswered


def test_every_v2_question_is_there_with_its_type_and_range(content: Content) -> None:
    for qid, (kind, bounds) in V2_QUESTIONS.items():
        question = content.questions[qid]
        assert question.type == kind, qid
        if bounds is not None:
            assert (question.min, question.max) == bounds, qid
        assert question.label.strip() and question.hint.strip(), qid


def test_the_content_marks_exactly_the_contracts_safety_questions(content: Content) -> None:
    assert {q.id for q in content.questions.values() if q.safety} == SAFETY


def test_the_split_v1_questions_are_kept_and_point_to_their_finer_ones(content: Content) -> None:
    assert content.questions["hot_swollen_fever"].superseded_by == (
        "knee_hot_or_swollen",
        "fever_or_unwell",
    )
    assert content.questions["numb_or_cold_foot"].superseded_by == (
        "cold_pale_foot",
        "foot_numb_tingling",
    )
    assert all(not content.questions[qid].safety for qid in SPLIT)


def test_every_safety_question_sits_on_a_page_of_at_most_four_yes_no(content: Content) -> None:
    per_page: dict[str, list[str]] = {}
    for question in content.questions.values():
        if question.safety:
            assert question.page in content.pages, question.id
            if question.type == "bool":
                per_page.setdefault(question.page, []).append(question.id)
    assert max(len(ids) for ids in per_page.values()) <= 4


def test_nothing_answered_lists_everyone_questions_and_the_child_question(
    content: Content,
) -> None:
    listed = unanswered({}, content)
    # No age given: the child question applies (contract 5.3).
    assert set(listed) == FOR_EVERYONE | {"child_unwell_signs"}
    assert listed[0] == "recent_injury"


def test_a_fully_answered_adult_screen_is_complete(content: Content) -> None:
    triage = assess(ADULT, content).triage
    assert triage.screen_complete is True
    assert triage.unanswered == []


def test_injury_follow_ups_are_listed_only_after_an_injury(content: Content) -> None:
    assert unanswered({**ADULT, "recent_injury": True}, content) == [
        q.id for q in content.questions.values() if q.id in INJURY_FOLLOW_UPS
    ]
    assert set(INJURY_FOLLOW_UPS) == set(unanswered({**ADULT, "recent_injury": True}, content))
    assert unanswered({**ADULT, "recent_injury": False}, content) == []
    without = {k: v for k, v in ADULT.items() if k != "recent_injury"}
    assert unanswered(without, content) == ["recent_injury"]


@pytest.mark.parametrize(
    ("age", "asked"),
    [(8, True), (15, True), (17, True), (18, False), (30, False), (None, True)],
)
def test_the_child_question_applies_under_18_or_without_an_age(
    age: int | None, asked: bool, content: Content
) -> None:
    answers = {k: v for k, v in ADULT.items() if k != "age"}
    if age is not None:
        answers["age"] = age
    assert unanswered(answers, content) == (["child_unwell_signs"] if asked else [])
    answers["child_unwell_signs"] = False
    assert unanswered(answers, content) == []


def test_the_split_v1_ids_are_never_listed(content: Content) -> None:
    for answers in ({}, {"age": 30}, {"recent_injury": True}, ADULT):
        assert not set(SPLIT) & set(unanswered(answers, content))


def test_a_v1_answer_set_lists_the_finer_questions_it_never_answered(content: Content) -> None:
    listed = unanswered({**CALM, "age": 30}, content)
    assert {"knee_hot_or_swollen", "fever_or_unwell", "cold_pale_foot"} <= set(listed)
    assert "foot_numb_tingling" in listed
    assert not set(CALM) & set(listed)


def test_only_safety_questions_are_ever_listed(content: Content) -> None:
    listed = unanswered({"recent_injury": True}, content)
    assert set(listed) <= SAFETY
    assert "pain_worst" not in listed and "sex" not in listed


def test_answering_each_listed_question_shrinks_the_list_to_nothing(content: Content) -> None:
    answers: dict[str, Any] = {"age": 12, "recent_injury": True}
    listed = unanswered(answers, content)
    while listed:
        qid = listed[0]
        answers[qid] = 3 if content.questions[qid].type == "int" else False
        shorter = unanswered(answers, content)
        assert qid not in shorter and len(shorter) == len(listed) - 1
        listed = shorter
    assert assess(answers, content).triage.screen_complete is True


def test_the_json_says_contract_2_and_carries_the_screen(content: Content) -> None:
    data = assess({"age": 30}, content).model_dump(mode="json")
    assert data["contract"] == 2
    assert data["triage"]["screen_complete"] is False
    assert "recent_injury" in data["triage"]["unanswered"]
