"""The plan builder: an assessment in, the contract's section 3 plan out.

Pure Python beside the rules engine. It picks three to six exercises per phase from the library,
led by the ranked causes so that every cause rated high is worked in every phase, doses them by
the phase's level, and adds the pain rules, load management, re-tests, adjuncts and the "stop and
get checked" list from ``data/plan.yaml``. When the triage allows no plan, the phases are empty and
the referral carries a summary of the answers for a clinician. Deterministic: the same answers and
content always give the same plan.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict

from programs.library import ROLES, Exercise, Library, get_library
from programs.plan_content import (
    DOSE_LEVELS,
    AdaptationRule,
    Level,
    PhaseSpec,
    PlanContent,
    get_plan_content,
)
from questionnaire.content import Content, get_content
from questionnaire.engine import Answers, AssessmentResult, CauseResult, Evaluator, assess

LIKELIHOOD_RANK = {"high": 0, "moderate": 1, "low": 2}


# Physios' published versions are stored as this model's JSON and read back into it
# (physios.models.PlanVersion.as_plan): a field added to the plan later needs a default, so
# that every version stored before it still opens.


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class PlannedExercise(Out):
    id: str
    name: str
    dose: str
    targets: list[str]
    cue: str
    easier: str
    harder: str
    role: str
    steps: list[str]
    mistakes: list[str]
    avoid_if: list[str]
    equipment: list[str]
    illustration: str
    involves_jumping: bool
    sources: list[str]
    # Contract 5.3; stored versions from before it have none.
    tags: list[str] = []

    @classmethod
    def from_library(cls, exercise: Exercise, *, dose: str, present: list[str]) -> PlannedExercise:
        """An exercise from the library in the plan, aimed at the causes present."""
        targets = [cause_id for cause_id in exercise.targets if cause_id in present]
        return cls(
            id=exercise.id,
            name=exercise.name,
            dose=dose,
            targets=targets or list(exercise.targets),
            cue=exercise.cue,
            easier=exercise.easier,
            harder=exercise.harder,
            role=exercise.role,
            steps=list(exercise.steps),
            mistakes=list(exercise.mistakes),
            avoid_if=list(exercise.avoid_if),
            equipment=list(exercise.equipment),
            illustration=exercise.illustration,
            involves_jumping=exercise.involves_jumping,
            sources=list(exercise.sources),
            tags=list(exercise.tags),
        )


class Phase(Out):
    number: int
    key: str
    title: str
    weeks: list[int]
    sessions_per_week: int
    goal: str
    progress_when: str
    level: str
    exercises: list[PlannedExercise]
    sources: list[str]


class PainGuide(Out):
    progress: str
    hold: str
    step_back: str
    sources: list[str]


class Retest(Out):
    test: str
    question: str
    real_change: str
    sources: list[str]
    # The person's own answers at the start, in words ("left 7 cm, right 8.5 cm"); stored
    # versions from before it have none.
    baseline: str = ""


class Retests(Out):
    weeks: list[int]
    intro: str
    checks: list[Retest]


class Note(Out):
    title: str
    text: str
    sources: list[str]


class AnswerLine(Out):
    question: str
    label: str
    answer: str


class Referral(Out):
    level: str
    title: str
    advice: list[str]
    tell_them: list[str]
    note: str
    answers: list[AnswerLine]


class Adaptation(Out):
    """A rule that changed the plan for this person, and why, in plain words (contract 5.3)."""

    id: str
    reason: str


class Ladder(Out):
    intro: str
    pain_rule: str
    rungs: list[str]
    sources: list[str]


class SportReturn(Out):
    intro: str
    criteria: list[str]
    sources: list[str]


class Plan(Out):
    contract: int
    plan_version: str
    assessment: AssessmentResult
    phases: list[Phase]
    pain_rules: str
    pain_guide: PainGuide | None
    load_management: list[str]
    retests: Retests | None
    adjuncts: list[Note]
    notes: list[str]
    stop_if: list[str]
    referral: Referral
    adaptations: list[Adaptation] = []
    activity_ladder: Ladder | None = None
    return_to_sport: SportReturn | None = None


def build_plan(
    *,
    answers: Answers,
    assessment: AssessmentResult,
    content: Content,
    library: Library,
    plan_content: PlanContent,
) -> Plan:
    """Build the plan for an assessed answer set (contract section 3)."""
    referral = _referral(answers, assessment, content, plan_content)
    base: dict[str, Any] = {
        "contract": assessment.contract,
        "plan_version": plan_content.version,
        "assessment": assessment,
        "referral": referral,
    }
    if not assessment.triage.plan_allowed:
        return Plan(
            **base,
            phases=[],
            pain_rules="",
            pain_guide=None,
            load_management=[],
            retests=None,
            adjuncts=[],
            notes=[],
            stop_if=[],
        )
    fit = fit_for(answers, content, plan_content)
    specs = _phase_specs(answers, plan_content, library, fit)
    phases: list[Phase] = []
    seen: set[str] = set()
    for number, (spec, weeks) in enumerate(specs, start=1):
        phase = _phase(number, spec, weeks, assessment.causes, library, plan_content, fit, seen)
        phases.append(phase)
        seen.update(e.id for e in phase.exercises)
    rules = plan_content.pain_rules
    retests = plan_content.retests
    ladder, sport = plan_content.activity_ladder, plan_content.return_to_sport
    return Plan(
        **base,
        phases=phases,
        pain_rules=rules.summary.strip(),
        pain_guide=PainGuide(
            progress=rules.progress.strip(),
            hold=rules.hold.strip(),
            step_back=rules.step_back.strip(),
            sources=list(rules.sources),
        ),
        load_management=list(plan_content.load_management.points),
        retests=Retests(
            weeks=list(retests.weeks),
            intro=retests.intro.strip(),
            checks=[
                Retest(
                    test=c.test,
                    question=c.question,
                    real_change=c.real_change,
                    sources=list(c.sources),
                    baseline=_baseline(c.baseline, referral.answers),
                )
                for c in retests.checks
            ],
        ),
        adjuncts=_adjuncts(assessment.causes, plan_content),
        notes=[],
        stop_if=list(plan_content.stop_if.items),
        adaptations=[Adaptation(id=rule.id, reason=reason) for rule, reason in fit.rules],
        activity_ladder=Ladder(
            intro=ladder.intro.strip(),
            pain_rule=ladder.pain_rule.strip(),
            rungs=list(ladder.rungs),
            sources=list(ladder.sources),
        )
        if any(rule.activity_ladder for rule, _ in fit.rules)
        else None,
        return_to_sport=SportReturn(
            intro=sport.intro.strip(), criteria=list(sport.criteria), sources=list(sport.sources)
        )
        if any(rule.return_to_sport for rule, _ in fit.rules)
        else None,
    )


def _baseline(labels: dict[str, str], answers: list[AnswerLine]) -> str:
    given = {line.question: line.answer for line in answers}
    return ", ".join(f"{label} {given[q]}".strip() for q, label in labels.items() if q in given)


@dataclass(frozen=True)
class Fit:
    """What the person's answers make of the plan's rules: who they are and which rules apply."""

    people: frozenset[str]
    age: int | None
    pain: int | None
    rules: tuple[tuple[AdaptationRule, str], ...]

    def left_out(self, phase_key: str) -> frozenset[str]:
        tags: set[str] = set()
        for rule, _ in self.rules:
            tags.update(rule.leave_out)
            tags.update(rule.leave_out_in.get(phase_key, ()))
        return frozenset(tags)

    def every_phase(self) -> tuple[str, ...]:
        return tuple(tag for rule, _ in self.rules for tag in rule.every_phase)

    def applies(self, flag: str) -> bool:
        return any(getattr(rule, flag) for rule, _ in self.rules)

    def rules_out(self, exercise: Exercise) -> bool:
        """True when the exercise's own contraindications rule it out for this person."""
        limits = exercise.contraindications
        if self.people & set(limits.people):
            return True
        if self.age is not None:
            if limits.age_min is not None and self.age < limits.age_min:
                return True
            if limits.age_max is not None and self.age > limits.age_max:
                return True
        return (
            self.pain is not None
            and limits.pain_worst_max is not None
            and self.pain > limits.pain_worst_max
        )


def fit_for(answers: Answers, content: Content, plan_content: PlanContent) -> Fit:
    """The person conditions that hold and the rules that apply, each with its reason."""
    evaluator = Evaluator(answers, content)
    people = frozenset(p.id for p in plan_content.people if evaluator.is_true(p.when))
    age, pain = _number(answers, "age"), _number(answers, "pain_worst")
    rules = []
    for rule in plan_content.adaptations:
        reason = next((text for who, text in rule.for_.items() if who in people), None)
        if reason is not None:
            filled = reason.format(age=age, pain=pain)
            rules.append((rule, " ".join(filled.split())))
    return Fit(people=people, age=age, pain=pain, rules=tuple(rules))


def _number(answers: Answers, qid: str) -> int | None:
    value = answers.get(qid)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def allowed_exercises(
    library: Library, fit: Fit, *, phase_key: str, leave_out: tuple[str, ...] = ()
) -> list[Exercise]:
    """The library's exercises this person may be given in this phase, in library order."""
    left_out = fit.left_out(phase_key) | set(leave_out)
    supported_only = fit.applies("balance_supported")
    return [
        e
        for e in library.exercises
        if not left_out & set(e.tags)
        and not (supported_only and "balance" in e.tags and "supported" not in e.tags)
        and not fit.rules_out(e)
    ]


def _phase_specs(
    answers: Answers, plan_content: PlanContent, library: Library, fit: Fit
) -> list[tuple[PhaseSpec, tuple[int, int]]]:
    """The phases this person gets, with their weeks.

    A jumping phase whose `needs` no allowed exercise meets is dropped, and the phase before it
    runs on through its weeks; when every jumping phase is dropped, the not_jumping ones apply."""

    def usable(spec: PhaseSpec) -> bool:
        pool = allowed_exercises(library, fit, phase_key=spec.key, leave_out=spec.leave_out)
        return all(any(tag in e.tags for e in pool) for tag in (*spec.needs, *_jump_needs(spec)))

    jumping = [s for s in plan_content.phases if s.for_ == "jumping"]
    landing = answers.get("sport") == "jumping_pivoting" and any(usable(s) for s in jumping)
    wanted = "jumping" if landing else "not_jumping"
    chosen: list[tuple[PhaseSpec, tuple[int, int]]] = []
    for spec in plan_content.phases:
        if spec.for_ not in ("all", wanted):
            continue
        if spec.for_ == "jumping" and not usable(spec) and chosen:
            previous, (first, _) = chosen[-1]
            chosen[-1] = (previous, (first, spec.weeks[1]))
            continue
        chosen.append((spec, spec.weeks))
    return chosen


def _jump_needs(spec: PhaseSpec) -> tuple[str, ...]:
    # A jumping phase is about landings: without any landing drill left it has no point.
    return ("plyometric_two_foot",) if spec.for_ == "jumping" and not spec.needs else ()


def _phase(
    number: int,
    spec: PhaseSpec,
    weeks: tuple[int, int],
    causes: Sequence[CauseResult],
    library: Library,
    plan_content: PlanContent,
    fit: Fit,
    seen: set[str],
) -> Phase:
    level = _level(spec.level, step_down=fit.applies("start_easier"))
    chosen = pick_exercises(
        spec,
        causes,
        allowed_exercises(library, fit, phase_key=spec.key, leave_out=spec.leave_out),
        must_have=_unique((*spec.must_have, *fit.every_phase())),
        minimum=plan_content.exercises_per_phase.min,
        maximum=plan_content.exercises_per_phase.max,
    )
    present = [cause.id for cause in causes]
    easiest_first = fit.applies("new_start_easiest")
    return Phase(
        number=number,
        key=spec.key,
        title=spec.title,
        weeks=list(range(weeks[0], weeks[1] + 1)),
        sessions_per_week=spec.sessions_per_week,
        goal=spec.goal.strip(),
        progress_when=spec.progress_when.strip(),
        level=level,
        exercises=[
            PlannedExercise.from_library(
                exercise,
                dose=getattr(
                    exercise.dose,
                    DOSE_LEVELS[0] if easiest_first and exercise.id not in seen else level,
                ),
                present=present,
            )
            for exercise in chosen
        ],
        sources=list(spec.sources),
    )


def _unique(tags: Sequence[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tags))


def _level(level: Level, *, step_down: bool) -> Level:
    index = DOSE_LEVELS.index(level)
    return DOSE_LEVELS[max(0, index - 1)] if step_down else level


def pick_exercises(
    spec: PhaseSpec,
    causes: Sequence[CauseResult],
    allowed: Sequence[Exercise],
    *,
    must_have: Sequence[str] = (),
    minimum: int,
    maximum: int,
) -> list[Exercise]:
    """Choose a phase's exercises from those allowed: one per cause in rank order, then one for
    each tag the phase must have, then fill up to the minimum. Room is always kept for the tags
    the phase must have."""
    main = [e for e in allowed if e.role in spec.roles]
    fallback = [e for e in allowed if e.role in spec.fallback_roles]
    weight = {cause.id: cause.score for cause in causes}
    ranked = sorted(causes, key=lambda c: (LIKELIHOOD_RANK[c.likelihood], -c.score))
    chosen: list[Exercise] = []

    def unmet(exercises: list[Exercise]) -> list[str]:
        return [tag for tag in must_have if not any(tag in e.tags for e in exercises)]

    for cause in ranked:
        if any(cause.id in e.targets for e in chosen):
            continue
        pool = [e for e in main if cause.id in e.targets and e not in chosen]
        if not pool and cause.likelihood == "high":
            pool = [e for e in fallback if cause.id in e.targets and e not in chosen]
        pool = [e for e in pool if len(chosen) + 1 + len(unmet([*chosen, e])) <= maximum]
        if pool:
            chosen.append(_best(pool, weight))
    for tag in must_have:
        if tag in unmet(chosen):
            # The phase's own roles first, then its fallbacks, then anything allowed.
            for pool in (main, fallback, list(allowed)):
                candidates = [e for e in pool if tag in e.tags and e not in chosen]
                if candidates:
                    chosen.append(_best(candidates, weight))
                    break
    for exercise in sorted(main, key=lambda e: -_value(e, weight)):
        if len(chosen) >= minimum:
            break
        if exercise not in chosen:
            chosen.append(exercise)
    # A session runs in role order: loosen, wake up, load, whole movements, landings, fitness.
    return sorted(chosen, key=lambda e: ROLES.index(e.role))


def _value(exercise: Exercise, weight: dict[str, float]) -> float:
    return sum(weight.get(cause_id, 0.0) for cause_id in exercise.targets)


def _best(pool: list[Exercise], weight: dict[str, float]) -> Exercise:
    # The exercise that also works the most of the other likely causes; library order breaks ties
    # (sorted is stable), so the choice never depends on anything but the data.
    return sorted(pool, key=lambda e: -_value(e, weight))[0]


def _adjuncts(causes: Sequence[CauseResult], plan_content: PlanContent) -> list[Note]:
    likelihood = {cause.id: cause.likelihood for cause in causes}
    return [
        Note(title=a.title, text=a.text.strip(), sources=list(a.sources))
        for a in plan_content.adjuncts
        if likelihood.get(a.cause) in a.likelihood
    ]


def _referral(
    answers: Answers, assessment: AssessmentResult, content: Content, plan_content: PlanContent
) -> Referral:
    triage = assessment.triage
    advice = [triage.summary.strip()]
    tell_them: list[str] = []
    for flag in assessment.red_flags:
        # Advice from a less serious flag ("book a check in a week or two") would only blur the
        # message of the most serious one; its "tell them" line still helps the clinician.
        if flag.level == triage.level and flag.advice not in advice:
            advice.append(flag.advice)
        if flag.tell_them and flag.tell_them not in tell_them:
            tell_them.append(flag.tell_them)
    note = ""
    if not triage.plan_allowed:
        note = plan_content.no_plan_note
    elif triage.level == "routine":
        note = plan_content.routine_note
    return Referral(
        level=triage.level,
        title=triage.title,
        advice=advice,
        tell_them=tell_them,
        note=note.strip(),
        answers=answer_lines(answers, content),
    )


def answer_lines(answers: Answers, content: Content) -> list[AnswerLine]:
    """The answers in questionnaire order, in words, for a clinician to read."""
    lines = []
    for qid, question in content.questions.items():
        if qid not in answers:
            continue
        value = answers[qid]
        if isinstance(value, bool):
            text = "Yes" if value else "No"
        elif question.type == "choice":
            labels = {choice.value: choice.label for choice in question.choices}
            text = labels.get(str(value), str(value))
        else:
            number = f"{value:g}" if isinstance(value, float) else str(value)
            text = f"{number} {question.unit}".strip()
        lines.append(AnswerLine(question=qid, label=question.label, answer=text))
    return lines


BUILT_PLANS_KEPT = 256
_built: OrderedDict[str, tuple[tuple[int, int, int], Plan, tuple[object, ...]]] = OrderedDict()
_built_lock = threading.Lock()


def plan_for(answers: Answers) -> Plan:
    """The plan for a validated answer set under the shipped content: the one way every page,
    the PDF, the physio's review and the command build a plan.

    A plan is a frozen value of its answers and the content, so the last plans built are kept
    and handed out again: the plan page is shown many times for one answer set, and building
    it was most of that page's cost (bench/http_load.py)."""
    content, library, plan_content = get_content(), get_library(), get_plan_content()
    key = json.dumps(dict(answers), sort_keys=True)
    with _built_lock:
        built = _built.get(key)
        if built is not None and built[0] == (id(content), id(library), id(plan_content)):
            _built.move_to_end(key)
            return built[1]
    plan = build_plan(
        answers=answers,
        assessment=assess(answers, content),
        content=content,
        library=library,
        plan_content=plan_content,
    )
    with _built_lock:
        # The content objects themselves are kept, so their ids cannot be reused meanwhile.
        _built[key] = ((id(content), id(library), id(plan_content)), plan, (content, library))
        while len(_built) > BUILT_PLANS_KEPT:
            _built.popitem(last=False)
    return plan
