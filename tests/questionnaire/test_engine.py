"""General properties of the engine that hold for any answer set."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import pytest

from questionnaire.content import CAUSE_IDS, DATA_DIR, Condition, Content, load_content
from questionnaire.engine import Evaluator, assess, still_valid_answers
from tests.questionnaire.cases import CAUSE_CASES, Case


def test_no_answers_gives_self_care_and_no_causes(content: Content) -> None:
    result = assess({}, content)
    assert result.triage.level == "self_care"
    assert result.triage.plan_allowed
    assert result.red_flags == []
    assert result.causes == []


def test_any_single_answer_is_enough_to_run(content: Content) -> None:
    for question in content.questions.values():
        if question.type == "bool":
            value: bool | int | float | str = True
        elif question.type == "choice":
            value = question.choice_values[-1]
        else:
            value = question.max if question.max is not None else 0
        assess({question.id: value}, content)  # must not raise


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda case: case.name)
def test_output_shape_follows_the_contract(case: Case, content: Content) -> None:
    data = assess(case.answers, content).model_dump(mode="json")
    assert data["contract"] == 2
    assert isinstance(data["rules_version"], str) and data["rules_version"]
    assert set(data["triage"]) >= {"level", "plan_allowed"}
    scores = [cause["score"] for cause in data["causes"]]
    assert scores == sorted(scores, reverse=True)
    for cause in data["causes"]:
        assert cause["id"] in CAUSE_IDS
        assert 0 < cause["score"] <= 1
        assert cause["likelihood"] in {"high", "moderate", "low"}
        assert set(cause["evidence"]) <= set(case.answers)


def test_likelihood_follows_score(content: Content) -> None:
    rank = {"low": 0, "moderate": 1, "high": 2}
    for case in CAUSE_CASES:
        causes = assess(case.answers, content).causes
        for better, worse in itertools.pairwise(causes):
            if better.id != "structural_factors" and worse.id != "structural_factors":
                assert rank[better.likelihood] >= rank[worse.likelihood]


def test_same_answers_give_the_same_result(content: Content) -> None:
    for case in CAUSE_CASES:
        reordered = dict(reversed(list(case.answers.items())))
        assert assess(case.answers, content) == assess(reordered, content)


def test_rules_version_changes_when_any_content_file_changes(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = assess({}, load_content(copy)).rules_version
    assert before == assess({}, load_content(DATA_DIR)).rules_version
    seen = {before}
    for path in sorted(copy.glob("*.yaml")):
        path.write_text(path.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
        version = assess({}, load_content(copy)).rules_version
        assert version not in seen, f"editing {path.name} left rules_version unchanged"
        seen.add(version)


def _every_condition(content: Content) -> list[Condition]:
    tops = [q.ask_if for q in content.questions.values() if q.ask_if is not None]
    tops += [flag.when for flag in content.red_flags]
    tops += [finding.when for finding in content.findings.values()]
    tops += [rule.when for rule in content.rules]
    return [node for top in tops for node in top.walk()]


@pytest.mark.parametrize("case", CAUSE_CASES, ids=lambda case: case.name)
def test_is_true_agrees_with_holds(case: Case, content: Content) -> None:
    """The flow's cheap test gives the same answer as the engine's explained one."""
    evaluator = Evaluator(case.answers, content)
    for condition in _every_condition(content):
        assert evaluator.is_true(condition) == evaluator.holds(condition)[0], condition


def test_still_valid_answers_drops_only_what_no_longer_fits(content: Content) -> None:
    stored = {"age": 30, "sex": "robot", "retired_question": True, "locking": False}
    assert still_valid_answers(stored, content) == {"age": 30, "locking": False}
    assert still_valid_answers(["not", "a", "dict"], content) == {}
