"""The follow-up's rules as tables: pain sequences in, decisions out; changes against the smallest
real change; outcome scores against hand-scored examples.

Expected decisions are reasoned from the pain-monitoring model as the plan content states it
(Thomee 1997; Silbernagel 2007; brief 3.3 suggested rules [EO]): move up after two sessions in a
row with pain at 2/10 or less during and the next morning; stay while pain is at most 5/10 and has
settled by the next morning; step back when it goes above 5/10 or the next morning is worse than
before the session; two step-backs in a row: get checked (stop list; brief 3.2 triggers b and c).
"""

from __future__ import annotations

import datetime as dt

import pytest

from followup.content import get_followup_content
from followup.core import (
    Activity,
    Entry,
    OutcomeAnswers,
    adherence,
    alerts,
    compare,
    psfs_score,
    replay,
    score,
    week_of,
)

RULES = get_followup_content().progression
DAY = dt.date(2026, 3, 2)


def _entries(pains: list[tuple[int, int, int | None]], exercises=("clamshell",)) -> list[Entry]:
    return [
        Entry(DAY + dt.timedelta(days=2 * i), 1, exercises, before, during, morning)
        for i, (before, during, morning) in enumerate(pains)
    ]


# (before, during, next morning) for each session -> the decision after each one.
PROGRESSION = [
    ("one calm session is not yet enough", [(0, 1, 1)], ["stay"]),
    ("two calm sessions in a row move up", [(0, 1, 1), (0, 2, 2)], ["stay", "up"]),
    ("2/10 is still inside the move-up zone", [(2, 2, 2), (2, 2, 2)], ["stay", "up"]),
    ("3/10 during holds the level", [(0, 3, 1), (0, 3, 1)], ["stay", "stay"]),
    ("5/10 during is acceptable if settled", [(2, 5, 2), (2, 5, 2)], ["stay", "stay"]),
    ("6/10 during steps back", [(0, 6, 0)], ["back"]),
    ("a morning worse than before steps back", [(1, 2, 3)], ["back"]),
    ("a morning equal to before has settled", [(3, 4, 3)], ["stay"]),
    ("two step-backs in a row: get checked", [(0, 6, 0), (0, 7, 1)], ["back", "get_checked"]),
    (
        "a calm session between step-backs resets the run",
        [(0, 6, 0), (0, 2, 2), (0, 6, 0)],
        ["back", "stay", "back"],
    ),
    ("no next-morning pain: cannot move up", [(0, 1, None), (0, 1, None)], ["stay", "stay"]),
    (
        "after a move up, two fresh calm sessions are needed",
        [(0, 1, 1), (0, 1, 1), (0, 1, 1), (0, 1, 1)],
        ["stay", "up", "stay", "up"],
    ),
    (
        "a step back breaks the calm streak",
        [(0, 1, 1), (0, 6, 0), (0, 1, 1), (0, 1, 1)],
        ["stay", "back", "stay", "up"],
    ),
]


@pytest.mark.parametrize(
    ("why", "pains", "decisions"), PROGRESSION, ids=[p[0] for p in PROGRESSION]
)
def test_it_decides_from_the_pain_monitoring_model(why, pains, decisions):
    progress = replay(_entries(pains), RULES, bases={1: 0}, physio_ceiling=False)
    assert [step.decision for step in progress.steps] == decisions


def test_it_moves_the_level_of_the_exercises_done_and_no_other():
    entries = _entries([(0, 1, 1), (0, 1, 1)], exercises=("clamshell",))
    progress = replay(entries, RULES, bases={1: 0}, physio_ceiling=False)
    assert progress.level(1, "clamshell", 0) == 1
    assert progress.level(1, "glute_bridge", 0) == 0


def test_it_never_goes_above_the_hardest_version_or_below_the_easiest():
    calm = _entries([(0, 1, 1)] * 8)
    up = replay(calm, RULES, bases={1: 1}, physio_ceiling=False)
    assert up.level(1, "clamshell", 1) == 2
    assert up.steps[-1].words == RULES.words.up_at_ceiling
    sore = _entries([(0, 6, 0)])
    down = replay(sore, RULES, bases={1: 0}, physio_ceiling=False)
    assert down.level(1, "clamshell", 0) == 0
    assert down.steps[-1].words == RULES.words.back_at_floor


def test_a_physios_dose_is_the_ceiling_but_stepping_back_and_up_to_it_works():
    entries = _entries([(0, 1, 1), (0, 1, 1), (0, 6, 0), (0, 1, 1), (0, 1, 1)])
    progress = replay(entries, RULES, bases={1: 1}, physio_ceiling=True)
    decisions = [s.decision for s in progress.steps]
    assert decisions == ["stay", "up", "back", "stay", "up"]
    assert progress.steps[1].words == RULES.words.up_physio_ceiling
    assert progress.level(1, "clamshell", 1) == 1


def test_a_stop_sign_moves_nothing_and_resets_the_streak():
    entries = _entries([(0, 1, 1)])
    entries.append(Entry(DAY + dt.timedelta(days=5), 1, ("clamshell",), 0, 1, 1, stopped=True))
    entries.append(Entry(DAY + dt.timedelta(days=6), 1, ("clamshell",), 0, 1, 1))
    progress = replay(entries, RULES, bases={1: 0}, physio_ceiling=False)
    assert [s.decision for s in progress.steps] == ["stay", "stop", "stay"]
    assert progress.level(1, "clamshell", 0) == 0


# (baseline, now, better, smallest real change) -> kind. Knee angle 9 degrees (Munro 2012),
# knee-to-wall 1.9 cm (Powden 2015), pain 2 points (Farrar 2001).
COMPARISONS = [
    ("knee angle down 8: inside the band", 15, 7, "lower", 9, "no_clear_change"),
    ("knee angle down exactly 9: real", 15, 6, "lower", 9, "better"),
    ("knee angle up 10: worse", 5, 15, "lower", 9, "worse"),
    ("knee-to-wall up 1.5 cm: inside the band", 8, 9.5, "higher", 1.9, "no_clear_change"),
    ("knee-to-wall up 1.9 cm with float error", 8.1, 10.0, "higher", 1.9, "better"),
    ("knee-to-wall down 2 cm: worse", 10, 8, "higher", 1.9, "worse"),
    ("pain down 1: no clear change", 5, 4, "lower", 2, "no_clear_change"),
    ("pain down 2: improved", 5, 3, "lower", 2, "better"),
    ("not measured at the re-test", 5, None, "lower", 2, "missing"),
    ("a scale without a threshold", 60, 70, "higher", None, "no_threshold"),
]


@pytest.mark.parametrize(
    ("why", "base", "now", "better", "mdc", "kind"), COMPARISONS, ids=[c[0] for c in COMPARISONS]
)
def test_it_calls_a_change_real_only_at_the_smallest_real_change(why, base, now, better, mdc, kind):
    change = compare(base, now, better=better, smallest_real_change=mdc)
    assert change.kind == kind
    if kind == "no_clear_change":
        assert change.words == "No clear change"


# Hand-scored: PSFS is the mean of the activity ratings (Stratford 1995).
@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([3, 5, 4], 4.0),
        ([7], 7.0),
        ([2, 3], 2.5),
        ([0, 0, 1], 0.3),
        ([10, 10, 10], 10.0),
        ([], None),
    ],
)
def test_it_scores_the_patient_specific_functional_scale_as_the_mean(ratings, expected):
    assert psfs_score(ratings) == expected


def test_it_refuses_a_rating_outside_0_to_10():
    with pytest.raises(ValueError):
        psfs_score([11])
    with pytest.raises(ValueError):
        OutcomeAnswers(pain=11, sane=50)
    with pytest.raises(ValueError):
        OutcomeAnswers(pain=3, sane=101)
    with pytest.raises(ValueError):
        OutcomeAnswers(
            pain=3, sane=50, activities=tuple(Activity(name=f"a{i}", rating=1) for i in range(4))
        )


def test_it_scores_all_three_outcomes():
    answers = OutcomeAnswers(
        pain=6,
        sane=55,
        activities=(Activity(name="stairs  down", rating=4), Activity(name="running", rating=2)),
    )
    scores = score(answers)
    assert (scores.pain, scores.psfs, scores.sane) == (6, 3.0, 55)
    assert answers.activities[0].name == "stairs down"


def test_weeks_count_from_the_start():
    assert week_of(DAY, DAY) == 1
    assert week_of(DAY, DAY + dt.timedelta(days=6)) == 1
    assert week_of(DAY, DAY + dt.timedelta(days=7)) == 2
    assert week_of(DAY, DAY + dt.timedelta(days=41)) == 6


def test_adherence_counts_finished_weeks_only():
    done = [DAY + dt.timedelta(days=d) for d in (0, 2, 4, 7, 9, 15)]
    assert adherence(DAY, DAY + dt.timedelta(days=3), done, [3] * 12) is None
    assert adherence(DAY, DAY + dt.timedelta(days=14), done, [3] * 12) == (5, 6)


def test_it_flags_a_quiet_client_and_rising_pain():
    content = get_followup_content()
    entries = _entries([(0, 1, 1), (0, 1, 1)])
    today = entries[-1].done_on + dt.timedelta(days=14)
    assert alerts(entries, start=DAY, today=today, plan_weeks=12, content=content) == ["quiet"]
    assert (
        alerts(
            entries, start=DAY, today=today - dt.timedelta(days=1), plan_weeks=12, content=content
        )
        == []
    )
    rising = [
        Entry(DAY + dt.timedelta(days=d), 1, ("clamshell",), 0, pain, 0)
        for d, pain in ((0, 1), (2, 2), (8, 4), (10, 5))
    ]
    today = DAY + dt.timedelta(days=11)
    assert alerts(rising, start=DAY, today=today, plan_weeks=12, content=content) == ["pain_rising"]
    # Over 12 weeks, silence after the plan ends is no alert.
    assert (
        alerts(
            rising, start=DAY, today=DAY + dt.timedelta(days=120), plan_weeks=12, content=content
        )
        == []
    )


def test_sessions_are_spread_with_rest_days_and_retests_end_their_week():
    from followup.core import retest_dates, session_dates

    days = session_dates(DAY, [3, 2])
    assert [(d - DAY).days for d in days] == [0, 2, 4, 7, 10]
    assert retest_dates(DAY, [6, 12]) == [
        (6, DAY + dt.timedelta(days=41)),
        (12, DAY + dt.timedelta(days=83)),
    ]
    assert week_of(DAY, retest_dates(DAY, [6])[0][1]) == 6
