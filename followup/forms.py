"""The follow-up's forms: a session, the next morning's pain, and the outcome scores."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms

from followup.core import Activity, OutcomeAnswers

PAIN = [(str(n), str(n)) for n in range(11)]
PAIN_ERRORS = {"required": "Choose a number from 0 to 10", "invalid_choice": "Choose 0 to 10"}


def _pain(label: str, *, required: bool = True) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN if required else [("", "Not yet"), *PAIN],
        coerce=int,
        empty_value=None,
        required=required,
        error_messages=PAIN_ERRORS,
    )


class SessionForm(forms.Form):
    done_on = forms.DateField(
        error_messages={
            "required": "Enter the date of the session",
            "invalid": "Enter the date as year-month-day, for example 2026-03-01",
        }
    )
    exercises = forms.MultipleChoiceField(
        required=True,
        error_messages={
            "required": "Tick at least one exercise you did",
            "invalid_choice": "Tick only the exercises shown",
        },
    )
    pain_before = _pain("Pain before you started")
    pain_during = _pain("Worst pain during the session")
    pain_morning = _pain("Pain the next morning", required=False)
    stop_signs = forms.MultipleChoiceField(
        required=False, error_messages={"invalid_choice": "Tick only the signs shown"}
    )

    def __init__(
        self,
        *args: Any,
        exercises: list[tuple[str, str]],
        signs: list[tuple[str, str]],
        start: dt.date,
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["exercises"].choices = exercises  # type: ignore[attr-defined]
        self.fields["stop_signs"].choices = signs  # type: ignore[attr-defined]
        self.start, self.today = start, today

    def clean_done_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["done_on"]
        if day > self.today:
            raise forms.ValidationError("The date cannot be in the future")
        if day < self.start:
            raise forms.ValidationError(
                f"The date cannot be before your plan started ({self.start:%d %B %Y})"
            )
        return day


class MorningForm(forms.Form):
    pain_morning = _pain("Pain this morning")


class OutcomeForm(forms.Form):
    pain = _pain("Worst knee pain in the last week")
    sane = forms.IntegerField(
        min_value=0,
        max_value=100,
        error_messages={
            "required": "Enter a number from 0 to 100",
            "invalid": "Enter a whole number from 0 to 100",
            "min_value": "Enter a number from 0 to 100",
            "max_value": "Enter a number from 0 to 100",
        },
    )

    def __init__(self, *args: Any, activities: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activities = activities
        for i in range(activities):
            self.fields[f"activity_{i}"] = forms.CharField(
                required=False,
                max_length=80,
                error_messages={"max_length": "Keep the activity under 80 characters"},
            )
            self.fields[f"rating_{i}"] = _pain("How well you can do it", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(self.activities):
            name = " ".join(str(data.get(f"activity_{i}") or "").split())
            rating = data.get(f"rating_{i}")
            if name and rating is None and f"rating_{i}" not in self.errors:
                self.add_error(f"rating_{i}", "Rate this activity from 0 to 10")
            if rating is not None and not name:
                self.add_error(f"activity_{i}", "Name the activity you rated")
        return data

    def answers(self) -> OutcomeAnswers:
        data = self.cleaned_data
        activities = tuple(
            Activity(name=data[f"activity_{i}"], rating=data[f"rating_{i}"])
            for i in range(self.activities)
            if (data.get(f"activity_{i}") or "").strip() and data.get(f"rating_{i}") is not None
        )
        return OutcomeAnswers(pain=data["pain"], activities=activities, sane=data["sane"])
