"""Shape content, forms and results into plain values the templates can loop over.

Templates stay simple and fast: the markup for each field is written out in
``templates/questionnaire/_field.html`` from these values rather than through Django's
widget templates.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django import forms
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from questionnaire.content import Content, Question
from questionnaire.engine import AnswerValue, AssessmentResult
from questionnaire.flow import Flow, Page, visible_questions
from questionnaire.forms import to_initial


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    hint: str
    checked: bool


@dataclass(frozen=True)
class Field:
    question: Question
    value: str
    error: str
    options: tuple[Option, ...]

    @property
    def id(self) -> str:
        return self.question.id

    @property
    def first_input_id(self) -> str:
        return f"{self.id}-0" if self.options else self.id


def _options(question: Question, value: str) -> tuple[Option, ...]:
    if question.type == "bool":
        pairs = [("yes", "Yes", ""), ("no", "No", "")]
    elif question.type == "choice":
        pairs = [(c.value, c.label, c.hint) for c in question.choices]
    else:
        return ()
    return tuple(Option(v, label, hint, v == value) for v, label, hint in pairs)


def fields(
    questions: tuple[Question, ...],
    values: Mapping[str, str],
    errors: Mapping[str, str] | None = None,
) -> list[Field]:
    """The fields to show: what was typed (or saved) and the first error of each."""
    result = []
    for question in questions:
        value = values.get(question.id, "")
        error = (errors or {}).get(question.id, "")
        result.append(Field(question, value, error, _options(question, value)))
    return result


def form_errors(form: forms.Form) -> dict[str, str]:
    return {name: str(messages[0]) for name, messages in form.errors.items() if messages}


def _render_jinja(template: str, context: dict[str, Any]) -> SafeString:
    return mark_safe(render_to_string(template, context, using="jinja2"))


_FIELD_HTML: dict[tuple[str, str, str], SafeString] = {}
# Enough for every choice on every page many times over; past it, fields render uncached.
FIELD_CACHE_SIZE = 10_000
# Only markup for short values and messages is kept: every saved answer and every message of
# ours fits, while whatever else a visitor types (a 1 MB "age", say) is rendered and forgotten,
# so the cache can never hold more than FIELD_CACHE_SIZE small entries (issue 13).
FIELD_CACHE_MAX_VALUE = 64
FIELD_CACHE_MAX_ERROR = 300


def field_html(field: Field) -> SafeString:
    """A field's markup depends only on its question, value and error, so keep it once made.

    Not kept with DEBUG on, so that an edited template shows without a restart."""
    key = (field.id, field.value, field.error)
    keep = (
        not settings.DEBUG
        and len(field.value) <= FIELD_CACHE_MAX_VALUE
        and len(field.error) <= FIELD_CACHE_MAX_ERROR
    )
    html = _FIELD_HTML.get(key) if keep else None
    if html is None:
        html = _render_jinja("questionnaire/_field.html", {"field": field})
        if keep and len(_FIELD_HTML) < FIELD_CACHE_SIZE:
            _FIELD_HTML[key] = html
    return html


def error_summary(shown: list[Field]) -> list[tuple[str, str]]:
    """Each problem as (anchor, text), in page order; the text names the question."""
    return [(f.first_input_id, f"{f.question.label} {f.error}.") for f in shown if f.error]


def section(content: Content, page: Page, flow: Flow) -> dict[str, str] | None:
    """The section's introduction, shown on its first page only."""
    index = flow.index[page.id]
    if index and flow.pages[index - 1].section == page.section:
        return None
    for item in content.sections:
        if item.id == page.section:
            return {"title": item.title, "intro": item.intro}
    return None


def section_title(content: Content, page: Page) -> str:
    return next((s.title for s in content.sections if s.id == page.section), "")


_TITLE = re.compile(r"<title[^>]*>([^<]+)</title>")


@cache
def picture_alt(name: str) -> str:
    """The drawing's own <title>, so its alt text is written once, in the SVG."""
    path = Path(settings.BASE_DIR) / "static" / name
    try:
        found = _TITLE.search(path.read_text(encoding="utf-8"))
    except OSError:
        found = None
    return found.group(1).strip() if found else "Drawing"


def pictures(page: Page) -> list[tuple[str, str]]:
    if page.self_test is None:
        return []
    return [(name, picture_alt(name)) for name in page.self_test.illustrations]


_INSTRUCTIONS: dict[tuple[str, str], SafeString] = {}


def instructions(content: Content, page: Page) -> SafeString:
    """A self-test's instructions and drawings: the same for everyone, so rendered once (on
    every request with DEBUG on, so that an edited template shows without a restart)."""
    key = (content.version, page.id)
    if key not in _INSTRUCTIONS or settings.DEBUG:
        context = {"test": page.self_test, "pictures": pictures(page)}
        html = _render_jinja("questionnaire/_self_test.html", context) if page.self_test else ""
        _INSTRUCTIONS[key] = mark_safe(html)
    return _INSTRUCTIONS[key]


def answer_text(question: Question, value: AnswerValue | None) -> str:
    """An answer in words, as the person chose it."""
    if value is None:
        return "Not answered" if not question.optional else "Not measured"
    if question.type == "bool":
        return "Yes" if value else "No"
    if question.type == "choice":
        labels = {c.value: c.label for c in question.choices}
        return labels.get(str(value), str(value))
    text = to_initial(question, value)
    return f"{text} {question.unit}".strip()


def answer_groups(
    flow: Flow, content: Content, answers: Mapping[str, AnswerValue]
) -> list[dict[str, Any]]:
    groups = []
    for page in flow.pages:
        rows = [
            {"question": q, "answer": answer_text(q, answers.get(q.id))}
            for q in visible_questions(page, answers, content)
        ]
        if rows:
            groups.append({"page": page, "rows": rows})
    return groups


def causes(
    result: AssessmentResult, content: Content, answers: Mapping[str, AnswerValue]
) -> list[dict[str, Any]]:
    shown = []
    for cause in result.causes:
        reasons = [
            {
                "explanation": reason.explanation,
                "answers": [
                    (content.questions[q].label, answer_text(content.questions[q], answers.get(q)))
                    for q in reason.questions
                    if q in content.questions and q in answers
                ],
            }
            for reason in cause.reasons
            if reason.points > 0
        ]
        shown.append(
            {
                "result": cause,
                "summary": content.causes[cause.id].summary,
                "reasons": reasons,
            }
        )
    return shown


def unanswered_questions(unanswered: list[str], content: Content) -> list[Question]:
    """The unanswered safety questions (triage.unanswered), to name in the person's words."""
    return [content.questions[qid] for qid in unanswered if qid in content.questions]
