"""Plan PDFs rendered by the job worker (`manage.py db_worker`) and stored by content key.

A page that shows a plan queues its PDF, so it is usually ready before anyone asks. The PDF is
stored in the ``pdf`` cache alias (the database or Redis), so any app server can answer it. A
marker with a lease (``cache.add``) makes every request for the same content share one render;
django-tasks-db leaves a task whose worker died RUNNING for ever, so when the lease lapses the
next page or download queues the render again.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django_tasks import default_task_backend, task

logger = logging.getLogger(__name__)

POLL_SECONDS = 0.2


class RenderTimeLimit(Exception):
    """A render ran past PDF_RENDER_SECONDS."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Raise RenderTimeLimit in the main thread once ``seconds`` have passed.

    WeasyPrint offers no way to cancel a render, but its layout is Python code, so an alarm
    signal interrupts it between two steps. Signals reach only the main thread, which is where
    `db_worker` runs its tasks; anywhere else (a web thread with the immediate backend) the
    render runs unlimited, as it did before the queue.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def expired(signum: int, frame: FrameType | None) -> None:
        raise RenderTimeLimit(f"the render took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@task()
def render_pdf_job(
    key: str, documents: list[str], keep_seconds: int | None = None
) -> dict[str, object]:
    """Render ``documents`` into one PDF stored under ``key``, unless it is stored already.

    ``keep_seconds`` is for a PDF with a typed name (programs.print_name): it is kept that long
    for its download, not for the cache's month, in case the person never comes back for it.
    """
    cache = caches["pdf"]
    if cache.has_key(key):
        return {"key": key, "rendered": False}
    # Imported here: only the worker needs WeasyPrint and its system libraries.
    from programs.models import CachedPdf
    from programs.pdf import render_pdf

    started = time.monotonic()
    with time_limit(settings.PDF_RENDER_SECONDS):
        body = render_pdf(*documents)
    if not CachedPdf.has_owner(key):
        # Its assessment was deleted while the job waited: keep nothing of it.
        cache.delete(marker(key))
        return {"key": key, "rendered": False}
    if keep_seconds is None:
        cache.set(key, body)  # the alias's own timeout, renewed on every read (LRU)
    else:
        cache.set(key, body, timeout=keep_seconds)
        # Deleted once served (programs.views); if nobody comes for it, by this job, or else
        # by the retention run (forget_unclaimed_named).
        if default_task_backend.supports_defer:
            forget_at = timezone.now() + dt.timedelta(seconds=keep_seconds)
            forget_pdf_job.using(run_after=forget_at).enqueue(key)
    cache.delete(marker(key))
    seconds = time.monotonic() - started
    logger.info("rendered %s: %d bytes in %.2f s by pid %d", key, len(body), seconds, os.getpid())
    return {"key": key, "rendered": True, "bytes": len(body), "pid": os.getpid()}


def marker(key: str) -> str:
    return "rendering:" + key


def queue_pdf(
    key: str,
    documents: Callable[[], list[str]],
    *,
    assessment_id: int,
    keep_seconds: int | None = None,
) -> bool:
    """Queue the render of the PDF under ``key`` unless it is stored or already being rendered.

    The key is recorded as the assessment's first (programs.models), so deleting the
    assessment deletes the PDF. ``keep_seconds``: see render_pdf_job.
    """
    from programs.models import CachedPdf

    CachedPdf.record(assessment_id, key)
    cache = caches["pdf"]
    if cache.has_key(key):
        return False
    if not cache.add(marker(key), True, timeout=settings.PDF_RENDER_LEASE_SECONDS):
        return False
    # Only a named PDF's job carries keep_seconds: forget_unclaimed_named finds them by it.
    named = {} if keep_seconds is None else {"keep_seconds": keep_seconds}
    render_pdf_job.enqueue(key, documents(), **named)
    return True


def wait_for_pdf(
    key: str,
    documents: Callable[[], list[str]],
    seconds: float,
    *,
    assessment_id: int,
    keep_seconds: int | None = None,
) -> bytes | None:
    """The PDF under ``key``, queued if need be and waited for up to ``seconds``; else None.

    The wait sleeps between short cache reads, so under gunicorn's gthread workers it holds one
    thread, not the worker.
    """
    cache = caches["pdf"]
    deadline = time.monotonic() + seconds
    try:
        while True:
            body = cache.get(key)
            if isinstance(body, bytes):
                return body
            # Again if the lease lapsed: its worker may have died.
            queue_pdf(key, documents, assessment_id=assessment_id, keep_seconds=keep_seconds)
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL_SECONDS)
    except Exception:
        # A cache outage (missing table, Redis down) must not stop the download.
        logger.warning("PDF cache unavailable; rendering in the web process", exc_info=True)
        from programs.pdf import render_pdf

        return render_pdf(*documents())


def forget_pdf(key: str) -> None:
    """Drop one served PDF from the cache, with its marker and its finished render job.

    For a PDF that carries a typed name: the job's arguments hold its pages. The key's record
    (programs.models.CachedPdf) stays, a hash only, so that deleting the assessment still
    clears a job that finished after this ran.
    """
    from programs.models import forget_keys

    try:
        forget_keys([key])
    except Exception:  # the download is served either way; the cache's own expiry follows
        logger.warning("could not drop a named PDF from the cache", exc_info=True)


@task()
def forget_pdf_job(key: str) -> None:
    """A named PDF's keep is over: forget it, served or not."""
    forget_pdf(key)


def forget_unclaimed_named(*, now: dt.datetime | None = None) -> int:
    """Named PDFs nobody came back for, should their forget_pdf_job not have run (no worker):
    their finished render jobs (whose arguments hold the pages, name and all) once
    PDF_NAMED_KEEP_SECONDS have passed, and expired cache rows, which the database cache would
    otherwise keep, unread, until its next cull (Redis drops them itself). Run by the daily
    retention run.
    """
    from programs.models import finished_render_jobs

    now = now or timezone.now()
    deleted, _ = (
        finished_render_jobs()
        .filter(
            finished_at__lt=now - dt.timedelta(seconds=settings.PDF_NAMED_KEEP_SECONDS),
            args_kwargs__kwargs__has_key="keep_seconds",
        )
        .delete()
    )
    delete_expired = getattr(caches["pdf"], "delete_expired", None)
    if delete_expired is not None:
        deleted += delete_expired()
    return deleted
