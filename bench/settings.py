"""Settings for `make bench`: production-like (DEBUG off, cached templates) on a SQLite file.

They add a Server-Timing header with the time spent inside Django and a trivial view to
compare against; neither exists in the real site.
"""

from __future__ import annotations

from pathlib import Path

from valgus_app.settings import *  # noqa: F403
from valgus_app.settings import MIDDLEWARE

OUT = Path(__file__).resolve().parent / "out"

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(OUT / "bench.sqlite3"),
        # What a production SQLite file would use: write-ahead log, no fsync on every commit.
        "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"},
        # As in production (valgus_app/settings.py): the worker keeps its connection.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False}
