"""A physio's edits applied to a plan: pure Python, values in and values out.

Plans are the JSON of the contract's section 3 (plus the builder's extra fields), so a published
version reads the same years later whatever the code does next.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from programs.library import Exercise, Library
from questionnaire.content import Content

CONFIRM, DISMISS, KEEP = "confirm", "dismiss", "keep"
PHYSIO_RULE = "physio"


@dataclass(frozen=True)
class Edits:
    """What the physio decided on the review page."""

    causes: dict[str, str] = field(default_factory=dict)  # cause id -> confirm/dismiss/keep
    added: list[str] = field(default_factory=list)
    # (phase index, exercise index) -> (exercise id, dose)
    exercises: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    notes: str = ""


def planned_exercise(exercise: Exercise, dose: str, present: list[str]) -> dict[str, Any]:
    """An exercise from the library in the plan's shape, as the builder writes it."""
    targets = [cause_id for cause_id in exercise.targets if cause_id in present]
    return {
        "id": exercise.id,
        "name": exercise.name,
        "dose": dose,
        "targets": targets or list(exercise.targets),
        "cue": exercise.cue,
        "easier": exercise.easier,
        "harder": exercise.harder,
        "role": exercise.role,
        "steps": list(exercise.steps),
        "mistakes": list(exercise.mistakes),
        "avoid_if": list(exercise.avoid_if),
        "equipment": list(exercise.equipment),
        "illustration": exercise.illustration,
        "involves_jumping": exercise.involves_jumping,
        "sources": list(exercise.sources),
    }


def plan_edit(
    plan: dict[str, Any], edits: Edits, *, library: Library, content: Content
) -> dict[str, Any]:
    """Apply the physio's decisions to a copy of the plan."""
    edited = copy.deepcopy(plan)
    causes = _causes(edited["assessment"]["causes"], edits, content)
    edited["assessment"]["causes"] = causes
    present = [cause["id"] for cause in causes]
    for p_index, phase in enumerate(edited["phases"]):
        for e_index, current in enumerate(phase["exercises"]):
            choice = edits.exercises.get((p_index, e_index))
            if choice is not None:
                phase["exercises"][e_index] = _exercise(
                    current,
                    *choice,
                    level=phase.get("level", "standard"),
                    library=library,
                    present=present,
                )
    edited["review"] = {
        "confirmed": [c for c, d in edits.causes.items() if d == CONFIRM],
        "dismissed": [c for c, d in edits.causes.items() if d == DISMISS],
        "added": [c for c in edits.added if c in content.causes],
        "notes": edits.notes.strip(),
    }
    return edited


def _exercise(
    current: dict[str, Any],
    exercise_id: str,
    dose: str,
    *,
    level: str,
    library: Library,
    present: list[str],
) -> dict[str, Any]:
    dose = dose.strip()
    if exercise_id == current["id"]:
        return {**current, "dose": dose}
    exercise = library.get(exercise_id)
    # A dose typed for the old exercise rarely fits the new one: unless the physio changed it
    # too, the new exercise comes with its own dose for the phase's level.
    if dose == current["dose"]:
        dose = getattr(exercise.dose, level, exercise.dose.standard)
    return planned_exercise(exercise, dose, present)


def _causes(causes: list[dict[str, Any]], edits: Edits, content: Content) -> list[dict[str, Any]]:
    kept = [c for c in causes if edits.causes.get(c["id"], KEEP) != DISMISS]
    confirmed = [c for c in kept if edits.causes.get(c["id"]) == CONFIRM]
    others = [c for c in kept if edits.causes.get(c["id"]) != CONFIRM]
    for cause in confirmed:
        cause["likelihood"] = "high"
        cause["reasons"] = [*cause["reasons"], _reason("Your physiotherapist confirmed this.")]
    present = {c["id"] for c in kept}
    added = [
        {
            "id": cause_id,
            "name": content.causes[cause_id].name,
            "score": 1.0,
            "likelihood": "high",
            "evidence": [],
            "confirm_with_clinician": False,
            "reasons": [_reason("Your physiotherapist found this when examining you.")],
        }
        for cause_id in edits.added
        if cause_id in content.causes and cause_id not in present
    ]
    return [*added, *confirmed, *others]


def _reason(text: str) -> dict[str, Any]:
    return {"rule": PHYSIO_RULE, "questions": [], "points": 0.0, "explanation": text, "sources": []}
