"""Keep link tokens out of the logs."""

from __future__ import annotations

import logging
import re

# Our tokens are 43 URL-safe characters; Django's password-reset tokens are shorter but
# dash-separated. Anything from 20 URL-safe characters up is treated as a secret.
TOKEN = re.compile(r"[A-Za-z0-9_-]{20,}")
REDACTED = "[redacted]"


def redact(text: str) -> str:
    return TOKEN.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if cleaned != message:
            record.msg = cleaned
            record.args = None
        return True
