"""Plans as HTML: the context the page and the print template share, and the page itself.

WeasyPrint lives in ``programs.pdf`` so that the page, the JSON and the command's HTML output
never need Pango.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from programs.builder import Plan, PlannedExercise
from questionnaire.content import get_content
from questionnaire.coverage import self_test_coverage
from questionnaire.engine import Answers
from questionnaire.presentation import unanswered_questions

LIKELIHOOD_WORDS = {"high": "Likely", "moderate": "Possible", "low": "Less likely"}
# What an exercise with no cause of its own works on, said from its tags.
TAG_WORDS = {
    "knee_targeted": "Thigh muscles that straighten the knee",
    "hip_targeted": "Hip muscles",
    "balance": "Balance",
    "aerobic": "Fitness",
}
TOP_CAUSES = 3


def plan_context(
    plan: Plan, *, date: dt.date | None = None, answers: Answers | None = None
) -> dict[str, Any]:
    """Everything a plan template needs, with cause names and reasons in words.

    ``answers`` (the valid answers the plan was built from) tell which movement tests were not
    done; a plan shown without them (a physio's published version) leaves that out."""
    content = get_content()
    assessment = plan.assessment
    names = {cause_id: cause.name for cause_id, cause in content.causes.items()}
    causes = [
        {
            "id": cause.id,
            "name": cause.name,
            "likelihood": cause.likelihood,
            "likelihood_word": LIKELIHOOD_WORDS[cause.likelihood],
            "reasons": _unique(reason.explanation for reason in cause.reasons),
            "confirm_with_clinician": cause.confirm_with_clinician,
        }
        for cause in assessment.causes[:TOP_CAUSES]
    ]
    phases = [
        {
            "phase": phase,
            "sessions": range(phase.sessions_per_week),
            "exercises": [
                {"exercise": e, "target_names": _target_names(e, names)} for e in phase.exercises
            ],
        }
        for phase in plan.phases
    ]
    return {
        "sources": _sources(plan),
        "plan": plan,
        "triage": assessment.triage,
        "red_flags": assessment.red_flags,
        "causes": causes,
        "more_causes": len(assessment.causes) - len(causes),
        "phases": phases,
        "plan_allowed": assessment.triage.plan_allowed,
        "date": date or timezone.localdate(),
        "weeks": [week for phase in plan.phases for week in phase.weeks],
        "unanswered": unanswered_questions(assessment.triage.unanswered, content),
        "coverage": None if answers is None else self_test_coverage(answers, content),
    }


def _target_names(exercise: PlannedExercise, names: dict[str, str]) -> list[str]:
    if exercise.targets:
        return [names.get(t, t) for t in exercise.targets]
    return [TAG_WORDS[tag] for tag in exercise.tags if tag in TAG_WORDS]


def _sources(plan: Plan) -> list[str]:
    """The citations behind the plan's phases, exercises and pain rules, in first-use order."""
    ids: list[str] = []
    for phase in plan.phases:
        ids.extend(phase.sources)
        for exercise in phase.exercises:
            ids.extend(exercise.sources)
    if plan.pain_guide is not None:
        ids.extend(plan.pain_guide.sources)
    for part in (plan.activity_ladder, plan.return_to_sport):
        if part is not None:
            ids.extend(part.sources)
    if plan.retests is not None:
        for check in plan.retests.checks:
            ids.extend(check.sources)
    for note in plan.adjuncts:
        ids.extend(note.sources)
    known = get_content().sources
    return [known[i].citation for i in _unique(ids) if i in known]


def _unique(items: Any) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def plan_html(plan: Plan, *, date: dt.date | None = None, answers: Answers | None = None) -> str:
    """The plan page as a standalone document, for `manage.py plan --format html`."""
    return render_to_string("programs/plan.html", plan_context(plan, date=date, answers=answers))
