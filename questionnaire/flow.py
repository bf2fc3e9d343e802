"""The order of the questionnaire's pages and its branching, in plain Python.

Pages come from the content: the safety screen first (with age asked up front, because some
red flags depend on it), then about you, then symptoms, then one page per movement self-test.
Within a section, questions that share the same condition are grouped on one page, so a
follow-up (the injury questions, say) gets its own page that is skipped when it does not apply.
No Django here: the views load and save, this module decides.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from questionnaire.content import Content, Question, RedFlag, SelfTest
from questionnaire.coverage import NOT_TRIED
from questionnaire.engine import AnswerValue, Evaluator

# A page holding more questions than this is split: a long page is hard going on a phone.
MAX_PER_PAGE = 6
FIRST_IN_SAFETY = ("age",)
QUESTION_SECTIONS = ("safety", "about", "symptoms")


@dataclass(frozen=True)
class Page:
    id: str
    section: str
    title: str
    questions: tuple[Question, ...]
    self_test: SelfTest | None = None


@dataclass(frozen=True)
class Flow:
    pages: tuple[Page, ...]
    by_id: Mapping[str, Page]
    index: Mapping[str, int]

    @property
    def first(self) -> Page:
        return self.pages[0]


def _same_page(last: list[Question], question: Question) -> bool:
    if question.page is not None or last[-1].page is not None:
        # A page named in the content holds its own questions (one idea per page); a question
        # asked up front (age) joins the first named page.
        return question.page is not None and last[-1].page in (None, question.page)
    return last[-1].ask_if == question.ask_if and len(last) < MAX_PER_PAGE


def _chunks(questions: list[Question]) -> list[list[Question]]:
    groups: list[list[Question]] = []
    for question in questions:
        last = groups[-1] if groups else None
        if last and _same_page(last, question):
            last.append(question)
        else:
            groups.append([question])
    return groups


def _section_questions(content: Content, section: str) -> list[Question]:
    # A version 1 question split into finer ones is still scored but never asked on the web.
    questions = [
        q for q in content.questions.values() if q.section == section and not q.superseded_by
    ]
    if section == "safety":
        early = [content.questions[qid] for qid in FIRST_IN_SAFETY]
        return early + questions
    return [q for q in questions if q.id not in FIRST_IN_SAFETY]


def build_flow(content: Content) -> Flow:
    titles = {s.id: s.title for s in content.sections}
    pages: list[Page] = []
    for section in QUESTION_SECTIONS:
        groups = _chunks(_section_questions(content, section))
        for number, group in enumerate(groups, start=1):
            named = content.pages.get(group[0].page or "")
            if named is not None:
                title = named.title
            else:
                title = titles[section] if len(groups) == 1 else f"{titles[section]}: part {number}"
            pages.append(Page(f"{section}-{number}", section, title, tuple(group)))
    for test in content.self_tests:
        questions = tuple(content.questions[qid] for qid in test.questions)
        pages.append(Page(test.id.replace("_", "-"), "movement", test.title, questions, test))
    return Flow(
        pages=tuple(pages),
        by_id={page.id: page for page in pages},
        index={page.id: i for i, page in enumerate(pages)},
    )


_FLOWS: dict[str, Flow] = {}


def get_flow(content: Content) -> Flow:
    """The page structure, built once per content version."""
    if content.version not in _FLOWS:
        _FLOWS[content.version] = build_flow(content)
    return _FLOWS[content.version]


# ---------------------------------------------------------------------------------------------
# Branching


def _applies(question: Question, evaluator: Evaluator) -> bool:
    return question.ask_if is None or evaluator.is_true(question.ask_if)


def visible_questions(
    page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> tuple[Question, ...]:
    evaluator = Evaluator(answers, content)
    return tuple(q for q in page.questions if _applies(q, evaluator))


def page_applies(page: Page, answers: Mapping[str, AnswerValue], content: Content) -> bool:
    return bool(visible_questions(page, answers, content))


def prune(answers: Mapping[str, AnswerValue], content: Content) -> dict[str, AnswerValue]:
    """Drop answers to questions that no longer apply, until nothing else changes."""
    kept = retire_superseded(answers, content)
    while True:
        evaluator = Evaluator(kept, content)
        dropped = [
            qid
            for qid in kept
            if qid in content.questions and not _applies(content.questions[qid], evaluator)
        ]
        if not dropped:
            return kept
        for qid in dropped:
            del kept[qid]


def retire_superseded(
    answers: Mapping[str, AnswerValue], content: Content
) -> dict[str, AnswerValue]:
    """Drop a version 1 answer once every finer question that replaces it is answered.

    The finer answers say the same thing more precisely, so the old one (a "yes" given by
    mistake, say) must not keep raising its red flag; until then it stands, with its old meaning.
    """
    return {
        qid: value
        for qid, value in answers.items()
        if not (
            (question := content.questions.get(qid)) is not None
            and question.superseded_by
            and all(finer in answers for finer in question.superseded_by)
        )
    }


def page_complete(page: Page, answers: Mapping[str, AnswerValue], content: Content) -> bool:
    return all(q.id in answers or q.optional for q in visible_questions(page, answers, content))


def skip_test(page: Page, answers: Mapping[str, AnswerValue]) -> dict[str, AnswerValue]:
    """The answers once the person says they did not do this self-test: its questions are left
    unanswered, or "did not try" where the question offers that (contract section 1)."""
    kept = dict(answers)
    for question in page.questions:
        if NOT_TRIED in question.choice_values:
            kept[question.id] = NOT_TRIED
        else:
            kept.pop(question.id, None)
    return kept


def next_page(
    flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> Page | None:
    for candidate in flow.pages[flow.index[page.id] + 1 :]:
        if page_applies(candidate, answers, content):
            return candidate
    return None


def previous_page(
    flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> Page | None:
    for candidate in reversed(flow.pages[: flow.index[page.id]]):
        if page_applies(candidate, answers, content):
            return candidate
    return None


def first_incomplete(
    flow: Flow, answers: Mapping[str, AnswerValue], content: Content
) -> Page | None:
    """The first page still waiting for an answer, or None when everything is answered.

    A movement self-test never waits: any of them may be skipped (the introduction says to
    skip a test that hurts), and a skipped test is one with no answers."""
    evaluator = Evaluator(answers, content)
    for page in flow.pages:
        if page.self_test is not None:
            continue
        for question in page.questions:
            waiting = question.id not in answers and not question.optional
            if waiting and _applies(question, evaluator):
                return page
    return None


def reachable(flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content) -> bool:
    """Whether a person may open this page now: it applies and every page before it is done."""
    if not page_applies(page, answers, content):
        return False
    waiting = first_incomplete(flow, answers, content)
    return waiting is None or flow.index[waiting.id] >= flow.index[page.id]


def progress(
    flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> tuple[int, int]:
    """Page number and total, counting only the pages these answers lead through.

    The total can grow (a recent injury adds its follow-up pages): an honest count beats one
    padded with pages the person never sees."""
    shown = [p for p in flow.pages if p is page or page_applies(p, answers, content)]
    return shown.index(page) + 1, len(shown)


# ---------------------------------------------------------------------------------------------
# Where to go after a page

Stop = Literal["emergency", "urgent"]


def is_emergency(answers: Mapping[str, AnswerValue], content: Content) -> bool:
    evaluator = Evaluator(answers, content)
    return any(
        flag.level == "emergency" and evaluator.is_true(flag.when) for flag in content.red_flags
    )


def triage_stop(
    answers: Mapping[str, AnswerValue],
    content: Content,
    *,
    past_safety: bool,
    seen_flags: tuple[str, ...] | list[str],
) -> Stop | None:
    """Emergency stops at once; urgent waits until the safety screen is finished.

    An urgent page is shown again only when a new urgent sign appears after the last one.
    """
    # Only the flags that can stop the person are evaluated; routine ones never do.
    evaluator = Evaluator(answers, content)

    def raised(level: str) -> Iterator[RedFlag]:
        return (f for f in content.red_flags if f.level == level and evaluator.is_true(f.when))

    if any(raised("emergency")):
        return "emergency"
    if past_safety and any(flag.id not in seen_flags for flag in raised("urgent")):
        return "urgent"
    return None


# ---------------------------------------------------------------------------------------------
# What one request needs, worked out once: the views turn these values into pages and redirects

Target = Page | Literal["emergency", "urgent", "check", "results", "resume", "top_up"]


@dataclass(frozen=True)
class Shown:
    """A page as it is shown now: the questions that apply, the way back and the progress."""

    flow: Flow
    page: Page
    answers: Mapping[str, AnswerValue]
    content: Content
    questions: tuple[Question, ...]
    number: int
    total: int

    @cached_property
    def back(self) -> Page | None:
        # Only a page that is shown needs it, not one answered correctly: worked out on demand.
        return previous_page(self.flow, self.page, self.answers, self.content)


@dataclass(frozen=True)
class Route:
    """Where a saved page leads, and the step a resume link returns to."""

    to: Target
    step: str
    changing: bool = False


def showing(flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content) -> Shown:
    number, total = progress(flow, page, answers, content)
    return Shown(
        flow=flow,
        page=page,
        answers=answers,
        content=content,
        questions=visible_questions(page, answers, content),
        number=number,
        total=total,
    )


def resume_at(
    flow: Flow, answers: Mapping[str, AnswerValue], content: Content, *, step: str, completed: bool
) -> Target:
    """Where the private link brings a person back to."""
    if is_emergency(answers, content):
        return "emergency"
    waiting = first_incomplete(flow, answers, content)
    last = flow.by_id.get(step)
    if waiting is None:
        # Part-way through the movement tests (none of which ever waits): back to that test.
        if (
            last is not None
            and last.self_test is not None
            and not completed
            and reachable(flow, last, answers, content)
        ):
            return last
        return "results" if completed else "check"
    if completed:
        # Stored before questions were added: the result stands, and its page offers the rest.
        return "results"
    if last is not None and reachable(flow, last, answers, content):
        return last
    if waiting.section == "safety" and past_safety(flow, answers):
        return "top_up"
    return waiting


def turned_away(
    flow: Flow, page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> Literal["resume", "emergency"] | None:
    """Why a person who opens this page goes elsewhere (back to where they may resume, or to
    the emergency advice), or None when it may be shown."""
    if not reachable(flow, page, answers, content):
        return "resume"
    if page.section != "safety" and is_emergency(answers, content):
        return "emergency"
    return None


def after_saving(
    flow: Flow,
    current: Page,
    answers: Mapping[str, AnswerValue],
    content: Content,
    *,
    seen_flags: tuple[str, ...] | list[str],
    changing: bool,
    skipped: bool = False,
) -> Route:
    """Where a page saved with these answers leads (``skipped``: a self-test left out)."""
    following = next_page(flow, current, answers, content)
    if not skipped and not page_complete(current, answers, content):
        following = current
    stop = triage_stop(
        answers,
        content,
        past_safety=following is None or following.section != "safety",
        seen_flags=seen_flags,
    )
    if stop == "emergency":
        return Route("emergency", current.id)
    waiting = first_incomplete(flow, answers, content)
    if changing:
        following = waiting
    step = following.id if following else "check"
    if stop == "urgent":
        return Route("urgent", step)
    if following is None:
        return Route("check", step)
    return Route(following, step, changing=changing and waiting is not None)


# ---------------------------------------------------------------------------------------------
# Safety questions added after an assessment was stored (the "top-up")
#
# An assessment saved before a safety question existed keeps its answers and its result; the
# top-up asks only the questions it lacks, a safety page at a time (so an injury's follow-ups
# are asked once the injury is answered), and then returns to the results.


def past_safety(flow: Flow, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether these answers reach beyond the safety screen (the person went on to the rest)."""
    safety = {q.id for page in flow.pages if page.section == "safety" for q in page.questions}
    return any(qid not in safety for qid in answers)


def top_up_questions(
    page: Page, answers: Mapping[str, AnswerValue], content: Content
) -> tuple[Question, ...]:
    """The questions of a safety page that apply to these answers and are not answered."""
    return tuple(
        q
        for q in visible_questions(page, answers, content)
        if q.id not in answers and not q.optional
    )


def top_up_page(flow: Flow, answers: Mapping[str, AnswerValue], content: Content) -> Page | None:
    """The first safety page with a question still open, or None when the screen is done."""
    for page in flow.pages:
        if page.section == "safety" and top_up_questions(page, answers, content):
            return page
    return None


def superseded_answers(
    answers: Mapping[str, AnswerValue], content: Content
) -> tuple[Question, ...]:
    """The version 1 questions answered "yes" here that the web now asks as finer ones.

    Only a "yes" can raise a red flag, so only a "yes" needs the way to correct it."""
    return tuple(
        question
        for qid, value in answers.items()
        if value is True
        and (question := content.questions.get(qid)) is not None
        and question.superseded_by
    )


def _raised(answers: Mapping[str, AnswerValue], content: Content, level: str) -> set[str]:
    evaluator = Evaluator(answers, content)
    return {f.id for f in content.red_flags if f.level == level and evaluator.is_true(f.when)}


def after_top_up(
    flow: Flow,
    before: Mapping[str, AnswerValue],
    answers: Mapping[str, AnswerValue],
    content: Content,
    *,
    seen_flags: tuple[str, ...] | list[str],
    completed: bool,
) -> Target:
    """Where a saved top-up page leads.

    A new emergency sign stops at once, as in the questionnaire. One the stored answers raised
    already does not, so that a person who came from the emergency page to answer the finer
    questions can get through them; once the screen is done, the triage stands as usual.
    """
    if _raised(answers, content, "emergency") - _raised(before, content, "emergency"):
        return "emergency"
    if top_up_page(flow, answers, content) is not None:
        return "top_up"
    stop = triage_stop(answers, content, past_safety=True, seen_flags=seen_flags)
    if stop is not None:
        return stop
    return "results" if completed else "resume"
