"""The plan builder as plain tables: no database, no Django."""

from __future__ import annotations

from pathlib import Path

import pytest

from programs.builder import pick_exercises
from programs.plan_content import load_plan_content
from questionnaire.content import CAUSE_IDS, ContentError
from questionnaire.engine import CauseResult
from tests.personas import (
    DEFORMITY,
    FOOTBALLER,
    GROWING_KNEE,
    NAMED,
    NIGHT_PAIN,
    ROUTINE,
    RUNNER,
)
from tests.questionnaire.cases import CAUSE_CASES

PLANNED = ["runner", "footballer", "growing_knee", "routine", "empty"]


def _cause(cause_id: str, likelihood: str = "high", score: float = 0.8) -> CauseResult:
    return CauseResult(
        id=cause_id,
        score=score,
        likelihood=likelihood,
        evidence=[],
        name=cause_id,
        confirm_with_clinician=False,
        reasons=[],
    )


@pytest.mark.parametrize("name", PLANNED)
def test_it_builds_phases_over_eight_to_twelve_weeks(make_plan, name):
    plan = make_plan(NAMED[name])
    weeks = [week for phase in plan.phases for week in phase.weeks]
    assert [phase.number for phase in plan.phases] == list(range(1, len(plan.phases) + 1))
    assert weeks == list(range(1, len(weeks) + 1))
    assert 8 <= len(weeks) <= 12
    assert [p.key for p in plan.phases][:3] == ["activate", "strengthen", "integrate"]


@pytest.mark.parametrize("name", PLANNED)
def test_it_gives_every_phase_three_to_six_dosed_exercises(make_plan, name):
    for phase in make_plan(NAMED[name]).phases:
        assert 3 <= len(phase.exercises) <= 6
        assert len({e.id for e in phase.exercises}) == len(phase.exercises)
        assert phase.sessions_per_week >= 2
        assert phase.goal and phase.progress_when
        for exercise in phase.exercises:
            assert exercise.dose.strip()
            assert exercise.cue and exercise.easier and exercise.harder


def test_it_adds_land_and_cut_for_jumping_sports(make_plan):
    assert [p.key for p in make_plan(FOOTBALLER).phases][-2:] == ["land", "land_one_foot"]
    assert [p.key for p in make_plan(RUNNER).phases][-1] == "maintain"


def test_it_keeps_jumping_away_from_a_growing_knee_with_pain_below_the_kneecap(make_plan):
    plan = make_plan(GROWING_KNEE)
    assert plan.referral.level == "routine"
    assert "land" not in [p.key for p in plan.phases]
    assert not [e.id for p in plan.phases for e in p.exercises if e.involves_jumping]
    assert any("jumping" in a.reason for a in plan.adaptations)


@pytest.mark.parametrize("answers", [DEFORMITY, NIGHT_PAIN], ids=["emergency", "urgent"])
def test_it_gives_no_exercises_only_a_referral_when_no_plan_is_allowed(make_plan, answers):
    plan = make_plan(answers)
    data = plan.model_dump(mode="json")
    assert data["phases"] == []
    assert data["assessment"]["triage"]["plan_allowed"] is False
    assert data["referral"]["level"] in {"emergency", "urgent"}
    assert data["referral"]["advice"]
    assert data["referral"]["answers"]
    assert data["stop_if"] == []


def test_it_puts_referral_advice_on_a_routine_plan(make_plan):
    plan = make_plan(ROUTINE)
    assert plan.phases
    assert plan.referral.level == "routine"
    assert len(plan.referral.advice) >= 2
    assert plan.referral.note


def test_it_starts_easier_when_the_knee_hurts(make_plan):
    assert make_plan(ROUTINE).phases[1].level == "beginner"
    assert make_plan(RUNNER).phases[1].level == "standard"


def test_it_suggests_insoles_only_when_overpronation_is_likely(make_plan):
    assert [a.title for a in make_plan(ROUTINE).adjuncts]
    assert make_plan(RUNNER).adjuncts == []


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda c: c.name[:40])
def test_it_targets_every_high_cause(make_plan, library, plan_content, case):
    plan = make_plan(case.answers)
    high = [c.id for c in plan.assessment.causes if c.likelihood == "high"]
    for cause_id in high:
        assert any(cause_id in e.targets for p in plan.phases for e in p.exercises), cause_id
        specs = {spec.key: spec for spec in plan_content.phases}
        for phase in plan.phases:
            spec = specs[phase.key]
            roles = {*spec.roles, *spec.fallback_roles}
            if any(e.role in roles for e in library.for_cause(cause_id)):
                assert any(cause_id in e.targets for e in phase.exercises), (phase.key, cause_id)


@pytest.mark.parametrize("cause_id", CAUSE_IDS)
def test_every_cause_gets_its_exercises(library, plan_content, cause_id):
    chosen = {
        exercise.id
        for spec in plan_content.phases
        for exercise in pick_exercises(
            spec, [_cause(cause_id)], library.exercises, minimum=3, maximum=6
        )
        if cause_id in exercise.targets
    }
    assert len(chosen) >= 2


def test_it_never_picks_more_than_the_maximum(library, plan_content):
    causes = [_cause(cause_id) for cause_id in CAUSE_IDS]
    for spec in plan_content.phases:
        picked = pick_exercises(
            spec, causes, library.exercises, must_have=("knee_targeted",), minimum=3, maximum=6
        )
        assert any("knee_targeted" in e.tags for e in picked)
        assert 3 <= len(picked) <= 6


@pytest.mark.parametrize("name", list(NAMED))
def test_it_is_deterministic(make_plan, name):
    assert make_plan(NAMED[name]) == make_plan(dict(NAMED[name]))


@pytest.mark.parametrize("name", PLANNED)
def test_it_sets_retests_at_weeks_six_and_twelve_with_real_change(make_plan, name):
    plan = make_plan(NAMED[name])
    assert plan.retests is not None
    assert plan.retests.weeks == [6, 12]
    assert all(check.real_change for check in plan.retests.checks)
    assert plan.pain_rules and plan.pain_guide and plan.stop_if and plan.load_management


def test_the_shipped_plan_content_cites_only_listed_sources(content, plan_content):
    cited = {s for phase in plan_content.phases for s in phase.sources}
    cited |= set(plan_content.pain_rules.sources) | set(plan_content.stop_if.sources)
    assert cited <= set(content.sources)


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        (
            "sources: [thomee1997, silbernagel2007, design_default]",
            "sources: [nobody2030]",
            "pain_rules",
        ),
        ("key: activate", "key: activate\n    extra: 1", "phases[0].extra"),
        (
            "leave_out: [plyometric_single_leg, cutting]\n    evidence: V",
            "leave_out: [hops]\n    evidence: V",
            "adaptations[0] (id=child_two_foot_landings).leave_out",
        ),
        ("      child: >-", "      kid: >-", "adaptations[0] (id=child_two_foot_landings).for"),
        ("{question: age, lte: 12}", "{question: years, lte: 12}", "people[0] (id=child).when"),
        ("    - question: pain_worst", "    - question: pain_max", "retests.checks[2]"),
    ],
)
def test_a_broken_plan_file_names_the_field(tmp_path: Path, content, old, new, field):
    from programs.plan_content import PLAN_FILE

    text = PLAN_FILE.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "plan.yaml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_plan_content(broken, content)
    assert error.value.file == "plan.yaml"
    assert error.value.field.startswith(field)


def test_it_hands_out_the_plan_already_built_for_the_same_answers():
    from programs.builder import plan_for
    from tests.personas import FOOTBALLER, RUNNER

    first = plan_for(FOOTBALLER)
    assert plan_for(dict(reversed(list(FOOTBALLER.items())))) is first
    assert plan_for(RUNNER) is not first
    assert plan_for(RUNNER).model_dump() != first.model_dump()


def test_it_fills_the_week_0_retest_column_with_the_persons_own_answers(make_plan):
    plan = make_plan(ROUTINE)
    assert plan.retests is not None
    baseline = {check.question: check.baseline for check in plan.retests.checks}
    assert baseline["knee_to_wall_left_cm"] == "left 5 cm, right 6 cm"
    assert baseline["pain_worst"].startswith("4")
    assert baseline["fppa_degrees"] == ""  # not measured: the column stays blank to fill in
