from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.auth.models import User
from django.utils import timezone

from physios.editing import CONFIRM, DISMISS, KEEP, MAX_EXERCISES, Edits, Row
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
# A form claiming more rows than a phase may hold was not drawn by us.
MAX_ROWS = MAX_EXERCISES
STALE_FORM = (
    "This form is out of date or was changed on its way here. Reload the page and try again."
)


class ReviewForm(forms.Form):
    """The physio's edits to a plan: causes, each phase's exercises and doses, notes.

    Unbound, it draws the plan it is given. Bound, each phase has as many rows as the form that
    was sent says (``p<phase>_rows``), so a phase the physio added to or removed from keeps its
    rows between requests. Every exercise and dose field also sends the value it showed
    (``show_hidden_initial``), which is how a swap knows whether the dose was typed or left.
    ``version`` is the version number the form was drawn on: publishing checks it, so that the
    same form sent twice publishes once.
    """

    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    notes = forms.CharField(
        label="Notes for your client",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown at the top of the plan and on the PDF. The PDF leaves out emoji and "
        "Chinese, Japanese or Korean characters: its fonts cannot print them.",
    )

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.stale = False
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
        choices: list[Any] = _exercise_choices()
        self.row_names: list[list[tuple[str, str]]] = []
        for p_index, phase in enumerate(plan.phases):
            shown = self._shown_rows(p_index, phase)
            self.fields[f"p{p_index}_rows"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=len(shown)
            )
            rows = []
            for e_index, (exercise_id, dose) in enumerate(shown):
                key = f"p{p_index}_e{e_index}"
                self.fields[f"{key}_exercise"] = forms.ChoiceField(
                    label=f"Exercise {e_index + 1}",
                    choices=choices,
                    initial=exercise_id,
                    show_hidden_initial=True,
                )
                self.fields[f"{key}_dose"] = forms.CharField(
                    label="Dose", max_length=120, initial=dose, show_hidden_initial=True
                )
                rows.append((f"{key}_exercise", f"{key}_dose"))
            self.row_names.append(rows)
            self.fields[f"p{p_index}_add"] = forms.ChoiceField(
                label=f"Add an exercise to phase {phase.number}",
                choices=[("", "Choose an exercise"), *choices],
                required=False,
            )

    def _shown_rows(self, p_index: int, phase: Phase) -> list[tuple[str, str]]:
        """The rows the form shows: the plan's, or as many as the form that was sent held."""
        if not self.is_bound:
            return [(e.id, e.dose) for e in phase.exercises]
        raw = self.data.get(f"p{p_index}_rows", "")
        count = int(raw) if raw.isdigit() else -1
        if count not in range(MAX_ROWS + 1):
            self.stale = True
            return []
        initial = self.add_initial_prefix
        return [
            (
                self.data.get(initial(f"p{p_index}_e{e}_exercise"), ""),
                self.data.get(initial(f"p{p_index}_e{e}_dose"), ""),
            )
            for e in range(count)
        ]

    def clean(self) -> dict[str, Any] | None:
        cleaned = super().clean()
        if self.stale:
            raise forms.ValidationError(STALE_FORM)
        return cleaned

    def cause_fields(self) -> list[tuple[CauseResult, forms.BoundField]]:
        return [(cause, self[name]) for cause, name in self.cause_rows]

    def phase_fields(
        self,
    ) -> list[tuple[int, Phase, list[tuple[forms.BoundField, forms.BoundField]]]]:
        return [
            (p_index, phase, [(self[ex], self[dose]) for ex, dose in self.row_names[p_index]])
            for p_index, phase in enumerate(self.plan.phases)
        ]

    def edits(self) -> Edits:
        data = self.cleaned_data
        initial = self.add_initial_prefix
        phases = {
            p_index: [
                Row(
                    exercise=data[ex],
                    dose=data[dose],
                    shown=self.data.get(initial(ex), ""),
                    shown_dose=self.data.get(initial(dose), ""),
                )
                for ex, dose in rows
            ]
            for p_index, rows in enumerate(self.row_names)
        }
        return Edits(
            causes={cause.id: data[name] for cause, name in self.cause_rows},
            added=list(data["add_causes"]),
            phases=phases,
            notes=data["notes"],
        )

    def to_add(self, p_index: int) -> str:
        exercise_id: str = self.cleaned_data.get(f"p{p_index}_add", "")
        return exercise_id

    def carried(self) -> dict[str, Any]:
        """What a redrawn form keeps of this one besides the exercises: decisions and notes."""
        data = self.cleaned_data
        names = ["version", "notes", "add_causes", *(name for _, name in self.cause_rows)]
        return {name: data[name] for name in names}


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
