"""The content keeps the public contract: every question id, type, range and choice of
assessment-contract.md section 1, and the nine cause ids of section 2. Copied here so that a
change to the content that breaks the contract fails the build."""

from __future__ import annotations

from questionnaire.content import Content

CAUSES = {
    "glute_med_weakness",
    "glute_max_weakness",
    "adductor_tightness",
    "hip_external_rotator_weakness",
    "ankle_dorsiflexion_limitation",
    "foot_overpronation",
    "quadriceps_dominance",
    "motor_control_deficit",
    "structural_factors",
}

CONTRACT_QUESTIONS = {
    "age": ("int", (8.0, 100.0)),
    "sex": ("choice", ("female", "male", "other")),
    "sport": ("choice", ("none", "general_fitness", "running", "jumping_pivoting")),
    "side": ("choice", ("left", "right", "both")),
    "recent_injury": ("bool", ()),
    "injury_pop": ("bool", ()),
    "swelling_within_2h": ("bool", ()),
    "can_walk_4_steps": ("bool", ()),
    "bony_tenderness": ("bool", ()),
    "can_bend_90": ("bool", ()),
    "deformity": ("bool", ()),
    "locking": ("bool", ()),
    "giving_way": ("bool", ()),
    "hot_swollen_fever": ("bool", ()),
    "calf_swelling": ("bool", ()),
    "numb_or_cold_foot": ("bool", ()),
    "night_pain": ("bool", ()),
    "weight_loss": ("bool", ()),
    "lump_near_knee": ("bool", ()),
    "hip_or_thigh_pain_limp": ("bool", ()),
    "pain_worst": ("int", (0.0, 10.0)),
    "pain_where": (
        "choice",
        ("none", "front", "inner", "outer", "back", "below_kneecap_bump", "whole"),
    ),
    "pain_duration_weeks": ("int", (0.0, 520.0)),
    "pain_limits_daily": ("bool", ()),
    "pain_with_exercise": ("bool", ()),
    "self_correction_weeks": ("int", (0.0, 520.0)),
    "improving": ("choice", ("yes", "no", "unsure")),
    "knock_knees_standing": ("bool", ()),
    "squat_knees_in": ("choice", ("none", "slight", "marked")),
    "sls_knee_in": ("choice", ("none", "slight", "marked")),
    "sls_pelvic_drop": ("bool", ()),
    "sls_trunk_lean": ("bool", ()),
    "sls_knee_wobble": ("bool", ()),
    "fppa_degrees": ("number", (-30.0, 60.0)),
    "heel_lift_corrects": ("choice", ("yes", "no", "not_tried")),
    "cue_corrects": ("choice", ("yes", "no", "not_tried")),
    "band_effect": ("choice", ("better", "worse", "no_change", "not_tried")),
    "knee_to_wall_left_cm": ("number", (0.0, 30.0)),
    "knee_to_wall_right_cm": ("number", (0.0, 30.0)),
    "heels_lift_in_squat": ("bool", ()),
    "arch_collapses": ("bool", ()),
    "navicular_drop_mm": ("number", (0.0, 40.0)),
    "side_hold_left_s": ("int", (0.0, 600.0)),
    "side_hold_right_s": ("int", (0.0, 600.0)),
    "single_leg_stance_hip_drop": ("bool", ()),
    "sl_bridge_poor": ("bool", ()),
    "clamshell_pelvis_rolls": ("bool", ()),
    "butterfly_knee_floor_cm": ("number", (0.0, 60.0)),
    "squat_feel_front_thighs": ("bool", ()),
    "hip_hinge_poor": ("bool", ()),
    "stiff_landing": ("bool", ()),
    "feet_point_in": ("bool", ()),
    "w_sit_comfortable": ("bool", ()),
}


def test_every_contract_question_is_there_with_its_type_and_range(content: Content) -> None:
    for qid, (kind, spec) in CONTRACT_QUESTIONS.items():
        question = content.questions.get(qid)
        assert question is not None, f"{qid} missing"
        assert question.type == kind, qid
        if kind == "choice":
            assert set(question.choice_values) == set(spec), qid
        elif kind in {"int", "number"}:
            assert (question.min, question.max) == spec, qid
        assert question.label.strip(), qid


def test_the_nine_causes_each_explained(content: Content) -> None:
    assert set(content.causes) == CAUSES
    for cause in content.causes.values():
        assert cause.name.strip()


def test_every_question_belongs_to_a_section(content: Content) -> None:
    sections = {section.id for section in content.sections}
    assert all(question.section in sections for question in content.questions.values())
