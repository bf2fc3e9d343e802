"""The follow-up's content: pain rules, stop signs, re-test measures and outcome scores.

Loaded from ``data/followup.yaml`` into frozen pydantic models and cross-checked against the
questionnaire's questions and sources, so that a broken file is refused at start-up with the file
and the field at fault. Pure Python: no Django.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import Field

from questionnaire.content import (
    Content,
    ContentError,
    EvidenceTag,
    Frozen,
    Id,
    Source,
    Text,
    get_content,
    read_yaml,
)

FOLLOWUP_FILE = Path(__file__).resolve().parent / "data" / "followup.yaml"

Better = Literal["lower", "higher"]


class Sourced(Frozen):
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)


class Words(Frozen):
    up: Text
    up_at_ceiling: Text
    up_physio_ceiling: Text
    stay: Text
    stay_no_morning: Text
    back: Text
    back_at_floor: Text
    get_checked: Text


class Progression(Sourced):
    move_up_at_most: int = Field(ge=0, le=10)
    sessions_in_a_row: int = Field(ge=1, le=10)
    step_back_above: int = Field(ge=0, le=10)
    morning_rise_above: int = Field(ge=0, le=10)
    get_checked_after_step_backs: int = Field(ge=1, le=10)
    words: Words


class StopSign(Frozen):
    question: Id
    label: Text


class Measure(Sourced):
    id: Id
    question: Id
    name: Text
    unit: Text
    better: Better
    smallest_real_change: float = Field(gt=0)
    why: Text


class Scale(Sourced):
    name: Text
    min: int
    max: int
    better: Better
    smallest_real_change: float | None = Field(default=None, gt=0)
    why: Text


class Psfs(Scale):
    max_activities: int = Field(ge=1, le=5)


class Outcomes(Frozen):
    pain: Scale
    psfs: Psfs
    sane: Scale


class Alerts(Sourced):
    quiet_days: int = Field(ge=1)
    pain_rise_at_least: float = Field(gt=0)


class FollowupContent(Frozen):
    progression: Progression
    stop_signs: tuple[StopSign, ...] = Field(min_length=1)
    retest_weeks: tuple[int, ...] = Field(min_length=1)
    measures: tuple[Measure, ...] = Field(min_length=1)
    outcomes: Outcomes
    alerts: Alerts
    sources: tuple[Source, ...] = ()

    def citations(self, ids: tuple[str, ...] | list[str], content: Content) -> list[str]:
        """The citations behind these source ids, ours or the questionnaire's."""
        own = {source.id: source.citation for source in self.sources}
        return [own.get(i) or content.sources[i].citation for i in ids]

    def all_source_ids(self) -> list[str]:
        """Every source the follow-up cites, in first-use order."""
        ids: list[str] = []
        groups = [self.progression.sources, *(m.sources for m in self.measures)]
        groups += [self.outcomes.pain.sources, self.outcomes.psfs.sources]
        groups += [self.outcomes.sane.sources, self.alerts.sources]
        for group in groups:
            ids.extend(i for i in group if i not in ids)
        return ids


def load_followup_content(
    path: Path = FOLLOWUP_FILE, content: Content | None = None
) -> FollowupContent:
    """Load and cross-check followup.yaml; raise ContentError naming file and field."""
    content = content or get_content()
    followup = read_yaml(path, FollowupContent)
    _cross_check(path.name, followup, content)
    return followup


def _cross_check(file: str, followup: FollowupContent, content: Content) -> None:
    known = set(content.sources) | {source.id for source in followup.sources}
    for source in followup.sources:
        if source.id in content.sources:
            raise ContentError(file, f"sources ({source.id})", "already in sources.yaml")

    def sources(where: str, ids: tuple[str, ...]) -> None:
        for source_id in ids:
            if source_id not in known:
                raise ContentError(file, f"{where}.sources", f"unknown source {source_id!r}")

    def question(where: str, question_id: str, kind: str) -> None:
        found = content.questions.get(question_id)
        if found is None:
            raise ContentError(file, where, f"unknown question {question_id!r}")
        if kind == "bool" and (found.type != "bool" or not found.safety):
            raise ContentError(file, where, f"{question_id!r} is not a yes/no safety question")
        if kind == "number" and found.type not in ("int", "number"):
            raise ContentError(file, where, f"{question_id!r} is not a measurement")

    sources("progression", followup.progression.sources)
    sources("alerts", followup.alerts.sources)
    for i, sign in enumerate(followup.stop_signs):
        question(f"stop_signs[{i}].question", sign.question, "bool")
    for i, measure in enumerate(followup.measures):
        sources(f"measures[{i}]", measure.sources)
        question(f"measures[{i}].question", measure.question, "number")
    for name in ("pain", "psfs", "sane"):
        scale: Scale = getattr(followup.outcomes, name)
        sources(f"outcomes.{name}", scale.sources)
        if scale.min >= scale.max:
            raise ContentError(file, f"outcomes.{name}", "min must be below max")
    if list(followup.retest_weeks) != sorted(set(followup.retest_weeks)):
        raise ContentError(file, "retest_weeks", "weeks must be distinct and in order")


@cache
def get_followup_content() -> FollowupContent:
    """The shipped follow-up content, loaded once per process."""
    return load_followup_content()
