"""A physio's edits applied to a plan: pure Python, values in and values out.

The plan is the builder's typed ``Plan``; a published version stores its JSON with the physio's
decisions beside it under ``review``, and reads back into the same type.

The review form sends every phase as its list of rows (exercise, dose, and what the row showed
when the form was drawn); ``plan_edit`` turns those rows into the phase's exercises. Adding,
removing and moving an exercise are operations on the typed plan (``phase_add``,
``phase_remove``, ``phase_move``), each raising ``EditError`` with a sentence for the physio
when the request names a position or exercise that is not there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pydantic import BaseModel, ConfigDict

from programs.builder import Phase, Plan, PlannedExercise
from programs.library import Exercise, Library
from questionnaire.content import Content
from questionnaire.engine import CauseResult, Reason

CONFIRM, DISMISS, KEEP = "confirm", "dismiss", "keep"
# More exercises than any session should hold; the form refuses more rows than this too.
MAX_EXERCISES = 12
PHYSIO_RULE = "physio"


class EditError(ValueError):
    """An edit that cannot apply to this plan; the message is written for the physio."""


@dataclass(frozen=True)
class Row:
    """One exercise row of a phase as the form sent it."""

    exercise: str
    dose: str
    # What the row showed when the form was drawn: a swap whose dose was left as shown takes
    # the new exercise's own dose.
    shown: str = ""
    shown_dose: str = ""


@dataclass(frozen=True)
class Edits:
    """What the physio decided on the review page."""

    causes: dict[str, str] = field(default_factory=dict)  # cause id -> confirm/dismiss/keep
    added: list[str] = field(default_factory=list)
    # phase index -> the phase's rows, in order; a phase not listed keeps its exercises.
    phases: dict[int, list[Row]] = field(default_factory=dict)
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
    phases = plan_rows(plan, edits.phases, library=library, present=present).phases
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


def plan_rows(
    plan: Plan, phases: dict[int, list[Row]], *, library: Library, present: list[str]
) -> Plan:
    """The plan with these phases' exercises replaced by the rows the form sent."""
    if any(index not in range(len(plan.phases)) for index in phases):
        raise EditError("The form names a phase this plan does not have. Reload the page.")
    return plan.model_copy(
        update={
            "phases": [
                phase
                if p not in phases
                else phase.model_copy(
                    update={"exercises": _rows(phase, phases[p], library, present)}
                )
                for p, phase in enumerate(plan.phases)
            ]
        }
    )


def _rows(
    phase: Phase, rows: list[Row], library: Library, present: list[str]
) -> list[PlannedExercise]:
    ids = [row.exercise for row in rows]
    if not ids:
        raise EditError(f"Phase {phase.number} needs at least one exercise.")
    if len(set(ids)) != len(ids):
        raise EditError(f"Phase {phase.number} lists the same exercise twice; keep one.")
    return [_exercise(row, phase, library, present) for row in rows]


def _exercise(row: Row, phase: Phase, library: Library, present: list[str]) -> PlannedExercise:
    dose = row.dose.strip()
    if row.exercise != row.shown and dose == row.shown_dose.strip():
        # A dose typed for the old exercise rarely fits the new one: unless the physio changed
        # it too, the new exercise comes with its own dose for the phase's level.
        dose = library_dose(library, row.exercise, phase.level)
    # An exercise the phase already held keeps the copy stored with it, so a version published
    # before the library changed still reads as it was published.
    stored = next((e for e in phase.exercises if e.id == row.exercise), None)
    if stored is not None:
        return stored.model_copy(update={"dose": dose})
    return PlannedExercise.from_library(_get(library, row.exercise), dose=dose, present=present)


def library_dose(library: Library, exercise_id: str, level: str) -> str:
    """The library's dose of an exercise at a phase's level."""
    dose = _get(library, exercise_id).dose
    text: str = getattr(dose, level, dose.standard)
    return text


def _get(library: Library, exercise_id: str) -> Exercise:
    try:
        return library.get(exercise_id)
    except KeyError:
        raise EditError(f"There is no exercise “{exercise_id}” in the library.") from None


def phase_add(
    plan: Plan, phase_index: int, exercise_id: str, *, library: Library, present: list[str]
) -> Plan:
    """The plan with an exercise from the library added at the end of a phase, at its dose."""
    phase = _phase(plan, phase_index)
    if any(e.id == exercise_id for e in phase.exercises):
        raise EditError(f"Phase {phase.number} already has this exercise.")
    if len(phase.exercises) >= MAX_EXERCISES:
        raise EditError(f"Phase {phase.number} already has {MAX_EXERCISES} exercises.")
    dose = library_dose(library, exercise_id, phase.level)
    added = PlannedExercise.from_library(_get(library, exercise_id), dose=dose, present=present)
    return _with_exercises(plan, phase_index, [*phase.exercises, added])


def phase_remove(plan: Plan, phase_index: int, position: int) -> Plan:
    """The plan without the exercise at this position of a phase."""
    phase = _phase(plan, phase_index)
    exercises = list(phase.exercises)
    _position(exercises, position)
    if len(exercises) == 1:
        raise EditError(
            f"Phase {phase.number} needs at least one exercise: choose another one instead."
        )
    del exercises[position]
    return _with_exercises(plan, phase_index, exercises)


def phase_move(plan: Plan, phase_index: int, position: int, by: int) -> Plan:
    """The plan with one exercise of a phase moved up (by=-1) or down (by=1)."""
    exercises = list(_phase(plan, phase_index).exercises)
    _position(exercises, position)
    target = position + by
    if by not in (-1, 1) or target not in range(len(exercises)):
        raise EditError("That exercise cannot move further that way.")
    exercises[position], exercises[target] = exercises[target], exercises[position]
    return _with_exercises(plan, phase_index, exercises)


def _phase(plan: Plan, index: int) -> Phase:
    if index not in range(len(plan.phases)):
        raise EditError("The form names a phase this plan does not have. Reload the page.")
    return plan.phases[index]


def _position(exercises: list[PlannedExercise], position: int) -> None:
    if position not in range(len(exercises)):
        raise EditError("The form names an exercise that is not in the phase. Reload the page.")


def _with_exercises(plan: Plan, index: int, exercises: list[PlannedExercise]) -> Plan:
    phases = list(plan.phases)
    phases[index] = phases[index].model_copy(update={"exercises": exercises})
    return plan.model_copy(update={"phases": phases})


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


@dataclass(frozen=True)
class Op:
    """What a button of the review form asks for: publish, redraw, or change one phase."""

    kind: str  # publish, update, add, remove, up, down
    phase: int = 0
    position: int = 0


OP_KINDS = {"publish": 0, "update": 0, "add": 1, "remove": 2, "up": 2, "down": 2}


def parse_op(text: str) -> Op:
    """The operation a submit button's value names, such as ``up:0:2``; raise EditError."""
    kind, *numbers = (text or "publish").split(":")
    if OP_KINDS.get(kind) != len(numbers) or not all(n.isdigit() and len(n) < 4 for n in numbers):
        raise EditError("The form asked for something the page does not offer. Reload the page.")
    return Op(kind, *(int(n) for n in numbers))


def plan_apply(plan: Plan, op: Op, *, add: str, library: Library, present: list[str]) -> Plan:
    """The draft plan after one operation other than publishing."""
    if op.kind in ("publish", "update"):
        return plan
    _phase(plan, op.phase)
    if op.kind == "add":
        if not add:
            raise EditError("Choose an exercise to add first.")
        return phase_add(plan, op.phase, add, library=library, present=present)
    if op.kind == "remove":
        return phase_remove(plan, op.phase, op.position)
    return phase_move(plan, op.phase, op.position, -1 if op.kind == "up" else 1)
