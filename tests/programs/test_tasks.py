"""PDFs on the job queue: queued by the plan page, rendered by a real `db_worker`, shared per
content, time-limited, and queued again when the worker that took them died."""

from __future__ import annotations

import datetime as dt
import signal
import time
from collections.abc import Iterator

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from programs.models import RENDER_TASK
from programs.tasks import RenderTimeLimit, time_limit
from questionnaire.models import Assessment
from questionnaire.retention import retention_run
from tests.personas import FOOTBALLER
from tests.programs.pango import needs_weasyprint

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_tasks(settings) -> Iterator[None]:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    caches["pdf"].clear()
    yield
    caches["pdf"].clear()


def run_worker() -> None:
    """Run the real worker until the queue is empty (it sets its own signal handlers)."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--interval", "0")
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def done() -> Assessment:
    return Assessment.objects.create(answers=FOOTBALLER, completed_at=timezone.now())


def pdf_url(assessment: Assessment) -> str:
    return reverse("programs:plan_pdf", args=[assessment.plan_token])


def test_showing_the_plan_queues_its_pdf_once(client):
    assessment = done()
    plan_url = reverse("programs:plan", args=[assessment.plan_token])
    assert client.get(plan_url).status_code == 200
    assert client.get(plan_url).status_code == 200
    assert client.get(pdf_url(assessment), {"paper": "a4"}).status_code in {200, 202}
    jobs = DBTaskResult.objects.all()
    assert [job.task_path for job in jobs] == ["programs.tasks.render_pdf_job"]
    assert jobs[0].status == TaskResultStatus.READY


def test_a_download_past_the_wait_offers_the_link_again(client, settings):
    settings.PDF_WAIT_SECONDS = 0
    assessment = done()
    response = client.get(pdf_url(assessment) + "?paper=letter")
    assert response.status_code == 202
    html = response.content.decode()
    assert "being prepared" in html
    assert f'href="{pdf_url(assessment)}?paper=letter"' in html
    assert "http-equiv" not in html.lower()
    assert response["Cache-Control"] == "no-store"


@needs_weasyprint
def test_the_worker_renders_the_pdf_the_download_then_serves(client, settings):
    settings.PDF_WAIT_SECONDS = 0
    assessment = done()
    client.get(reverse("programs:plan", args=[assessment.plan_token]))
    run_worker()
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.SUCCESSFUL
    assert isinstance(job.return_value, dict)
    assert job.return_value["rendered"] is True
    response = client.get(pdf_url(assessment))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    assert DBTaskResult.objects.count() == 1  # served from the store, not rendered again


@needs_weasyprint
def test_a_render_past_its_time_limit_fails_and_stores_nothing(client, settings):
    settings.PDF_WAIT_SECONDS = 0
    settings.PDF_RENDER_SECONDS = 0.01
    assessment = done()
    assert client.get(pdf_url(assessment)).status_code == 202
    run_worker()
    job = DBTaskResult.objects.get()
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "programs.tasks.RenderTimeLimit"
    assert client.get(pdf_url(assessment)).status_code == 202


@needs_weasyprint
def test_a_render_whose_worker_died_is_queued_again(client, settings):
    settings.PDF_WAIT_SECONDS = 0
    settings.PDF_RENDER_LEASE_SECONDS = 1
    assessment = done()
    assert client.get(pdf_url(assessment)).status_code == 202
    # A worker claims the job and dies: django-tasks-db leaves it RUNNING for good.
    DBTaskResult.objects.update(status=TaskResultStatus.RUNNING, worker_ids=["gone"])
    assert client.get(pdf_url(assessment)).status_code == 202
    assert DBTaskResult.objects.count() == 1  # within the lease nobody queues it twice
    time.sleep(2.1)  # the database cache keeps expiry times to the whole second
    assert client.get(pdf_url(assessment)).status_code == 202
    assert DBTaskResult.objects.filter(status=TaskResultStatus.READY).count() == 1
    run_worker()
    response = client.get(pdf_url(assessment))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_the_time_limit_interrupts_python_code():
    started = time.monotonic()
    with pytest.raises(RenderTimeLimit), time_limit(0.05):
        while True:
            sum(range(1000))
    assert time.monotonic() - started < 1


@needs_weasyprint
def test_a_named_pdf_is_rendered_by_the_worker_then_kept_nowhere(client, settings):
    """The typed name goes with one download: after it, no table, cache entry or session has it."""
    import io

    from django.apps import apps
    from django.core import serializers
    from pypdf import PdfReader

    settings.PDF_WAIT_SECONDS = 0
    assessment = done()
    url = pdf_url(assessment) + "?name=Quillon+Marsh&paper=letter"
    waiting = client.get(url)
    assert waiting.status_code == 202
    # The retry link is the same download, name and paper included.
    assert 'href="' + url.replace("&", "&amp;") + '"' in waiting.content.decode()
    run_worker()
    assert DBTaskResult.objects.get(task_path=RENDER_TASK).status == TaskResultStatus.SUCCESSFUL
    response = client.get(url)
    assert response.status_code == 200
    first_page = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "Plan for: Quillon Marsh" in first_page
    # Its arguments held the pages, name and all. (The job that would have forgotten it,
    # unserved, is still queued: it holds the hashed key only.)
    assert not DBTaskResult.objects.filter(task_path=RENDER_TASK).exists()
    for model in apps.get_models():
        dumped = serializers.serialize("json", model._default_manager.all())
        assert "Quillon" not in dumped, model
    assert "Quillon" not in repr(dict(client.session.items()))
    # The unnamed PDF is another entry: the name never reaches it.
    assert client.get(pdf_url(assessment) + "?paper=letter").status_code == 202


def _pdf_rows() -> list[dt.datetime]:
    """The expiry of every row in the PDF cache's table, soonest first, naive UTC."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM valgus_pdf_cache ORDER BY expires")
        rows = [row[0] for row in cursor.fetchall()]
    return [
        (dt.datetime.fromisoformat(row) if isinstance(row, str) else row).replace(tzinfo=None)
        for row in rows
    ]


def _named_and_unnamed(client, settings) -> Assessment:
    """One check whose plan PDF was rendered twice by the worker: with a typed name (the person
    then left the "being prepared" page) and without."""
    settings.PDF_WAIT_SECONDS = 0
    assessment = done()
    assert client.get(pdf_url(assessment) + "?name=Quillon+Marsh").status_code == 202
    assert client.get(pdf_url(assessment)).status_code == 202
    run_worker()
    return assessment


def _render_jobs() -> list[object]:
    return list(
        DBTaskResult.objects.filter(task_path=RENDER_TASK).values_list("args_kwargs", flat=True)
    )


@needs_weasyprint
def test_a_named_pdf_nobody_comes_back_for_is_forgotten_when_its_keep_is_over(client, settings):
    """Kept for its download only (PDF_NAMED_KEEP_SECONDS), not for the cache's month; then a
    job the render queued deletes it and its render job, while the unnamed PDF stays."""
    assessment = _named_and_unnamed(client, settings)
    now = timezone.now().replace(tzinfo=None)
    keep = dt.timedelta(seconds=settings.PDF_NAMED_KEEP_SECONDS)
    named, unnamed = _pdf_rows()
    assert now + keep - dt.timedelta(seconds=5) <= named <= now + keep + dt.timedelta(seconds=5)
    assert unnamed > now + dt.timedelta(days=29)
    forget = DBTaskResult.objects.get(task_path="programs.tasks.forget_pdf_job")
    assert forget.status == TaskResultStatus.READY
    assert abs(forget.run_after - timezone.now() - keep) < dt.timedelta(seconds=5)
    assert "Quillon" in repr(_render_jobs())

    DBTaskResult.objects.filter(pk=forget.pk).update(run_after=timezone.now())  # the keep is over
    run_worker()
    assert len(_pdf_rows()) == 1
    assert len(_render_jobs()) == 1 and "Quillon" not in repr(_render_jobs())
    assert client.get(pdf_url(assessment)).status_code == 200


@needs_weasyprint
def test_without_a_worker_the_retention_run_forgets_an_unclaimed_named_pdf(client, settings):
    """Should the forget job never run, the daily retention run deletes the named render's job
    once its keep is over, and the expired cache row the database cache would keep unread."""
    assessment = _named_and_unnamed(client, settings)
    DBTaskResult.objects.filter(task_path="programs.tasks.forget_pdf_job").delete()
    keep = dt.timedelta(seconds=settings.PDF_NAMED_KEEP_SECONDS)
    retention_run(now=timezone.now() + keep + dt.timedelta(minutes=1))
    assert len(_render_jobs()) == 1 and "Quillon" not in repr(_render_jobs())
    # The row's expiry moved into the past, as the clock would move past it.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE valgus_pdf_cache SET expires = %s WHERE expires < %s",
            [timezone.now() - dt.timedelta(seconds=1), timezone.now() + dt.timedelta(days=1)],
        )
    retention_run()
    assert len(_pdf_rows()) == 1
    assert client.get(pdf_url(assessment)).status_code == 200
