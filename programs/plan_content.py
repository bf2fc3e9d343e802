"""The plan's own content: phases, pain rules, load management, re-tests, adjuncts, stop list.

Loaded from ``data/plan.yaml`` into frozen pydantic models and cross-checked against the sources,
the questions, the causes, the red flags and the exercise roles, so that a broken file is refused
at start-up with the file and the field at fault. Pure Python: no Django.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator

from programs.library import LIBRARY_FILE, ROLES, Role
from questionnaire.content import (
    CAUSE_IDS,
    Content,
    ContentError,
    EvidenceTag,
    Frozen,
    Id,
    Text,
    get_content,
    read_yaml,
)

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
    goal: Text
    progress_when: Text

    @model_validator(mode="after")
    def _weeks_in_order(self) -> PhaseSpec:
        first, last = self.weeks
        if not 1 <= first <= last:
            raise ValueError("weeks must be [first, last] with 1 <= first <= last")
        return self


class StartEasier(Sourced):
    pain_worst_at_least: int = Field(ge=0, le=10)
    note: Text


class NoJumping(Sourced):
    red_flags: tuple[Id, ...] = Field(min_length=1)
    note: Text


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
    start_easier: StartEasier
    no_jumping: NoJumping
    pain_rules: PainRules
    load_management: LoadManagement
    retests: Retests
    adjuncts: tuple[Adjunct, ...] = ()
    stop_if: StopIf
    routine_note: Text
    no_plan_note: Text


def load_plan_content(path: Path = PLAN_FILE, content: Content | None = None) -> PlanContent:
    """Load and cross-check plan.yaml; raise ContentError naming file and field."""
    content = content or get_content()
    plan = read_yaml(path, PlanContent)
    _cross_check(path.name, plan, content)
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
        for role in (*phase.roles, *phase.fallback_roles):
            if role not in ROLES:  # pragma: no cover - the Literal already refuses it
                raise ContentError(file, f"{where}.roles", f"unknown role {role!r}")
    for name in ("start_easier", "no_jumping", "pain_rules", "load_management", "stop_if"):
        sources(name, getattr(plan, name).sources)
    flag_ids = {flag.id for flag in content.red_flags}
    for flag_id in plan.no_jumping.red_flags:
        if flag_id not in flag_ids:
            raise ContentError(file, "no_jumping.red_flags", f"unknown red flag {flag_id!r}")
    for i, check in enumerate(plan.retests.checks):
        sources(f"retests.checks[{i}]", check.sources)
        if check.question not in content.questions:
            raise ContentError(
                file, f"retests.checks[{i}].question", f"unknown question {check.question!r}"
            )
    for i, adjunct in enumerate(plan.adjuncts):
        sources(f"adjuncts[{i}]", adjunct.sources)
        if adjunct.cause not in CAUSE_IDS:
            raise ContentError(file, f"adjuncts[{i}].cause", f"unknown cause {adjunct.cause!r}")


@cache
def get_plan_content() -> PlanContent:
    """The shipped plan content, loaded once per process."""
    return load_plan_content()
