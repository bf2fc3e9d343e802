"""Pages of the site as a whole, not of one app."""

from __future__ import annotations

from typing import Any, cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe


def _pdf_days() -> int:
    pdf = cast(dict[str, Any], settings.CACHES["pdf"])
    return int(pdf["TIMEOUT"]) // (60 * 60 * 24)


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    """What is stored, for how long, who sees it and how to delete it, with today's settings."""
    return render(
        request,
        "privacy.html",
        {
            "unfinished_days": settings.RETENTION_UNFINISHED_DAYS,
            "finished_days": settings.RETENTION_FINISHED_DAYS,
            "physio_hours": settings.PHYSIO_SESSION_HOURS,
            "session_days": settings.SESSION_COOKIE_AGE // (60 * 60 * 24),
            "pdf_days": _pdf_days(),
            "named_pdf_minutes": settings.PDF_NAMED_KEEP_SECONDS // 60,
        },
    )
