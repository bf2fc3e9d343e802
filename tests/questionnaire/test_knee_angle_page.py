"""The knee-angle tool's hook on the step pages: where it appears, what it knows, what it costs."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.test import Client

from questionnaire.models import Assessment
from tests.personas import QUIET

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "static"
# What the step page gains for everyone: the box's markup and the loader script.
WEIGHT_BUDGET_GZIP = 3_000


def squat_page(client: Client, **answers: object) -> str:
    before = {k: v for k, v in QUIET.items() if not k.startswith(("sls_", "fppa"))}
    assessment = Assessment.objects.create(answers={**before, **answers}, step="single-leg-squat")
    response = client.get(f"/a/{assessment.token}/q/single-leg-squat/")
    assert response.status_code == 200
    return response.content.decode()


def box(html: str) -> str:
    found = re.search(r"<section class=\"knee-angle\".*?</section>", html, re.S)
    assert found, "no knee-angle box on the page"
    return found.group(0)


@pytest.mark.parametrize("sex", ["female", "male"])
def test_it_gives_the_tool_the_persons_sex_for_the_reference_values(client: Client, sex) -> None:
    assert f'data-sex="{sex}"' in box(squat_page(client, sex=sex))


def test_it_passes_other_answers_as_they_are_for_the_tool_to_treat_as_unknown(client) -> None:
    # knee-angle-core.js uses the women's bands for anything but "male" (tests/js/).
    html = box(squat_page(client, sex="other"))
    assert 'data-sex="other"' in html
    assert 'data-answer="fppa_degrees"' in html and 'data-knee-in="sls_knee_in"' in html


def test_it_hides_the_box_until_the_script_shows_it_and_keeps_the_number_field(client) -> None:
    html = squat_page(client, sex="female")
    assert box(html).startswith('<section class="knee-angle" hidden')
    assert 'name="fppa_degrees"' in html
    # The tool's inputs sit outside the form, so nothing of it is ever posted.
    assert html.index("data-knee-angle") < html.index("<form")


def test_it_shows_the_tool_only_on_pages_that_ask_for_the_angle(client: Client) -> None:
    assessment = Assessment.objects.create(answers=dict(QUIET), step="knee-to-wall")
    html = client.get(f"/a/{assessment.token}/q/knee-to-wall/").content.decode()
    assert "data-knee-angle" not in html
    assert "knee-angle-loader.js" not in html


def test_it_adds_only_a_few_kilobytes_to_the_page(client: Client) -> None:
    html = squat_page(client, sex="female")
    without = html.replace(box(html), "")
    loader = re.search(r'<script src="([^"]*knee-angle-loader\.js)" type="module"></script>', html)
    assert loader
    without = without.replace(loader.group(0), "")
    script = (STATIC / "questionnaire" / "knee-angle-loader.js").read_bytes()
    added = len(gzip.compress(html.encode())) - len(gzip.compress(without.encode()))
    added += len(gzip.compress(script))
    assert 0 < added <= WEIGHT_BUDGET_GZIP, added
    # The tool itself, its styles and the model are not on the page: they load on request.
    loaded = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert [url for url in loaded if "knee-angle" in url] == [loader.group(1)]
    assert not [url for url in loaded if "/vendor/" in url]


def test_the_policy_allows_webassembly_and_local_video_and_nothing_more(client: Client) -> None:
    policy = client.get("/start/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert directives["media-src"] == "blob:"
    assert "'unsafe-eval'" not in policy and "unsafe-inline" not in policy
    assert directives["default-src"] == "'self'"
