"""`manage.py assess FILE`: print the assessment for an answer file (contract section 2)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from questionnaire.content import get_content
from questionnaire.engine import InvalidAnswers, assess, validate_answers

BAD_INPUT = 2
# An answer file is one flat object; anything nested deeper than this is refused before it is
# looked at (the parser itself gives up on a few thousand levels with a RecursionError).
MAX_DEPTH = 20


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a valid JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        if key in seen:
            raise ValueError(f"{key}: given more than once")
        seen[key] = value
    return seen


def read_answers(source: str) -> object:
    """Read and parse an answer file, or standard input for '-'; CommandError on any problem."""
    try:
        text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CommandError(f"{source}: no such file", returncode=BAD_INPUT) from None
    except IsADirectoryError:
        raise CommandError(
            f"{source}: is a directory, not an answer file", returncode=BAD_INPUT
        ) from None
    except UnicodeDecodeError:
        raise CommandError(f"{source}: is not UTF-8 text", returncode=BAD_INPUT) from None
    except OSError as exc:
        raise CommandError(
            f"{source}: cannot be read ({exc.strerror})", returncode=BAD_INPUT
        ) from None
    name = "standard input" if source == "-" else source
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except RecursionError:
        raise CommandError(
            f"{name}: nested too deeply to be an answer file", returncode=BAD_INPUT
        ) from None
    except json.JSONDecodeError as exc:
        raise CommandError(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})",
            returncode=BAD_INPUT,
        ) from None
    except ValueError as exc:
        raise CommandError(f"{name}: {exc}", returncode=BAD_INPUT) from None
    if _depth(data) > MAX_DEPTH:
        raise CommandError(f"{name}: nested too deeply to be an answer file", returncode=BAD_INPUT)
    return data


def _depth(data: object) -> int:
    """How deeply lists and objects nest in ``data``, counted without recursion."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, level + 1) for child in children)
    return deepest


def invalid_answers_error(error: InvalidAnswers) -> CommandError:
    lines = [f"  {problem}" for problem in error.problems]
    count = len(error.problems)
    heading = f"{count} invalid answer{'s' if count != 1 else ''}:"
    return CommandError("\n".join([heading, *lines]), returncode=BAD_INPUT)


class Command(BaseCommand):
    help = "Assess an answer set (a JSON object of question ids) and print the result as JSON."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="answer file (JSON); '-' reads standard input")

    def handle(self, *args: Any, **options: Any) -> None:
        raw = read_answers(options["file"])
        content = get_content()
        try:
            result = assess(validate_answers(raw, content), content)
        except InvalidAnswers as error:
            raise invalid_answers_error(error) from None
        self.stdout.write(json.dumps(result.model_dump(mode="json"), indent=2, ensure_ascii=False))
