"""How long what people enter is kept, and the job that deletes it when the time is up.

The periods are settings (RETENTION_*; the README and the privacy page state them). Anonymous
assessments go a set time after their last activity: answering a page, or opening the private
link or the plan (Assessment.note_activity), so a programme still in use is kept. Assessments a
physio's client started belong to the physio's records and go when the physio deletes the
client. Deleting an assessment also deletes its cached PDFs (programs.models). Expired
sessions and finished render jobs (which carried the plan's pages) go too, and a PDF with a typed
name that nobody came back for (programs.tasks.forget_unclaimed_named).

django-tasks has no periodic scheduler, so the job queues its own next run, a day later
(``run_after``), as it starts; while a run is waiting no second one is added, so chains never
multiply. ``manage.py retention --schedule`` starts the chain with a run at once (the release
step and `make run` call it; harmless when a run is already queued), and ``manage.py
retention`` runs it in the foreground, from cron or by hand.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_tasks import default_task_backend, task
from django_tasks.base import TaskResultStatus

from questionnaire.models import Assessment

logger = logging.getLogger(__name__)

TASK_PATH = "questionnaire.retention.retention_job"


@dataclass(frozen=True)
class Deleted:
    unfinished: int
    finished: int
    sessions: int
    jobs: int


def retention_run(*, now: dt.datetime | None = None) -> Deleted:
    """Delete everything kept past its period; nothing else."""
    now = now or timezone.now()
    anonymous = Assessment.objects.filter(client_link__isnull=True)
    unfinished_before = now - dt.timedelta(days=settings.RETENTION_UNFINISHED_DAYS)
    finished_before = now - dt.timedelta(days=settings.RETENTION_FINISHED_DAYS)
    # Row by row (delete() sends pre_delete for each): every assessment's PDFs go with it.
    unfinished, _ = anonymous.filter(
        completed_at__isnull=True, updated_at__lt=unfinished_before
    ).delete()
    finished, _ = anonymous.filter(
        completed_at__isnull=False, updated_at__lt=finished_before
    ).delete()
    sessions, _ = Session.objects.filter(expire_date__lt=now).delete()
    jobs = _prune_jobs(now - dt.timedelta(hours=settings.RETENTION_JOB_HOURS))
    from programs.tasks import forget_unclaimed_named  # programs builds on questionnaire

    jobs += forget_unclaimed_named(now=now)
    # Counted in rows of every kind (assessments with their linked rows).
    return Deleted(unfinished=unfinished, finished=finished, sessions=sessions, jobs=jobs)


def _prune_jobs(before: dt.datetime) -> int:
    from django_tasks_db.models import DBTaskResult

    deleted, _ = DBTaskResult.objects.filter(
        status__in=[TaskResultStatus.SUCCESSFUL, TaskResultStatus.FAILED], finished_at__lt=before
    ).delete()
    return deleted


def retention_schedule(*, delay: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Queue a run ``delay`` from now unless one is already waiting."""
    if not default_task_backend.supports_defer:
        return False  # the immediate backend of the tests: runs are called directly
    from django_tasks_db.models import DBTaskResult

    if DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).exists():
        return False
    retention_job.using(run_after=(now or timezone.now()) + delay).enqueue()
    return True


@task()
def retention_job() -> dict[str, int]:
    # The next run first, so a failure here cannot end the chain.
    retention_schedule(delay=dt.timedelta(hours=settings.RETENTION_INTERVAL_HOURS))
    deleted = retention_run()
    logger.info("retention: %s", deleted)
    return {
        "unfinished": deleted.unfinished,
        "finished": deleted.finished,
        "sessions": deleted.sessions,
        "jobs": deleted.jobs,
    }
