"""Contract version 2 triage (section 5.2): every row, the two corrections, what must not be
over-triaged, and version 1 answer sets that keep their old triage.

Each expected level is reasoned from the sources named beside it (ids in sources.yaml), read
against the contract's definitions: "knee pain" is pain_worst 1 or more, "new pain" knee pain for
under 6 weeks, "without an injury" recent_injury false or not given. Every case starts from a
fully screened person who said no to everything, so the level asserted is the whole triage, not
only the flag under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from questionnaire.content import Content
from questionnaire.engine import assess
from tests.personas import CALM_V2
from tests.questionnaire.cases import CALM

ORDER = ["self_care", "routine", "urgent", "emergency"]

# An adult who answered every safety question of both versions with no.
SCREENED: dict[str, Any] = {**CALM, **CALM_V2, "age": 40}

# A recent injury without any sign of a break or a tear, on day 3.
INJURY: dict[str, Any] = {
    "recent_injury": True,
    "injury_days_ago": 3,
    "high_energy_injury": False,
    "injury_pop": False,
    "kneecap_dislocated": False,
    "swelling_within_2h": False,
    "can_walk_4_steps": True,
    "can_straight_leg_raise": True,
    "bony_tenderness": False,
    "can_bend_90": True,
}


def person(**answers: Any) -> dict[str, Any]:
    return {**SCREENED, **answers}


def injured(**answers: Any) -> dict[str, Any]:
    return {**SCREENED, **INJURY, **answers}


def case(answers: dict[str, Any], level: str, reason: str) -> Any:
    return pytest.param(answers, level, id=reason)


# --- Contract 5.2, one case per row (the level is the whole triage) ---------------------------
ROWS = [
    # Hot swollen joint with fever: septic arthritis until proven otherwise, same-day aspiration
    # (coakley2006_bsr); "suspected infection" goes to A&E (gloucestershire_knee).
    case(
        person(knee_hot_or_swollen=True, fever_or_unwell=True, pain_worst=6),
        "emergency",
        "hot or swollen knee with fever: emergency",
    ),
    # Immunosuppression raises the risk and hides fever (margaretten2007, coakley2006_bsr).
    case(
        person(knee_hot_or_swollen=True, immunosuppressed=True),
        "emergency",
        "hot or swollen knee on immunosuppressants: emergency",
    ),
    # A prosthetic joint is the strongest risk factor for joint infection (margaretten2007).
    case(
        person(knee_hot_or_swollen=True, knee_replacement=True),
        "emergency",
        "hot or swollen knee replacement: emergency",
    ),
    # Surgery or injection in the joint seeds infection (coakley2006_bsr, margaretten2007).
    case(
        person(knee_hot_or_swollen=True, knee_surgery_recent=True),
        "emergency",
        "hot or swollen knee after recent surgery or injection: emergency",
    ),
    # Cannot lift the straight leg after a fall: extensor tendon rupture, A&E
    # (gloucestershire_knee, cornwall_knee, nhs_lothian_knee).
    case(
        injured(can_straight_leg_raise=False),
        "emergency",
        "no straight-leg raise after an injury: emergency",
    ),
    # Road crash or fall from height: "high impact trauma" to the ED (cornwall_knee).
    case(
        injured(high_energy_injury=True),
        "emergency",
        "high-energy injury: emergency",
    ),
    # A cold, pale foot is limb ischaemia (esvs_ali2020), "neuro-vascular compromise" (glos).
    case(person(cold_pale_foot=True), "emergency", "cold pale foot without injury: emergency"),
    case(injured(cold_pale_foot=True), "emergency", "cold pale foot after injury: emergency"),
    # Saddle numbness or new bladder/bowel trouble: suspected cauda equina (nice_cks_sciatica).
    case(person(saddle_bladder_bowel=True), "emergency", "saddle numbness: emergency"),
    # New breathlessness, chest pain or haemoptysis: suspected PE, emergency (nice_ng158).
    case(person(breathless_or_chest_pain=True), "emergency", "breathless or chest pain: emergency"),
    # Calf signs with a Wells risk factor: DVT likely (wells_dvt, nice_ng158).
    case(
        person(calf_swelling=True, clot_risk=True),
        "emergency",
        "calf swelling with clot risk: emergency",
    ),
    # A hot or swollen knee alone: same day, fever is often absent (bestbets_1135, nhs_knee).
    case(person(knee_hot_or_swollen=True), "urgent", "hot or swollen knee alone: urgent"),
    # Very painful knee: NHS 111 or urgent treatment centre the same day (nhs_knee).
    case(person(sudden_severe_pain=True, pain_worst=9), "urgent", "sudden severe pain: urgent"),
    # "Cannot put weight on it": same-day NHS advice (nhs_knee); no injury, so not the ED rule.
    case(person(cannot_bear_weight=True), "urgent", "cannot bear weight, no injury: urgent"),
    case(
        {k: v for k, v in person(cannot_bear_weight=True).items() if k != "recent_injury"},
        "urgent",
        "cannot bear weight, injury not given: urgent",
    ),
    # Traumatic kneecap dislocation: urgent fracture clinic (gloucestershire_knee).
    case(injured(kneecap_dislocated=True), "urgent", "kneecap dislocated: urgent"),
    # Progressive neurological loss: urgent (gloucestershire_knee, nice_cks_sciatica).
    case(person(foot_weakness=True), "urgent", "new foot weakness without injury: urgent"),
    # Numbness after trauma: a nerve stretched at the knee must be seen (glos, medina2014).
    case(injured(foot_numb_tingling=True), "urgent", "tingling after an injury: urgent"),
    # Systemically unwell with knee pain: infection has to be excluded (cornwall_knee).
    case(
        person(fever_or_unwell=True, pain_worst=4, pain_duration_weeks=1),
        "urgent",
        "fever with knee pain: urgent",
    ),
    # Pallor, fatigue, fever or bruising in a child: very urgent blood count (nice_ng12).
    case(person(age=10, child_unwell_signs=True), "urgent", "child with unwell signs: urgent"),
    # Haemarthrosis on anticoagulants (goodman_snyder; glos: large effusion/haemarthrosis).
    case(
        injured(anticoagulants=True, swelling_within_2h=True),
        "urgent",
        "swelling within 2 hours of an injury on blood thinners: urgent",
    ),
    case(
        injured(anticoagulants=True, knee_hot_or_swollen=True),
        "urgent",
        "knee swollen now after an injury on blood thinners: urgent",
    ),
    # Possible inflammatory arthritis: rheumatology within weeks (landewe2010_eular_efort,
    # nice_ng100).
    case(person(inflammatory_signs=True), "routine", "inflammatory signs: routine"),
    # Stable tingling without injury: GP or physio (nice_cks_sciatica).
    case(person(foot_numb_tingling=True), "routine", "tingling alone: routine, not urgent"),
    # Persistent bone pain in a child, 2 weeks or more (cclg_bone_tumours, devon_referral).
    case(
        person(age=12, pain_worst=3, pain_duration_weeks=2),
        "routine",
        "12-year-old, knee pain for 2 weeks: routine",
    ),
    # A history of cancer with night pain... night pain alone is already urgent (v1, cornwall).
    case(
        person(cancer_history=True, night_pain=True, pain_worst=4, pain_duration_weeks=8),
        "urgent",
        "cancer history with night pain: at least routine (night pain is urgent)",
    ),
    # ...and with new pain at 50 or over: metastasis must be considered (goodman_snyder).
    case(
        person(age=50, cancer_history=True, pain_worst=3, pain_duration_weeks=3),
        "routine",
        "cancer history, new pain at 50: routine",
    ),
]


# --- The two corrections to version 1 -----------------------------------------------------------
CORRECTIONS = [
    # A knee that slowly changed shape is osteoarthritis, not a fracture (glos, cornwall).
    case(person(deformity=True), "urgent", "deformity without injury: urgent, not emergency"),
    case(
        {k: v for k, v in person(deformity=True).items() if k != "recent_injury"},
        "urgent",
        "deformity, injury not given: urgent",
    ),
    # With an injury a new shape is a fracture or dislocation: A&E (gloucestershire_knee).
    case(injured(deformity=True), "emergency", "deformity after an injury: still emergency"),
    # Ottawa rules were validated for the first 7 days (stiell_ottawa, bachmann2004).
    case(injured(age=60), "urgent", "Ottawa: 60 years old, day 3: urgent"),
    case(injured(age=60, injury_days_ago=7), "urgent", "Ottawa: 60 years old, day 7: urgent"),
    case(injured(bony_tenderness=True), "urgent", "Ottawa: bony tenderness, day 3: urgent"),
    case(injured(can_bend_90=False), "urgent", "Ottawa: cannot bend to 90, day 3: urgent"),
    # Past day 7 the rules say nothing; the recent injury still gets a routine check (glos).
    case(
        injured(age=60, bony_tenderness=True, can_bend_90=False, injury_days_ago=20),
        "routine",
        "Ottawa signs at day 20: not raised",
    ),
    case(injured(age=60, injury_days_ago=8), "routine", "Ottawa: 60 years old, day 8: not raised"),
    # Without the day, version 1 behaviour stays: the injury counts as acute (stiell_ottawa).
    case(
        {k: v for k, v in injured(bony_tenderness=True).items() if k != "injury_days_ago"},
        "urgent",
        "Ottawa sign, day not given: urgent as in version 1",
    ),
    # The other injury flags keep their v1 level for all 6 weeks (contract 5.2).
    case(
        injured(can_walk_4_steps=False, injury_days_ago=30),
        "emergency",
        "could not take 4 steps, day 30: still emergency",
    ),
    case(
        injured(swelling_within_2h=True, injury_days_ago=30),
        "urgent",
        "swelled within 2 hours, day 30: still urgent",
    ),
    case(
        injured(giving_way=True, injury_pop=True, injury_days_ago=40),
        "urgent",
        "gives way since an injury, day 40: still urgent",
    ),
]


# --- Cases that must not be over-triaged ---------------------------------------------------------
NOT_OVER = [
    # Nothing found: no professional needed first (contract section 2).
    case(person(), "self_care", "a calm, fully screened adult: self care"),
    case(person(age=70), "self_care", "a calm 70-year-old: self care"),
    # Risk factors without a symptom change nothing on their own (goodman_snyder).
    case(
        person(
            clot_risk=True,
            cancer_history=True,
            immunosuppressed=True,
            anticoagulants=True,
            knee_replacement=True,
            knee_surgery_recent=True,
        ),
        "self_care",
        "risk factors without symptoms: self care",
    ),
    # Fever without knee pain is not a knee red flag (contract term "knee pain").
    case(person(fever_or_unwell=True, pain_worst=0), "self_care", "fever without knee pain"),
    # Cancer history, under 50, new pain: no rule applies (goodman_snyder, contract 5.2).
    case(
        person(age=45, cancer_history=True, pain_worst=3, pain_duration_weeks=2),
        "self_care",
        "cancer history, new pain at 45: not raised",
    ),
    # Cancer history at 62 without pain: nothing to check.
    case(
        person(age=62, cancer_history=True, pain_worst=0),
        "self_care",
        "cancer history at 62 without pain: not raised",
    ),
    # Cancer history, long-standing pain at 60: the six-week pain check only, not the cancer rule.
    case(
        person(age=60, cancer_history=True, pain_worst=3, pain_duration_weeks=26),
        "routine",
        "cancer history with old pain at 60: routine for persistent pain only",
    ),
    # 16 is not under 16: the 2-week rule is for younger children (cclg, devon_referral).
    case(
        person(age=16, pain_worst=3, pain_duration_weeks=3),
        "self_care",
        "16-year-old with 3 weeks of pain: not raised by the under-16 rule",
    ),
    # Under 2 weeks a child's pain is reassured (cclg_bone_tumours: less than 2 weeks).
    case(
        person(age=12, pain_worst=3, pain_duration_weeks=1),
        "self_care",
        "12-year-old with 1 week of pain: not raised",
    ),
    # Falls screen is for older people (cdc_steadi): a 30-year-old who slipped once is not raised.
    case(person(age=30, falls_or_unsteady=True), "self_care", "a fall at 30: not raised"),
    case(person(age=70, falls_or_unsteady=True), "routine", "a fall at 70: falls check, routine"),
]


# --- Version 1 answer sets keep their triage ------------------------------------------------------
VERSION_1 = [
    # v1 meaning of hot_swollen_fever: hot, red, swollen with fever (gloucestershire_knee).
    case({"hot_swollen_fever": True}, "emergency", "v1 hot_swollen_fever: emergency"),
    case({**CALM, "hot_swollen_fever": True}, "emergency", "v1 calm plus hot_swollen_fever"),
    # v1 numb_or_cold_foot after an injury: possible vascular injury (medvellum_knee).
    case(
        {**CALM, "recent_injury": True, "can_walk_4_steps": True, "numb_or_cold_foot": True},
        "emergency",
        "v1 numb_or_cold_foot after injury: emergency",
    ),
    # v1 numb_or_cold_foot without injury kept its urgent level.
    case({**CALM, "numb_or_cold_foot": True}, "urgent", "v1 numb_or_cold_foot alone: urgent"),
    # v1 Ottawa without a day: urgent as before (stiell_ottawa).
    case(
        {**CALM, "age": 58, "recent_injury": True, "can_walk_4_steps": True, "can_bend_90": True},
        "urgent",
        "v1 58-year-old with an injury: urgent",
    ),
    case({**CALM, "age": 30}, "self_care", "v1 calm adult: self care"),
]


@pytest.mark.parametrize(("answers", "level"), ROWS + CORRECTIONS + NOT_OVER + VERSION_1)
def test_it_triages_as_the_sources_say(
    answers: dict[str, Any], level: str, content: Content
) -> None:
    result = assess(answers, content)
    assert result.triage.level == level, [hit.id for hit in result.red_flags]
    assert result.triage.plan_allowed is (level in ("routine", "self_care"))


def test_a_v1_hot_swollen_fever_no_does_not_hide_the_v2_question(content: Content) -> None:
    # The v1 answer no says nothing about a hot knee without fever: the finer question decides.
    answers = person(hot_swollen_fever=False, knee_hot_or_swollen=True)
    assert assess(answers, content).triage.level == "urgent"


def test_ottawa_flag_is_absent_after_day_7(content: Content) -> None:
    result = assess(injured(age=70, injury_days_ago=9), content)
    assert "ottawa_knee_rule" not in {hit.id for hit in result.red_flags}
    assert "recent_injury" in {hit.id for hit in result.red_flags}


def test_deformity_without_injury_says_to_go_now_if_it_was_sudden(content: Content) -> None:
    hit = next(h for h in assess(person(deformity=True), content).red_flags)
    assert hit.level == "urgent"
    assert "emergency department now" in hit.advice
    assert "suddenly" in hit.advice


def test_more_signs_never_lower_the_level(content: Content) -> None:
    # Adding any yes to the safety screen can only keep or raise the triage of every case.
    bools = [qid for qid, value in SCREENED.items() if value is False]
    for answers, *_ in (p.values for p in ROWS + CORRECTIONS):
        base = ORDER.index(assess(answers, content).triage.level)
        for qid in bools:
            if answers.get(qid) is False:
                more = assess({**answers, qid: True}, content).triage.level
                assert ORDER.index(more) >= base, (qid, answers)


def test_every_new_red_flag_cites_a_primary_source_and_says_what_to_tell(
    content: Content,
) -> None:
    for flag in content.red_flags:
        assert flag.sources and "dkv_brief" not in flag.sources, flag.id
        assert flag.tell_them.strip(), flag.id
