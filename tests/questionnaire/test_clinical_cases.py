"""Table-driven clinical cases (tests/questionnaire/cases.py) run through the pure engine."""

from __future__ import annotations

import pytest

from questionnaire.content import Content
from questionnaire.engine import AssessmentResult, assess
from tests.questionnaire.cases import CAUSE_CASES, TYPICAL, Case

MODERATE_OR_HIGH = {"moderate", "high"}


def run(case: Case, content: Content) -> AssessmentResult:
    return assess(case.answers, content)


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda case: case.name)
def test_cause_case(case: Case, content: Content) -> None:
    result = run(case, content)
    ranked = [cause.id for cause in result.causes]
    likelihood = {cause.id: cause.likelihood for cause in result.causes}

    assert result.triage.level == case.triage
    if case.top is not None:
        assert ranked, "no cause found at all"
        assert ranked[0] == case.top, f"ranking was {ranked}"
        assert likelihood[case.top] in MODERATE_OR_HIGH
    for cause_id in case.also:
        assert likelihood.get(cause_id) in MODERATE_OR_HIGH, f"{cause_id}: {likelihood}"
    for cause_id in case.not_first:
        assert not ranked or ranked[0] != cause_id, f"ranking was {ranked}"
    for cause_id in case.absent:
        assert cause_id not in ranked, f"{cause_id} listed: {likelihood}"


def test_every_cause_is_reachable_and_ranked_first_by_a_typical_case(content: Content) -> None:
    firsts = {run(case, content).causes[0].id for case in TYPICAL}
    assert firsts == set(content.causes)


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda case: case.name)
def test_every_reason_names_answers_that_were_given(case: Case, content: Content) -> None:
    for cause in run(case, content).causes:
        assert cause.evidence, cause.id
        assert set(cause.evidence) <= set(case.answers)
        for reason in cause.reasons:
            assert reason.explanation.strip()
            assert reason.sources


def test_structural_signs_are_never_more_than_moderate(content: Content) -> None:
    answers: dict[str, bool | int | str] = {
        "age": 19,
        "knock_knees_standing": True,
        "feet_point_in": True,
        "w_sit_comfortable": True,
        "squat_knees_in": "marked",
        "sls_knee_in": "marked",
    }
    structural = next(c for c in assess(answers, content).causes if c.id == "structural_factors")
    assert structural.likelihood == "moderate"
    assert structural.confirm_with_clinician
