"""The clinical content: questions, self-tests, causes, findings, rules, red flags and sources.

Everything a clinician should be able to review lives in YAML files under ``data/``. This module
loads them into frozen pydantic models, checks every cross-reference (a rule naming an unknown
question, a threshold outside a question's range, a source nobody listed) and reports problems
with the file and the field that hold them. It is pure Python: no Django, so the engine and its
tests run without a database or settings.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
CONTENT_FILES = (
    "sources.yaml",
    "questions.yaml",
    "causes.yaml",
    "findings.yaml",
    "rules.yaml",
    "red_flags.yaml",
)

CAUSE_IDS = (
    "glute_med_weakness",
    "glute_max_weakness",
    "adductor_tightness",
    "hip_external_rotator_weakness",
    "ankle_dorsiflexion_limitation",
    "foot_overpronation",
    "quadriceps_dominance",
    "motor_control_deficit",
    "structural_factors",
)
LEVELS = ("emergency", "urgent", "routine", "self_care")

# Derived measures the rules may test, each computed from the questions it names (see engine).
MEASURES: dict[str, tuple[str, ...]] = {
    "knee_to_wall_min_cm": ("knee_to_wall_left_cm", "knee_to_wall_right_cm"),
    "knee_to_wall_asymmetry_cm": ("knee_to_wall_left_cm", "knee_to_wall_right_cm"),
    "side_hold_min_s": ("side_hold_left_s", "side_hold_right_s"),
    "side_hold_symmetry_pct": ("side_hold_left_s", "side_hold_right_s"),
}

Id = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
Text = Annotated[str, Field(min_length=1)]
Value = bool | int | float | str
EvidenceTag = Literal["V", "S", "M", "EO"]


class ContentError(Exception):
    """A content file (clinical content, exercise library or plan) is missing, unreadable or
    inconsistent."""

    def __init__(self, file: str, field: str, message: str) -> None:
        self.file, self.field, self.message = file, field, message
        super().__init__(f"{file}: {field}: {message}")


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Condition(Frozen):
    """A test on the answers: one leaf (question, measure or finding) or a combination.

    A leaf on something not answered is false, so ``not`` of it is true; rules that need a
    normal result must test for it explicitly.
    """

    question: Id | None = None
    measure: Id | None = None
    finding: Id | None = None
    all_: tuple[Condition, ...] | None = Field(default=None, alias="all")
    any_: tuple[Condition, ...] | None = Field(default=None, alias="any")
    not_: Condition | None = Field(default=None, alias="not")
    equals: Value | None = None
    in_: tuple[Value, ...] | None = Field(default=None, alias="in")
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Condition:
        heads = [
            name
            for name in ("question", "measure", "finding", "all_", "any_", "not_")
            if getattr(self, name) is not None
        ]
        if len(heads) != 1:
            raise ValueError(
                "a condition needs exactly one of question, measure, finding, all, any, not"
            )
        tests = [
            n for n in ("equals", "in_", "gt", "gte", "lt", "lte") if getattr(self, n) is not None
        ]
        if heads[0] in {"question", "measure"} and not tests:
            raise ValueError(f"{heads[0]} needs a test: equals, in, gt, gte, lt or lte")
        if heads[0] not in {"question", "measure"} and tests:
            raise ValueError("equals, in, gt, gte, lt and lte only go with question or measure")
        if heads[0] in {"all_", "any_"} and not getattr(self, heads[0]):
            raise ValueError("all and any need at least one condition")
        return self

    def walk(self) -> Iterator[Condition]:
        yield self
        for child in (*(self.all_ or ()), *(self.any_ or ()), *((self.not_,) if self.not_ else ())):
            yield from child.walk()


class Choice(Frozen):
    value: Id
    label: Text
    hint: str = ""


class Section(Frozen):
    id: Id
    title: Text
    intro: str = ""


class QuestionPage(Frozen):
    """One page of questions that belong together (one idea per page)."""

    id: Id
    section: Id
    title: Text
    intro: str = ""


class Question(Frozen):
    id: Id
    type: Literal["bool", "choice", "int", "number"]
    section: Id
    label: Text
    hint: str = ""
    choices: tuple[Choice, ...] = ()
    min: float | None = None
    max: float | None = None
    step: float | None = None
    unit: str = ""
    # May be left empty in the web form; the engine accepts any subset anyway.
    optional: bool = False
    ask_if: Condition | None = None
    sources: tuple[Id, ...] = ()
    # Contract 5.3: part of the safety screen; when it applies (ask_if holds or is absent) and
    # is not answered, the screen is incomplete.
    safety: bool = False
    # The page it is asked on, from the pages list; none: grouped by the default rule.
    page: Id | None = None
    # A version 1 question split into these finer ones: still accepted and scored, no longer
    # asked on the web, never listed as unanswered.
    superseded_by: tuple[Id, ...] = ()

    @model_validator(mode="after")
    def _shape_matches_type(self) -> Question:
        if self.type == "choice" and len(self.choices) < 2:
            raise ValueError("a choice question needs at least two choices")
        if self.type != "choice" and self.choices:
            raise ValueError(f"a {self.type} question has no choices")
        numeric = self.type in {"int", "number"}
        if numeric and (self.min is None or self.max is None or self.min > self.max):
            raise ValueError(f"an {self.type} question needs min <= max")
        if not numeric and (self.min is not None or self.max is not None):
            raise ValueError(f"a {self.type} question has no min or max")
        return self

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    def accepts(self, value: object) -> bool:
        """Whether ``value`` is a well-typed answer to this question (used on rule values)."""
        if self.type == "bool":
            return isinstance(value, bool)
        if self.type == "choice":
            return value in self.choice_values
        if isinstance(value, bool) or not isinstance(value, int | float):
            return False
        assert self.min is not None and self.max is not None
        return self.min <= value <= self.max


class SelfTest(Frozen):
    """A guided movement test: one page of the questionnaire, several questions."""

    id: Id
    title: Text
    purpose: Text
    equipment: tuple[Text, ...] = ()
    setup: tuple[Text, ...] = Field(min_length=1)
    steps: tuple[Text, ...] = Field(min_length=1)
    look_for: tuple[Text, ...] = Field(min_length=1)
    record: tuple[Text, ...] = Field(min_length=1)
    stop_if: tuple[Text, ...] = Field(min_length=1)
    filming: str = ""
    illustrations: tuple[Annotated[str, Field(pattern=r"^[a-z0-9/_-]+\.svg$")], ...] = ()
    questions: tuple[Id, ...] = Field(min_length=1)
    sources: tuple[Id, ...] = Field(min_length=1)


class QuestionsFile(Frozen):
    sections: tuple[Section, ...]
    pages: tuple[QuestionPage, ...] = ()
    questions: tuple[Question, ...]
    self_tests: tuple[SelfTest, ...]


class Cause(Frozen):
    id: Id
    name: Text
    summary: Text
    mechanism: Text
    # Structural signs are never more than "possible": they need a clinician to confirm.
    max_likelihood: Literal["high", "moderate", "low"] = "high"
    confirm_with_clinician: bool = False
    sources: tuple[Id, ...] = Field(min_length=1)


class Finding(Frozen):
    """A named clinical observation with its threshold, reused by rules and red flags."""

    id: Id
    description: Text
    when: Condition
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)
    review: str = ""


class Rule(Frozen):
    id: Id
    when: Condition
    effects: dict[str, float] = Field(min_length=1)
    explanation: Text
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)
    review: str = ""


class Scoring(Frozen):
    # score = points / (points + half_score_points): saturating, so a long list of weak
    # signs never outweighs the certainty a few strong ones give.
    half_score_points: float = Field(gt=0)
    high_from: float = Field(gt=0, lt=1)
    moderate_from: float = Field(gt=0, lt=1)
    sources: tuple[Id, ...] = Field(min_length=1)


class RulesFile(Frozen):
    scoring: Scoring
    rules: tuple[Rule, ...]


class Level(Frozen):
    id: Literal["emergency", "urgent", "routine", "self_care"]
    title: Text
    summary: Text
    plan_allowed: bool


class RedFlag(Frozen):
    id: Id
    level: Literal["emergency", "urgent", "routine"]
    when: Condition
    title: Text
    advice: Text
    # The same advice for a parent or carer, shown when the person is under 18 (or gives no
    # age); required for urgent and emergency flags.
    advice_carer: str = ""
    tell_them: str = ""
    evidence: EvidenceTag
    sources: tuple[Id, ...] = Field(min_length=1)


class RedFlagsFile(Frozen):
    levels: tuple[Level, ...]
    red_flags: tuple[RedFlag, ...]


class Source(Frozen):
    id: Id
    citation: Text
    note: str = ""


class SourcesFile(Frozen):
    sources: tuple[Source, ...]


class CausesFile(Frozen):
    causes: tuple[Cause, ...]


class FindingsFile(Frozen):
    findings: tuple[Finding, ...]


class Content(Frozen):
    """Everything the engine and the questionnaire need, cross-checked."""

    version: str
    sections: tuple[Section, ...]
    pages: dict[str, QuestionPage]
    questions: dict[str, Question]
    self_tests: tuple[SelfTest, ...]
    causes: dict[str, Cause]
    findings: dict[str, Finding]
    scoring: Scoring
    rules: tuple[Rule, ...]
    levels: dict[str, Level]
    red_flags: tuple[RedFlag, ...]
    sources: dict[str, Source]


M = TypeVar("M", bound=BaseModel)


def read_yaml(path: Path, model: type[M]) -> M:
    """Read one content file into its model; raise ContentError naming the file and field.

    The one YAML loader: the questionnaire's files, the exercise library and the plan file."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ContentError(path.name, "-", "the file is missing") from None
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ContentError(path.name, "-", f"cannot be read: {exc}") from None
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = _describe_loc(raw, first["loc"])
        raise ContentError(path.name, field, first["msg"]) from None


def _describe_loc(raw: Any, loc: tuple[Any, ...]) -> str:
    """Turn a pydantic location into 'rules[3] (id=heel_lift).effects', readable by a person."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            if isinstance(node, list) and key < len(node) and isinstance(node[key], dict):
                item_id = node[key].get("id")
                label += f" (id={item_id})" if item_id else ""
            parts.append(label)
        else:
            parts.append(f".{key}" if parts else str(key))
        try:
            node = node[key]
        except (KeyError, IndexError, TypeError):
            node = None
    return "".join(parts) or "-"


def _unique(file: str, field: str, ids: list[str]) -> None:
    seen: set[str] = set()
    for item_id in ids:
        if item_id in seen:
            raise ContentError(file, field, f"the id {item_id!r} appears twice")
        seen.add(item_id)


def content_version(directory: Path) -> str:
    digest = hashlib.sha256()
    for name in CONTENT_FILES:
        path = directory / name
        digest.update(name.encode())
        digest.update(path.read_bytes() if path.exists() else b"")
    return digest.hexdigest()[:16]


def load_content(directory: Path = DATA_DIR) -> Content:
    """Load and cross-check every content file; raise ContentError naming file and field."""
    sources_file = read_yaml(directory / "sources.yaml", SourcesFile)
    questions_file = read_yaml(directory / "questions.yaml", QuestionsFile)
    causes_file = read_yaml(directory / "causes.yaml", CausesFile)
    findings_file = read_yaml(directory / "findings.yaml", FindingsFile)
    rules_file = read_yaml(directory / "rules.yaml", RulesFile)
    flags_file = read_yaml(directory / "red_flags.yaml", RedFlagsFile)

    content = Content(
        version=content_version(directory),
        sections=questions_file.sections,
        pages={page.id: page for page in questions_file.pages},
        questions={q.id: q for q in questions_file.questions},
        self_tests=questions_file.self_tests,
        causes={c.id: c for c in causes_file.causes},
        findings={f.id: f for f in findings_file.findings},
        scoring=rules_file.scoring,
        rules=rules_file.rules,
        levels={level.id: level for level in flags_file.levels},
        red_flags=flags_file.red_flags,
        sources={s.id: s for s in sources_file.sources},
    )
    _cross_check(content, questions_file, causes_file, findings_file, rules_file, flags_file)
    return content


def _cross_check(
    content: Content,
    questions_file: QuestionsFile,
    causes_file: CausesFile,
    findings_file: FindingsFile,
    rules_file: RulesFile,
    flags_file: RedFlagsFile,
) -> None:
    _unique("sources.yaml", "sources", list(content.sources))
    _unique("questions.yaml", "questions", [q.id for q in questions_file.questions])
    _unique("questions.yaml", "sections", [s.id for s in questions_file.sections])
    _unique("questions.yaml", "self_tests", [t.id for t in questions_file.self_tests])
    _unique("causes.yaml", "causes", [c.id for c in causes_file.causes])
    _unique("findings.yaml", "findings", [f.id for f in findings_file.findings])
    _unique("rules.yaml", "rules", [r.id for r in rules_file.rules])
    _unique("red_flags.yaml", "red_flags", [f.id for f in flags_file.red_flags])
    _unique("red_flags.yaml", "levels", [lvl.id for lvl in flags_file.levels])

    if tuple(content.causes) != CAUSE_IDS:
        raise ContentError(
            "causes.yaml",
            "causes",
            f"must list exactly these causes in order: {', '.join(CAUSE_IDS)}",
        )
    if set(content.levels) != set(LEVELS):
        raise ContentError("red_flags.yaml", "levels", f"must define exactly: {', '.join(LEVELS)}")

    section_ids = {s.id for s in content.sections}
    for i, q in enumerate(questions_file.questions):
        where = f"questions[{i}] (id={q.id})"
        if q.section not in section_ids:
            raise ContentError(
                "questions.yaml", f"{where}.section", f"unknown section {q.section!r}"
            )
        _check_sources("questions.yaml", where, q.sources, content)
        if q.ask_if is not None:
            _check_condition("questions.yaml", f"{where}.ask_if", q.ask_if, content)
    for i, test in enumerate(questions_file.self_tests):
        where = f"self_tests[{i}] (id={test.id})"
        for qid in test.questions:
            if qid not in content.questions:
                raise ContentError(
                    "questions.yaml", f"{where}.questions", f"unknown question {qid!r}"
                )
        _check_sources("questions.yaml", where, test.sources, content)
    for i, cause in enumerate(causes_file.causes):
        _check_sources("causes.yaml", f"causes[{i}] (id={cause.id})", cause.sources, content)
    for i, finding in enumerate(findings_file.findings):
        where = f"findings[{i}] (id={finding.id})"
        _check_sources("findings.yaml", where, finding.sources, content)
        _check_condition("findings.yaml", f"{where}.when", finding.when, content)
    _check_finding_cycles(content)
    _check_sources("rules.yaml", "scoring", rules_file.scoring.sources, content)
    if rules_file.scoring.moderate_from >= rules_file.scoring.high_from:
        raise ContentError("rules.yaml", "scoring", "moderate_from must be below high_from")
    for i, rule in enumerate(rules_file.rules):
        where = f"rules[{i}] (id={rule.id})"
        _check_sources("rules.yaml", where, rule.sources, content)
        _check_condition("rules.yaml", f"{where}.when", rule.when, content)
        for cause_id, weight in rule.effects.items():
            if cause_id not in content.causes:
                raise ContentError("rules.yaml", f"{where}.effects", f"unknown cause {cause_id!r}")
            if weight == 0:
                raise ContentError(
                    "rules.yaml", f"{where}.effects.{cause_id}", "a weight of 0 does nothing"
                )
    for i, flag in enumerate(flags_file.red_flags):
        where = f"red_flags[{i}] (id={flag.id})"
        _check_sources("red_flags.yaml", where, flag.sources, content)
        _check_condition("red_flags.yaml", f"{where}.when", flag.when, content)
        if flag.level in {"emergency", "urgent"} and not flag.advice_carer.strip():
            raise ContentError(
                "red_flags.yaml", f"{where}.advice_carer", f"an {flag.level} flag needs it"
            )
    _check_pages(questions_file)
    _check_superseded(questions_file, content)


def _check_pages(questions_file: QuestionsFile) -> None:
    pages = {page.id: page for page in questions_file.pages}
    _unique("questions.yaml", "pages", [page.id for page in questions_file.pages])
    finished: set[str] = set()
    current: str | None = None
    for i, q in enumerate(questions_file.questions):
        where = f"questions[{i}] (id={q.id}).page"
        if q.page is not None and q.page not in pages:
            raise ContentError("questions.yaml", where, f"unknown page {q.page!r}")
        if q.page is not None and pages[q.page].section != q.section:
            raise ContentError("questions.yaml", where, f"page {q.page!r} is in another section")
        if q.page != current:
            if q.page in finished:
                raise ContentError(
                    "questions.yaml", where, f"the questions of page {q.page!r} must sit together"
                )
            if current is not None:
                finished.add(current)
            current = q.page


def _check_superseded(questions_file: QuestionsFile, content: Content) -> None:
    for i, q in enumerate(questions_file.questions):
        where = f"questions[{i}] (id={q.id}).superseded_by"
        for qid in q.superseded_by:
            finer = content.questions.get(qid)
            if finer is None or qid == q.id or finer.superseded_by:
                raise ContentError(
                    "questions.yaml", where, f"{qid!r} is not a question that is still asked"
                )
        if q.superseded_by and q.page is not None:
            raise ContentError("questions.yaml", where, "a superseded question is on no page")
        if q.superseded_by and q.safety:
            raise ContentError(
                "questions.yaml", where, "a superseded question is not part of the safety screen"
            )


def _check_sources(file: str, where: str, ids: tuple[str, ...], content: Content) -> None:
    for source_id in ids:
        if source_id not in content.sources:
            raise ContentError(
                file, f"{where}.sources", f"unknown source {source_id!r} (add it to sources.yaml)"
            )


def _check_condition(file: str, where: str, condition: Condition, content: Content) -> None:
    for node in condition.walk():
        if node.finding is not None and node.finding not in content.findings:
            raise ContentError(file, where, f"unknown finding {node.finding!r}")
        if node.measure is not None and node.measure not in MEASURES:
            raise ContentError(
                file, where, f"unknown measure {node.measure!r}; known: {', '.join(MEASURES)}"
            )
        if node.question is None:
            continue
        question = content.questions.get(node.question)
        if question is None:
            raise ContentError(file, where, f"unknown question {node.question!r}")
        values = [*((node.equals,) if node.equals is not None else ()), *(node.in_ or ())]
        for value in values:
            if not question.accepts(value):
                hint = (
                    " (quote 'yes' and 'no' in YAML, or they become true and false)"
                    if isinstance(value, bool)
                    else ""
                )
                raise ContentError(
                    file, where, f"{value!r} is not a possible answer to {node.question}{hint}"
                )
        bounds = [b for b in (node.gt, node.gte, node.lt, node.lte) if b is not None]
        if bounds and question.type not in {"int", "number"}:
            raise ContentError(file, where, f"{node.question} is not a number; use equals or in")


def _check_finding_cycles(content: Content) -> None:
    def visit(finding_id: str, trail: tuple[str, ...]) -> None:
        if finding_id in trail:
            raise ContentError(
                "findings.yaml",
                finding_id,
                "findings refer to each other in a loop: " + " -> ".join((*trail, finding_id)),
            )
        for node in content.findings[finding_id].when.walk():
            if node.finding is not None:
                visit(node.finding, (*trail, finding_id))

    for finding_id in content.findings:
        visit(finding_id, ())


@cache
def get_content() -> Content:
    """The shipped content, loaded once per process."""
    return load_content(DATA_DIR)
