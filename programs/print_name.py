"""The name a person may have printed on their plan PDF: cleaned here, never stored.

The name comes with one download (a query parameter), goes into that PDF's cache key and its
print template, and nowhere else: not the database, not the session. Characters the shipped
fonts cannot draw (emoji, say) are left out as in every PDF (programs.printable), and the person
is told so.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from programs.printable import printable_text

MAX_LENGTH = 60


@dataclass(frozen=True)
class PrintName:
    """The cleaned name ("" for none), or the reason it cannot be printed."""

    name: str = ""
    error: str = ""
    left_out: bool = False


def clean_print_name(raw: str) -> PrintName:
    """Strip, collapse whitespace, refuse control characters and names over MAX_LENGTH."""
    text = unicodedata.normalize("NFC", raw)
    if any(unicodedata.category(c) == "Cc" and not c.isspace() for c in text):
        return PrintName(error="The name has a control character in it. Type it again.")
    text = " ".join(text.split())
    if len(text) > MAX_LENGTH:
        return PrintName(
            error=f"The name can be at most {MAX_LENGTH} characters long; this one has {len(text)}."
        )
    kept = " ".join(printable_text(text).split())
    if text and not kept:
        return PrintName(
            error="None of these characters can be printed (emoji are left out). "
            "Use letters or numbers."
        )
    return PrintName(name=kept, left_out=kept != text)
