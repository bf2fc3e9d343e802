"""The rules engine: answers in, assessment out (contract section 2).

Pure Python on top of the content models. It validates an answer set, triages the red flags,
and scores each likely cause from weighted evidence, keeping the answers behind every point so
that a person can see why. Deterministic: the same answers and content give the same output.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model

from questionnaire.content import LEVELS, MEASURES, Condition, Content, Question

CONTRACT_VERSION = 2

AnswerValue = bool | int | float | str
Answers = Mapping[str, AnswerValue]
Likelihood = Literal["high", "moderate", "low"]
LIKELIHOOD_ORDER: tuple[Likelihood, ...] = ("low", "moderate", "high")


# ---------------------------------------------------------------------------------------------
# Validation


@dataclass(frozen=True)
class AnswerProblem:
    question: str
    message: str

    def __str__(self) -> str:
        return f"{self.question}: {self.message}"


class InvalidAnswers(ValueError):
    """Raised with every problem found, so a caller can report them all at once."""

    def __init__(self, problems: list[AnswerProblem]) -> None:
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def expected(question: Question) -> str:
    """Describe what a question accepts, in the words an error message needs."""
    if question.type == "bool":
        return "true or false"
    if question.type == "choice":
        return "one of " + ", ".join(f'"{v}"' for v in question.choice_values)
    low, high = _plain(question.min), _plain(question.max)
    kind = "a whole number" if question.type == "int" else "a number"
    return f"{kind} from {low} to {high}"


def _plain(number: float | None) -> str:
    return str(int(number)) if number is not None and number == int(number) else str(number)


def _field_type(question: Question) -> Any:
    if question.type == "bool":
        return bool
    if question.type == "choice":
        return Literal[question.choice_values]
    kind: type = int if question.type == "int" else float
    return Annotated[kind, Field(ge=question.min, le=question.max, allow_inf_nan=False)]


def _answers_model(content: Content) -> type[BaseModel]:
    # Absent means "not answered"; an explicit null is the wrong type and is rejected.
    fields: dict[str, Any] = {
        qid: (_field_type(question), None) for qid, question in content.questions.items()
    }
    return create_model("Answers", __config__=ConfigDict(extra="forbid", strict=True), **fields)


_MODELS: dict[str, type[BaseModel]] = {}


def validate_answers(raw: object, content: Content) -> dict[str, AnswerValue]:
    """Check an answer set against the questions; raise InvalidAnswers naming each bad one."""
    if not isinstance(raw, dict):
        raise InvalidAnswers([AnswerProblem("answers", "expected a JSON object of question ids")])
    # Not setdefault(): its default argument would build a fresh pydantic model on every call.
    model = _MODELS.get(content.version)
    if model is None:
        model = _MODELS[content.version] = _answers_model(content)
    try:
        parsed = model.model_validate(raw)
    except ValidationError as exc:
        raise InvalidAnswers(_problems(exc, raw, content)) from None
    answers: dict[str, AnswerValue] = parsed.model_dump(exclude_unset=True)
    return answers


def still_valid_answers(raw: object, content: Content) -> dict[str, AnswerValue]:
    """The stored answers that still fit today's questions; any that no longer do are dropped.

    For answers saved earlier: a question removed or narrowed since must not break a saved plan.
    """
    if not isinstance(raw, dict):
        return {}
    try:
        return validate_answers(raw, content)
    except InvalidAnswers as error:
        bad = {problem.question for problem in error.problems}
        return validate_answers({k: v for k, v in raw.items() if k not in bad}, content)


def _problems(exc: ValidationError, raw: dict[str, Any], content: Content) -> list[AnswerProblem]:
    problems: dict[str, AnswerProblem] = {}
    for error in exc.errors():
        qid = str(error["loc"][0]) if error["loc"] else "answers"
        if qid in problems:
            continue
        question = content.questions.get(qid)
        if question is None:
            problems[qid] = AnswerProblem(qid, "unknown question id")
        else:
            got = _describe_value(raw.get(qid))
            problems[qid] = AnswerProblem(qid, f"expected {expected(question)}, got {got}")
    return sorted(problems.values(), key=lambda p: p.question)


def _describe_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, int | float):
        return repr(value)
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------------
# Conditions


Measured = tuple[float | None, tuple[str, ...]]


def _min(values: dict[str, float]) -> Measured:
    # The side that gave the lowest figure is the evidence, not both.
    if not values:
        return None, ()
    side = min(values, key=lambda qid: (values[qid], qid))
    return values[side], (side,)


def _asymmetry(values: dict[str, float]) -> Measured:
    if len(values) != 2:
        return None, ()
    first, second = values.values()
    # Rounded so that a threshold such as 1.9 cm is not crossed by float error (11.9 - 10).
    return round(abs(first - second), 6), tuple(values)


def _symmetry_pct(values: dict[str, float]) -> Measured:
    # The weaker side as a percentage of the stronger; undefined when neither side holds.
    if len(values) != 2 or max(values.values()) == 0:
        return None, ()
    return 100 * min(values.values()) / max(values.values()), tuple(values)


MEASURE_FUNCTIONS: dict[str, Callable[[dict[str, float]], Measured]] = {
    "knee_to_wall_min_cm": _min,
    "knee_to_wall_asymmetry_cm": _asymmetry,
    "side_hold_min_s": _min,
    "side_hold_symmetry_pct": _symmetry_pct,
}
assert set(MEASURE_FUNCTIONS) == set(MEASURES)


class Evaluator:
    """Evaluates conditions on one answer set, returning the answers that made them true."""

    def __init__(self, answers: Answers, content: Content) -> None:
        self.answers = answers
        self.content = content
        self._findings: dict[str, tuple[bool, frozenset[str]]] = {}

    def holds(self, condition: Condition) -> tuple[bool, frozenset[str]]:
        if condition.question is not None:
            value = self.answers.get(condition.question)
            return _compare(value, condition), frozenset({condition.question})
        if condition.measure is not None:
            inputs = {
                q: float(self.answers[q]) for q in MEASURES[condition.measure] if q in self.answers
            }
            measured, sides = MEASURE_FUNCTIONS[condition.measure](inputs)
            return _compare(measured, condition), frozenset(sides)
        if condition.finding is not None:
            return self.finding(condition.finding)
        if condition.not_ is not None:
            ok, looked_at = self.holds(condition.not_)
            return not ok, frozenset(q for q in looked_at if q in self.answers)
        # A false result still reports what it looked at, so that `not` can name those answers.
        if condition.all_ is not None:
            results = [self.holds(child) for child in condition.all_]
            return all(ok for ok, _ in results), frozenset().union(*(u for _, u in results))
        assert condition.any_ is not None
        results = [self.holds(child) for child in condition.any_]
        true_branches = [u for ok, u in results if ok]
        if true_branches:
            return True, frozenset().union(*true_branches)
        return False, frozenset().union(*(u for _, u in results))

    def is_true(self, condition: Condition) -> bool:
        """``holds(condition)[0]`` without collecting the answers behind it: all that the
        page flow needs, and several times cheaper."""
        if condition.question is not None:
            return _compare(self.answers.get(condition.question), condition)
        if condition.all_ is not None:
            return all(self.is_true(child) for child in condition.all_)
        if condition.any_ is not None:
            return any(self.is_true(child) for child in condition.any_)
        if condition.not_ is not None:
            return not self.is_true(condition.not_)
        return self.holds(condition)[0]  # a measure or a finding

    def finding(self, finding_id: str) -> tuple[bool, frozenset[str]]:
        if finding_id not in self._findings:
            self._findings[finding_id] = self.holds(self.content.findings[finding_id].when)
        return self._findings[finding_id]


_BOUNDS = (("gt", operator.gt), ("gte", operator.ge), ("lt", operator.lt), ("lte", operator.le))


def _compare(value: object, condition: Condition) -> bool:
    """Compare one answer or measure with a leaf's test; anything unanswered is false.

    Every test the leaf gives must hold (and it gives at least one); a bound never holds for
    an answer that is not a number.
    """
    if value is None:
        return False
    tested = False
    if condition.equals is not None:
        if not _same(value, condition.equals):
            return False
        tested = True
    if condition.in_ is not None:
        if not any(_same(value, option) for option in condition.in_):
            return False
        tested = True
    for name, holds in _BOUNDS:
        bound = getattr(condition, name)
        if bound is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        if not holds(float(value), bound):
            return False
        tested = True
    return tested


def _same(a: object, b: object) -> bool:
    # True == 1 in Python; a bool answer must only ever match a bool.
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b


# ---------------------------------------------------------------------------------------------
# Output


class Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class Triage(Out):
    level: Literal["emergency", "urgent", "routine", "self_care"]
    plan_allowed: bool
    title: str
    summary: str
    # Contract 5.3: an unanswered safety question is unknown, never "no".
    screen_complete: bool
    unanswered: list[str]


class RedFlagHit(Out):
    id: str
    level: Literal["emergency", "urgent", "routine"]
    advice: str
    advice_carer: str
    title: str
    tell_them: str
    answers: list[str]
    sources: list[str]


class Reason(Out):
    """One rule that moved a cause, with the answers that triggered it."""

    rule: str
    questions: list[str]
    points: float
    explanation: str
    sources: list[str]


class CauseResult(Out):
    id: str
    score: float
    likelihood: Likelihood
    evidence: list[str]
    name: str
    confirm_with_clinician: bool
    reasons: list[Reason]


class AssessmentResult(Out):
    """The engine's answer for one answer set (contract section 2); the stored answers are the
    Django model ``questionnaire.models.Assessment``."""

    contract: int
    rules_version: str
    triage: Triage
    red_flags: list[RedFlagHit]
    causes: list[CauseResult]
    answered: int = Field(description="How many questions were answered.")


def assess(answers: Answers, content: Content) -> AssessmentResult:
    """Triage and rank the causes for an already validated answer set."""
    evaluator = Evaluator(answers, content)
    flags = _red_flags(evaluator, content)
    level = min((f.level for f in flags), key=LEVELS.index, default="self_care")
    level_content = content.levels[level]
    unanswered = unanswered_safety(evaluator)
    return AssessmentResult(
        contract=CONTRACT_VERSION,
        rules_version=content.version,
        triage=Triage(
            level=level,
            plan_allowed=level_content.plan_allowed,
            title=level_content.title,
            summary=level_content.summary,
            screen_complete=not unanswered,
            unanswered=unanswered,
        ),
        red_flags=flags,
        causes=_causes(evaluator, content),
        answered=len(answers),
    )


def unanswered_safety(evaluator: Evaluator) -> list[str]:
    """The safety questions that apply to these answers and were not answered, in content order.

    "Applies" is the question's own ask_if (contract 5.3): injury follow-ups after an injury, the
    child question under 18 or with no age, the rest for everyone.
    """
    return [
        q.id
        for q in evaluator.content.questions.values()
        if q.safety
        and q.id not in evaluator.answers
        and (q.ask_if is None or evaluator.is_true(q.ask_if))
    ]


def _red_flags(evaluator: Evaluator, content: Content) -> list[RedFlagHit]:
    hits = []
    for flag in content.red_flags:
        ok, used = evaluator.holds(flag.when)
        if ok:
            hits.append(
                RedFlagHit(
                    id=flag.id,
                    level=flag.level,
                    advice=flag.advice.strip(),
                    advice_carer=flag.advice_carer.strip(),
                    title=flag.title,
                    tell_them=flag.tell_them.strip(),
                    answers=sorted(used),
                    sources=list(flag.sources),
                )
            )
    # Most serious first; the content's own order breaks ties.
    return sorted(hits, key=lambda hit: LEVELS.index(hit.level))


def _causes(evaluator: Evaluator, content: Content) -> list[CauseResult]:
    reasons: dict[str, list[Reason]] = {cause_id: [] for cause_id in content.causes}
    for rule in content.rules:
        ok, used = evaluator.holds(rule.when)
        if not ok:
            continue
        for cause_id, points in rule.effects.items():
            reasons[cause_id].append(
                Reason(
                    rule=rule.id,
                    questions=sorted(used),
                    points=points,
                    explanation=rule.explanation.strip(),
                    sources=list(rule.sources),
                )
            )
    results = [
        result
        for cause_id, cause_reasons in reasons.items()
        if (result := _score(cause_id, cause_reasons, content)) is not None
    ]
    order = list(content.causes)
    return sorted(results, key=lambda r: (-r.score, order.index(r.id)))


def _score(cause_id: str, reasons: list[Reason], content: Content) -> CauseResult | None:
    points = sum(reason.points for reason in reasons)
    if points <= 0:
        return None
    scoring = content.scoring
    cause = content.causes[cause_id]
    score = points / (points + scoring.half_score_points)
    likelihood: Likelihood = (
        "high"
        if score >= scoring.high_from
        else "moderate"
        if score >= scoring.moderate_from
        else "low"
    )
    if LIKELIHOOD_ORDER.index(likelihood) > LIKELIHOOD_ORDER.index(cause.max_likelihood):
        likelihood = cause.max_likelihood
        # Keep the number consistent with the capped word, just under the next band.
        cap = scoring.high_from if likelihood == "moderate" else scoring.moderate_from
        score = min(score, cap - 0.01)
    ranked = sorted(reasons, key=lambda r: (-abs(r.points), r.rule))
    evidence: list[str] = []
    for reason in ranked:
        evidence.extend(q for q in reason.questions if q not in evidence)
    return CauseResult(
        id=cause_id,
        score=_round_down(score),
        likelihood=likelihood,
        evidence=evidence,
        name=cause.name,
        confirm_with_clinician=cause.confirm_with_clinician,
        reasons=ranked,
    )


def _round_down(score: float) -> float:
    # Never round a small positive score up past a band edge, nor down to zero.
    return max(0.01, math.floor(score * 100) / 100)
