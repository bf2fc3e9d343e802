from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from programs.builder import Plan, plan_for
from programs.library import Library, get_library
from programs.plan_content import PlanContent, get_plan_content
from questionnaire.content import Content
from questionnaire.engine import validate_answers


@pytest.fixture(scope="session")
def library() -> Library:
    return get_library()


@pytest.fixture(scope="session")
def plan_content() -> PlanContent:
    return get_plan_content()


@pytest.fixture(scope="session")
def make_plan(
    content: Content, library: Library, plan_content: PlanContent
) -> Callable[[dict[str, Any]], Plan]:
    def make(answers: dict[str, Any]) -> Plan:
        return plan_for(validate_answers(answers, content))

    return make
