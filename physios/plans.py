"""The plans a physio reviews: built from a stored assessment, and stored plans read back.

The edits themselves are pure Python, in ``physios.editing``.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from programs.builder import Plan, answer_lines, build_plan, plan_json
from programs.library import get_library
from programs.plan_content import get_plan_content
from questionnaire.content import get_content
from questionnaire.engine import assess, assessment_json, still_valid_answers
from questionnaire.models import Assessment


def valid_answers(assessment: Assessment) -> dict[str, Any]:
    """The stored answers still valid under today's questions; the rest are dropped."""
    return still_valid_answers(assessment.answers, get_content())


def generated_plan(assessment: Assessment) -> dict[str, Any]:
    content = get_content()
    answers = valid_answers(assessment)
    plan = build_plan(
        answers=answers,
        assessment=assess(answers, content),
        content=content,
        library=get_library(),
        plan_content=get_plan_content(),
    )
    return plan_json(plan)


def summary_so_far(assessment: Assessment) -> dict[str, Any]:
    """Triage and causes of the answers given so far (contract section 2)."""
    return assessment_json(assess(valid_answers(assessment), get_content()))


def answers_in_words(assessment: Assessment) -> list[dict[str, str]]:
    lines = answer_lines(valid_answers(assessment), get_content())
    return [line.model_dump() for line in lines]


def plan_model(plan: dict[str, Any], *, notes: str = "", physio: str = "") -> Plan:
    """The stored JSON back as the builder's model, for the plan templates and the PDF."""
    data = copy.deepcopy(plan)
    data.pop("review", None)
    if notes.strip():
        data["notes"] = [
            f"From {physio or 'your physiotherapist'}: {notes.strip()}",
            *data["notes"],
        ]
    return Plan.model_validate(data)


def plan_date(moment: dt.datetime) -> dt.date:
    return timezone.localdate(moment)
