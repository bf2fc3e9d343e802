from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.utils import timezone

from physios.editing import CONFIRM, DISMISS, KEEP, Edits
from physios.models import Client
from programs.builder import Phase, Plan
from programs.library import ROLES, get_library
from questionnaire.content import get_content
from questionnaire.engine import CauseResult

MAX_SHARE_DAYS = 366


class SignUpForm(UserCreationForm[User]):
    first_name = forms.CharField(
        label="Your name",
        max_length=150,
        help_text="Your clients see it when they open your link, for example “Sam Patel, physio”.",
    )
    email = forms.EmailField(
        label="E-mail address", help_text="You log in with it, and we send password resets to it."
    )

    class Meta:
        model = get_user_model()
        fields = ("first_name", "email")

    def clean_email(self) -> str:
        # Whether an account already uses the address is never said here: the sign-up view
        # answers both cases alike and tells only the address's owner, by e-mail.
        email: str = self.cleaned_data["email"].strip().lower()
        return email

    def existing_account(self) -> User | None:
        return get_user_model().objects.filter(username__iexact=self.cleaned_data["email"]).first()

    def validate_unique(self) -> None:
        # The username is the e-mail address, checked by the view (see clean_email).
        pass

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        user.username = self.cleaned_data["email"]
        user.email = self.cleaned_data["email"]
        if commit:
            user.save()
        return user


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label="E-mail address",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )

    error_messages = {  # noqa: RUF012 - Django reads and overrides this class attribute
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "The e-mail address or the password is not right. Check both and try again."
        ),
    }

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip().lower()
        return username


class ClientForm(forms.ModelForm[Client]):
    display_name = forms.CharField(
        label="Name or initials",
        max_length=80,
        help_text="Only you see this. Initials are enough; no e-mail address is needed.",
    )

    class Meta:
        model = Client
        fields = ("display_name",)


class ShareForm(forms.Form):
    expires_on = forms.DateField(
        label="Link works until",
        help_text="After this date the link stops working. You can also stop it at any time.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean_expires_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if value <= today:
            raise forms.ValidationError("Choose a date after today.")
        if value > today + dt.timedelta(days=MAX_SHARE_DAYS):
            raise forms.ValidationError("Choose a date within a year from today.")
        return value


DECISIONS = [(KEEP, "Leave as found"), (CONFIRM, "Confirm"), (DISMISS, "Dismiss")]


class ReviewForm(forms.Form):
    """The physio's edits to a plan: causes, exercises and doses, notes for the client."""

    notes = forms.CharField(
        label="Notes for your client",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown at the top of the plan and on the PDF.",
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        content = get_content()
        causes = plan.assessment.causes
        self.cause_rows: list[tuple[CauseResult, str]] = []
        for cause in causes:
            name = f"cause_{cause.id}"
            self.fields[name] = forms.ChoiceField(
                label=cause.name, choices=DECISIONS, initial=KEEP, widget=forms.RadioSelect
            )
            self.cause_rows.append((cause, name))
        present = {cause.id for cause in causes}
        self.fields["add_causes"] = forms.MultipleChoiceField(
            label="Add a cause you found",
            required=False,
            choices=[(cid, c.name) for cid, c in content.causes.items() if cid not in present],
            widget=forms.CheckboxSelectMultiple,
        )
        choices = _exercise_choices()
        self.exercise_rows: list[tuple[Phase, list[tuple[str, str]]]] = []
        for p_index, phase in enumerate(plan.phases):
            rows = []
            for e_index, exercise in enumerate(phase.exercises):
                key = f"p{p_index}_e{e_index}"
                self.fields[f"{key}_exercise"] = forms.ChoiceField(
                    label=f"Exercise {e_index + 1}", choices=choices, initial=exercise.id
                )
                self.fields[f"{key}_dose"] = forms.CharField(
                    label="Dose", max_length=120, initial=exercise.dose
                )
                rows.append((f"{key}_exercise", f"{key}_dose"))
            self.exercise_rows.append((phase, rows))

    def cause_fields(self) -> list[tuple[CauseResult, forms.BoundField]]:
        return [(cause, self[name]) for cause, name in self.cause_rows]

    def phase_fields(
        self,
    ) -> list[tuple[Phase, list[tuple[forms.BoundField, forms.BoundField]]]]:
        return [
            (phase, [(self[ex], self[dose]) for ex, dose in rows])
            for phase, rows in self.exercise_rows
        ]

    def edits(self) -> Edits:
        data = self.cleaned_data
        exercises = {}
        for p_index, phase in enumerate(self.plan.phases):
            for e_index in range(len(phase.exercises)):
                key = f"p{p_index}_e{e_index}"
                exercises[(p_index, e_index)] = (data[f"{key}_exercise"], data[f"{key}_dose"])
        return Edits(
            causes={cause.id: data[name] for cause, name in self.cause_rows},
            added=list(data["add_causes"]),
            exercises=exercises,
            notes=data["notes"],
        )


def _exercise_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The library grouped by role, in session order; jumping work is marked."""
    exercises = get_library().exercises
    return [
        (
            role.capitalize(),
            [
                (e.id, f"{e.name} (jumping)" if e.involves_jumping else e.name)
                for e in sorted(exercises, key=lambda e: e.name)
                if e.role == role
            ],
        )
        for role in ROLES
        if any(e.role == role for e in exercises)
    ]
