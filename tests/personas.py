"""The named answer sets (personas) every test and the benchmarks share.

The first ones are complete answer sets for walking the questionnaire end to end, in the client
and the browser: every question a person on that path is asked has an answer (optional
measurements included where the person took them). The plan's answer sets follow, one per kind
of result.
"""

from __future__ import annotations

from typing import Any

from questionnaire.engine import AnswerValue
from tests.questionnaire.cases import CALM, calm

# The version 2 safety questions (contract 5.1) that an uninjured adult is asked, all "no".
# The version 1 questions they split are still asked by the web until it hides them, so CALM keeps
# its answers to those too.
CALM_V2: dict[str, AnswerValue] = {
    "knee_hot_or_swollen": False,
    "fever_or_unwell": False,
    "sudden_severe_pain": False,
    "cannot_bear_weight": False,
    "cold_pale_foot": False,
    "foot_numb_tingling": False,
    "foot_weakness": False,
    "saddle_bladder_bowel": False,
    "breathless_or_chest_pain": False,
    "clot_risk": False,
    "cancer_history": False,
    "immunosuppressed": False,
    "anticoagulants": False,
    "inflammatory_signs": False,
    "knee_surgery_recent": False,
    "knee_replacement": False,
    "falls_or_unsteady": False,
}

# Nothing wrong, every movement test done and normal-looking: the shared calm adult, plus
# every other question a person is asked on the way through.
QUIET: dict[str, AnswerValue] = {
    **CALM,
    **CALM_V2,
    "age": 30,
    "sex": "female",
    "sport": "general_fitness",
    "side": "both",
    "self_correction_weeks": 0,
    "knock_knees_standing": False,
    "feet_point_in": False,
    "w_sit_comfortable": False,
    "squat_knees_in": "none",
    "heels_lift_in_squat": False,
    "hip_hinge_poor": False,
    "squat_feel_front_thighs": False,
    "heel_lift_corrects": "not_tried",
    "cue_corrects": "not_tried",
    "band_effect": "not_tried",
    "sls_knee_in": "none",
    "sls_pelvic_drop": False,
    "sls_trunk_lean": False,
    "sls_knee_wobble": False,
    "arch_collapses": False,
    "single_leg_stance_hip_drop": False,
    "sl_bridge_poor": False,
    "clamshell_pelvis_rolls": False,
    "stiff_landing": False,
}


def person(**answers: AnswerValue) -> dict[str, AnswerValue]:
    return {**QUIET, **answers}


# Stiff ankles: raising the heels fixes the cave-in and the knee-to-wall test is short.
HEEL_LIFT_RESPONDER = person(
    age=35,
    sex="male",
    squat_knees_in="marked",
    heel_lift_corrects="yes",
    cue_corrects="no",
    heels_lift_in_squat=True,
    knee_to_wall_left_cm=7,
    knee_to_wall_right_cm=8.5,
)

# A runner whose outer hip tires: pelvis drops, trunk leans, one side holds far less.
WEAK_HIP_RUNNER = person(
    age=29,
    sport="running",
    side="left",
    pain_worst=3,
    pain_where="front",
    pain_duration_weeks=4,
    squat_knees_in="slight",
    heel_lift_corrects="no",
    sls_knee_in="marked",
    sls_pelvic_drop=True,
    sls_trunk_lean=True,
    single_leg_stance_hip_drop=True,
    side_hold_left_s=20,
    side_hold_right_s=45,
)

# Hurt last week and could not take four steps: the safety screen stops at once.
EMERGENCY = person(
    age=24,
    recent_injury=True,
    injury_pop=True,
    swelling_within_2h=True,
    can_walk_4_steps=False,
    bony_tenderness=False,
    can_bend_90=True,
    injury_days_ago=3,
    high_energy_injury=False,
    kneecap_dislocated=False,
    can_straight_leg_raise=True,
)

# Constant pain at night: urgent, but the person may carry on.
URGENT = person(night_pain=True, pain_worst=5, pain_where="whole", pain_duration_weeks=10)


def form_data(answers: dict[str, Any]) -> dict[str, str]:
    """The answers as a browser would post them (contract section 4)."""
    data = {}
    for qid, value in answers.items():
        if isinstance(value, bool):
            data[qid] = "yes" if value else "no"
        else:
            data[qid] = str(value)
    return data


# --- The plan's answer sets, one per kind of result ----------------------------------------

# Weak outer hip in a runner: nothing needs a professional first.
RUNNER = calm(
    age=30,
    sex="female",
    sport="running",
    side="both",
    squat_knees_in="slight",
    sls_knee_in="marked",
    sls_pelvic_drop=True,
    sls_trunk_lean=True,
    single_leg_stance_hip_drop=True,
    side_hold_left_s=20,
    side_hold_right_s=45,
    heel_lift_corrects="no",
)

# A footballer whose knee caves in on landing: gets the land-and-cut phase.
FOOTBALLER = calm(
    age=22,
    sex="male",
    sport="jumping_pivoting",
    sls_knee_in="marked",
    stiff_landing=True,
    cue_corrects="yes",
    squat_feel_front_thighs=True,
    hip_hinge_poor=True,
)

# A growing footballer with pain at the bump below the kneecap: no jumping or landing work.
GROWING_KNEE = {
    **FOOTBALLER,
    "age": 13,
    "pain_worst": 3,
    "pain_where": "below_kneecap_bump",
    "pain_duration_weeks": 3,
}

# Stiff ankles and flat feet with pain in exercise: a plan plus a routine referral.
ROUTINE = calm(
    age=40,
    sex="female",
    sport="general_fitness",
    heel_lift_corrects="yes",
    knee_to_wall_left_cm=5,
    knee_to_wall_right_cm=6,
    heels_lift_in_squat=True,
    arch_collapses=True,
    navicular_drop_mm=13,
    pain_with_exercise=True,
    pain_worst=4,
    pain_where="front",
)

# The knee looks out of place: emergency, no exercises (the plan tests' emergency).
DEFORMITY = calm(age=35, deformity=True, recent_injury=True)

# Night pain: urgent, no exercises.
NIGHT_PAIN = calm(age=50, night_pain=True, pain_worst=6, pain_where="whole")

NAMED = {
    "runner": RUNNER,
    "footballer": FOOTBALLER,
    "growing_knee": GROWING_KNEE,
    "routine": ROUTINE,
    "emergency": DEFORMITY,
    "urgent": NIGHT_PAIN,
    "empty": {},
}
