"""What the plan tests read off a plan, by the contract's exercise tags (section 5.3)."""

from __future__ import annotations

from collections.abc import Iterator

from programs.builder import Plan, PlannedExercise

JUMPS = {"plyometric_two_foot", "plyometric_single_leg", "cutting"}


def phase_tags(plan: Plan) -> list[set[str]]:
    """Each phase's tags, all its exercises together."""
    return [{tag for e in phase.exercises for tag in e.tags} for phase in plan.phases]


def first_week(plan: Plan, tag: str) -> int | None:
    """The first week of the first phase with an exercise carrying ``tag``, if any."""
    weeks = [p.weeks[0] for p in plan.phases if any(tag in e.tags for e in p.exercises)]
    return min(weeks) if weeks else None


def first_appearances(plan: Plan) -> Iterator[PlannedExercise]:
    """Each exercise in the first phase that gives it: where it is new to the person."""
    seen: set[str] = set()
    for phase in plan.phases:
        for exercise in phase.exercises:
            if exercise.id not in seen:
                yield exercise
        seen.update(e.id for e in phase.exercises)
