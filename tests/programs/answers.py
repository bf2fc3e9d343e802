"""Named answer sets for the plan tests, one per kind of result."""

from __future__ import annotations

from tests.questionnaire.cases import calm

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

# The knee looks out of place: emergency, no exercises.
EMERGENCY = calm(age=35, deformity=True, recent_injury=True)

# Night pain: urgent, no exercises.
URGENT = calm(age=50, night_pain=True, pain_worst=6, pain_where="whole")

NAMED = {
    "runner": RUNNER,
    "footballer": FOOTBALLER,
    "growing_knee": GROWING_KNEE,
    "routine": ROUTINE,
    "emergency": EMERGENCY,
    "urgent": URGENT,
    "empty": {},
}
