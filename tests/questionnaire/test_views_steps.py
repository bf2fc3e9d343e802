from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from questionnaire.models import Assessment
from tests.personas import EMERGENCY, HEEL_LIFT_RESPONDER, QUIET, URGENT, form_data

pytestmark = pytest.mark.django_db


def walk(client: Client, answers, url: str = "/start/") -> str:
    """Post the same answers on every page until the flow leaves the questions."""
    data = form_data(answers)
    while "/q/" in url or url == "/start/":
        response = client.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        url = response["Location"]
        if url.endswith("/urgent/"):
            client.get(url)
            url = client.get(url.replace("urgent/", ""))["Location"]
    return url


def saved() -> Assessment:
    return Assessment.objects.get()


def test_it_shows_the_first_safety_question_with_age_first(client: Client) -> None:
    response = client.get("/start/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index('name="age"') < html.index('name="recent_injury"')
    assert 'type="number"' in html
    assert 'value="yes"' in html and 'value="no"' in html
    assert not Assessment.objects.exists()


def test_it_saves_the_first_answer_under_an_unguessable_token(client: Client) -> None:
    response = client.post("/start/", {"age": "30", "recent_injury": "no"})
    assessment = saved()
    assert assessment.answers == {"age": 30, "recent_injury": False}
    assert len(assessment.token) >= 43
    assert response["Location"] == f"/a/{assessment.token}/q/safety-4/"
    assert client.session["assessment_token"] == assessment.token


def test_it_asks_the_injury_questions_after_a_recent_injury(client: Client) -> None:
    response = client.post("/start/", {"age": "30", "recent_injury": "yes"})
    assert response["Location"].endswith("/q/safety-2/")
    html = client.get(response["Location"]).content.decode()
    assert 'name="injury_pop"' in html
    # What the knee can do now is a second idea, on the next page.
    assert 'name="can_walk_4_steps"' not in html
    assert "Step 2 of " in html


def test_it_explains_what_is_missing_and_keeps_what_was_typed(client: Client) -> None:
    response = client.post("/start/", {"age": "300"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert 'href="#age"' in html and 'href="#recent_injury-0"' in html
    assert "Enter a whole number from 8 to 100" in html
    assert "Select yes or no" in html
    assert 'value="300"' in html
    assert 'aria-describedby="age-hint age-error"' in html
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("age", ["abc", "12.5", "nan", "1e400", "-1", "٣٠", "9" * 400, "1_000"])
def test_it_never_fails_on_a_strange_number(client: Client, age: str) -> None:
    response = client.post("/start/", {"age": age, "recent_injury": "no"})
    assert response.status_code == 200
    assert "Enter a whole number from 8 to 100" in response.content.decode()


def test_it_rejects_a_made_up_choice(client: Client) -> None:
    response = client.post("/start/", {"age": "30", "recent_injury": "maybe"})
    assert response.status_code == 200
    assert "Select yes or no" in response.content.decode()


def test_it_accepts_a_decimal_comma(client: Client) -> None:
    url = walk(client, QUIET)
    token = saved().token
    client.post(f"/a/{token}/q/knee-to-wall/?change=1", {"knee_to_wall_left_cm": "9,5"})
    assert saved().answers["knee_to_wall_left_cm"] == 9.5
    assert url.endswith("/check/")


def test_it_walks_a_calm_person_to_the_check_page(client: Client) -> None:
    url = walk(client, HEEL_LIFT_RESPONDER)
    assessment = saved()
    assert url == f"/a/{assessment.token}/check/"
    # The version 1 questions split into finer ones are no longer asked on the web.
    superseded = {"hot_swollen_fever", "numb_or_cold_foot"}
    assert assessment.answers == {
        qid: value for qid, value in HEEL_LIFT_RESPONDER.items() if qid not in superseded
    }


def test_it_lets_optional_measurements_be_skipped(client: Client) -> None:
    walk(client, QUIET)
    assert "knee_to_wall_left_cm" not in saved().answers
    assert "fppa_degrees" not in saved().answers


def test_it_stops_the_questions_for_an_emergency(client: Client) -> None:
    url = walk(client, EMERGENCY)
    token = saved().token
    assert url == f"/a/{token}/emergency/"
    html = client.get(url).content.decode()
    assert "Get emergency help now" in html
    assert "emergency department" in html
    assert "What to tell them" in html
    # The rest of the questions stay closed until the answers change.
    response = client.get(f"/a/{token}/q/about-1/")
    assert response["Location"] == f"/a/{token}/emergency/"


def test_it_lets_a_person_correct_an_answer_that_caused_an_emergency(client: Client) -> None:
    walk(client, EMERGENCY)
    token = saved().token
    html = client.get(f"/a/{token}/emergency/").content.decode()
    assert f"/a/{token}/q/safety-3/" in html
    response = client.post(
        f"/a/{token}/q/safety-3/", form_data({**EMERGENCY, "can_walk_4_steps": True})
    )
    assert response["Location"].endswith("/q/safety-4/")


def test_it_shows_urgent_advice_after_the_safety_screen_then_lets_them_go_on(
    client: Client,
) -> None:
    data = form_data(URGENT)
    url = "/start/"
    while "urgent" not in url:
        url = client.post(url, data)["Location"]
    token = saved().token
    assert url == f"/a/{token}/urgent/"
    assert saved().step == "about-1"
    html = client.get(url).content.decode()
    assert "See a doctor today or in the next couple of days" in html
    assert saved().seen_flags == ["night_or_constant_pain"]
    assert client.get(f"/a/{token}/")["Location"] == f"/a/{token}/q/about-1/"
    # Seen once, it does not come back on every page.
    response = client.post(f"/a/{token}/q/about-1/", data)
    assert response["Location"] == f"/a/{token}/q/symptoms-1/"


def test_it_keeps_people_from_skipping_ahead(client: Client) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    token = saved().token
    response = client.get(f"/a/{token}/q/landing/")
    assert response["Location"] == f"/a/{token}/q/safety-4/"


def test_it_returns_to_the_last_page_from_the_private_link(client: Client) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    token = saved().token
    other = Client()
    response = other.get(f"/a/{token}/")
    assert response["Location"] == f"/a/{token}/q/safety-4/"
    assert other.session["assessment_token"] == token


def test_it_offers_to_continue_on_the_same_device(client: Client) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    token = saved().token
    html = client.get("/").content.decode()
    assert "Continue where you left off" in html
    assert f"/a/{token}/" in html


def test_it_shows_saved_answers_when_going_back(client: Client) -> None:
    client.post("/start/", {"age": "42", "recent_injury": "no"})
    token = saved().token
    html = client.get(f"/a/{token}/q/safety-1/").content.decode()
    assert 'value="42"' in html
    assert 'value="no" checked' in html


def test_it_shows_a_back_link_that_skips_unasked_pages(client: Client) -> None:
    client.post("/start/", {"age": "42", "recent_injury": "no"})
    token = saved().token
    html = client.get(f"/a/{token}/q/safety-4/").content.decode()
    assert f'class="back-link" href="/a/{token}/q/safety-1/"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/a/not-a-real-token-at-all-000000/",
        "/a/not-a-real-token-at-all-000000/q/safety-1/",
        "/a/not-a-real-token-at-all-000000/results/",
        "/a/short/",
    ],
)
def test_it_answers_an_unknown_link_with_a_friendly_404(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_it_answers_an_unknown_page_with_a_404(client: Client) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    response = client.get(f"/a/{saved().token}/q/no-such-page/")
    assert response.status_code == 404


def test_it_swaps_only_the_main_part_for_htmx(client: Client) -> None:
    full = client.get("/start/")
    partial = client.get("/start/", headers={"HX-Request": "true"})
    assert b"<html" in full.content
    assert b"<html" not in partial.content
    assert b'name="age"' in partial.content
    assert b"<title>" in partial.content
    assert "HX-Request" in full["Vary"] and "HX-Request" in partial["Vary"]


def test_it_sets_the_csrf_cookie_only_when_the_browser_has_none() -> None:
    strict = Client(enforce_csrf_checks=True)
    first = strict.get("/start/")
    assert "csrftoken" in first.cookies
    again = strict.get("/start/")
    assert "csrftoken" not in again.cookies
    assert "Cookie" in again["Vary"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', again.content.decode())
    assert token is not None
    # Masked afresh for every page, and still accepted.
    assert token.group(1) not in first.content.decode()
    data = {"age": "30", "recent_injury": "no", "csrfmiddlewaretoken": token.group(1)}
    assert strict.post("/start/", data).status_code == 302
    strict.cookies["csrftoken"] = "not a valid secret"
    assert "csrftoken" in strict.get("/start/").cookies


def test_it_sends_the_full_page_to_restore_history(client: Client) -> None:
    response = client.get(
        "/start/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert b"<html" in response.content


def test_it_sends_a_strict_content_security_policy(client: Client) -> None:
    policy = client.get("/start/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_it_has_no_inline_script(client: Client) -> None:
    html = client.get("/start/").content.decode()
    assert html.count("<script") == html.count("<script src=")


def test_it_has_a_friendly_error_page_that_needs_no_context() -> None:
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Sorry, something went wrong" in html
    assert "Traceback" not in html


def test_it_shows_the_emergency_page_as_a_partial_for_htmx(client: Client) -> None:
    walk(client, EMERGENCY)
    token = saved().token
    response = client.get(f"/a/{token}/emergency/", headers={"HX-Request": "true"})
    assert b"<html" not in response.content
    assert b"Get emergency help now" in response.content


def test_it_lets_a_person_delete_from_the_emergency_page(client: Client) -> None:
    walk(client, EMERGENCY)
    html = client.get(f"/a/{saved().token}/emergency/").content.decode()
    assert f'action="/a/{saved().token}/delete/"' in html
    client.post(f"/a/{saved().token}/delete/", {"confirm": "yes"})
    assert not Assessment.objects.exists()


def test_it_sends_the_emergency_page_away_once_the_answers_change(client: Client) -> None:
    walk(client, EMERGENCY)
    token = saved().token
    client.post(f"/a/{token}/q/safety-3/", form_data({**EMERGENCY, "can_walk_4_steps": True}))
    assert client.get(f"/a/{token}/emergency/")["Location"] == f"/a/{token}/"


@pytest.mark.django_db
def test_head_requests_are_answered_like_get(client: Client) -> None:
    assert client.head(reverse("questionnaire:home")).status_code == 200
    assert client.head(reverse("questionnaire:start")).status_code == 200
    assert client.put(reverse("questionnaire:start")).status_code == 405


def test_field_markup_is_rendered_afresh_with_debug_on(settings, content, monkeypatch):
    from questionnaire import presentation

    calls: list[str] = []

    def render(template, context):
        calls.append(template)
        return ""

    monkeypatch.setattr(presentation, "_render_jinja", render)
    monkeypatch.setattr(presentation, "_FIELD_HTML", {})
    settings.DEBUG = True
    field = presentation.fields((content.questions["age"],), {})[0]
    presentation.field_html(field)
    presentation.field_html(field)
    assert len(calls) == 2


def test_the_urgent_page_offers_the_doctor_summary_before_the_movement_tests(
    client: Client,
) -> None:
    data = form_data(URGENT)
    url = "/start/"
    while "urgent" not in url:
        url = client.post(url, data)["Location"]
    token = saved().token
    html = client.get(url).content.decode()
    summary = f"/a/{token}/summary/"
    assert html.index(summary) < html.index(f'/a/{token}/"')
    assert "Do not do any movement test that loads an injured or painful knee" in html
    assert "answer something by mistake" in html
    response = client.get(summary)
    assert response.status_code == 200
    assert "programs/plan.html" in [t.name for t in response.templates]
    assert "Get your knee checked first" in response.content.decode()
    pdf = client.get(f"/a/{token}/summary/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Nothing was marked finished: the person can still carry on later.
    assert saved().completed_at is None


def test_the_doctor_summary_is_only_for_a_person_told_to_get_checked(client: Client) -> None:
    client.post("/start/", {"age": "30", "recent_injury": "no"})
    token = saved().token
    assert client.get(f"/a/{token}/summary/")["Location"] == f"/a/{token}/"
    assert client.get(f"/a/{token}/summary/pdf/")["Location"] == f"/a/{token}/"


def test_the_emergency_page_speaks_to_a_parent_or_carer_for_a_child(client: Client) -> None:
    walk(client, {**EMERGENCY, "age": 12})
    html = client.get(f"/a/{saved().token}/emergency/").content.decode()
    assert "If you are a parent or carer" in html


def test_the_emergency_page_does_not_address_a_carer_for_an_adult(client: Client) -> None:
    walk(client, EMERGENCY)
    html = client.get(f"/a/{saved().token}/emergency/").content.decode()
    assert "If you are a parent or carer" not in html
