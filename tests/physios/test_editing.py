"""The physio's edits as a pure function: no database, plain tables."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from physios.editing import CONFIRM, DISMISS, KEEP, Edits, plan_edit
from programs.builder import Plan, plan_for
from programs.library import get_library
from questionnaire.content import get_content
from tests.personas import RUNNER


@pytest.fixture(scope="module")
def plan():
    return plan_for(RUNNER).model_dump(mode="json")


def edit(plan: dict[str, Any], **edits: Any) -> dict[str, Any]:
    edited, review = plan_edit(
        Plan.model_validate(plan), Edits(**edits), library=get_library(), content=get_content()
    )
    return {**edited.model_dump(mode="json"), "review": review.model_dump()}


def cause_ids(plan: dict[str, Any]) -> list[str]:
    return [cause["id"] for cause in plan["assessment"]["causes"]]


def test_no_decisions_change_nothing_but_add_the_review(plan):
    edited = edit(plan)
    assert edited.pop("review") == {"confirmed": [], "dismissed": [], "added": [], "notes": ""}
    assert edited == plan


def test_it_never_changes_the_plan_it_was_given(plan):
    before = copy.deepcopy(plan)
    first = plan["phases"][0]["exercises"][0]
    edit(plan, causes={cause_ids(plan)[0]: DISMISS}, exercises={(0, 0): ("hip_thrust", "1 x 1")})
    assert plan == before
    assert first == before["phases"][0]["exercises"][0]


@pytest.mark.parametrize(
    ("decision", "first", "present", "likelihood"),
    [
        (KEEP, False, True, None),
        (CONFIRM, True, True, "high"),
        (DISMISS, False, False, None),
    ],
)
def test_a_decision_on_the_last_cause(plan, decision, first, present, likelihood):
    last = cause_ids(plan)[-1]
    edited = edit(plan, causes={last: decision})
    ids = cause_ids(edited)
    assert (last in ids) is present
    assert (ids[0] == last) is first
    if likelihood:
        assert edited["assessment"]["causes"][0]["likelihood"] == likelihood
        assert "confirmed" in edited["assessment"]["causes"][0]["reasons"][-1]["explanation"]


def test_an_added_cause_comes_first_and_says_who_found_it(plan):
    absent = next(c for c in get_content().causes if c not in cause_ids(plan))
    edited = edit(plan, added=[absent, "no_such_cause"])
    assert cause_ids(edited)[0] == absent
    assert "no_such_cause" not in cause_ids(edited)
    assert edited["review"]["added"] == [absent]
    assert "physiotherapist" in edited["assessment"]["causes"][0]["reasons"][0]["explanation"]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (None, "library"),  # the old dose left as it was: the new exercise's own dose
        ("2 x 5 slowly", "2 x 5 slowly"),  # a dose the physio typed is kept
    ],
)
def test_a_swapped_exercise_takes_the_right_dose(plan, typed, expected):
    old = plan["phases"][0]["exercises"][0]
    new = next(e for e in get_library().exercises if e.id != old["id"])
    dose = typed or old["dose"]
    swapped = edit(plan, exercises={(0, 0): (new.id, dose)})["phases"][0]["exercises"][0]
    assert swapped["id"] == new.id
    assert swapped["name"] == new.name
    assert swapped["steps"] == list(new.steps)
    level = plan["phases"][0]["level"]
    assert swapped["dose"] == (getattr(new.dose, level) if expected == "library" else expected)


def test_a_changed_dose_keeps_the_exercise(plan):
    old = plan["phases"][1]["exercises"][1]
    changed = edit(plan, exercises={(1, 1): (old["id"], "  4 x 6  ")})
    assert changed["phases"][1]["exercises"][1] == {**old, "dose": "4 x 6"}
