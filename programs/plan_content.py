"""The plan's own content: phases, pain rules, load management, re-tests, adjuncts, stop list.

Loaded from ``data/plan.yaml`` into frozen pydantic models and cross-checked against the sources,
the questions, the causes, the red flags and the exercise roles, so that a broken file is refused
at start-up with the file and the field at fault. Pure Python: no Django.
"""

from __future__ import annotations

import hashlib
import string
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from programs.library import LIBRARY_FILE, ROLES, TAGS, Library, Role, get_library
from questionnaire.content import (
    CAUSE_IDS,
    Condition,
    Content,
    ContentError,
    EvidenceTag,
    Frozen,
    Id,
    Text,
    get_content,
    read_yaml,
)

# The questionnaire's own check of a condition: one condition language, checked one way.
from questionnaire.content import _check_condition as check_condition

PLAN_FILE = Path(__file__).resolve().parent / "data" / "plan.yaml"

Level = Literal["beginner", "standard", "advanced"]
DOSE_LEVELS: tuple[Level, ...] = ("beginner", "standard", "advanced")


class Sourced(Frozen):
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)


class Count(Frozen):
    min: int = Field(ge=1)
    max: int = Field(ge=1)


class PhaseSpec(Sourced):
    key: Id
    for_: Literal["all", "jumping", "not_jumping"] = Field(alias="for")
    title: Text
    weeks: tuple[int, int]
    sessions_per_week: int = Field(ge=1, le=7)
    level: Level
    roles: tuple[Role, ...] = Field(min_length=1)
    fallback_roles: tuple[Role, ...] = ()
    leave_out: tuple[Id, ...] = ()
    must_have: tuple[Id, ...] = ()
    needs: tuple[Id, ...] = ()
    goal: Text
    progress_when: Text

    @model_validator(mode="after")
    def _weeks_in_order(self) -> PhaseSpec:
        first, last = self.weeks
        if not 1 <= first <= last:
            raise ValueError("weeks must be [first, last] with 1 <= first <= last")
        return self


class Person(Frozen):
    """A person condition that rules and exercise contraindications name."""

    id: Id
    description: Text
    when: Condition


# The only answers a reason may name.
REASON_FIELDS = frozenset({"age", "pain"})


class AdaptationRule(Sourced):
    """A rule that fits the plan to the person, by exercise tags (see plan.yaml)."""

    id: Id
    # Person condition -> the reason shown when it is the first that holds.
    for_: dict[Id, Text] = Field(alias="for", min_length=1)
    leave_out: tuple[Id, ...] = ()
    leave_out_in: dict[Id, tuple[Id, ...]] = Field(default_factory=dict)
    every_phase: tuple[Id, ...] = ()
    balance_supported: bool = False
    start_easier: bool = False
    new_start_easiest: bool = False
    activity_ladder: bool = False
    return_to_sport: bool = False


class ActivityLadder(Sourced):
    intro: Text
    pain_rule: Text
    rungs: tuple[Text, ...] = Field(min_length=2)


class ReturnToSport(Sourced):
    intro: Text
    criteria: tuple[Text, ...] = Field(min_length=1)


class PainRules(Sourced):
    summary: Text
    progress: Text
    hold: Text
    step_back: Text


class LoadManagement(Sourced):
    points: tuple[Text, ...] = Field(min_length=1)


class RetestCheck(Frozen):
    question: Id
    test: Text
    real_change: Text
    sources: tuple[Id, ...] = Field(min_length=1)
    # The answers that give the person's own week-0 value, each with a short label ("left").
    baseline: dict[Id, str] = Field(default_factory=dict)


class Retests(Frozen):
    weeks: tuple[int, ...] = Field(min_length=1)
    intro: Text
    checks: tuple[RetestCheck, ...] = Field(min_length=1)
    evidence: EvidenceTag


class Adjunct(Sourced):
    cause: Id
    likelihood: tuple[Literal["high", "moderate", "low"], ...] = Field(min_length=1)
    title: Text
    text: Text


class StopIf(Sourced):
    items: tuple[Text, ...] = Field(min_length=1)


class PlanContent(Frozen):
    version: str = ""
    exercises_per_phase: Count
    phases: tuple[PhaseSpec, ...] = Field(min_length=1)
    people: tuple[Person, ...] = Field(min_length=1)
    adaptations: tuple[AdaptationRule, ...] = ()
    activity_ladder: ActivityLadder
    return_to_sport: ReturnToSport
    pain_rules: PainRules
    load_management: LoadManagement
    retests: Retests
    adjuncts: tuple[Adjunct, ...] = ()
    stop_if: StopIf
    routine_note: Text
    no_plan_note: Text


def load_plan_content(
    path: Path = PLAN_FILE, content: Content | None = None, library: Library | None = None
) -> PlanContent:
    """Load and cross-check plan.yaml; raise ContentError naming file and field."""
    content = content or get_content()
    library = library or get_library()
    plan = read_yaml(path, PlanContent)
    _cross_check(path.name, plan, content)
    _check_people_and_rules(path.name, plan, content, library)
    return plan.model_copy(update={"version": _version(path)})


def _version(path: Path) -> str:
    digest = hashlib.sha256(path.read_bytes())
    digest.update(LIBRARY_FILE.read_bytes())
    return digest.hexdigest()[:16]


def _cross_check(file: str, plan: PlanContent, content: Content) -> None:
    def sources(where: str, ids: tuple[str, ...]) -> None:
        for source_id in ids:
            if source_id not in content.sources:
                raise ContentError(
                    file,
                    f"{where}.sources",
                    f"unknown source {source_id!r} (add it to sources.yaml)",
                )

    if plan.exercises_per_phase.min > plan.exercises_per_phase.max:
        raise ContentError(file, "exercises_per_phase", "min must not be above max")
    for i, phase in enumerate(plan.phases):
        where = f"phases[{i}] (key={phase.key})"
        sources(where, phase.sources)
        for name in ("leave_out", "must_have", "needs"):
            _check_tags(file, f"{where}.{name}", getattr(phase, name))
        for role in (*phase.roles, *phase.fallback_roles):
            if role not in ROLES:  # pragma: no cover - the Literal already refuses it
                raise ContentError(file, f"{where}.roles", f"unknown role {role!r}")
    for name in (
        "pain_rules",
        "load_management",
        "stop_if",
        "activity_ladder",
        "return_to_sport",
    ):
        sources(name, getattr(plan, name).sources)
    for i, rule in enumerate(plan.adaptations):
        sources(f"adaptations[{i}] (id={rule.id})", rule.sources)
    for i, check in enumerate(plan.retests.checks):
        sources(f"retests.checks[{i}]", check.sources)
        for qid, where in (
            (check.question, "question"),
            *((q, "baseline") for q in check.baseline),
        ):
            if qid not in content.questions:
                raise ContentError(
                    file, f"retests.checks[{i}].{where}", f"unknown question {qid!r}"
                )
    for i, adjunct in enumerate(plan.adjuncts):
        sources(f"adjuncts[{i}]", adjunct.sources)
        if adjunct.cause not in CAUSE_IDS:
            raise ContentError(file, f"adjuncts[{i}].cause", f"unknown cause {adjunct.cause!r}")


def _check_tags(file: str, where: str, tags: tuple[str, ...]) -> None:
    for tag in tags:
        if tag not in TAGS:
            raise ContentError(file, where, f"unknown tag {tag!r}; known: {', '.join(TAGS)}")


def _check_people_and_rules(
    file: str, plan: PlanContent, content: Content, library: Library
) -> None:
    people = {person.id for person in plan.people}
    for i, person in enumerate(plan.people):
        check_condition(file, f"people[{i}] (id={person.id}).when", person.when, content)
    keys = {phase.key for phase in plan.phases}
    for i, rule in enumerate(plan.adaptations):
        where = f"adaptations[{i}] (id={rule.id})"
        for person_id, reason in rule.for_.items():
            if person_id not in people:
                raise ContentError(file, f"{where}.for", f"unknown person condition {person_id!r}")
            names = {name for _, name, _, _ in string.Formatter().parse(reason) if name}
            if names - REASON_FIELDS:
                raise ContentError(
                    file, f"{where}.for.{person_id}", "a reason may only name {age} or {pain}"
                )
        _check_tags(file, f"{where}.leave_out", rule.leave_out)
        _check_tags(file, f"{where}.every_phase", rule.every_phase)
        for key, tags in rule.leave_out_in.items():
            if key not in keys:
                raise ContentError(file, f"{where}.leave_out_in", f"unknown phase {key!r}")
            _check_tags(file, f"{where}.leave_out_in.{key}", tags)
    # The exercise library names person conditions in its contraindications; they live here.
    for i, exercise in enumerate(library.exercises):
        for person_id in exercise.contraindications.people:
            if person_id not in people:
                raise ContentError(
                    LIBRARY_FILE.name,
                    f"exercises[{i}] (id={exercise.id}).contraindications.people",
                    f"unknown person condition {person_id!r} (plan.yaml lists them under people)",
                )


@cache
def get_plan_content() -> PlanContent:
    """The shipped plan content, loaded once per process."""
    return load_plan_content()
