"""Which movement self-tests an answer set holds a result for, and which were not done.

Pure Python beside the engine: valid answers and the content in, a value out. Every page that
reports skipped tests (check, results, plan, PDF, the doctor's summary) takes this value, so a
test is "not done" in one sense everywhere: none of its questions has an answer, or the only
answers say "did not try". An unanswered test is never read as a normal one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from questionnaire.content import Content, SelfTest
from questionnaire.engine import AnswerValue

# The choice value that means the person left the test out (contract section 1).
NOT_TRIED = "not_tried"


@dataclass(frozen=True)
class SelfTestCoverage:
    """The self-tests, split into those done and those not done, in questionnaire order."""

    done: tuple[SelfTest, ...]
    not_done: tuple[SelfTest, ...]

    @property
    def total(self) -> int:
        return len(self.done) + len(self.not_done)

    @property
    def none_done(self) -> bool:
        return not self.done

    @property
    def all_done(self) -> bool:
        return not self.not_done


def self_test_done(test: SelfTest, answers: Mapping[str, AnswerValue]) -> bool:
    """Whether any of the test's questions holds a result ("did not try" is no result)."""
    return any(qid in answers and answers[qid] != NOT_TRIED for qid in test.questions)


def self_test_coverage(answers: Mapping[str, AnswerValue], content: Content) -> SelfTestCoverage:
    done = tuple(t for t in content.self_tests if self_test_done(t, answers))
    not_done = tuple(t for t in content.self_tests if not self_test_done(t, answers))
    return SelfTestCoverage(done=done, not_done=not_done)
