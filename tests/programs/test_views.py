"""The plan page and its PDF through the test client."""

from __future__ import annotations

from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from questionnaire.models import Assessment
from tests.personas import DEFORMITY, FOOTBALLER, GROWING_KNEE, NIGHT_PAIN, ROUTINE, RUNNER
from tests.programs.pango import needs_weasyprint

pytestmark = pytest.mark.django_db


def done(answers) -> Assessment:
    return Assessment.objects.create(answers=answers, completed_at=timezone.now())


def page(client: Client, assessment: Assessment):
    return client.get(reverse("programs:plan", args=[assessment.plan_token]))


def test_it_shows_the_phases_and_exercise_names(client):
    response = page(client, done(FOOTBALLER))
    assert response.status_code == 200
    assert "programs/plan.html" in [t.name for t in response.templates]
    html = response.content.decode()
    for title in (
        "Phase 1: Wake up and loosen",
        "Phase 4: Land on two feet",
        "Phase 5: Land on one foot and change direction",
    ):
        assert title in html
    assert "Glute bridge" in html and "Two-foot jump and stick" in html
    assert "Pain rules" in html and "Stop and get checked if" in html
    assert "/static/programs/glute_bridge.svg" in html


def test_it_says_what_was_fitted_to_the_person_and_why(client):
    html = page(client, done({**FOOTBALLER, "age": 11})).content.decode()
    assert "Fitted to you" in html
    assert "Because you are 11, any jumping in the plan lands on two feet" in html
    assert "Before you go back to full sport" in html
    assert "Your activity ladder" not in html


def test_its_pdf_link_says_pdf_and_points_at_the_download(client):
    assessment = done(FOOTBALLER)
    html = page(client, assessment).content.decode()
    url = reverse("programs:plan_pdf", args=[assessment.plan_token])
    assert f'href="{url}">Download the PDF (A4)</a>' in html
    assert f'href="{url}?paper=letter"' in html


def test_a_routine_plan_shows_the_referral_above_the_exercises(client):
    html = page(client, done(ROUTINE)).content.decode()
    assert html.index("Book an assessment") < html.index("Phase 1:")
    assert "Shoes and insoles" in html


def test_a_growing_knee_gets_no_jumping_drills(client):
    html = page(client, done(GROWING_KNEE)).content.decode()
    assert "Two-foot jump and stick" not in html
    assert "Phase 4: Keep it going" in html


@pytest.mark.parametrize("answers", [DEFORMITY, NIGHT_PAIN], ids=["emergency", "urgent"])
def test_no_plan_means_referral_and_answers_but_no_exercises(client, answers):
    html = page(client, done(answers)).content.decode()
    assert "Get your knee checked first" in html
    assert "Phase 1" not in html and "Glute bridge" not in html
    assert "Your answers, for the clinician" in html


def test_an_unfinished_questionnaire_shows_a_clear_message_not_a_plan(client):
    assessment = Assessment.objects.create(answers={"age": 30})
    response = page(client, assessment)
    assert response.status_code == 200
    assert "not ready yet" in response.content.decode()
    pdf = client.get(reverse("programs:plan_pdf", args=[assessment.plan_token]))
    assert pdf.status_code == 404


def test_stale_answers_are_dropped_rather_than_crashing(client):
    response = page(client, done({**FOOTBALLER, "age": "thirty", "retired_question": True}))
    assert response.status_code == 200
    assert "Phase 1" in response.content.decode()


@pytest.mark.parametrize("name", ["programs:plan", "programs:plan_pdf"])
def test_an_unknown_token_gets_a_friendly_404(client, name):
    done(FOOTBALLER)
    response = client.get(reverse(name, args=["u" * 43]))
    assert response.status_code == 404
    assert "We cannot find that plan" in response.content.decode()


@pytest.mark.parametrize("token", ["short", "a" * 65, "bad token", "résumé"])
@pytest.mark.parametrize("name", ["programs:plan", "programs:plan_pdf"])
def test_a_malformed_token_is_the_site_404_before_any_view(client, token, name):
    # The shared token converter refuses it at the resolver, as on every other link.
    url = reverse(name, args=["u" * 43]).replace("u" * 43, token)
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_resume_token_does_not_open_the_plan(client):
    assessment = done(FOOTBALLER)
    assert client.get(reverse("programs:plan", args=[assessment.token])).status_code == 404


def test_the_page_refuses_post(client):
    assessment = done(FOOTBALLER)
    assert client.post(reverse("programs:plan", args=[assessment.plan_token])).status_code == 405


@needs_weasyprint
def test_the_pdf_is_an_attachment_kept_private(client):
    assessment = done(ROUTINE)
    response = client.get(reverse("programs:plan_pdf", args=[assessment.plan_token]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="knee-plan-')
    assert response["Content-Disposition"].endswith('-a4.pdf"')
    assert response["Cache-Control"] == "no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response.content.startswith(b"%PDF-")


def test_a_repeated_download_is_served_from_the_cache(client):
    assessment = done(FOOTBALLER)
    url = reverse("programs:plan_pdf", args=[assessment.plan_token])
    with mock.patch("programs.pdf.render_pdf", return_value=b"%PDF-1.7 fake") as render:
        first = client.get(url)
        second = client.get(url)
        letter = client.get(url + "?paper=letter")
    assert first.content == second.content == b"%PDF-1.7 fake"
    assert letter.status_code == 200
    assert render.call_count == 2  # A4 once, Letter once
    sizes = ["size: A4" in call.args[0] for call in render.call_args_list]
    assert sizes == [True, False]


def test_an_unknown_paper_size_falls_back_to_a4(client):
    assessment = done(FOOTBALLER)
    url = reverse("programs:plan_pdf", args=[assessment.plan_token])
    with mock.patch("programs.pdf.render_pdf", return_value=b"%PDF-1.7 fake"):
        response = client.get(url + "?paper=<script>")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-a4.pdf"')


def test_a_cache_outage_still_gives_the_pdf(client):
    assessment = done(FOOTBALLER)
    url = reverse("programs:plan_pdf", args=[assessment.plan_token])
    broken = mock.Mock(**{"get.side_effect": RuntimeError("no cache table")})
    with (
        mock.patch("programs.tasks.caches", {"pdf": broken}),
        mock.patch("programs.pdf.render_pdf", return_value=b"%PDF-1.7 fake"),
    ):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content == b"%PDF-1.7 fake"


def test_the_page_lists_the_sources_behind_the_plan(client):
    html = page(client, done(RUNNER)).content.decode()
    assert "Where this plan comes from" in html
    assert "Thomee R. 1997" in html
