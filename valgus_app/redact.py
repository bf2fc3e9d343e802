"""Keep link tokens and typed names out of the logs: messages, tracebacks and the access log."""

from __future__ import annotations

import logging
import re
import traceback

# Our tokens are 43 URL-safe characters; Django's password-reset tokens are shorter but
# dash-separated. A run of 20 URL-safe characters or more is treated as a secret when it holds a
# digit (a random token of this length nearly always does) or is 32 characters or longer (one
# that happens not to): long words and Python names in a traceback stay readable.
CANDIDATE = re.compile(r"[A-Za-z0-9_-]{20,}")
DIGIT = re.compile(r"[0-9]")
REDACTED = "[redacted]"
# Query parameters that carry what a person typed (the name printed on a plan PDF,
# programs.print_name): their whole value is blanked wherever a URL is logged.
PRIVATE_PARAMETERS = ("name",)
PRIVATE_QUERY = re.compile(
    r"(?P<key>(?:^|[?&;])(?:" + "|".join(PRIVATE_PARAMETERS) + r")=)[^&;#\s\"']*"
)


def _secret(match: re.Match[str]) -> str:
    text = match.group(0)
    return REDACTED if len(text) >= 32 or DIGIT.search(text) else text


def redact(text: str) -> str:
    return CANDIDATE.sub(_secret, PRIVATE_QUERY.sub(r"\g<key>" + REDACTED, text))


class RedactTokens(logging.Filter):
    """Blank tokens in a record's message, traceback and stack before any handler writes it.

    Attached to the handlers (settings.LOGGING) and to gunicorn's error log; the record is
    changed in place, so every handler after this one sees the cleaned text too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
