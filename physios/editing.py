"""A physio's edits applied to a plan: pure Python, values in and values out.

The plan is the builder's typed ``Plan``; a published version stores its JSON with the physio's
decisions beside it under ``review``, and reads back into the same type.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from programs.builder import Phase, Plan, PlannedExercise
from programs.library import Library
from questionnaire.content import Content
from questionnaire.engine import CauseResult, Reason

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


class Review(BaseModel):
    """The physio's decisions, stored with the version they made."""

    model_config = ConfigDict(frozen=True)

    confirmed: list[str] = []
    dismissed: list[str] = []
    added: list[str] = []
    notes: str = ""


def plan_edit(
    plan: Plan, edits: Edits, *, library: Library, content: Content
) -> tuple[Plan, Review]:
    """The plan with the physio's decisions applied, and those decisions."""
    causes = _causes(plan.assessment.causes, edits, content)
    present = [cause.id for cause in causes]
    phases = [
        phase.model_copy(
            update={
                "exercises": [
                    _exercise(current, edits.exercises.get((p, e)), phase, library, present)
                    for e, current in enumerate(phase.exercises)
                ]
            }
        )
        for p, phase in enumerate(plan.phases)
    ]
    review = Review(
        confirmed=[c for c, d in edits.causes.items() if d == CONFIRM],
        dismissed=[c for c, d in edits.causes.items() if d == DISMISS],
        added=[c for c in edits.added if c in content.causes],
        notes=edits.notes.strip(),
    )
    assessment = plan.assessment.model_copy(update={"causes": causes})
    return plan.model_copy(update={"assessment": assessment, "phases": phases}), review


def plan_with_notes(plan: Plan, *, notes: str, physio: str) -> Plan:
    """The plan with the physio's notes for the client first among its notes."""
    if not notes.strip():
        return plan
    note = f"From {physio or 'your physiotherapist'}: {notes.strip()}"
    return plan.model_copy(update={"notes": [note, *plan.notes]})


def _exercise(
    current: PlannedExercise,
    choice: tuple[str, str] | None,
    phase: Phase,
    library: Library,
    present: list[str],
) -> PlannedExercise:
    if choice is None:
        return current
    exercise_id, dose = choice[0], choice[1].strip()
    if exercise_id == current.id:
        return current.model_copy(update={"dose": dose})
    exercise = library.get(exercise_id)
    # A dose typed for the old exercise rarely fits the new one: unless the physio changed it
    # too, the new exercise comes with its own dose for the phase's level.
    if dose == current.dose:
        dose = getattr(exercise.dose, phase.level, exercise.dose.standard)
    return PlannedExercise.from_library(exercise, dose=dose, present=present)


def _causes(causes: list[CauseResult], edits: Edits, content: Content) -> list[CauseResult]:
    kept = [c for c in causes if edits.causes.get(c.id, KEEP) != DISMISS]
    confirmed = [
        c.model_copy(
            update={
                "likelihood": "high",
                "reasons": [*c.reasons, _reason("Your physiotherapist confirmed this.")],
            }
        )
        for c in kept
        if edits.causes.get(c.id) == CONFIRM
    ]
    others = [c for c in kept if edits.causes.get(c.id) != CONFIRM]
    present = {c.id for c in kept}
    added = [
        CauseResult(
            id=cause_id,
            name=content.causes[cause_id].name,
            score=1.0,
            likelihood="high",
            evidence=[],
            confirm_with_clinician=False,
            reasons=[_reason("Your physiotherapist found this when examining you.")],
        )
        for cause_id in edits.added
        if cause_id in content.causes and cause_id not in present
    ]
    return [*added, *confirmed, *others]


def _reason(text: str) -> Reason:
    return Reason(rule=PHYSIO_RULE, questions=[], points=0.0, explanation=text, sources=[])
