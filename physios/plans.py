"""The plans a physio reviews: the generated one, and the edits applied to make a new version.

Plans are kept as the JSON of the contract's section 3 (plus the builder's extra fields), so a
published version reads the same years later whatever the code does next. Editing is a pure
function of a plan and the physio's decisions.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from programs.builder import Plan, answer_lines, build_plan, plan_json
from programs.library import Exercise, get_library
from programs.plan_content import get_plan_content
from questionnaire.content import get_content
from questionnaire.engine import InvalidAnswers, assess, validate_answers
from questionnaire.models import Assessment

CONFIRM, DISMISS, KEEP = "confirm", "dismiss", "keep"
PHYSIO_RULE = "physio"


@dataclass(frozen=True)
class Edits:
    """What the physio decided on the review page."""

    causes: dict[str, str] = field(default_factory=dict)  # cause id -> confirm/dismiss/keep
    added: list[str] = field(default_factory=list)
    exercises: dict[tuple[int, int], tuple[str, str]] = field(default_factory=dict)
    notes: str = ""


def valid_answers(assessment: Assessment) -> dict[str, Any]:
    """The stored answers still valid under today's questions; the rest are dropped."""
    content = get_content()
    raw = assessment.answers if isinstance(assessment.answers, dict) else {}
    try:
        return validate_answers(raw, content)
    except InvalidAnswers as error:
        bad = {problem.question for problem in error.problems}
        try:
            return validate_answers({k: v for k, v in raw.items() if k not in bad}, content)
        except InvalidAnswers:
            return {}


def generated_plan(assessment: Assessment) -> dict[str, Any]:
    content = get_content()
    answers = valid_answers(assessment)
    plan = build_plan(
        answers=answers,
        assessment=assess(answers, content),
        content=content,
        library=get_library(),
        plan_content=get_plan_content(),
    )
    return plan_json(plan)


def answers_in_words(assessment: Assessment) -> list[dict[str, str]]:
    lines = answer_lines(valid_answers(assessment), get_content())
    return [line.model_dump() for line in lines]


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


def plan_edit(plan: dict[str, Any], edits: Edits) -> dict[str, Any]:
    """Apply the physio's decisions to a copy of the plan."""
    edited = copy.deepcopy(plan)
    edited["assessment"]["causes"] = _causes(edited["assessment"]["causes"], edits)
    present = [cause["id"] for cause in edited["assessment"]["causes"]]
    library = get_library()
    for p_index, phase in enumerate(edited["phases"]):
        level = phase.get("level", "standard")
        for e_index, current in enumerate(phase["exercises"]):
            choice = edits.exercises.get((p_index, e_index))
            if choice is None:
                continue
            exercise_id, dose = choice
            if exercise_id != current["id"]:
                exercise = library.get(exercise_id)
                # A dose typed for the old exercise rarely fits the new one: unless the physio
                # changed it too, the new exercise comes with its own dose for the phase.
                if dose.strip() == current["dose"]:
                    dose = getattr(exercise.dose, level, exercise.dose.standard)
                current = planned_exercise(exercise, dose, present)
            phase["exercises"][e_index] = {**current, "dose": dose.strip()}
    edited["review"] = {
        "confirmed": [c for c, d in edits.causes.items() if d == CONFIRM],
        "dismissed": [c for c, d in edits.causes.items() if d == DISMISS],
        "added": list(edits.added),
        "notes": edits.notes.strip(),
    }
    return edited


def _causes(causes: list[dict[str, Any]], edits: Edits) -> list[dict[str, Any]]:
    content = get_content()
    kept = [c for c in causes if edits.causes.get(c["id"], KEEP) != DISMISS]
    confirmed = [c for c in kept if edits.causes.get(c["id"]) == CONFIRM]
    others = [c for c in kept if edits.causes.get(c["id"]) != CONFIRM]
    for cause in confirmed:
        cause["likelihood"] = "high"
        cause["reasons"] = [
            *cause["reasons"],
            _physio_reason("Your physiotherapist confirmed this."),
        ]
    present = {c["id"] for c in kept}
    added = [
        {
            "id": cause_id,
            "name": content.causes[cause_id].name,
            "score": 1.0,
            "likelihood": "high",
            "evidence": [],
            "confirm_with_clinician": False,
            "reasons": [_physio_reason("Your physiotherapist found this when examining you.")],
        }
        for cause_id in edits.added
        if cause_id in content.causes and cause_id not in present
    ]
    return [*added, *confirmed, *others]


def _physio_reason(text: str) -> dict[str, Any]:
    return {"rule": PHYSIO_RULE, "questions": [], "points": 0.0, "explanation": text, "sources": []}


def plan_model(plan: dict[str, Any], *, notes: str = "", physio: str = "") -> Plan:
    """The stored JSON back as the builder's model, for the plan templates and the PDF."""
    data = copy.deepcopy(plan)
    data.pop("review", None)
    if notes.strip():
        data["notes"] = [
            f"From {physio or 'your physiotherapist'}: {notes.strip()}",
            *data["notes"],
        ]
    return Plan.model_validate(data)


def plan_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)
