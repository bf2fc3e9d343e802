"""`manage.py plan FILE [--format json|html|pdf] [-o PATH]`: the plan for an answer file.

Contract section 3. JSON goes to standard output unless -o is given; bad input behaves exactly as
for `assess` (exit status 2, each bad question named on standard error, nothing on standard
output), because it goes through the same helpers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from programs.builder import Plan, plan_for
from questionnaire.content import get_content
from questionnaire.engine import Answers, InvalidAnswers, validate_answers
from questionnaire.management.commands.assess import (
    BAD_INPUT,
    invalid_answers_error,
    read_answers,
)

FORMATS = ("json", "html", "pdf")


class Command(BaseCommand):
    help = "Build the corrective plan for an answer set (a JSON object of question ids)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="answer file (JSON); '-' reads standard input")
        parser.add_argument("--format", choices=FORMATS, default="json", help="default: json")
        parser.add_argument("-o", "--output", metavar="PATH", help="write here, not to stdout")
        parser.add_argument(
            "--paper", choices=("a4", "letter"), default="a4", help="PDF paper size"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = read_answers(options["file"])
        try:
            answers = validate_answers(raw, get_content())
        except InvalidAnswers as error:
            raise invalid_answers_error(error) from None
        data = _render(plan_for(answers), answers, options["format"], options["paper"])
        output = options["output"]
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as exc:
                raise CommandError(
                    f"{output}: cannot be written ({exc.strerror})", returncode=BAD_INPUT
                ) from None
        elif options["format"] == "pdf":
            sys.stdout.buffer.write(data)
        else:
            self.stdout.write(data.decode("utf-8"))


def _render(plan: Plan, answers: Answers, kind: str, paper: str) -> bytes:
    if kind == "json":
        return json.dumps(plan.model_dump(mode="json"), indent=2, ensure_ascii=False).encode(
            "utf-8"
        )
    if kind == "html":
        from programs.render import plan_html

        return plan_html(plan, answers=answers).encode("utf-8")
    # Imported here so that JSON and HTML never need WeasyPrint's system libraries.
    from programs.pdf import render_plan_pdf

    return render_plan_pdf(plan, paper=paper, answers=answers)
