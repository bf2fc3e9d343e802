"""`manage.py retention [--schedule]`: delete what is kept past its period (see
questionnaire.retention)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from questionnaire.retention import retention_run, retention_schedule


class Command(BaseCommand):
    help = (
        "Delete abandoned and old anonymous assessments with their PDFs, expired sessions and "
        "finished render jobs. --schedule instead makes sure the worker runs this every day."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="queue the daily run for the job worker, unless one is already queued",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["schedule"]:
            queued = retention_schedule(delay=dt.timedelta(0))
            self.stdout.write("A run is queued." if queued else "A run is already queued.")
            return
        deleted = retention_run()
        self.stdout.write(
            f"Deleted {deleted.unfinished} rows of unfinished assessments, "
            f"{deleted.finished} of finished ones, {deleted.sessions} expired sessions and "
            f"{deleted.jobs} finished jobs."
        )
