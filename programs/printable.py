"""What the plan PDF can print: the characters its shipped fonts draw, and text made to fit them.

The PDF is drawn with the DejaVu Sans fonts in static/fonts only, so it looks the same on every
server. They cover Latin, Greek and Cyrillic, but not emoji or Chinese, Japanese and Korean: such
a character would print as an empty box. Every document the PDF is made from passes through
`printable_text` (programs.pdf.render_pdf), so text a physio or a person typed (notes, names, a
dose) prints whole or with those characters cleanly left out, never as a box.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONTS = ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
# Line breaks and tabs are no glyphs, but belong in the text (and in the HTML around it).
LAYOUT_CHARACTERS = frozenset(map(ord, "\t\n\r"))


@cache
def printable_code_points() -> frozenset[int]:
    """The characters every shipped font draws."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: set[int] | None = None
    for font in FONTS:
        cmap = set(TTFont(FONTS_DIR / font).getBestCmap())
        covered = cmap if covered is None else covered & cmap
    return frozenset(covered or ())


@cache
def _unprintable_run() -> re.Pattern[str]:
    """A run of characters the fonts cannot draw, as one regular expression."""
    points = sorted(printable_code_points() | LAYOUT_CHARACTERS)
    ranges: list[tuple[int, int]] = []
    for point in points:
        if ranges and point == ranges[-1][1] + 1:
            ranges[-1] = (ranges[-1][0], point)
        else:
            ranges.append((point, point))
    allowed = "".join(
        re.escape(chr(first)) + ("-" + re.escape(chr(last)) if last > first else "")
        for first, last in ranges
    )
    return re.compile(f"[^{allowed}]+")


def _replace(run: re.Match[str]) -> str:
    """A character's compatibility form where the fonts draw it (a styled or full-width
    letter, a ligature), else nothing: a letter with an accent the fonts lack keeps its letter."""
    printable = printable_code_points()
    kept = []
    for character in run.group():
        plain = unicodedata.normalize("NFKD", character)
        kept.append("".join(c for c in plain if ord(c) in printable))
    return "".join(kept)


def printable_text(text: str) -> str:
    """``text`` with every character the shipped fonts cannot draw replaced or left out."""
    return _unprintable_run().sub(_replace, unicodedata.normalize("NFC", text))
