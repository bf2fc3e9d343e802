"""Jobs for the worker (`manage.py db_worker`, the Procfile's `worker` line)."""

from __future__ import annotations

from django.db import connection
from django_tasks import task


@task()
def echo(text: str) -> str:
    """Answer ``text`` from the worker, with the database it used: proves a worker is running."""
    return f"{text} ({connection.vendor})"
