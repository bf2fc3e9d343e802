"""Knee-to-wall counts as graded evidence for a stiff ankle, not as one cliff.

Expectations reasoned from the sources, not read off the engine:
- Healthy adults reach about 12 cm (spread about 2.8 cm); under 9 to 10 cm is treated as
  restricted, an expert default (Bennell 1998; Hoch & McKeon 2011; brief 1.1 row 3). So under
  9 cm is clearly short, 9 to under 10 cm borderline and weaker evidence, 10 cm and over no
  evidence of a stiff ankle.
- One reading can change by up to 1.9 cm with no real change (Powden 2015, MDC 1.6 to 1.9 cm),
  so a left-right gap counts only when it is bigger than 1.9 cm.
- One test alone should not decide a cause (clinical review 2); the brief's section 7 names a
  short knee-to-wall or a side difference as alternatives, so together they count as one strong
  sign at most, never more than a clearly short ankle does.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from questionnaire.content import Content
from questionnaire.engine import CauseResult, assess
from tests.questionnaire.cases import calm

ANKLE = "ankle_dorsiflexion_limitation"
LIKELIHOODS = ("absent", "low", "moderate", "high")


def _ankle(content: Content, left: float, right: float, **more: object) -> CauseResult | None:
    answers = calm(age=30, sex="female", knee_to_wall_left_cm=left, knee_to_wall_right_cm=right)
    answers.update(more)
    result = assess(answers, content)
    return next((cause for cause in result.causes if cause.id == ANKLE), None)


def _likelihood(cause: CauseResult | None) -> str:
    return "absent" if cause is None else cause.likelihood


def _points(cause: CauseResult | None) -> float:
    return 0.0 if cause is None else sum(reason.points for reason in cause.reasons)


def _side_gap_counted(cause: CauseResult | None) -> bool:
    return cause is not None and any(r.rule == "knee_to_wall_asymmetric" for r in cause.reasons)


@pytest.mark.parametrize(
    ("left", "right", "likelihood"),
    [
        # Clearly short on both sides: the strongest knee-to-wall evidence.
        (7, 7, "high"),
        (8.5, 8.5, "high"),
        # Borderline on both sides: still evidence, but weaker.
        (9, 9, "moderate"),
        (9.5, 9.5, "moderate"),
        # Inside the healthy spread: no evidence either way.
        (10, 10, "absent"),
        (11, 11, "absent"),
        (12, 12, "absent"),
    ],
)
def test_it_grades_the_shorter_side(
    content: Content, left: float, right: float, likelihood: str
) -> None:
    assert _likelihood(_ankle(content, left, right)) == likelihood


def test_it_counts_a_borderline_ankle_for_less_than_a_clearly_short_one(content: Content) -> None:
    assert 0 < _points(_ankle(content, 9.5, 9.5)) < _points(_ankle(content, 8.5, 8.5))


def test_no_half_centimetre_step_jumps_from_a_strong_sign_to_none(content: Content) -> None:
    # The old single line at 10 cm took 9.5 cm to a strong sign and 10 cm to none.
    steps = [x / 2 for x in range(0, 61)]
    for shorter, longer in pairwise(steps):
        jump = _points(_ankle(content, shorter, shorter)) - _points(_ankle(content, longer, longer))
        assert 0 <= jump <= 2, (shorter, longer, jump)


def test_the_review_cliff_case_is_no_longer_a_high_ankle_cause(content: Content) -> None:
    # 9.5 / 12 cm: a borderline side and a real gap, but one test only.
    uneven = _ankle(content, 9.5, 12)
    assert _likelihood(uneven) == "moderate"
    assert _points(uneven) < _points(_ankle(content, 8.5, 8.5))


@pytest.mark.parametrize(
    ("left", "right", "counted"),
    [
        # Within the smallest real change: could be measuring error alone.
        (11, 12.5, False),
        (10.5, 12, False),
        (10, 11.9, False),
        (11.9, 10, False),
        (9, 10.5, False),
        # Beyond it, on either side.
        (10, 12, True),
        (12, 10, True),
        (10, 13, True),
        (9.5, 12, True),
    ],
)
def test_it_counts_a_side_difference_only_beyond_1_9_cm(
    content: Content, left: float, right: float, counted: bool
) -> None:
    assert _side_gap_counted(_ankle(content, left, right)) is counted


def test_a_gap_within_measuring_error_adds_nothing(content: Content) -> None:
    assert _points(_ankle(content, 9, 10.5)) == _points(_ankle(content, 9, 9))
    assert _ankle(content, 10, 11.5) is None


def test_a_real_gap_between_two_normal_ankles_does_not_make_a_stiff_ankle(
    content: Content,
) -> None:
    # Both sides at or above the healthy mean: the gap is real but neither ankle is short.
    assert _ankle(content, 12, 15) is None


def test_a_real_gap_with_a_fair_shorter_side_is_at_most_a_low_sign(content: Content) -> None:
    assert _likelihood(_ankle(content, 10, 12.5)) == "low"


def test_the_whole_test_never_counts_for_more_than_a_clearly_short_ankle(
    content: Content,
) -> None:
    strongest = _points(_ankle(content, 8.5, 8.5))
    for left, right in [(5, 12), (7.5, 11), (8.5, 14), (9.5, 13), (9, 30), (0, 30)]:
        assert _points(_ankle(content, left, right)) <= strongest, (left, right)


def test_a_borderline_ankle_is_not_normal_mobility_for_the_control_rule(
    content: Content,
) -> None:
    # "The cue worked with normal strength and mobility" (Selfe 2016) needs a normal ankle.
    strong_and_cued = {
        "cue_corrects": "yes",
        "sl_bridge_poor": False,
        "clamshell_pelvis_rolls": False,
        "single_leg_stance_hip_drop": False,
        "sls_pelvic_drop": False,
    }

    def control_reasons(left: float, right: float) -> list[str]:
        answers = calm(
            age=30, knee_to_wall_left_cm=left, knee_to_wall_right_cm=right, **strong_and_cued
        )
        causes = assess(answers, content).causes
        control = next(c for c in causes if c.id == "motor_control_deficit")
        return [
            r.rule
            for r in control.reasons
            if r.rule == "cue_corrects_with_normal_strength_and_mobility"
        ]

    assert control_reasons(12, 12)
    assert control_reasons(10, 10)
    assert not control_reasons(9.5, 9.5)
    assert not control_reasons(10, 13)
