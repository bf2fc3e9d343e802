"""Django forms built from the content: one form class per set of questions on a page.

Field names are the question ids and values follow contract section 4: a yes/no question is a
pair of radios valued ``yes`` and ``no``, a choice is radios with its listed values, and numbers
are ``<input type="number">``. Error messages are written for the person, not the programmer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, cast

from django import forms

from questionnaire.content import Question
from questionnaire.engine import AnswerValue, expected

YES_NO = (("yes", "Yes"), ("no", "No"))
# Plain decimal notation only: Python's float() would also take "1e3", "nan" and "1_000".
NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)", re.ASCII)


def _plain(number: float | None) -> str:
    assert number is not None
    return str(int(number)) if number == int(number) else str(number)


class NumberAnswer(forms.Field):
    """A whole number or a decimal in the question's range; a decimal comma is fine too."""

    def __init__(self, question: Question, **kwargs: Any) -> None:
        self.question = question
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | float | None:
        text = str(value or "").strip().replace(",", ".")
        if not text:
            return None
        q = self.question
        range_text = f"from {_plain(q.min)} to {_plain(q.max)}"
        kind = "a whole number" if q.type == "int" else "a number"
        if not NUMBER.fullmatch(text):
            raise forms.ValidationError(f"Enter {kind} {range_text}", code="invalid")
        number = float(text)
        assert q.min is not None and q.max is not None
        if not q.min <= number <= q.max:
            raise forms.ValidationError(f"Enter {kind} {range_text}", code="range")
        if q.type == "int" and number != int(number):
            raise forms.ValidationError(f"Enter a whole number {range_text}", code="whole")
        return int(number) if q.type == "int" else number


def _field(question: Question) -> forms.Field:
    required = not question.optional
    if question.type == "bool":
        return forms.ChoiceField(
            choices=YES_NO,
            required=required,
            error_messages={"required": "Select yes or no", "invalid_choice": "Select yes or no"},
        )
    if question.type == "choice":
        return forms.ChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            required=required,
            error_messages={
                "required": "Select one answer",
                "invalid_choice": "Select one of the answers shown",
            },
        )
    message = f"Enter {expected(question)}"
    return NumberAnswer(question, required=required, error_messages={"required": message})


class _SharedFields(dict[str, forms.Field]):
    """A form's fields, shared by its instances rather than deep-copied for each one.

    Django copies them so that a form may change its own fields; these forms never do, and the
    copy was the largest part of validating a page.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedFields:
        return self


_FORMS: dict[tuple[str, ...], type[forms.Form]] = {}


def form_class(questions: tuple[Question, ...]) -> type[forms.Form]:
    """The form for these questions, built once per set of questions and kept."""
    key = tuple(q.id for q in questions)
    if key not in _FORMS:
        fields = {q.id: _field(q) for q in questions}
        form = cast(type[forms.Form], type("PageForm", (forms.Form,), fields))
        form.base_fields = _SharedFields(form.base_fields)
        _FORMS[key] = form
    return _FORMS[key]


def to_answer(question: Question, value: Any) -> AnswerValue | None:
    """Turn a cleaned form value into the answer the engine expects (None: not answered)."""
    if value in (None, ""):
        return None
    if question.type == "bool":
        return bool(value == "yes")
    return value if isinstance(value, int | float | str) else None


def to_initial(question: Question, answer: AnswerValue) -> str:
    """Show a saved answer in its field."""
    if question.type == "bool":
        return "yes" if answer else "no"
    if isinstance(answer, float):
        return _plain(answer)
    return str(answer)


def initial_for(
    questions: tuple[Question, ...], answers: Mapping[str, AnswerValue]
) -> dict[str, str]:
    return {q.id: to_initial(q, answers[q.id]) for q in questions if q.id in answers}
