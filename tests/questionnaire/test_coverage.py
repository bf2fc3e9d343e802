"""Which movement self-tests count as not done: reasoned from the contract and the content.

Contract section 1: a missing answer is "not answered", and `not_tried` on the three comparison
squats means the person left that squat out. Neither is a result, so neither may ever be read
as a normal test; any real answer, a "no" or a 0 included, is a result.
"""

from __future__ import annotations

import pytest

from questionnaire.content import Content
from questionnaire.coverage import self_test_coverage
from questionnaire.engine import AnswerValue
from questionnaire.flow import after_saving, get_flow, resume_at, skip_test
from tests.personas import QUIET
from tests.questionnaire.cases import CALM

EVERY_TEST = [
    "standing_alignment",
    "double_leg_squat",
    "heel_lift_squat",
    "cue_squat",
    "band_squat",
    "single_leg_squat",
    "knee_to_wall",
    "foot_arch",
    "side_lying_hold",
    "single_leg_stance",
    "single_leg_bridge",
    "clamshell",
    "butterfly",
    "landing",
]


def not_done(answers, content: Content) -> list[str]:
    return [test.id for test in self_test_coverage(answers, content).not_done]


def test_the_content_has_the_fourteen_tests_in_this_order(content: Content) -> None:
    assert [test.id for test in content.self_tests] == EVERY_TEST


@pytest.mark.parametrize(
    ("answers", "missing"),
    [
        # Nothing answered, or only the questions before the tests: no test was done.
        ({}, EVERY_TEST),
        (CALM, EVERY_TEST),
        # A "no" is a result: the landing was done and the knees did not land stiffly.
        ({"stiff_landing": False}, [t for t in EVERY_TEST if t != "landing"]),
        # So is a 0: the knee could not reach the wall at all.
        ({"knee_to_wall_left_cm": 0}, [t for t in EVERY_TEST if t != "knee_to_wall"]),
        # One answer of a test's several is enough for the test to have been done.
        ({"fppa_left_degrees": 8.5}, [t for t in EVERY_TEST if t != "single_leg_squat"]),
        ({"navicular_drop_mm": 6}, [t for t in EVERY_TEST if t != "foot_arch"]),
        # "Did not try" is the contract's own word for a test left out.
        ({"band_effect": "not_tried"}, EVERY_TEST),
        ({"band_effect": "no_change"}, [t for t in EVERY_TEST if t != "band_squat"]),
        ({"heel_lift_corrects": "no"}, [t for t in EVERY_TEST if t != "heel_lift_squat"]),
        # The quiet adult tried none of the three comparison squats and took none of the
        # optional measurements of the knee-to-wall, side-lying hold and butterfly tests.
        (
            QUIET,
            [
                "heel_lift_squat",
                "cue_squat",
                "band_squat",
                "knee_to_wall",
                "side_lying_hold",
                "butterfly",
            ],
        ),
        # Every test with a result: nothing missing.
        (
            {
                **QUIET,
                "heel_lift_corrects": "yes",
                "cue_corrects": "no",
                "band_effect": "worse",
                "knee_to_wall_right_cm": 11,
                "side_hold_left_s": 40,
                "butterfly_knee_floor_cm": 12,
            },
            [],
        ),
    ],
    ids=[
        "nothing",
        "safety-only",
        "a-no",
        "a-zero",
        "one-of-several",
        "optional-only",
        "band-not-tried",
        "band-no-change",
        "heel-lift-no",
        "quiet",
        "everything",
    ],
)
def test_it_counts_a_test_not_done_only_when_it_holds_no_result(
    content: Content, answers, missing
) -> None:
    coverage = self_test_coverage(answers, content)
    assert [test.id for test in coverage.not_done] == missing
    assert [test.id for test in coverage.done] == [t for t in EVERY_TEST if t not in missing]
    assert coverage.total == 14
    assert coverage.none_done == (len(missing) == 14)
    assert coverage.all_done == (not missing)


@pytest.mark.parametrize(
    ("page_id", "before", "after"),
    [
        # Yes/no and choice questions with no "did not try": left unanswered.
        (
            "standing-alignment",
            {"knock_knees_standing": True, "feet_point_in": False, "w_sit_comfortable": True},
            {},
        ),
        ("landing", {"stiff_landing": True}, {}),
        # Measurements: left empty.
        ("knee-to-wall", {"knee_to_wall_left_cm": 9, "knee_to_wall_right_cm": 10}, {}),
        # The comparison squats have the contract's "did not try".
        ("band-squat", {"band_effect": "worse"}, {"band_effect": "not_tried"}),
        ("heel-lift-squat", {}, {"heel_lift_corrects": "not_tried"}),
    ],
)
def test_skipping_a_test_clears_only_that_test(content: Content, page_id, before, after) -> None:
    page = get_flow(content).by_id[page_id]
    others: dict[str, AnswerValue] = {
        "age": 40,
        "pain_worst": 2,
        "sls_knee_in": "marked",
        "side_hold_left_s": 30,
    }
    skipped = skip_test(page, {**others, **before})
    assert skipped == {**others, **after}
    assert page.self_test is not None
    assert page.self_test in self_test_coverage(skipped, content).not_done


def test_a_skipped_test_leads_on_to_the_next_test(content: Content) -> None:
    flow = get_flow(content)
    page = flow.by_id["double-leg-squat"]
    answers = skip_test(page, QUIET)
    route = after_saving(flow, page, answers, content, seen_flags=(), changing=False, skipped=True)
    assert route.to == flow.by_id["heel-lift-squat"]
    # Without the skip, the same unanswered page would be shown again.
    stay = after_saving(flow, page, answers, content, seen_flags=(), changing=False)
    assert stay.to == page


def test_a_skipped_last_test_leads_to_the_check_page(content: Content) -> None:
    flow = get_flow(content)
    page = flow.by_id["landing"]
    answers = skip_test(page, QUIET)
    route = after_saving(flow, page, answers, content, seen_flags=(), changing=False, skipped=True)
    assert route.to == "check"


def test_the_private_link_returns_to_the_test_the_person_was_on(content: Content) -> None:
    # No test ever waits, so the step saved on the way is what brings the person back.
    flow = get_flow(content)
    before_tests = {
        k: v for k, v in QUIET.items() if k not in {"stiff_landing", "clamshell_pelvis_rolls"}
    }
    at = resume_at(flow, before_tests, content, step="clamshell", completed=False)
    assert at == flow.by_id["clamshell"]
    assert resume_at(flow, before_tests, content, step="check", completed=False) == "check"
    assert resume_at(flow, before_tests, content, step="clamshell", completed=True) == "results"
