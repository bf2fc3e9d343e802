"""The session log and re-tests through the test client: status, template, what was saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from followup.models import Retest, SessionLog
from physios.models import Client, ClientAssessment
from physios.views import version_publish
from programs.builder import plan_for
from questionnaire.models import Assessment
from tests.personas import QUIET

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> Assessment:
    answers = {**QUIET, "pain_worst": 4, "fppa_degrees": 18, "knee_to_wall_left_cm": 8}
    return Assessment.objects.create(answers=answers, completed_at=timezone.now())


def _backdate(assessment: Assessment, days: int) -> None:
    Assessment.objects.filter(pk=assessment.pk).update(
        completed_at=timezone.now() - dt.timedelta(days=days)
    )


def _session(client: Any, alice: Any, **extra: Any) -> Any:
    data = {
        "done_on": timezone.localdate().isoformat(),
        "exercises": ["clamshell"],
        "pain_before": "0",
        "pain_during": "1",
        "pain_morning": "1",
        **extra,
    }
    return client.post(reverse("followup:session_save", args=[alice.token]), data)


def test_it_shows_the_log_under_the_private_link(client, alice):
    response = client.get(reverse("followup:log", args=[alice.token]))
    assert response.status_code == 200
    assert "Log a session" in response.content.decode()


def test_the_plan_link_cannot_reach_the_log(client, alice):
    assert client.get(reverse("followup:log", args=[alice.plan_token])).status_code == 404
    response = _session(client, type("A", (), {"token": alice.plan_token})())
    assert response.status_code == 404
    assert not SessionLog.objects.exists()


def test_it_saves_a_session_and_says_what_to_do_next(client, alice):
    exercise = _first_exercise(client, alice)
    response = _session(client, alice, exercises=[exercise])
    assert response.status_code == 302
    saved = SessionLog.objects.get()
    assert (saved.pain_before, saved.pain_during, saved.pain_morning) == (0, 1, 1)
    assert saved.exercises == [exercise]
    _session(client, alice, exercises=[exercise])
    page = client.get(reverse("followup:log", args=[alice.token])).content.decode()
    assert "Next session: move up" in page


def _first_exercise(client: Any, alice: Assessment) -> str:
    response = client.get(reverse("followup:log", args=[alice.token]))
    return str(response.context["dosed"][0].exercise.id)


def test_bad_input_is_a_400_with_messages_and_keeps_what_was_typed(client, alice):
    response = _session(client, alice, pain_during="11", done_on="2999-01-01")
    assert response.status_code == 400
    page = response.content.decode()
    assert "The date cannot be in the future" in page
    assert "Choose 0 to 10" in page
    assert 'value="2999-01-01"' in page
    assert not SessionLog.objects.exists()


def test_a_calf_stop_sign_gives_the_emergency_advice(client, alice):
    _session(client, alice, stop_signs=["calf_swelling"])
    page = client.get(reverse("followup:log", args=[alice.token])).content.decode()
    assert "Stop the exercises" in page
    assert "emergency department" in page


def test_next_morning_pain_can_be_added_later(client, alice):
    _session(client, alice, pain_morning="")
    saved = SessionLog.objects.get()
    assert saved.pain_morning is None
    url = reverse("followup:morning_save", args=[alice.token, saved.pk])
    assert client.post(url, {"pain_morning": "3"}).status_code == 302
    saved.refresh_from_db()
    assert saved.pain_morning == 3
    assert client.post(url, {"pain_morning": "x"}).status_code == 400


def test_baseline_outcomes_are_scored_on_the_server(client, alice):
    url = reverse("followup:retest", args=[alice.token, 0])
    data = {
        "pain": "5",
        "sane": "60",
        "activity_0": "stairs",
        "rating_0": "4",
        "activity_1": "running",
        "rating_1": "2",
    }
    assert client.post(url, data).status_code == 302
    retest = Retest.objects.get(week=0)
    answers = retest.outcome_answers()
    assert answers is not None
    assert answers.pain == 5
    assert client.post(url, {"pain": "5", "sane": "160", "rating_0": "4"}).status_code == 400


def test_the_week_6_retest_screens_safety_first_then_compares_with_error_bands(client, alice):
    _backdate(alice, 42)
    url = reverse("followup:retest", args=[alice.token, 6])
    page = client.get(url)
    assert "safety questions again" in page.content.decode()
    shown = [f.question.id for f in page.context["fields"]]
    assert "calf_swelling" in shown
    assert client.post(url, dict.fromkeys(shown, "no")).status_code == 302
    tests = {
        "fppa_degrees": "10",
        "knee_to_wall_left_cm": "9",
        "knee_to_wall_right_cm": "",
        "pain": "2",
        "sane": "80",
    }
    assert client.post(url, tests).status_code == 302
    done = client.get(url)
    rows = {row.name: row.change.kind for row in done.context["rows"]}
    # 18 -> 10 degrees is 8, inside the 9-degree band; 8 -> 9 cm is inside 1.9 cm; pain 4 -> 2.
    assert rows["Knee angle in the single-leg squat"] == "no_clear_change"
    assert rows["Knee-to-wall, left"] == "no_clear_change"
    assert rows["Worst knee pain in the last week (0 to 10)"] == "better"
    assert "<svg" in done.content.decode()


def test_a_red_flag_at_the_retest_stops_it(client, alice):
    _backdate(alice, 42)
    url = reverse("followup:retest", args=[alice.token, 6])
    shown = [f.question.id for f in client.get(url).context["fields"]]
    answers = {**dict.fromkeys(shown, "no"), "breathless_or_chest_pain": "yes"}
    client.post(url, answers)
    page = client.get(url).content.decode()
    assert "Stop the exercises and get checked first" in page
    assert "emergency services" in page


def test_an_unanswered_safety_question_is_a_400(client, alice):
    _backdate(alice, 42)
    url = reverse("followup:retest", args=[alice.token, 6])
    response = client.post(url, {})
    assert response.status_code == 400
    assert not Retest.objects.exists()


def test_the_retest_waits_for_its_week(client, alice):
    page = client.get(reverse("followup:retest", args=[alice.token, 6])).content.decode()
    assert "opens in week 6" in page
    assert client.get(reverse("followup:retest", args=[alice.token, 5])).status_code == 404


def test_the_log_goes_with_the_assessment(client, alice):
    _session(client, alice)
    client.post(reverse("questionnaire:delete", args=[alice.token]), {"confirm": "yes"})
    assert not SessionLog.objects.exists()


def test_logging_counts_as_activity_for_retention(client, alice):
    # Retention deletes a finished check 180 days after its last activity (updated_at).
    long_ago = timezone.now() - dt.timedelta(days=40)
    Assessment.objects.filter(pk=alice.pk).update(updated_at=long_ago)
    _session(client, alice)
    alice.refresh_from_db()
    assert alice.updated_at > timezone.now() - dt.timedelta(minutes=5)


def _log_weeks(alice: Assessment, weeks: int) -> None:
    """Sessions three times a week, backdated, with pain easing from 4 to 1."""
    _backdate(alice, 7 * weeks)
    start = timezone.localdate() - dt.timedelta(days=7 * weeks)
    for day in range(0, 7 * weeks, 2):
        pain = max(1, 4 - day // 14)
        SessionLog.objects.create(
            assessment=alice,
            done_on=start + dt.timedelta(days=day),
            phase=1 if day < 14 else 2,
            exercises=["clamshell"],
            pain_before=1,
            pain_during=pain,
            pain_morning=1,
        )


def test_the_plan_page_shows_the_chart_and_the_log_link_only_to_its_owner(client, alice):
    plan_url = reverse("programs:plan", args=[alice.plan_token])
    page = client.get(plan_url).content.decode()
    assert "<svg" not in page
    _log_weeks(alice, 6)
    page = client.get(plan_url).content.decode()
    assert 'class="followup-chart"' in page
    assert alice.token not in page
    session = client.session
    session["assessment_token"] = alice.token
    session.save()
    page = client.get(plan_url).content.decode()
    assert reverse("followup:log", args=[alice.token]) in page


def test_the_pdf_carries_the_chart_once_sessions_are_logged(alice):
    from followup.progress import plan_progress
    from programs import pdf
    from programs.builder import plan_for

    plan = plan_for(alice.valid_answers())
    assert plan_progress(alice, plan) == ""
    _log_weeks(alice, 6)
    chart = plan_progress(alice, plan)
    html = pdf.plan_print_html(plan, paper="a4", date=None, progress_chart=chart)
    assert "Your progress so far" in html
    assert 'class="followup-chart"' in html
    day = timezone.localdate()
    answers = alice.valid_answers()
    assert pdf.cache_key(plan, answers=answers, paper="a4", date=day) != pdf.cache_key(
        plan, answers=answers, paper="a4", date=day, progress=chart
    )


def test_the_calendar_download_says_only_knee_exercises(client, alice):
    response = client.get(reverse("followup:calendar_download", args=[alice.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    summaries = {line for line in body.splitlines() if line.startswith("SUMMARY")}
    assert summaries == {"SUMMARY:Knee exercises", "SUMMARY:Knee exercises: re-test"}
    assert body.count("BEGIN:VEVENT") > 12
    for secret in (alice.token, alice.plan_token, "pain", "http"):
        assert secret not in body


def test_the_calendar_feed_has_its_own_token_and_can_be_stopped(client, alice):
    assert client.get(reverse("followup:calendar_feed", args=[alice.token])).status_code == 404
    client.post(reverse("followup:calendar_feed_new", args=[alice.token]))
    feed = alice.feeds.get()
    assert feed.token not in (alice.token, alice.plan_token)
    url = reverse("followup:calendar_feed", args=[feed.token])
    page = client.get(reverse("followup:log", args=[alice.token])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert alice.token not in response.content.decode()
    # A new link replaces the old one; stopping it ends both.
    client.post(reverse("followup:calendar_feed_new", args=[alice.token]))
    assert client.get(url).status_code == 404
    newer = alice.feeds.usable().get()
    client.post(reverse("followup:calendar_feed_revoke", args=[alice.token]))
    assert client.get(reverse("followup:calendar_feed", args=[newer.token])).status_code == 404


def test_a_routine_sign_at_the_retest_lets_it_go_on_and_says_so(client, alice):
    _backdate(alice, 42)
    url = reverse("followup:retest", args=[alice.token, 6])
    shown = [f.question.id for f in client.get(url).context["fields"]]
    client.post(url, {**dict.fromkeys(shown, "no"), "giving_way": "yes"})
    page = client.get(url)
    assert page.context["stage"] == "tests"
    assert [flag.id for flag in page.context["advice"]] == ["giving_way"]
    assert "From your safety answers" in page.content.decode()


def test_logging_is_limited_per_address_so_a_script_cannot_fill_the_database(
    client, alice, settings
):
    cache.clear()
    settings.RATE_FOLLOWUP_WRITES = "3/h"
    statuses = [_session(client, alice).status_code for _ in range(5)]
    assert statuses[3:] == [429, 429]
    assert SessionLog.objects.count() == 3
    assert "Too many tries" in _session(client, alice).content.decode()


def test_an_invited_client_logs_against_the_physios_plan_once_it_is_published(client, alice):
    physio = User.objects.create_user("kim@example.org", "kim@example.org", "a long pass phrase")
    link = ClientAssessment.objects.create(
        client=Client.objects.create(physio=physio, display_name="A."), assessment=alice
    )
    client.get(reverse("questionnaire:resume", args=[alice.token]))  # the owner's browser
    plan_url = reverse("programs:plan", args=[alice.plan_token])
    log_url = reverse("followup:log", args=[alice.token])
    # Before the physio publishes there is no plan to follow, so no log is offered.
    assert log_url not in client.get(plan_url).content.decode()
    version_publish(link=link, plan=plan_for(alice.valid_answers()), notes="", physio=physio)
    _session(client, alice)
    page = client.get(plan_url).content.decode()
    assert "Your plan comes from" in page
    assert log_url in page and "followup-chart" in page


def test_an_invited_clients_log_does_not_open_before_the_physio_publishes(client, alice):
    """One plan for an invited client: typing the log's address before the physio has published
    says who the plan will come from, and nothing can be logged against the automatic plan."""
    physio = User.objects.create_user(
        "kim@example.org",
        "kim@example.org",
        "a long pass phrase",
        first_name="Kim",
        last_name="Lee",
    )
    link = ClientAssessment.objects.create(
        client=Client.objects.create(physio=physio, display_name="A."), assessment=alice
    )
    addresses = [
        ("get", reverse("followup:log", args=[alice.token])),
        ("get", reverse("followup:retest", args=[alice.token, 0])),
        ("get", reverse("followup:calendar_download", args=[alice.token])),
        ("post", reverse("followup:calendar_feed_new", args=[alice.token])),
    ]
    for method, url in addresses:
        response = getattr(client, method)(url)
        assert response.status_code == 404, url
        assert "Your plan comes from Kim Lee" in response.content.decode(), url
    response = _session(client, alice)
    assert response.status_code == 404
    assert not SessionLog.objects.exists()

    version_publish(link=link, plan=plan_for(alice.valid_answers()), notes="", physio=physio)
    assert client.get(addresses[0][1]).status_code == 200
    assert _session(client, alice).status_code == 302
    assert SessionLog.objects.count() == 1
