"""Red flags: each one triggers its own triage level, and the brief's section 6 safety cases.

Expected levels come from brief section 3 and the contract's triage definitions, not from the
engine: a suspected fracture, infection, clot or damaged blood supply is an emergency; a locked
knee, an acute ligament pattern, a positive Ottawa rule, night pain, weight loss, a lump or a
child with hip pain or a limp needs a doctor within a day or two; lasting or limiting pain and a
lack of progress need a routine physiotherapy appointment.
"""

from __future__ import annotations

from typing import Any

import pytest

from questionnaire.content import Content
from questionnaire.engine import assess
from tests.questionnaire.cases import CALM, calm

INJURED = {"recent_injury": True, "can_walk_4_steps": True, "can_bend_90": True, "age": 30}

# flag id -> (answers that should raise it, the level it must produce)
TRIGGERS: dict[str, tuple[dict[str, Any], str]] = {
    # Version 2 correction: only a changed shape after an injury is a possible break.
    "deformity": ({"deformity": True, "recent_injury": True}, "emergency"),
    "deformity_without_injury": ({"deformity": True}, "urgent"),
    "cannot_bear_weight_after_injury": (
        {"recent_injury": True, "can_walk_4_steps": False},
        "emergency",
    ),
    "hot_swollen_knee_with_fever": ({"hot_swollen_fever": True}, "emergency"),
    "calf_swelling": ({"calf_swelling": True}, "emergency"),
    "cold_or_numb_foot_after_injury": ({**INJURED, "numb_or_cold_foot": True}, "emergency"),
    "locked_knee": ({"locking": True}, "urgent"),
    "rapid_swelling_after_injury": ({**INJURED, "swelling_within_2h": True}, "urgent"),
    "giving_way_after_injury": ({**INJURED, "giving_way": True}, "urgent"),
    "ottawa_knee_rule": ({**INJURED, "bony_tenderness": True}, "urgent"),
    "severe_pain_after_injury": ({**INJURED, "pain_worst": 9}, "urgent"),
    "night_or_constant_pain": ({"night_pain": True}, "urgent"),
    "unexplained_weight_loss": ({"weight_loss": True}, "urgent"),
    "lump_near_knee": ({"lump_near_knee": True}, "urgent"),
    "child_hip_or_thigh_pain_or_limp": ({"age": 11, "hip_or_thigh_pain_limp": True}, "urgent"),
    "numbness_without_injury": (
        {"recent_injury": False, "numb_or_cold_foot": True},
        "urgent",
    ),
    "recent_injury": (INJURED, "routine"),
    "persistent_pain": ({"pain_worst": 3, "pain_duration_weeks": 10}, "routine"),
    "pain_limits_daily_life": ({"pain_limits_daily": True}, "routine"),
    "pain_with_exercise": ({"pain_with_exercise": True}, "routine"),
    "high_pain": ({"pain_worst": 7, "recent_injury": False}, "routine"),
    "no_progress": ({"self_correction_weeks": 8, "improving": "no"}, "routine"),
    "growing_knee_pain": ({"age": 13, "pain_where": "below_kneecap_bump"}, "routine"),
    "giving_way": ({"giving_way": True, "recent_injury": False}, "routine"),
    "adult_hip_or_thigh_pain": ({"age": 40, "hip_or_thigh_pain_limp": True}, "routine"),
    # Version 2 flags (contract 5.2); the reasons and sources are in test_triage_v2.py.
    "hot_swollen_knee_unwell": (
        {"knee_hot_or_swollen": True, "fever_or_unwell": True},
        "emergency",
    ),
    "hot_swollen_knee_at_risk": (
        {"knee_hot_or_swollen": True, "knee_replacement": True},
        "emergency",
    ),
    "straight_leg_raise_lost_after_injury": (
        {**INJURED, "can_straight_leg_raise": False},
        "emergency",
    ),
    "high_energy_injury": ({**INJURED, "high_energy_injury": True}, "emergency"),
    "cold_pale_foot": ({"cold_pale_foot": True}, "emergency"),
    "foot_weakness_after_injury": ({**INJURED, "foot_weakness": True}, "emergency"),
    "saddle_numbness_or_bladder_bowel": ({"saddle_bladder_bowel": True}, "emergency"),
    "breathless_or_chest_pain": ({"breathless_or_chest_pain": True}, "emergency"),
    "calf_swelling_with_clot_risk": ({"calf_swelling": True, "clot_risk": True}, "emergency"),
    "unwell_and_cannot_bear_weight": (
        {"fever_or_unwell": True, "cannot_bear_weight": True},
        "emergency",
    ),
    "hot_or_swollen_knee": ({"knee_hot_or_swollen": True}, "urgent"),
    "sudden_severe_pain": ({"sudden_severe_pain": True}, "urgent"),
    "cannot_bear_weight": ({"cannot_bear_weight": True, "recent_injury": False}, "urgent"),
    "kneecap_dislocated": ({**INJURED, "kneecap_dislocated": True}, "urgent"),
    "foot_weakness": ({"foot_weakness": True, "recent_injury": False}, "urgent"),
    "numbness_after_injury": ({**INJURED, "foot_numb_tingling": True}, "urgent"),
    "fever_with_knee_pain": ({"fever_or_unwell": True, "pain_worst": 4}, "urgent"),
    "child_unwell_signs": ({"age": 9, "child_unwell_signs": True}, "urgent"),
    "swelling_after_injury_on_anticoagulants": (
        {**INJURED, "swelling_within_2h": True, "anticoagulants": True},
        "urgent",
    ),
    "injury_with_knee_replacement": (
        {**INJURED, "injury_days_ago": 2, "knee_replacement": True},
        "urgent",
    ),
    "inflammatory_signs": ({"inflammatory_signs": True}, "routine"),
    "numbness_or_tingling": ({"foot_numb_tingling": True, "recent_injury": False}, "routine"),
    "child_knee_pain_two_weeks": (
        {"age": 12, "pain_worst": 3, "pain_duration_weeks": 3},
        "routine",
    ),
    "cancer_history_with_pain": (
        {"age": 60, "cancer_history": True, "pain_worst": 3, "pain_duration_weeks": 2},
        "routine",
    ),
    "falls_risk": ({"age": 70, "falls_or_unsteady": True}, "routine"),
}

ORDER = ["self_care", "routine", "urgent", "emergency"]


def test_every_red_flag_in_the_content_has_a_trigger_case(content: Content) -> None:
    assert set(TRIGGERS) == {flag.id for flag in content.red_flags}


@pytest.mark.parametrize("flag_id", sorted(TRIGGERS))
def test_flag_triggers_its_level(flag_id: str, content: Content) -> None:
    answers, level = TRIGGERS[flag_id]
    result = assess(answers, content)
    hits = {hit.id: hit for hit in result.red_flags}
    assert flag_id in hits, f"raised {sorted(hits)}"
    assert hits[flag_id].level == level
    assert hits[flag_id].advice.strip() and hits[flag_id].sources
    # A parent or carer gets advice of their own whenever the person must be seen soon.
    assert bool(hits[flag_id].advice_carer) is (level in ("emergency", "urgent"))
    assert set(hits[flag_id].answers) <= set(answers)
    # The triage is the most serious level raised, and the flag's own level is reached.
    assert result.triage.level == max((h.level for h in result.red_flags), key=ORDER.index)
    assert ORDER.index(result.triage.level) >= ORDER.index(level)
    assert result.triage.plan_allowed is (result.triage.level in ("routine", "self_care"))


@pytest.mark.parametrize("flag_id", sorted(TRIGGERS))
def test_flag_stays_quiet_on_calm_answers(flag_id: str, content: Content) -> None:
    result = assess({**CALM, "age": 30, "can_walk_4_steps": True}, content)
    assert flag_id not in {hit.id for hit in result.red_flags}


def test_calm_answers_are_self_care_and_allow_a_plan(content: Content) -> None:
    result = assess(calm(age=30), content)
    assert result.triage.level == "self_care"
    assert result.triage.plan_allowed
    assert result.red_flags == []


def test_a_healthy_teenager_without_pain_is_not_flagged(content: Content) -> None:
    result = assess(calm(age=13, pain_where="none", sport="jumping_pivoting"), content)
    assert result.triage.level == "self_care"


def test_injury_questions_without_an_injury_raise_nothing(content: Content) -> None:
    answers = calm(age=30, injury_pop=True, swelling_within_2h=True, bony_tenderness=True)
    assert assess(answers, content).triage.level == "self_care"


def test_most_serious_flag_wins(content: Content) -> None:
    result = assess({"locking": True, "calf_swelling": True, "pain_limits_daily": True}, content)
    assert result.triage.level == "emergency"
    assert next(hit.level for hit in result.red_flags) == "emergency"
    assert {"locked_knee", "calf_swelling", "pain_limits_daily_life"} <= {
        hit.id for hit in result.red_flags
    }


# --- Brief section 6, cases 9 to 16 ---------------------------------------------------------------
SAFETY_VIGNETTES = [
    pytest.param(
        calm(
            age=20,
            sex="male",
            sport="jumping_pivoting",
            recent_injury=True,
            injury_pop=True,
            swelling_within_2h=True,
            giving_way=True,
            can_walk_4_steps=True,
            pain_worst=5,
        ),
        "urgent",
        {"rapid_swelling_after_injury", "giving_way_after_injury"},
        id="6.9 pivot, pop, swelling within an hour, giving way: acute knee clinic today",
    ),
    pytest.param(
        calm(age=45, hot_swollen_fever=True, recent_injury=False, pain_worst=8),
        "emergency",
        {"hot_swollen_knee_with_fever"},
        id="6.10 hot red swollen knee with fever, no trauma: emergency department now",
    ),
    pytest.param(
        calm(
            age=13,
            sex="male",
            hip_or_thigh_pain_limp=True,
            pain_where="front",
            pain_duration_weeks=4,
            pain_worst=4,
        ),
        "urgent",
        {"child_hip_or_thigh_pain_or_limp"},
        id="6.11 13-year-old with thigh and knee pain and a limp: same-day assessment",
    ),
    pytest.param(
        calm(
            age=12,
            sex="male",
            sport="jumping_pivoting",
            pain_where="below_kneecap_bump",
            pain_worst=4,
            pain_with_exercise=True,
        ),
        "routine",
        {"growing_knee_pain"},
        id="6.12 Osgood-Schlatter pattern: not an emergency, a modified plan and physio",
    ),
    pytest.param(
        calm(age=14, sex="female", night_pain=True, pain_worst=6, recent_injury=False),
        "urgent",
        {"night_or_constant_pain"},
        id="6.13 teenager woken by constant knee pain: urgent referral",
    ),
    pytest.param(
        calm(age=35, calf_swelling=True, recent_injury=False),
        "emergency",
        {"calf_swelling"},
        id="6.14 swollen calf after knee surgery: same-day medical assessment",
    ),
    pytest.param(
        calm(age=28, self_correction_weeks=6, improving="no", pain_worst=4, pain_duration_weeks=12),
        "routine",
        {"no_progress", "persistent_pain"},
        id="6.15 six weeks of exercise without progress: routine physiotherapy",
    ),
    pytest.param(
        calm(age=58, recent_injury=True, can_walk_4_steps=True, can_bend_90=True, pain_worst=4),
        "urgent",
        {"ottawa_knee_rule"},
        id="6.16 58-year-old fell on the knee, can walk: X-ray check first (Ottawa)",
    ),
]


@pytest.mark.parametrize(("answers", "level", "flags"), SAFETY_VIGNETTES)
def test_safety_vignette(
    answers: dict[str, Any], level: str, flags: set[str], content: Content
) -> None:
    result = assess(answers, content)
    assert result.triage.level == level
    assert flags <= {hit.id for hit in result.red_flags}
    assert result.triage.plan_allowed is (level in ("routine", "self_care"))
