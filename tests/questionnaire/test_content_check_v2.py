"""The content checks of version 2: pages, superseded questions and carer advice are validated
at start-up, with the file and field named."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from questionnaire.content import DATA_DIR, Content, ContentError, load_content
from tests.questionnaire.test_content_check import edit

BROKEN = [
    pytest.param(
        edit("questions.yaml", "    page: clots\n", "    page: clot_page\n"),
        "unknown page 'clot_page'",
        id="unknown page",
    ),
    pytest.param(
        edit("questions.yaml", "    page: injury_now\n", "    page: knee_now\n"),
        "must sit together",
        id="a page split in two",
    ),
    pytest.param(
        edit("questions.yaml", "superseded_by: [cold_pale_foot,", "superseded_by: [cold_foot,"),
        "'cold_foot' is not a question",
        id="superseded by an unknown question",
    ),
    pytest.param(
        edit(
            "questions.yaml",
            "    superseded_by: [knee_hot_or_swollen, fever_or_unwell]\n",
            "    superseded_by: [knee_hot_or_swollen, fever_or_unwell]\n    safety: true\n",
        ),
        "not part of the safety screen",
        id="a superseded question in the safety screen",
    ),
    pytest.param(
        edit(
            "red_flags.yaml",
            "    advice_carer: >-\n"
            "      Call emergency services now and stay with them until help arrives.\n",
            "",
        ),
        "advice_carer",
        id="an emergency flag without carer advice",
    ),
]


@pytest.mark.parametrize(("breakage", "message"), BROKEN)
def test_it_refuses_broken_v2_content(
    breakage: Callable[[Path], None], message: str, tmp_path: Path
) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    breakage(copy)
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    assert caught.value.file in {"questions.yaml", "red_flags.yaml"}
    assert message in str(caught.value)


def test_no_source_a_person_can_see_points_at_our_internal_files(content: Content) -> None:
    for source in content.sources.values():
        text = f"{source.citation} {source.note}".lower()
        assert "brief" not in text and "review-2" not in text and "shared/" not in text, source.id
