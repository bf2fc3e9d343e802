"""The contract's lists of question ids (../shared/spec/assessment-contract.md, sections 1 and
5), copied from it rather than read from the content, so that tests of the content and the
engine hold them to the contract.
"""

from __future__ import annotations

# Contract 5.1, every new id with its type and range.
V2_QUESTIONS: dict[str, tuple[str, tuple[float, float] | None]] = {
    "injury_days_ago": ("int", (0.0, 42.0)),
    **{
        qid: ("bool", None)
        for qid in (
            "high_energy_injury",
            "can_straight_leg_raise",
            "kneecap_dislocated",
            "knee_hot_or_swollen",
            "fever_or_unwell",
            "sudden_severe_pain",
            "cannot_bear_weight",
            "cold_pale_foot",
            "foot_numb_tingling",
            "foot_weakness",
            "saddle_bladder_bowel",
            "breathless_or_chest_pain",
            "clot_risk",
            "cancer_history",
            "immunosuppressed",
            "anticoagulants",
            "knee_surgery_recent",
            "knee_replacement",
            "inflammatory_signs",
            "child_unwell_signs",
            "falls_or_unsteady",
        )
    },
}

# Contract 5.3: the injury follow-ups, in the order the contract lists them.
INJURY_FOLLOW_UPS = (
    "injury_pop",
    "swelling_within_2h",
    "can_walk_4_steps",
    "bony_tenderness",
    "can_bend_90",
    "injury_days_ago",
    "high_energy_injury",
    "can_straight_leg_raise",
    "kneecap_dislocated",
)
# The safety bools of contract section 1 (its safety screen), without the two that v2 splits.
V1_SAFETY = (
    "recent_injury",
    "injury_pop",
    "swelling_within_2h",
    "can_walk_4_steps",
    "bony_tenderness",
    "can_bend_90",
    "deformity",
    "locking",
    "giving_way",
    "calf_swelling",
    "night_pain",
    "weight_loss",
    "lump_near_knee",
    "hip_or_thigh_pain_limp",
)
SPLIT = ("hot_swollen_fever", "numb_or_cold_foot")
SAFETY = set(V1_SAFETY) | set(V2_QUESTIONS)
FOR_EVERYONE = SAFETY - set(INJURY_FOLLOW_UPS) - {"child_unwell_signs"}
