"""Clinical cases for the rules engine, with outcomes reasoned from the sources.

Each case's expectation comes from the brief (section 6 vignettes, section 1.7 table, section 3
red flags), not from running the engine. `top` must rank first; `also` must be listed with at
least a moderate likelihood; `not_first` must not rank first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Case:
    name: str
    answers: dict[str, Any]
    triage: str = "self_care"
    top: str | None = None
    also: tuple[str, ...] = ()
    not_first: tuple[str, ...] = ()
    absent: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    notes: str = field(default="", compare=False)


# A healthy adult with no symptoms: the base most movement cases build on.
CALM = {
    "recent_injury": False,
    "locking": False,
    "giving_way": False,
    "hot_swollen_fever": False,
    "calf_swelling": False,
    "numb_or_cold_foot": False,
    "night_pain": False,
    "weight_loss": False,
    "lump_near_knee": False,
    "hip_or_thigh_pain_limp": False,
    "deformity": False,
    "pain_worst": 0,
    "pain_limits_daily": False,
    "pain_with_exercise": False,
}


def calm(**answers: Any) -> dict[str, Any]:
    return {**CALM, **answers}


# --- One typical presentation per cause: each must be reachable and ranked first. -------------
TYPICAL = [
    Case(
        "weak outer hip: pelvis drops, trunk leans, one side tires early",
        calm(
            age=30,
            sex="female",
            sport="running",
            squat_knees_in="slight",
            sls_knee_in="marked",
            sls_pelvic_drop=True,
            sls_trunk_lean=True,
            single_leg_stance_hip_drop=True,
            side_hold_left_s=20,
            side_hold_right_s=45,
            heel_lift_corrects="no",
        ),
        top="glute_med_weakness",
        not_first=("ankle_dorsiflexion_limitation",),
    ),
    Case(
        "weak buttock: single-leg bridge fails, squats felt in the front of the thighs",
        calm(
            age=40,
            sex="male",
            sport="general_fitness",
            squat_knees_in="slight",
            sl_bridge_poor=True,
            squat_feel_front_thighs=True,
            hip_hinge_poor=False,
            stiff_landing=False,
            sls_pelvic_drop=False,
            single_leg_stance_hip_drop=False,
            heel_lift_corrects="no",
            clamshell_pelvis_rolls=False,
        ),
        top="glute_max_weakness",
    ),
    Case(
        "tight inner thighs: butterfly knee high, band makes it worse",
        calm(
            age=28,
            sex="male",
            squat_knees_in="marked",
            butterfly_knee_floor_cm=26,
            band_effect="worse",
            heel_lift_corrects="no",
            cue_corrects="no",
            clamshell_pelvis_rolls=False,
            sls_pelvic_drop=False,
            single_leg_stance_hip_drop=False,
        ),
        top="adductor_tightness",
    ),
    Case(
        "weak deep rotators: clamshell fails, knee turns in over a steady foot",
        calm(
            age=25,
            sex="female",
            squat_knees_in="none",
            sls_knee_in="slight",
            clamshell_pelvis_rolls=True,
            arch_collapses=False,
            feet_point_in=False,
            side_hold_left_s=50,
            side_hold_right_s=52,
            heel_lift_corrects="no",
        ),
        top="hip_external_rotator_weakness",
    ),
    Case(
        "stiff ankles: heel lift fixes it, short knee-to-wall both sides",
        calm(
            age=35,
            sex="male",
            squat_knees_in="marked",
            heel_lift_corrects="yes",
            knee_to_wall_left_cm=7,
            knee_to_wall_right_cm=8,
            heels_lift_in_squat=True,
        ),
        top="ankle_dorsiflexion_limitation",
        not_first=("glute_med_weakness",),
    ),
    Case(
        "flattening feet: arch collapses and navicular drop over 10 mm",
        calm(
            age=45,
            sex="female",
            squat_knees_in="slight",
            arch_collapses=True,
            navicular_drop_mm=13,
            heel_lift_corrects="no",
            knee_to_wall_left_cm=12,
            knee_to_wall_right_cm=12.5,
        ),
        top="foot_overpronation",
    ),
    Case(
        "quadriceps dominance: stiff loud landings, no hip hinge",
        calm(
            age=19,
            sex="male",
            sport="jumping_pivoting",
            squat_knees_in="slight",
            stiff_landing=True,
            hip_hinge_poor=True,
            squat_feel_front_thighs=True,
        ),
        top="quadriceps_dominance",
        also=("glute_max_weakness",),
    ),
    Case(
        "movement control: a cue fixes it, strength and ankles normal, knee wobbles",
        calm(
            age=22,
            sex="female",
            sport="jumping_pivoting",
            squat_knees_in="slight",
            sls_knee_in="slight",
            cue_corrects="yes",
            sls_knee_wobble=True,
            heel_lift_corrects="no",
            knee_to_wall_left_cm=13,
            knee_to_wall_right_cm=13,
            sl_bridge_poor=False,
            clamshell_pelvis_rolls=False,
            sls_pelvic_drop=False,
            single_leg_stance_hip_drop=False,
            side_hold_left_s=70,
            side_hold_right_s=72,
        ),
        top="motor_control_deficit",
    ),
    Case(
        "build of the leg: knock knees and in-toeing at rest, W-sitting",
        calm(
            age=19,
            sex="female",
            squat_knees_in="slight",
            knock_knees_standing=True,
            feet_point_in=True,
            w_sit_comfortable=True,
        ),
        top="structural_factors",
    ),
]

# --- The brief's section 6 vignettes that concern the causes. ---------------------------------
VIGNETTES = [
    Case(
        "6.1 ankle-driven valgus: heel lift abolishes it, knee-to-wall 7.5 cm left",
        calm(
            age=21,
            sex="female",
            squat_knees_in="marked",
            heel_lift_corrects="yes",
            knee_to_wall_left_cm=7.5,
            knee_to_wall_right_cm=11,
            side_hold_left_s=60,
            side_hold_right_s=58,
        ),
        top="ankle_dorsiflexion_limitation",
        not_first=("glute_med_weakness",),
    ),
    Case(
        "6.2 weak hip abductors and rotators with kneecap pain in a young runner",
        {
            **calm(
                age=16,
                sex="female",
                sport="running",
                pain_worst=4,
                pain_where="front",
                pain_duration_weeks=3,
            ),
            "sls_knee_in": "marked",
            "sls_pelvic_drop": True,
            "sls_trunk_lean": True,
            "fppa_degrees": 17,
            "heel_lift_corrects": "no",
            "side_hold_left_s": 18,
            "side_hold_right_s": 45,
            "single_leg_stance_hip_drop": True,
        },
        top="glute_med_weakness",
        also=("hip_external_rotator_weakness",),
    ),
    Case(
        "6.3 weak and pronated foot subgroup",
        calm(
            age=30,
            sex="female",
            navicular_drop_mm=12,
            arch_collapses=True,
            side_hold_left_s=25,
            side_hold_right_s=40,
            sls_knee_in="slight",
        ),
        top="foot_overpronation",
        also=("glute_med_weakness",),
    ),
    Case(
        "6.4 weak and tighter subgroup: short knee-to-wall both sides, weak hips",
        calm(
            age=27,
            sex="female",
            knee_to_wall_left_cm=8,
            knee_to_wall_right_cm=8,
            sl_bridge_poor=True,
            side_hold_left_s=20,
            side_hold_right_s=22,
            squat_feel_front_thighs=True,
            squat_knees_in="slight",
        ),
        top="ankle_dorsiflexion_limitation",
        also=("glute_max_weakness",),
    ),
    Case(
        "6.5 strong subgroup: no deficits, a cue and mirror fix it, rep-to-rep shake",
        calm(
            age=20,
            sex="female",
            sport="jumping_pivoting",
            sls_knee_in="slight",
            cue_corrects="yes",
            sls_knee_wobble=True,
            heel_lift_corrects="no",
            knee_to_wall_left_cm=12.5,
            knee_to_wall_right_cm=13,
            sl_bridge_poor=False,
            clamshell_pelvis_rolls=False,
            single_leg_stance_hip_drop=False,
            sls_pelvic_drop=False,
            side_hold_left_s=60,
            side_hold_right_s=62,
        ),
        top="motor_control_deficit",
        absent=("ankle_dorsiflexion_limitation", "glute_max_weakness"),
    ),
    Case(
        "6.6 adductor dominance: butterfly 25 cm, band worsens it, heel lift no change",
        calm(
            age=24,
            sex="male",
            butterfly_knee_floor_cm=25,
            band_effect="worse",
            heel_lift_corrects="no",
            squat_knees_in="slight",
        ),
        top="adductor_tightness",
        not_first=("ankle_dorsiflexion_limitation",),
    ),
    Case(
        "6.7 quadriceps dominance: stiff loud landing, knee-dominant squat",
        calm(
            age=18,
            sex="male",
            sport="jumping_pivoting",
            stiff_landing=True,
            hip_hinge_poor=True,
            squat_knees_in="slight",
        ),
        top="quadriceps_dominance",
        also=("glute_max_weakness",),
    ),
    Case(
        "6.8 structural: inward-facing kneecaps, in-toeing, W-sitting, valgus at rest",
        calm(
            age=19,
            sex="female",
            feet_point_in=True,
            w_sit_comfortable=True,
            knock_knees_standing=True,
        ),
        top="structural_factors",
    ),
]

# --- Mixed cases where the evidence conflicts. --------------------------------------------------
MIXED = [
    Case(
        "heel lift corrects despite a dropping pelvis: the ankle still leads (Bell 2008)",
        calm(
            age=26,
            sex="female",
            squat_knees_in="marked",
            heel_lift_corrects="yes",
            sls_pelvic_drop=True,
            knee_to_wall_left_cm=9,
            knee_to_wall_right_cm=9.5,
        ),
        top="ankle_dorsiflexion_limitation",
        not_first=("glute_med_weakness",),
    ),
    Case(
        "a cue helps but the buttock is weak: control and strength both stay on the list",
        calm(
            age=33,
            sex="male",
            squat_knees_in="slight",
            cue_corrects="yes",
            sl_bridge_poor=True,
            hip_hinge_poor=True,
        ),
        also=("motor_control_deficit", "glute_max_weakness"),
    ),
    Case(
        "pronated feet but the heel lift fixes it: ankle first, foot second",
        calm(
            age=38,
            sex="female",
            squat_knees_in="marked",
            heel_lift_corrects="yes",
            arch_collapses=True,
            knee_to_wall_left_cm=8.5,
            knee_to_wall_right_cm=8,
        ),
        top="ankle_dorsiflexion_limitation",
        also=("foot_overpronation",),
    ),
    Case(
        "cue does not help and the ankles are fine: not a control problem, not the ankle",
        calm(
            age=29,
            sex="female",
            squat_knees_in="marked",
            cue_corrects="no",
            heel_lift_corrects="no",
            knee_to_wall_left_cm=13,
            knee_to_wall_right_cm=14,
            sls_pelvic_drop=True,
            single_leg_stance_hip_drop=True,
        ),
        top="glute_med_weakness",
        absent=("motor_control_deficit", "ankle_dorsiflexion_limitation"),
    ),
    Case(
        "no cave-in seen and all tests normal: nothing to point at",
        calm(
            age=31,
            sex="male",
            squat_knees_in="none",
            sls_knee_in="none",
            heel_lift_corrects="not_tried",
            cue_corrects="not_tried",
            band_effect="not_tried",
            knee_to_wall_left_cm=13,
            knee_to_wall_right_cm=13,
            arch_collapses=False,
            navicular_drop_mm=6,
            side_hold_left_s=60,
            side_hold_right_s=60,
            single_leg_stance_hip_drop=False,
            sl_bridge_poor=False,
            clamshell_pelvis_rolls=False,
            butterfly_knee_floor_cm=8,
            squat_feel_front_thighs=False,
            hip_hinge_poor=False,
            stiff_landing=False,
            feet_point_in=False,
            knock_knees_standing=False,
            w_sit_comfortable=False,
            sls_pelvic_drop=False,
            sls_trunk_lean=False,
            sls_knee_wobble=False,
            heels_lift_in_squat=False,
        ),
        absent=(
            "glute_med_weakness",
            "glute_max_weakness",
            "adductor_tightness",
            "hip_external_rotator_weakness",
            "ankle_dorsiflexion_limitation",
            "foot_overpronation",
            "quadriceps_dominance",
            "motor_control_deficit",
            "structural_factors",
        ),
    ),
    Case(
        "a measured angle without a rating still counts, by the band for the person's sex",
        calm(age=23, sex="male", fppa_degrees=16, sls_pelvic_drop=True, heel_lift_corrects="no"),
        top="glute_med_weakness",
        also=("hip_external_rotator_weakness",),
    ),
    Case(
        "a borderline knee-to-wall with a side gap does not outrank three hip signs",
        # 9.5 / 12 cm: borderline and a real gap, but one test alone should not decide a cause
        # (clinical review 2; Powden 2015), while the pelvis drops in two tests and the trunk leans.
        calm(
            age=34,
            sex="female",
            squat_knees_in="slight",
            knee_to_wall_left_cm=9.5,
            knee_to_wall_right_cm=12,
            sls_pelvic_drop=True,
            sls_trunk_lean=True,
            single_leg_stance_hip_drop=True,
        ),
        top="glute_med_weakness",
        also=("ankle_dorsiflexion_limitation",),
    ),
    Case(
        "ankles 1.5 cm apart and neither short: within measuring error, not the ankle",
        # A gap within the smallest real change (1.9 cm, Powden 2015) with both sides in the
        # healthy range (about 12 cm, Hoch & McKeon 2011) is no sign of a stiff ankle.
        calm(
            age=45,
            sex="male",
            squat_knees_in="slight",
            knee_to_wall_left_cm=10.5,
            knee_to_wall_right_cm=12,
            sl_bridge_poor=True,
        ),
        top="glute_max_weakness",
        absent=("ankle_dorsiflexion_limitation",),
    ),
]

CAUSE_CASES = TYPICAL + VIGNETTES + MIXED
