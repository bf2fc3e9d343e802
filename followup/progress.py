"""One person's follow-up, read from the database and worked out once: the plan they follow,
the week, the levels the pain rules reached, the re-tests beside the baseline, the chart.

Every page that shows progress (the log, the plan page and its PDF, the physio's client page)
calls ``followup_for``; the rules themselves are in ``followup.core``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from statistics import mean
from typing import Any

from django.utils import timezone

from followup import chart, core
from followup.content import FollowupContent, get_followup_content
from followup.models import Retest, SessionLog
from programs.builder import Phase, Plan, PlannedExercise, plan_for
from programs.library import get_library
from questionnaire.engine import Answers
from questionnaire.models import Assessment


@dataclass(frozen=True)
class Dosed:
    """An exercise of the current phase at the level the pain rules reached."""

    exercise: PlannedExercise
    level: int
    dose: str
    level_word: str


@dataclass(frozen=True)
class Row:
    """One re-test line: a measure at baseline and now, and what the change means."""

    name: str
    unit: str
    baseline: float | None
    now: float | None
    change: core.Change
    smallest_real_change: float | None


@dataclass
class Followup:
    assessment: Assessment
    plan: Plan
    physio_plan: bool
    # Started from a physio's invite: the plan to follow is the one that physio publishes.
    invited: bool
    start: dt.date
    today: dt.date
    sessions: list[SessionLog]
    retests: dict[int, Retest]

    @cached_property
    def progress(self) -> core.Progress:
        """The levels the pain rules reached over the whole log."""
        plan = self.plan
        bases = {
            p.number: core.LEVELS.index(p.level) for p in plan.phases if p.level in core.LEVELS
        }
        return core.replay(
            [s.as_entry() for s in self.sessions],
            get_followup_content().progression,
            bases=bases,
            physio_ceiling=self.physio_plan,
        )

    @cached_property
    def answers(self) -> Answers:
        return self.assessment.valid_answers()

    @property
    def plan_weeks(self) -> int:
        return _plan_weeks(self.plan)

    @property
    def week(self) -> int:
        return core.week_of(self.start, self.today)

    def week_of(self, day: dt.date) -> int:
        return core.week_of(self.start, day)

    @property
    def phase(self) -> Phase | None:
        week = min(self.week, self.plan_weeks)
        return next((p for p in self.plan.phases if week in p.weeks), None)

    def dosed(self) -> list[Dosed]:
        """The current phase's exercises, each at the person's level."""
        phase = self.phase
        if phase is None:
            return []
        base = core.LEVELS.index(phase.level) if phase.level in core.LEVELS else 0
        library = get_library()
        out = []
        for exercise in phase.exercises:
            level = self.progress.level(phase.number, exercise.id, base)
            if level == base:
                dose = exercise.dose  # the plan's own (or the physio's) dose
            else:
                dose = getattr(library.get(exercise.id).dose, core.LEVELS[level])
            word = {0: "easier", 1: "standard", 2: "harder"}[level]
            out.append(Dosed(exercise=exercise, level=level, dose=dose, level_word=word))
        return out

    def retest_due(self) -> int | None:
        """The first re-test week reached and not yet done."""
        for week in get_followup_content().retest_weeks:
            retest = self.retests.get(week)
            if self.week >= week and (retest is None or not retest.complete):
                return week
        return None

    @property
    def baseline_outcomes(self) -> core.OutcomeAnswers | None:
        retest = self.retests.get(0)
        return retest.outcome_answers() if retest else None

    def sessions_per_week(self) -> list[int]:
        return _sessions_per_week(self.plan)

    def adherence(self) -> tuple[int, int] | None:
        done = [s.done_on for s in self.sessions]
        return core.adherence(self.start, self.today, done, self.sessions_per_week())

    def alerts(self) -> list[core.Alert]:
        return core.alerts(
            [s.as_entry() for s in self.sessions],
            start=self.start,
            today=self.today,
            plan_weeks=self.plan_weeks,
            content=get_followup_content(),
        )

    def rows(self, week: int) -> list[Row]:
        """The week's re-test beside the baseline, measure by measure."""
        content = get_followup_content()
        retest = self.retests.get(week)
        answers = self.answers
        rows = []
        for m in content.measures:
            base = _number(answers.get(m.question))
            now = _number(retest.tests.get(m.question)) if retest else None
            change = core.compare(
                base, now, better=m.better, smallest_real_change=m.smallest_real_change
            )
            rows.append(Row(m.name, m.unit, base, now, change, m.smallest_real_change))
        base_scores = _scores(self.retests.get(0))
        now_scores = _scores(retest)
        outcomes = content.outcomes
        for name, scale, unit in (
            ("pain", outcomes.pain, "points"),
            ("psfs", outcomes.psfs, "points"),
            ("sane", outcomes.sane, "points"),
        ):
            base_v = getattr(base_scores, name) if base_scores else None
            now_v = getattr(now_scores, name) if now_scores else None
            if name == "pain" and base_v is None:
                base_v = _number(answers.get("pain_worst"))
            change = core.compare_scale(base_v, now_v, scale)
            rows.append(Row(scale.name, unit, base_v, now_v, change, scale.smallest_real_change))
        return rows

    def chart_svg(self) -> str:
        pains = [(s.done_on, s.pain_during) for s in self.sessions]
        return chart.svg(
            _chart(self.plan, self.start, pains, self.retests, self.answers, self.assessment.pk)
        )


def _plan_weeks(plan: Plan) -> int:
    return max((w for phase in plan.phases for w in phase.weeks), default=0)


def _sessions_per_week(plan: Plan) -> list[int]:
    counts = [0] * _plan_weeks(plan)
    for phase in plan.phases:
        for week in phase.weeks:
            counts[week - 1] = phase.sessions_per_week
    return counts


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _scores(retest: Retest | None) -> core.Scores | None:
    answers = retest.outcome_answers() if retest else None
    return core.score(answers) if answers else None


def _chart(
    plan: Plan,
    start: dt.date,
    pains: list[tuple[dt.date, int]],
    retests: dict[int, Retest],
    answers: Answers,
    key: int,
) -> chart.Chart:
    """The chart's panels from the sessions' (date, pain during) and the re-tests."""
    content = get_followup_content()
    weeks = _plan_weeks(plan)
    planned = _sessions_per_week(plan)
    by_week: dict[int, list[int]] = {}
    for day, pain_during in pains:
        by_week.setdefault(core.week_of(start, day), []).append(pain_during)
    bars = [(w, len(by_week.get(w, [])), planned[w - 1]) for w in range(1, weeks + 1)]
    pain = [(w - 0.5, round(mean(by_week[w]), 1)) for w in range(1, weeks + 1) if by_week.get(w)]
    panels = [
        chart.Panel("Sessions done", "of those planned", 0, max([*planned, 1]), bars=bars),
        _pain_panel(pain, content),
    ]
    angle = _measure_points(retests, "fppa_degrees", answers)
    if angle:
        mdc = next(m.smallest_real_change for m in content.measures if m.id == "fppa")
        base = angle[0][1] if angle[0][0] == 0 else None
        band = (base - mdc, base + mdc) if base is not None else None
        low = min(-10.0, *(v for _, v in angle))
        panels.append(chart.Panel("Knee angle", "degrees", low, 40, points=angle, band=band))
    psfs = [(w, s.psfs) for w, r in sorted(retests.items()) if (s := _scores(r)) and s.psfs]
    if psfs:
        mic = content.outcomes.psfs.smallest_real_change or 0
        base = psfs[0][1] if psfs[0][0] == 0 else None
        band = (base - mic, base + mic) if base is not None else None
        panels.append(chart.Panel("Activity score", "0 to 10", 0, 10, points=psfs, band=band))
    return chart.Chart(
        weeks=weeks,
        panels=panels,
        description=_describe(bars, pain, angle, psfs),
        key=f"chart-{key}",
    )


def _pain_panel(pain: list[tuple[float, float]], content: FollowupContent) -> chart.Panel:
    """Weekly average pain during sessions, banded around the first week's average: a later week
    inside the band is no clear change in pain (about 2 points, Farrar 2001)."""
    mic = content.outcomes.pain.smallest_real_change or 0
    band = (pain[0][1] - mic, pain[0][1] + mic) if pain else None
    return chart.Panel("Pain during sessions", "0 to 10", 0, 10, points=pain, band=band)


def _measure_points(
    retests: dict[int, Retest], question: str, answers: Answers
) -> list[tuple[int, float]]:
    points = []
    base = _number(answers.get(question))
    if base is not None:
        points.append((0, base))
    for week, retest in sorted(retests.items()):
        value = _number(retest.tests.get(question))
        if week and value is not None:
            points.append((week, value))
    return points


def _describe(
    bars: list[tuple[int, int, int]],
    pain: list[tuple[float, float]],
    angle: list[tuple[int, float]],
    psfs: list[tuple[int, float]],
) -> str:
    done = sum(d for _, d, _ in bars)
    planned = sum(p for _, _, p in bars)
    text = [f"{done} sessions logged of {planned} planned."]
    if pain:
        first, last = pain[0], pain[-1]
        text.append(f"Average pain during sessions: week {first[0] + 0.5:g} {first[1]:g}")
        text[-1] += f", week {last[0] + 0.5:g} {last[1]:g} out of 10." if len(pain) > 1 else "."
    for name, points in (("Knee angle", angle), ("Activity score", psfs)):
        if points:
            text.append(name + ": " + ", ".join(f"week {w} {v:g}" for w, v in points) + ".")
    text.append("The shaded band is the change too small to tell from day-to-day variation.")
    return " ".join(text)


def plan_progress(assessment: Assessment, plan: Plan, answers: Answers | None = None) -> str:
    """The progress chart for the plan page and its PDF, or "" before anything is logged.

    Reads only the sessions' dates and pain (no model instances, no pain-rule replay): the plan
    page is a hot path and must stay as quick with twelve weeks of logs (bench/followup.py)."""
    pains = list(
        SessionLog.objects.filter(assessment_id=assessment.pk).values_list("done_on", "pain_during")
    )
    retests = {r.week: r for r in Retest.objects.filter(assessment_id=assessment.pk)}
    if not pains and not retests:
        return ""
    moment = assessment.completed_at or assessment.updated_at
    answers = assessment.valid_answers() if answers is None else answers
    start = timezone.localdate(moment)
    return chart.svg(_chart(plan, start, pains, retests, answers, assessment.pk))


def followup_for(assessment: Assessment, *, today: dt.date | None = None) -> Followup:
    """The follow-up of this completed assessment, with the physio's published plan if any."""
    plan, physio, invited = _plan(assessment)
    sessions = list(assessment.sessions.all())
    retests = {r.week: r for r in assessment.retests.all()}
    moment = assessment.completed_at or assessment.updated_at
    return Followup(
        assessment=assessment,
        plan=plan,
        physio_plan=physio,
        invited=invited,
        start=timezone.localdate(moment),
        today=today or timezone.localdate(),
        sessions=sessions,
        retests=retests,
    )


def followup_plan(assessment: Assessment) -> Plan:
    """The plan the log follows: the physio's latest published version, else the automatic one."""
    return _plan(assessment)[0]


def _plan(assessment: Assessment) -> tuple[Plan, bool, bool]:
    """The plan to follow, whether it is the physio's, and whether a physio invited the client."""
    from physios.models import ClientAssessment

    link = ClientAssessment.objects.filter(assessment=assessment).first()
    version = link.latest_version if link else None
    if version is not None:
        return version.as_plan(), True, True
    return plan_for(assessment.valid_answers()), False, link is not None


def has_log(assessment_id: int) -> bool:
    return SessionLog.objects.filter(assessment_id=assessment_id).exists() or (
        Retest.objects.filter(assessment_id=assessment_id).exists()
    )


ALERT_WORDS = {
    "quiet": "No session logged for two weeks",
    "pain_rising": "Pain during sessions is rising",
}


@dataclass(frozen=True)
class Summary:
    """What a physio sees of one client's follow-up."""

    started: dt.date
    week: int
    sessions: int
    adherence: tuple[int, int] | None
    alerts: list[str]
    chart: str


def physio_summary(assessment: Assessment, *, chart: bool = True) -> Summary | None:
    """The follow-up of a completed assessment for its physio, or None if nothing is logged."""
    if assessment.completed_at is None or not has_log(assessment.pk):
        return None
    follow = followup_for(assessment)
    return Summary(
        started=follow.start,
        week=follow.week,
        sessions=len(follow.sessions),
        adherence=follow.adherence(),
        alerts=[ALERT_WORDS[a] for a in follow.alerts()],
        chart=follow.chart_svg() if chart else "",
    )
