from __future__ import annotations

import pytest

from questionnaire.models import Assessment

pytestmark = pytest.mark.django_db


def test_by_token_finds_the_assessment_or_none() -> None:
    assessment = Assessment.objects.create(answers={"age": 30})
    found = Assessment.by_token(assessment.token)
    assert found is not None
    assert (found.pk, found.answers, found.plan_token, found.step) == (
        assessment.pk,
        {"age": 30},
        assessment.plan_token,
        "",
    )
    assert (found.seen_flags, found.completed) == ([], False)
    assert Assessment.by_token("x" * 43) is None


def test_save_progress_saves_answers_step_and_time_only() -> None:
    assessment = Assessment.objects.create(answers={"age": 30}, step="safety-1")
    before = assessment.updated_at
    Assessment.objects.filter(pk=assessment.pk).update(seen_flags=["flag"])
    Assessment.save_progress(assessment.pk, {"age": 31, "sport": "running"}, "about-1")
    saved = Assessment.objects.get(pk=assessment.pk)
    assert saved.answers == {"age": 31, "sport": "running"}
    assert saved.step == "about-1"
    assert saved.updated_at > before
    assert saved.seen_flags == ["flag"]
