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
from typing import Any

from pydantic import BaseModel, ConfigDict

from programs.library import ROLES, Exercise, Library, get_library
from programs.plan_content import DOSE_LEVELS, Level, PhaseSpec, PlanContent, get_plan_content
from questionnaire.content import Content, get_content
from questionnaire.engine import Answers, AssessmentResult, CauseResult, assess

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
    flag_ids = {flag.id for flag in assessment.red_flags}
    jumping_allowed = not flag_ids & set(plan_content.no_jumping.red_flags)
    jumping_sport = answers.get("sport") == "jumping_pivoting"
    step_down = _pain(answers) >= plan_content.start_easier.pain_worst_at_least
    specs = [
        spec
        for spec in plan_content.phases
        if spec.for_ == "all" or (spec.for_ == "jumping") == (jumping_sport and jumping_allowed)
    ]
    phases = [
        _phase(
            number,
            spec,
            assessment.causes,
            library,
            plan_content,
            jumping_allowed=jumping_allowed,
            step_down=step_down,
        )
        for number, spec in enumerate(specs, start=1)
    ]
    notes = []
    if step_down:
        notes.append(plan_content.start_easier.note.strip())
    if not jumping_allowed:
        notes.append(plan_content.no_jumping.note.strip())
    rules = plan_content.pain_rules
    retests = plan_content.retests
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
                )
                for c in retests.checks
            ],
        ),
        adjuncts=_adjuncts(assessment.causes, plan_content),
        notes=notes,
        stop_if=list(plan_content.stop_if.items),
    )


def _pain(answers: Answers) -> int:
    value = answers.get("pain_worst", 0)
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _phase(
    number: int,
    spec: PhaseSpec,
    causes: Sequence[CauseResult],
    library: Library,
    plan_content: PlanContent,
    *,
    jumping_allowed: bool,
    step_down: bool,
) -> Phase:
    level = _level(spec.level, step_down=step_down)
    chosen = pick_exercises(
        spec,
        causes,
        library,
        jumping_allowed=jumping_allowed,
        minimum=plan_content.exercises_per_phase.min,
        maximum=plan_content.exercises_per_phase.max,
    )
    present = [cause.id for cause in causes]
    return Phase(
        number=number,
        key=spec.key,
        title=spec.title,
        weeks=list(range(spec.weeks[0], spec.weeks[1] + 1)),
        sessions_per_week=spec.sessions_per_week,
        goal=spec.goal.strip(),
        progress_when=spec.progress_when.strip(),
        level=level,
        exercises=[
            PlannedExercise.from_library(
                exercise, dose=getattr(exercise.dose, level), present=present
            )
            for exercise in chosen
        ],
        sources=list(spec.sources),
    )


def _level(level: Level, *, step_down: bool) -> Level:
    index = DOSE_LEVELS.index(level)
    return DOSE_LEVELS[max(0, index - 1)] if step_down else level


def pick_exercises(
    spec: PhaseSpec,
    causes: Sequence[CauseResult],
    library: Library,
    *,
    jumping_allowed: bool,
    minimum: int,
    maximum: int,
) -> list[Exercise]:
    """Choose a phase's exercises: one per cause in rank order, then fill up to the minimum."""
    allowed = [e for e in library.exercises if jumping_allowed or not e.involves_jumping]
    main = [e for e in allowed if e.role in spec.roles]
    fallback = [e for e in allowed if e.role in spec.fallback_roles]
    weight = {cause.id: cause.score for cause in causes}
    ranked = sorted(causes, key=lambda c: (LIKELIHOOD_RANK[c.likelihood], -c.score))
    chosen: list[Exercise] = []
    for cause in ranked:
        if len(chosen) >= maximum or any(cause.id in e.targets for e in chosen):
            continue
        pool = [e for e in main if cause.id in e.targets and e not in chosen]
        if not pool and cause.likelihood == "high":
            pool = [e for e in fallback if cause.id in e.targets and e not in chosen]
        if pool:
            chosen.append(_best(pool, weight))
    for exercise in sorted(main, key=lambda e: -_value(e, weight)):
        if len(chosen) >= minimum:
            break
        if exercise not in chosen:
            chosen.append(exercise)
    # A session runs in role order: loosen, wake up, load, then whole movements and landings.
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
