"""Settings for `make bench`: production-like (DEBUG off, cached templates) on a SQLite file.

They add a Server-Timing header with the time spent inside Django and a trivial view to
compare against; neither exists in the real site.
"""

from __future__ import annotations

from pathlib import Path

from valgus_app.settings import *  # noqa: F403
from valgus_app.settings import DATABASES, MIDDLEWARE

OUT = Path(__file__).resolve().parent / "out"

DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
# The product's own SQLite options (WAL, busy timeout, immediate transactions), on a file of
# the bench's; the worker keeps its connection, as in production.
DATABASES = {
    "default": {
        **DATABASES["default"],
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(OUT / "bench.sqlite3"),
        "CONN_MAX_AGE": 60,
    }
}
MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
LOGGING = {"version": 1, "disable_existing_loggers": False}
