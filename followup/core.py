"""The follow-up's rules as plain values: pain-guided progression, error-aware comparison,
outcome scoring, weeks, adherence and the physio's alerts.

Pure Python (no Django): the views load the log, call these, and render. The thresholds come
from ``data/followup.yaml`` through ``followup.content``; none is written here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import mean
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from followup.content import FollowupContent, Progression, Scale

LEVELS = ("beginner", "standard", "advanced")
Decision = Literal["up", "stay", "back", "get_checked", "stop"]
ChangeKind = Literal["better", "worse", "no_clear_change", "no_threshold", "missing"]

# ---------------------------------------------------------------------------------------------
# Pain-guided progression


@dataclass(frozen=True)
class Entry:
    """One logged session: the exercises done and the pain around it (0 to 10)."""

    done_on: dt.date
    phase: int
    exercises: tuple[str, ...]
    pain_before: int
    pain_during: int
    pain_morning: int | None = None
    # A stop sign was ticked: the log gives the red flag's advice and moves no level.
    stopped: bool = False


@dataclass(frozen=True)
class Step:
    """What the rules made of one session: the decision and its words."""

    decision: Decision
    words: str


@dataclass
class Progress:
    """The levels every exercise has reached, and the decision after each session."""

    levels: dict[tuple[int, str], int] = field(default_factory=dict)
    steps: list[Step] = field(default_factory=list)

    @property
    def last(self) -> Step | None:
        return self.steps[-1] if self.steps else None

    def level(self, phase: int, exercise: str, base: int) -> int:
        return self.levels.get((phase, exercise), base)


def steps_back(entry: Entry, rules: Progression) -> bool:
    """Pain above the acceptable zone, or a next morning worse than before the session."""
    if entry.pain_during > rules.step_back_above:
        return True
    # A next morning inside the safe zone has settled, even a point above the day before.
    return (
        entry.pain_morning is not None
        and entry.pain_morning > rules.move_up_at_most
        and entry.pain_morning - entry.pain_before > rules.morning_rise_above
    )


def in_safe_zone(entry: Entry, rules: Progression) -> bool:
    """Pain during and the next morning both within the "move up" zone."""
    return (
        entry.pain_morning is not None
        and entry.pain_during <= rules.move_up_at_most
        and entry.pain_morning <= rules.move_up_at_most
    )


def decide(recent: Sequence[Entry], rules: Progression) -> Decision:
    """The decision after the last of these sessions, all since the last change of level.

    `recent` holds the sessions since the level last moved (the streak), newest last; a run of
    step-backs is passed whole so that two in a row can ask for a check.
    """
    last = recent[-1]
    if last.stopped:
        return "stop"
    if steps_back(last, rules):
        run = 0
        for entry in reversed(recent):
            if entry.stopped or not steps_back(entry, rules):
                break
            run += 1
        return "get_checked" if run >= rules.get_checked_after_step_backs else "back"
    streak = list(recent[-rules.sessions_in_a_row :])
    if len(streak) == rules.sessions_in_a_row and all(in_safe_zone(e, rules) for e in streak):
        return "up"
    return "stay"


def replay(
    entries: Sequence[Entry],
    rules: Progression,
    *,
    bases: Mapping[int, int],
    physio_ceiling: bool,
) -> Progress:
    """Run the pain rules over the log, oldest first, moving each exercise's level.

    `bases` gives each phase's starting level (an index into LEVELS). A move applies to the
    exercises done in that session. Where a physio published the plan, their dose is the ceiling:
    the level can step back below it and come up to it again, never above.
    """
    progress = Progress()
    # The sessions since the level last went up (or a stop sign): a step back does not clear
    # it, so that two step-backs in a row can ask for a check.
    recent: list[Entry] = []
    for entry in entries:
        base = bases.get(entry.phase, 0)
        top = base if physio_ceiling else len(LEVELS) - 1
        recent.append(entry)
        decision = decide(recent, rules)
        keys = [(entry.phase, exercise) for exercise in entry.exercises]
        now = [progress.levels.get(key, base) for key in keys]
        words = rules.words
        text = words.stay_no_morning if entry.pain_morning is None else words.stay
        if decision == "up":
            moved = [min(level + 1, top) for level in now]
            if moved == now:
                text = words.up_physio_ceiling if physio_ceiling else words.up_at_ceiling
            else:
                text = words.up
            recent = []
        elif decision in ("back", "get_checked"):
            moved = [max(level - 1, 0) for level in now]
            text = words.back if moved != now else words.back_at_floor
            if decision == "get_checked":
                text = words.get_checked
        else:
            moved = now
            if decision == "stop":
                text, recent = "", []
        progress.levels.update(zip(keys, moved, strict=True))
        progress.steps.append(Step(decision=decision, words=text))
    return progress


# ---------------------------------------------------------------------------------------------
# Error-aware comparison


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    delta: float | None

    @property
    def words(self) -> str:
        return CHANGE_WORDS[self.kind]


CHANGE_WORDS: dict[str, str] = {
    "better": "Improved",
    "worse": "Worse",
    "no_clear_change": "No clear change",
    "no_threshold": "Changed (no known threshold)",
    "missing": "Not measured both times",
}


def compare(
    baseline: float | None,
    now: float | None,
    *,
    better: Literal["lower", "higher"],
    smallest_real_change: float | None,
) -> Change:
    """The change from baseline, called real only when it reaches the smallest real change.

    Inside the error band the answer is "no clear change", never "improved" or "worse".
    """
    if baseline is None or now is None:
        return Change("missing", None)
    delta = round(now - baseline, 6)
    if smallest_real_change is None:
        return Change("no_clear_change" if delta == 0 else "no_threshold", delta)
    # A small tolerance, so 1.9 cm measured as 10.0 - 8.1 still counts as 1.9.
    if abs(delta) + 1e-9 < smallest_real_change:
        return Change("no_clear_change", delta)
    improved = delta < 0 if better == "lower" else delta > 0
    return Change("better" if improved else "worse", delta)


# ---------------------------------------------------------------------------------------------
# Outcome scores


class Activity(BaseModel):
    """One activity the person named on the Patient-Specific Functional Scale, rated 0 to 10."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str = Field(min_length=1, max_length=80)
    rating: int = Field(ge=0, le=10)

    @field_validator("name")
    @classmethod
    def _trimmed(cls, value: str) -> str:
        value = " ".join(value.split())
        if not value:
            raise ValueError("name the activity")
        return value


class OutcomeAnswers(BaseModel):
    """The person's outcome answers at the start or at a re-test, as stored."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    pain: int = Field(ge=0, le=10)
    activities: tuple[Activity, ...] = Field(default=(), max_length=3)
    sane: int = Field(ge=0, le=100)


@dataclass(frozen=True)
class Scores:
    pain: int
    psfs: float | None
    sane: int


def psfs_score(ratings: Sequence[int]) -> float | None:
    """The Patient-Specific Functional Scale: the mean of the activity ratings (0 to 10)."""
    if not ratings:
        return None
    if any(not 0 <= r <= 10 for r in ratings):
        raise ValueError("each activity is rated from 0 to 10")
    return round(mean(ratings), 1)


def score(answers: OutcomeAnswers) -> Scores:
    return Scores(
        pain=answers.pain,
        psfs=psfs_score([a.rating for a in answers.activities]),
        sane=answers.sane,
    )


def compare_scale(baseline: float | None, now: float | None, scale: Scale) -> Change:
    return compare(
        baseline, now, better=scale.better, smallest_real_change=scale.smallest_real_change
    )


# ---------------------------------------------------------------------------------------------
# Weeks, adherence, alerts


def week_of(start: dt.date, day: dt.date) -> int:
    """The plan week a day falls in: week 1 is the first seven days from the start."""
    return max(1, (day - start).days // 7 + 1)


def adherence(
    start: dt.date, today: dt.date, done_on: Sequence[dt.date], sessions_per_week: Sequence[int]
) -> tuple[int, int] | None:
    """Sessions done and planned over the weeks already finished, or None before the first ends.

    `sessions_per_week[i]` is the plan's count for week i + 1; weeks past the plan count as 0.
    """
    finished = min((today - start).days // 7, len(sessions_per_week))
    if finished < 1:
        return None
    end = start + dt.timedelta(days=7 * finished)
    done = sum(1 for day in done_on if start <= day < end)
    return done, sum(sessions_per_week[:finished])


Alert = Literal["quiet", "pain_rising"]


def alerts(
    entries: Sequence[Entry],
    *,
    start: dt.date,
    today: dt.date,
    plan_weeks: int,
    content: FollowupContent,
) -> list[Alert]:
    """The physio's flags: no log for two weeks while the plan runs; pain rising week on week."""
    rules = content.alerts
    found: list[Alert] = []
    last = max((e.done_on for e in entries), default=start)
    running = today <= start + dt.timedelta(days=7 * plan_weeks)
    if running and (today - last).days >= rules.quiet_days:
        found.append("quiet")
    week = [e.pain_during for e in entries if 0 <= (today - e.done_on).days < 7]
    before = [e.pain_during for e in entries if 7 <= (today - e.done_on).days < 14]
    if week and before and mean(week) - mean(before) >= rules.pain_rise_at_least:
        found.append("pain_rising")
    return found


# ---------------------------------------------------------------------------------------------
# Planned dates, for the calendar

# Which days of a plan week the sessions fall on (0 = the weekday the plan started), spread so
# that a rest day separates sessions on the same muscles (plan.yaml, load management).
SESSION_DAYS = {1: (0,), 2: (0, 3), 3: (0, 2, 4), 4: (0, 2, 4, 6), 5: (0, 1, 3, 4, 6)}


def session_dates(start: dt.date, sessions_per_week: Sequence[int]) -> list[dt.date]:
    """The planned session dates: `sessions_per_week[i]` sessions in week i + 1."""
    days: list[dt.date] = []
    for week, count in enumerate(sessions_per_week):
        offsets = SESSION_DAYS.get(count, tuple(range(min(count, 7))))
        days.extend(start + dt.timedelta(days=7 * week + offset) for offset in offsets)
    return days


def retest_dates(start: dt.date, weeks: Sequence[int]) -> list[tuple[int, dt.date]]:
    """Each re-test on the last day of its week, when the week's sessions are done."""
    return [(week, start + dt.timedelta(days=7 * week - 1)) for week in weeks]
