"""The answer sets the golden outputs were recorded from, and the physio edits on some of them.

Only read when recording (``GOLDEN_RECORD=1``): each recording stores its own input beside its
outputs, so the goldens keep testing the same input whatever happens to the named sets later.
"""

from __future__ import annotations

from typing import Any

from tests import personas
from tests.questionnaire.cases import MIXED, TYPICAL, VIGNETTES, calm

# name -> answers: every triage level, every cause ranked first, plans with and without jumping
# and a stepped-down dose, and a stored answer set that no longer fits today's questions.
ANSWERS: dict[str, dict[str, Any]] = {
    **{f"typical-{i}": case.answers for i, case in enumerate(TYPICAL, start=1)},
    "vignette-2-runner": VIGNETTES[1].answers,
    "vignette-5-strong": VIGNETTES[4].answers,
    "mixed-1-heel-lift-and-pelvis": MIXED[0].answers,
    "mixed-5-nothing-to-point-at": MIXED[4].answers,
    "persona-quiet": personas.QUIET,
    "persona-heel-lift": personas.HEEL_LIFT_RESPONDER,
    "persona-weak-hip-runner": personas.WEAK_HIP_RUNNER,
    "persona-emergency": personas.EMERGENCY,
    "persona-urgent": personas.URGENT,
    "plan-footballer": personas.FOOTBALLER,
    "plan-growing-knee": personas.GROWING_KNEE,
    "plan-routine": personas.ROUTINE,
    "plan-emergency-deformity": personas.DEFORMITY,
    "high-pain-steps-down": calm(
        age=40, sport="jumping_pivoting", sls_knee_in="marked", pain_worst=7
    ),
    "no-jumping-after-injury": calm(
        age=22,
        sport="jumping_pivoting",
        recent_injury=True,
        can_walk_4_steps=True,
        can_bend_90=True,
        sls_knee_in="marked",
        stiff_landing=True,
    ),
    "stale-answers": {
        **personas.WEAK_HIP_RUNNER,
        "a_question_removed_since": True,
        "pain_worst": 99,
    },
}

# name -> (answers, edits): the physio's review, published as a plan version and shared.
# Edits: swap = (phase, exercise, new id), dose = (phase, exercise, dose text), causes = cause
# id -> confirm/dismiss, add = causes found on examination, notes, and `again` for a second
# publication on top of the first.
PHYSIO: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "physio-unchanged": (personas.RUNNER, {}),
    "physio-swap": (personas.RUNNER, {"swap": [(0, 0, "piriformis_stretch")]}),
    "physio-dose": (personas.RUNNER, {"dose": [(1, 1, "3 sets of 8, slow")]}),
    "physio-notes": (personas.RUNNER, {"notes": "Ice after sessions.\nCall me if it hurts."}),
    "physio-swap-with-dose": (
        personas.HEEL_LIFT_RESPONDER,
        {"swap": [(2, 0, "side_plank")], "dose": [(2, 0, "4 x 20 s each side")]},
    ),
    "physio-confirm-dismiss": (
        personas.WEAK_HIP_RUNNER,
        {"causes": {"hip_external_rotator_weakness": "confirm", "glute_med_weakness": "dismiss"}},
    ),
    "physio-add-cause": (
        personas.FOOTBALLER,
        {"add": ["structural_factors", "foot_overpronation"], "notes": "Seen on 3 March."},
    ),
    "physio-routine-twice": (
        personas.ROUTINE,
        {
            "causes": {"glute_med_weakness": "confirm"},
            "notes": "First version.",
            "again": {"swap": [(0, 1, "side_lying_hip_abduction")], "notes": "Second version."},
        },
    ),
}
