"""Retention deletes what is past its period and nothing else; deleting an assessment deletes
its cached PDFs and shared copies at once (issue 13)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from programs.models import CachedPdf
from questionnaire.models import Assessment
from questionnaire.retention import TASK_PATH, retention_job, retention_run, retention_schedule
from tests.personas import RUNNER

pytestmark = pytest.mark.django_db

DAY = dt.timedelta(days=1)


def aged(days: float, *, finished: bool, **fields) -> Assessment:
    assessment = Assessment.objects.create(
        answers=RUNNER if finished else {"age": 30},
        completed_at=timezone.now() - days * DAY if finished else None,
        **fields,
    )
    Assessment.objects.filter(pk=assessment.pk).update(updated_at=timezone.now() - days * DAY)
    return assessment


def remaining() -> set[int]:
    return set(Assessment.objects.values_list("pk", flat=True))


def test_it_deletes_abandoned_and_old_anonymous_assessments_and_nothing_else(settings):
    settings.RETENTION_UNFINISHED_DAYS = 30
    settings.RETENTION_FINISHED_DAYS = 180
    abandoned = aged(31, finished=False)
    recent = aged(29, finished=False)
    old_finished = aged(181, finished=True)
    finished = aged(100, finished=True)
    retention_run()
    assert remaining() == {recent.pk, finished.pk}
    assert abandoned.pk not in remaining() and old_finished.pk not in remaining()


def test_a_programme_in_use_counts_from_its_last_activity(client, settings):
    settings.RETENTION_FINISHED_DAYS = 180
    in_use = aged(179, finished=True)
    # Opening the plan is activity: the clock starts again.
    assert client.get(reverse("programs:plan", args=[in_use.plan_token])).status_code == 200
    unopened = aged(179, finished=True)
    retention_run(now=timezone.now() + 2 * DAY)
    assert remaining() == {in_use.pk}
    assert unopened.pk not in remaining()


def test_opening_the_private_link_is_activity(client, settings):
    settings.RETENTION_UNFINISHED_DAYS = 30
    started = aged(29, finished=False, step="safety-1")
    client.get(reverse("questionnaire:resume", args=[started.token]))
    retention_run(now=timezone.now() + 2 * DAY)
    assert remaining() == {started.pk}


def test_it_clears_expired_sessions_only():
    expired, current = SessionStore(), SessionStore()
    expired["x"] = current["x"] = 1
    expired.set_expiry(-10)
    expired.create()
    current.create()
    deleted = retention_run()
    assert deleted.sessions == 1
    assert list(Session.objects.values_list("session_key", flat=True)) == [current.session_key]


def test_the_command_reports_what_it_deleted():
    aged(40, finished=False)
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert "Deleted 1 rows of unfinished assessments" in out.getvalue()
    assert Assessment.objects.count() == 0


@pytest.fixture
def database_tasks(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def test_the_worker_runs_it_daily_and_chains_never_multiply(database_tasks, settings):
    settings.RETENTION_INTERVAL_HOURS = 24
    call_command("retention", "--schedule", stdout=io.StringIO())
    call_command("retention", "--schedule", stdout=io.StringIO())
    waiting = DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY)
    assert waiting.count() == 1
    assert waiting.get().run_after <= timezone.now()
    # The run queues the next one, a day later, and only one.
    DBTaskResult.objects.all().delete()
    retention_job.call()
    next_run = DBTaskResult.objects.get(task_path=TASK_PATH)
    assert next_run.run_after > timezone.now() + dt.timedelta(hours=23)
    assert retention_schedule(delay=dt.timedelta(0)) is False


# --- Deleting an assessment deletes its PDFs -----------------------------------------------


def _cached_keys(assessment: Assessment) -> list[str]:
    return list(CachedPdf.objects.filter(assessment=assessment).values_list("key", flat=True))


def test_delete_my_answers_leaves_no_cached_pdf(client):
    done = Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())
    for paper in ("a4", "letter"):
        url = reverse("programs:plan_pdf", args=[done.plan_token])
        assert client.get(url, {"paper": paper}).status_code == 200
    keys = _cached_keys(done)
    assert len(keys) == 2
    assert all(caches["pdf"].get(key) for key in keys)
    # confirm=yes: the delete step asks first (main); the answer to it erases.
    client.post(reverse("questionnaire:delete", args=[done.token]), {"confirm": "yes"})
    assert not Assessment.objects.filter(pk=done.pk).exists()
    assert all(caches["pdf"].get(key) is None for key in keys)
    assert not CachedPdf.objects.exists()


def test_retention_deletes_the_pdfs_too(client, settings):
    settings.RETENTION_FINISHED_DAYS = 10
    done = aged(11, finished=True)
    client.get(reverse("programs:plan_pdf", args=[done.plan_token]))
    keys = _cached_keys(done)
    assert keys and caches["pdf"].get(keys[0])
    retention_run()
    assert caches["pdf"].get(keys[0]) is None


def test_a_render_finishing_after_the_deletion_is_not_kept():
    from programs.tasks import render_pdf_job

    done = Assessment.objects.create(answers=RUNNER, completed_at=timezone.now())
    CachedPdf.record(done.pk, "plan-pdf:late")
    done.delete()
    result = render_pdf_job.call("plan-pdf:late", ["<p>plan</p>"])
    assert result["rendered"] is False
    assert caches["pdf"].get("plan-pdf:late") is None
