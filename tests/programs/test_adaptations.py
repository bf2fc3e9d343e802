"""Plans fitted to the person: each rule of issue 11 as a table over ages and answers.

The expectations are reasoned from the sources, not read off the builder, and checked by the
contract's exercise tags (section 5.3), never by exercise ids:
- 12 or under: two-foot landings only, no cutting (PEP programme, younger athlete addendum).
- 65 or over, or a fall or unsteadiness: no Nordic lowers (eccentric_high_load), no loaded deep
  knee bends, no jumps or cuts, balance work held, aerobic work in every phase (NICE NG226, CDC
  STEADI, Sherrington 2019).
- Pain at the bump below the kneecap under 18: no kneeling, no jumps, no loaded deep knee bends
  in the first two phases, an activity ladder with pain rules (Rathleff 2020).
- A recent injury or a pop: no jumps or cuts until a clinician clears the knee, and the plan
  says what cleared means (acute knee pathways).
- Any knee pain: hip- and knee-targeted exercise in every phase (Crossley 2016, Willy 2019).
- Athletes: strength in the landing weeks, two-foot landings weeks before one-foot, every new
  exercise at its easiest level, return-to-sport criteria at the end (FIFA 11+, PEP).
- The stop list names calf pain or swelling and breathlessness (NICE NG158).
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from programs.builder import Plan
from programs.library import Library
from tests.programs.plan_checks import JUMPS, first_appearances, first_week, phase_tags
from tests.questionnaire.cases import calm

AGES = (9, 11, 12, 16, 30, 68, 72, 80)

# Movement answers that give a knee that caves in, in three different ways, so that no rule is
# checked on one cause pattern only.
MOVEMENT: dict[str, dict[str, Any]] = {
    "landing": {
        "sls_knee_in": "marked",
        "stiff_landing": True,
        "cue_corrects": "yes",
        "squat_feel_front_thighs": True,
        "hip_hinge_poor": True,
    },
    "hip": {
        "squat_knees_in": "slight",
        "sls_knee_in": "marked",
        "sls_pelvic_drop": True,
        "sls_trunk_lean": True,
        "single_leg_stance_hip_drop": True,
        "side_hold_left_s": 20,
        "side_hold_right_s": 45,
    },
    "ankle": {
        "squat_knees_in": "marked",
        "heel_lift_corrects": "yes",
        "heels_lift_in_squat": True,
        "knee_to_wall_left_cm": 6,
        "knee_to_wall_right_cm": 7,
        "arch_collapses": True,
    },
}

# An injury three weeks ago that needs no same-day care: everything else about it is fine.
INJURY = {
    "recent_injury": True,
    "injury_pop": False,
    "swelling_within_2h": False,
    "can_walk_4_steps": True,
    "bony_tenderness": False,
    "can_bend_90": True,
    "injury_days_ago": 21,
    "high_energy_injury": False,
    "can_straight_leg_raise": True,
    "kneecap_dislocated": False,
}

SITUATIONS: dict[str, dict[str, Any]] = {
    "no pain": {},
    "mild front pain": {"pain_worst": 2, "pain_where": "front", "pain_duration_weeks": 3},
    "strong front pain": {"pain_worst": 6, "pain_where": "front", "pain_duration_weeks": 3},
    "falls or unsteady": {"falls_or_unsteady": True},
    "recent injury": {**INJURY, "pain_worst": 2, "pain_where": "inner"},
    "injury with a pop": {**INJURY, "injury_pop": True, "pain_worst": 3, "pain_where": "whole"},
    "pain at the bump below the kneecap": {
        "pain_worst": 4,
        "pain_where": "below_kneecap_bump",
        "pain_duration_weeks": 8,
    },
}
SPORTS = ("jumping_pivoting", "running", "none")


def _answers(age: int, situation: str, sport: str, movement: str) -> dict[str, Any]:
    return calm(
        **{
            "age": age,
            "sex": "female" if age % 2 else "male",
            "sport": sport,
            "falls_or_unsteady": False,
            **MOVEMENT[movement],
            **SITUATIONS[situation],
        }
    )


# Every combination of age, situation and sport, each with one of the movement patterns in turn.
GRID = [
    (age, situation, sport, list(MOVEMENT)[i % len(MOVEMENT)])
    for i, (age, situation, sport) in enumerate(itertools.product(AGES, SITUATIONS, SPORTS))
]


def _id(case: tuple[int, str, str, str]) -> str:
    age, situation, sport, movement = case
    return f"{age}-{situation}-{sport}-{movement}".replace(" ", "_")


def _cases(applies: Any) -> list[Any]:
    chosen = [case for case in GRID if applies(*case)]
    assert chosen  # a table that selects nothing tests nothing
    return [pytest.param(case, id=_id(case)) for case in chosen]


def _growing(age: int, situation: str) -> bool:
    return age < 18 and situation == "pain at the bump below the kneecap"


def _injured(situation: str) -> bool:
    return situation in {"recent injury", "injury with a pop"}


def _older_or_unsteady(age: int, situation: str) -> bool:
    return age >= 65 or situation == "falls or unsteady"


@pytest.fixture
def plan_of(make_plan):
    def build(case: tuple[int, str, str, str]) -> Plan:
        plan: Plan = make_plan(_answers(*case))
        # Every answer set in the table is meant to get a plan; one that does not would
        # silently test nothing below.
        assert plan.assessment.triage.plan_allowed, plan.referral.advice
        return plan

    return build


@pytest.mark.parametrize("case", _cases(lambda age, *_: True))
def test_every_plan_carries_tags_and_names_clots_and_breathlessness_in_its_stop_list(
    plan_of, library: Library, case
):
    plan = plan_of(case)
    for phase in plan.phases:
        assert 3 <= len(phase.exercises) <= 6
        for exercise in phase.exercises:
            assert exercise.tags == list(library.get(exercise.id).tags)
    stop = " ".join(plan.stop_if).lower()
    assert "calf" in stop and "swollen" in stop
    assert "short of breath" in stop
    assert all(a.id and a.reason for a in plan.adaptations)


@pytest.mark.parametrize("case", _cases(lambda age, *_: age <= 12))
def test_a_child_of_twelve_or_under_lands_on_two_feet_only_and_never_cuts(plan_of, case):
    plan = plan_of(case)
    assert not {"plyometric_single_leg", "cutting"} & set().union(*phase_tags(plan))
    child = [a for a in plan.adaptations if f"Because you are {case[0]}," in a.reason]
    assert child and "two feet" in child[0].reason


@pytest.mark.parametrize(
    "case",
    _cases(
        lambda age, situation, sport, _: (
            age <= 12
            and sport == "jumping_pivoting"
            and situation in {"no pain", "mild front pain"}
        )
    ),
)
def test_a_young_athlete_still_practises_two_foot_landings(plan_of, case):
    assert first_week(plan_of(case), "plyometric_two_foot") is not None


@pytest.mark.parametrize(
    "case", _cases(lambda age, situation, *_: _older_or_unsteady(age, situation))
)
def test_an_older_or_unsteady_person_gets_no_high_loads_no_jumps_held_balance_and_aerobic_work(
    plan_of, case
):
    plan = plan_of(case)
    banned = JUMPS | {"eccentric_high_load", "deep_knee_flexion_loaded"}
    for phase, tags in zip(plan.phases, phase_tags(plan), strict=True):
        assert not banned & tags, phase.key
        assert "aerobic" in tags, phase.key
        for exercise in phase.exercises:
            if "balance" in exercise.tags:
                assert "supported" in exercise.tags, exercise.id
    assert any("walking, cycling or swimming" in a.reason for a in plan.adaptations)


@pytest.mark.parametrize(
    "case",
    _cases(lambda age, situation, *_: 18 <= age < 65 and situation == "no pain"),
)
def test_a_younger_adult_without_a_fall_is_not_held_back_by_the_older_adult_rule(plan_of, case):
    plan = plan_of(case)
    assert not any("walking, cycling or swimming" in a.reason for a in plan.adaptations)
    if case[2] == "jumping_pivoting":
        assert first_week(plan, "plyometric_single_leg") is not None


@pytest.mark.parametrize("case", _cases(lambda age, situation, *_: _growing(age, situation)))
def test_a_growing_knee_never_kneels_or_jumps_and_gets_an_activity_ladder(plan_of, case):
    plan = plan_of(case)
    tags = phase_tags(plan)
    assert not ({"kneeling"} | JUMPS) & set().union(*tags)
    assert not {"deep_knee_flexion_loaded"} & (tags[0] | tags[1])
    assert plan.activity_ladder is not None
    assert len(plan.activity_ladder.rungs) >= 3 and plan.activity_ladder.pain_rule
    assert "rathleff2020" in plan.activity_ladder.sources


@pytest.mark.parametrize(
    "case",
    _cases(
        lambda age, situation, *_: age >= 18 and situation == "pain at the bump below the kneecap"
    ),
)
def test_the_same_pain_in_an_adult_gets_no_growing_knee_ladder(plan_of, case):
    assert plan_of(case).activity_ladder is None


@pytest.mark.parametrize("case", _cases(lambda age, situation, *_: _injured(situation)))
def test_a_recent_injury_or_pop_holds_back_jumps_and_cuts_until_a_clinician_clears_the_knee(
    plan_of, case
):
    plan = plan_of(case)
    assert not JUMPS & set().union(*phase_tags(plan))
    said = [a.reason for a in plan.adaptations if "cleared" in a.reason]
    assert said and "means" in said[0]
    if case[1] == "injury with a pop":
        assert "pop" in said[0]


@pytest.mark.parametrize(
    "case",
    _cases(
        lambda age, situation, *_: (
            situation
            in {
                "mild front pain",
                "strong front pain",
                "recent injury",
                "injury with a pop",
                "pain at the bump below the kneecap",
            }
        )
    ),
)
def test_any_knee_pain_gets_hip_and_knee_targeted_work_in_every_phase(plan_of, case):
    for phase, tags in zip(plan_of(case).phases, phase_tags(plan_of(case)), strict=True):
        assert {"hip_targeted", "knee_targeted"} <= tags, phase.key


def _landing_athlete(age: int, situation: str, sport: str, _: str) -> bool:
    return (
        sport == "jumping_pivoting"
        and not _older_or_unsteady(age, situation)
        and not _growing(age, situation)
        and not _injured(situation)
    )


@pytest.mark.parametrize("case", _cases(_landing_athlete))
def test_an_athlete_keeps_strength_while_landing_and_lands_on_two_feet_weeks_before_one(
    plan_of, case
):
    plan = plan_of(case)
    landing = [p for p in plan.phases if any(set(e.tags) & JUMPS for e in p.exercises)]
    assert landing
    for phase in landing:
        tags = {tag for e in phase.exercises for tag in e.tags}
        assert {"hip_targeted", "knee_targeted"} <= tags, phase.key
    two_foot = first_week(plan, "plyometric_two_foot")
    one_foot = first_week(plan, "plyometric_single_leg")
    assert two_foot is not None
    if case[0] > 12:
        assert one_foot is not None and one_foot - two_foot >= 2


@pytest.mark.parametrize("case", _cases(lambda age, s, sport, m: sport == "jumping_pivoting"))
def test_an_athlete_starts_every_new_exercise_easiest_and_ends_with_return_to_sport_checks(
    plan_of, library: Library, case
):
    plan = plan_of(case)
    for exercise in first_appearances(plan):
        assert exercise.dose == library.get(exercise.id).dose.beginner, exercise.id
    assert plan.return_to_sport is not None
    criteria = " ".join(plan.return_to_sport.criteria).lower()
    assert "video" in criteria and "other" in criteria  # movement quality and symmetry


@pytest.mark.parametrize("case", _cases(lambda age, s, sport, m: sport != "jumping_pivoting"))
def test_a_non_athlete_gets_no_landing_phase_and_no_return_to_sport_list(plan_of, case):
    plan = plan_of(case)
    assert plan.return_to_sport is None
    assert not JUMPS & set().union(*phase_tags(plan))


@pytest.mark.parametrize(
    ("pain", "easier"), [(0, False), (3, False), (4, True), (6, True)], ids=lambda v: str(v)
)
def test_strong_pain_steps_every_phase_down_and_says_so(make_plan, pain, easier):
    plan = make_plan(_answers(30, "no pain", "running", "hip") | {"pain_worst": pain})
    said = [a.reason for a in plan.adaptations if "one step easier" in a.reason]
    assert bool(said) is easier
    assert (plan.phases[1].level == "beginner") is easier
    if easier:
        assert f"{pain} out of 10" in said[0]


def test_the_json_output_carries_tags_and_adaptations(make_plan):
    data = make_plan(_answers(11, "mild front pain", "jumping_pivoting", "landing")).model_dump(
        mode="json"
    )
    assert all(e["tags"] for p in data["phases"] for e in p["exercises"])
    assert {"id", "reason"} <= set(data["adaptations"][0])
