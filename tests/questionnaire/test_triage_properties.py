"""Contract section 5.2 as properties over random people: no red flag is missed in any company.

`test_triage_v2.py` checks each row of the table on a fully screened person who said no to
everything else. Here hypothesis draws whole people instead: any age, any pain, any movement
answers, and every safety question answered yes or no at random (the injury follow-ups only
after an injury, the child question only under 18, as the web asks them). Whatever else is
true, each row of the table that holds must give at least its level, and `plan_allowed` must
follow the level (section 3: false for emergency and urgent). The rows are written out below
from the contract's own words, not from the engine. Bounded: TRIAGE_EXAMPLES people (300 by
default), the same ones on every run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from questionnaire.content import Content
from questionnaire.engine import assess, validate_answers
from tests.questionnaire.contract_ids import FOR_EVERYONE, INJURY_FOLLOW_UPS

EXAMPLES = int(os.environ.get("TRIAGE_EXAMPLES", "300"))
ORDER = ["self_care", "routine", "urgent", "emergency"]

# Who is asked what, as the web asks it: the questions for everyone (recent_injury is drawn on
# its own, to ask the follow-ups), the injury follow-ups after an injury (injury_days_ago is drawn
# as a number), and the child question under 18. Sorted: the draws must not follow set order.
ASKED_OF_EVERYONE = sorted(FOR_EVERYONE - {"recent_injury"})
YES_NO_FOLLOW_UPS = [q for q in INJURY_FOLLOW_UPS if q != "injury_days_ago"]


@st.composite
def people(draw: st.DrawFn) -> dict[str, Any]:
    # A yes one time in ten, so that a typical person has a flag or two: single flags, pairs and
    # people with none all come up, and a lower row is not always hidden under an emergency.
    answer = st.integers(0, 9).map(lambda n: n == 0)
    age = draw(st.integers(8, 100))
    pain = draw(st.integers(0, 10))
    answers: dict[str, Any] = {
        "age": age,
        "sport": draw(st.sampled_from(["none", "general_fitness", "running", "jumping_pivoting"])),
        "pain_worst": pain,
        "recent_injury": draw(st.booleans()),
        **{question: draw(answer) for question in ASKED_OF_EVERYONE},
    }
    if pain:
        answers["pain_where"] = draw(
            st.sampled_from(["front", "inner", "outer", "back", "below_kneecap_bump", "whole"])
        )
        answers["pain_duration_weeks"] = draw(st.integers(0, 60))
    if answers["recent_injury"]:
        answers |= {question: draw(answer) for question in YES_NO_FOLLOW_UPS}
        # The "can do" questions: a no is the worrying answer.
        for question in ("can_walk_4_steps", "can_bend_90", "can_straight_leg_raise"):
            answers[question] = not answers[question]
        answers["injury_days_ago"] = draw(st.integers(0, 42))
    if age < 18:
        answers["child_unwell_signs"] = draw(answer)
    return answers


Rule = Callable[[dict[str, Any]], bool]


def _pain(a: dict[str, Any]) -> bool:
    return bool(a["pain_worst"] >= 1)


def _injured(a: dict[str, Any]) -> bool:
    return bool(a["recent_injury"])


# Contract 5.2, row by row, in its own terms: "knee pain" is pain_worst of 1 or more, "new pain"
# knee pain for under 6 weeks, "swelling after an injury" an injury with swelling within 2 hours
# or a hot or swollen knee, "without an injury" recent_injury false.
ROWS: list[tuple[str, str, Rule]] = [
    (
        "hot or swollen knee with fever, immunosuppression, a replacement or recent surgery",
        "emergency",
        lambda a: (
            a["knee_hot_or_swollen"]
            and (
                a["fever_or_unwell"]
                or a["immunosuppressed"]
                or a["knee_replacement"]
                or a["knee_surgery_recent"]
            )
        ),
    ),
    (
        "cannot lift the straight leg after an injury",
        "emergency",
        lambda a: _injured(a) and a["can_straight_leg_raise"] is False,
    ),
    ("high-energy injury", "emergency", lambda a: _injured(a) and a["high_energy_injury"]),
    ("cold, pale foot", "emergency", lambda a: a["cold_pale_foot"]),
    ("saddle numbness, bladder or bowel", "emergency", lambda a: a["saddle_bladder_bowel"]),
    ("breathless or chest pain", "emergency", lambda a: a["breathless_or_chest_pain"]),
    (
        "calf swelling with a clot risk",
        "emergency",
        lambda a: a["calf_swelling"] and a["clot_risk"],
    ),
    ("hot or swollen knee", "urgent", lambda a: a["knee_hot_or_swollen"]),
    ("sudden severe pain", "urgent", lambda a: a["sudden_severe_pain"]),
    (
        "cannot bear weight without an injury",
        "urgent",
        lambda a: a["cannot_bear_weight"] and not _injured(a),
    ),
    ("kneecap dislocated", "urgent", lambda a: _injured(a) and a["kneecap_dislocated"]),
    ("new foot weakness", "urgent", lambda a: a["foot_weakness"]),
    (
        "numb or tingling foot after an injury",
        "urgent",
        lambda a: a["foot_numb_tingling"] and _injured(a),
    ),
    ("fever or unwell with knee pain", "urgent", lambda a: a["fever_or_unwell"] and _pain(a)),
    ("a child unwell", "urgent", lambda a: a.get("child_unwell_signs") is True),
    (
        "swelling after an injury on blood thinners",
        "urgent",
        lambda a: (
            _injured(a)
            and a["anticoagulants"]
            and (a["swelling_within_2h"] or a["knee_hot_or_swollen"])
        ),
    ),
    ("inflammatory signs", "routine", lambda a: a["inflammatory_signs"]),
    ("numb or tingling foot", "routine", lambda a: a["foot_numb_tingling"]),
    (
        "knee pain for 2 weeks or more under 16",
        "routine",
        lambda a: a["age"] < 16 and _pain(a) and a["pain_duration_weeks"] >= 2,
    ),
    (
        "cancer history with night pain, or with new pain at 50 or over",
        "routine",
        lambda a: (
            a["cancer_history"]
            and (a["night_pain"] or (a["age"] >= 50 and _pain(a) and a["pain_duration_weeks"] < 6))
        ),
    ),
]


@settings(max_examples=EXAMPLES)  # the rest: the suite's profile (tests/conftest.py)
@given(answers=people())
def test_no_row_of_the_red_flag_table_is_missed_whatever_else_is_true(
    content: Content, answers: dict[str, Any]
) -> None:
    triage = assess(validate_answers(answers, content), content).triage
    level = ORDER.index(triage.level)
    for row, least, holds in ROWS:
        if holds(answers):
            event(row)  # how often each row came up: pytest --hypothesis-show-statistics
            assert level >= ORDER.index(least), (row, triage.level)
    assert triage.plan_allowed is (triage.level in {"self_care", "routine"})
