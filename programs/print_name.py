"""The name a person may have printed on their plan PDF: cleaned here, never stored.

The name comes with one download (a query parameter), goes into that PDF's cache key and its
print template, and nowhere else: not the database, not the session. Characters the shipped
fonts cannot draw (most emoji) are left out, so nothing prints as an empty box.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

MAX_LENGTH = 60
FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")


@dataclass(frozen=True)
class PrintName:
    """The cleaned name ("" for none), or the reason it cannot be printed."""

    name: str = ""
    error: str = ""
    left_out: bool = False


@cache
def printable_code_points() -> frozenset[int]:
    """The characters every shipped font draws."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: set[int] | None = None
    for font in FONTS:
        cmap = set(TTFont(FONTS_DIR / font).getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return frozenset(covered or ())


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
    printable = printable_code_points()
    kept = " ".join("".join(c for c in text if ord(c) in printable).split())
    if text and not kept:
        return PrintName(
            error="None of these characters can be printed (emoji are left out). "
            "Use letters or numbers."
        )
    return PrintName(name=kept, left_out=kept != text)
