"""The physio's edits as a pure function: no database, plain tables."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from physios.editing import (
    CONFIRM,
    DISMISS,
    KEEP,
    MAX_EXERCISES,
    EditError,
    Edits,
    Row,
    parse_op,
    phase_add,
    phase_move,
    phase_remove,
    plan_apply,
    plan_edit,
)
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


def rows(plan: dict[str, Any], phase: int, changes: dict[int, tuple[str, str]]) -> list[Row]:
    """A phase's rows as the unchanged form sends them, with some rows changed."""
    shown = plan["phases"][phase]["exercises"]
    rows = []
    for i, e in enumerate(shown):
        exercise, dose = changes.get(i, (e["id"], e["dose"]))
        rows.append(Row(exercise, dose, shown=e["id"], shown_dose=e["dose"]))
    return rows


def typed(plan: dict[str, Any]) -> Plan:
    return Plan.model_validate(plan)


def ids(plan: Plan, phase: int) -> list[str]:
    return [e.id for e in plan.phases[phase].exercises]


def cause_ids(plan: dict[str, Any]) -> list[str]:
    return [cause["id"] for cause in plan["assessment"]["causes"]]


def test_no_decisions_change_nothing_but_add_the_review(plan):
    edited = edit(plan)
    assert edited.pop("review") == {"confirmed": [], "dismissed": [], "added": [], "notes": ""}
    assert edited == plan


def test_it_never_changes_the_plan_it_was_given(plan):
    before = copy.deepcopy(plan)
    first = plan["phases"][0]["exercises"][0]
    edit(
        plan,
        causes={cause_ids(plan)[0]: DISMISS},
        phases={0: rows(plan, 0, {0: ("hip_thrust", "1 x 1")})},
    )
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
    edited = edit(plan, phases={0: rows(plan, 0, {0: (new.id, dose)})})
    swapped = edited["phases"][0]["exercises"][0]
    assert swapped["id"] == new.id
    assert swapped["name"] == new.name
    assert swapped["steps"] == list(new.steps)
    level = plan["phases"][0]["level"]
    assert swapped["dose"] == (getattr(new.dose, level) if expected == "library" else expected)


def test_a_changed_dose_keeps_the_exercise(plan):
    old = plan["phases"][1]["exercises"][1]
    changed = edit(plan, phases={1: rows(plan, 1, {1: (old["id"], "  4 x 6  ")})})
    assert changed["phases"][1]["exercises"][1] == {**old, "dose": "4 x 6"}


def test_unchanged_rows_change_nothing(plan):
    every = {p: rows(plan, p, {}) for p in range(len(plan["phases"]))}
    edited = edit(plan, phases=every)
    edited.pop("review")
    assert edited == plan


def test_rows_in_another_order_reorder_the_phase_and_keep_each_exercise(plan):
    shown = rows(plan, 0, {})
    edited = edit(plan, phases={0: list(reversed(shown))})
    before = plan["phases"][0]["exercises"]
    assert edited["phases"][0]["exercises"] == list(reversed(before))


def test_a_row_naming_an_exercise_twice_or_one_not_in_the_library_is_refused(plan):
    shown = rows(plan, 0, {})
    with pytest.raises(EditError, match="same exercise twice"):
        edit(plan, phases={0: [*shown, shown[0]]})
    with pytest.raises(EditError, match="no exercise"):
        edit(plan, phases={0: [Row("no_such_exercise", "1 x 1", shown="x", shown_dose="y")]})
    with pytest.raises(EditError, match="phase"):
        edit(plan, phases={99: shown})


def test_an_added_exercise_comes_last_at_its_library_dose_for_the_phase(plan):
    library = get_library()
    present = cause_ids(plan)
    new = next(e for e in library.exercises if e.id not in ids(typed(plan), 1))
    added = phase_add(typed(plan), 1, new.id, library=library, present=present)
    assert ids(added, 1) == [*ids(typed(plan), 1), new.id]
    last = added.phases[1].exercises[-1]
    assert last.dose == getattr(new.dose, plan["phases"][1]["level"])
    assert last.steps == list(new.steps)
    assert set(last.targets) <= set(new.targets)
    assert added.phases[0] == typed(plan).phases[0]


@pytest.mark.parametrize(
    ("exercise", "message"),
    [("no_such_exercise", "no exercise"), (None, "already has")],
)
def test_adding_an_unknown_or_present_exercise_is_refused(plan, exercise, message):
    exercise = exercise or plan["phases"][0]["exercises"][0]["id"]
    with pytest.raises(EditError, match=message):
        phase_add(typed(plan), 0, exercise, library=get_library(), present=[])


def test_the_last_exercise_of_a_phase_stays_and_a_full_phase_takes_no_more(plan):
    one = typed(plan)
    while len(one.phases[0].exercises) > 1:
        one = phase_remove(one, 0, 0)
    with pytest.raises(EditError, match="at least one exercise"):
        phase_remove(one, 0, 0)
    full = typed(plan)
    spare = (e.id for e in get_library().exercises if e.id not in ids(full, 0))
    while len(full.phases[0].exercises) < MAX_EXERCISES:
        full = phase_add(full, 0, next(spare), library=get_library(), present=[])
    with pytest.raises(EditError, match=f"already has {MAX_EXERCISES} exercises"):
        phase_add(full, 0, next(spare), library=get_library(), present=[])


def test_removing_takes_out_exactly_that_exercise(plan):
    before = ids(typed(plan), 0)
    assert ids(phase_remove(typed(plan), 0, 1), 0) == before[:1] + before[2:]


@pytest.mark.parametrize(
    ("position", "by", "order"),
    [(1, -1, [1, 0, 2]), (0, 1, [1, 0, 2]), (1, 1, [0, 2, 1])],
)
def test_moving_swaps_an_exercise_with_its_neighbour(plan, position, by, order):
    before = ids(typed(plan), 0)
    moved = ids(phase_move(typed(plan), 0, position, by), 0)
    assert moved[:3] == [before[i] for i in order]
    assert sorted(moved) == sorted(before)


@pytest.mark.parametrize(
    "bad",
    [
        lambda p: phase_move(p, 0, 0, -1),
        lambda p: phase_move(p, 0, len(p.phases[0].exercises) - 1, 1),
        lambda p: phase_move(p, 0, 40, 1),
        lambda p: phase_move(p, 0, 1, 3),
        lambda p: phase_remove(p, 0, 40),
        lambda p: phase_remove(p, 9, 0),
        lambda p: phase_add(p, 9, "clamshell", library=get_library(), present=[]),
    ],
)
def test_out_of_range_positions_and_phases_are_refused(plan, bad):
    with pytest.raises(EditError):
        bad(typed(plan))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("publish", 0, 0)),
        ("publish", ("publish", 0, 0)),
        ("update", ("update", 0, 0)),
        ("add:2", ("add", 2, 0)),
        ("remove:1:3", ("remove", 1, 3)),
        ("up:0:1", ("up", 0, 1)),
        ("down:3:0", ("down", 3, 0)),
    ],
)
def test_button_values_name_an_operation(text, expected):
    op = parse_op(text)
    assert (op.kind, op.phase, op.position) == expected


@pytest.mark.parametrize(
    "text", ["delete", "up:0", "up:0:1:2", "add", "remove:-1:0", "up:a:b", "up:0:99999", "add:1:2"]
)
def test_a_value_no_button_has_is_refused(text):
    with pytest.raises(EditError, match="Reload"):
        parse_op(text)


def test_adding_nothing_asks_for_a_choice(plan):
    with pytest.raises(EditError, match="Choose an exercise"):
        plan_apply(typed(plan), parse_op("add:0"), add="", library=get_library(), present=[])
