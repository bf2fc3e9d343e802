"""The progress chart as SVG markup: values in, a string out. Pure Python, no Django.

One chart of stacked panels over the plan's weeks (sessions done, pain, knee angle, outcome
score), each with the error band around its baseline shaded, so a change inside the band reads as
what it is. Presentation attributes only (no style attributes, no script), so it passes the
site's Content Security Policy, and WeasyPrint draws the same markup in the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

# Narrow enough that the 12 px labels stay readable when a 390 px phone shows it full width.
WIDTH = 420
LEFT = 36
RIGHT = 10
PANEL = 84
GAP = 32
TOP = 8
INK = "#1d1d1b"
GRID = "#b1b4b6"
BAND = "#d2e2f1"
LINE = "#1d5a96"
BAR = "#5b8c3a"


@dataclass(frozen=True)
class Panel:
    title: str
    unit: str
    low: float
    high: float
    # (week, value) points drawn as a line with dots.
    points: Sequence[tuple[float, float]] = ()
    # (week, done, planned) drawn as bars against an outline of the planned count.
    bars: Sequence[tuple[int, int, int]] = ()
    # The smallest real change around the baseline: (low, high) shaded.
    band: tuple[float, float] | None = None


@dataclass(frozen=True)
class Chart:
    weeks: int
    panels: Sequence[Panel] = field(default_factory=tuple)
    title: str = "Progress over the weeks"
    description: str = ""
    # Prefix of the title and description ids, unique per page where several charts show.
    key: str = "chart"


def _x(week: float, weeks: int) -> float:
    return LEFT + (WIDTH - LEFT - RIGHT) * week / max(weeks, 1)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _panel(panel: Panel, top: float, weeks: int) -> list[str]:
    span = (panel.high - panel.low) or 1.0

    def y(value: float) -> float:
        clamped = min(max(value, panel.low), panel.high)
        return top + PANEL - PANEL * (clamped - panel.low) / span

    out = [
        f'<text x="{LEFT}" y="{top - 6:.1f}" font-size="13" font-weight="bold" fill="{INK}">'
        f"{escape(panel.title)} ({escape(panel.unit)})</text>",
        f'<rect x="{LEFT}" y="{top}" width="{WIDTH - LEFT - RIGHT}" height="{PANEL}" '
        f'fill="none" stroke="{GRID}"/>',
    ]
    for value in (panel.low, panel.high):
        out.append(
            f'<text x="{LEFT - 6}" y="{y(value) + 4:.1f}" font-size="12" text-anchor="end" '
            f'fill="{INK}">{_num(value)}</text>'
        )
    if panel.band is not None:
        low, high = sorted(panel.band)
        out.append(
            f'<rect x="{LEFT}" y="{y(high):.1f}" width="{WIDTH - LEFT - RIGHT}" '
            f'height="{y(low) - y(high):.1f}" fill="{BAND}"/>'
        )
    slot = (WIDTH - LEFT - RIGHT) / max(weeks, 1) * 0.6
    for week, done, planned in panel.bars:
        # A week's bar sits in the middle of its week, between week - 1 and week.
        x = _x(week - 0.5, weeks) - slot / 2
        if planned:
            out.append(
                f'<rect x="{x:.1f}" y="{y(planned):.1f}" width="{slot:.1f}" '
                f'height="{y(panel.low) - y(planned):.1f}" fill="none" stroke="{BAR}"/>'
            )
        if done:
            out.append(
                f'<rect x="{x:.1f}" y="{y(done):.1f}" width="{slot:.1f}" '
                f'height="{y(panel.low) - y(done):.1f}" fill="{BAR}"/>'
            )
    if len(panel.points) > 1:
        path = " ".join(f"{_x(w, weeks):.1f},{y(v):.1f}" for w, v in panel.points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for at, value in panel.points:
        out.append(f'<circle cx="{_x(at, weeks):.1f}" cy="{y(value):.1f}" r="4" fill="{LINE}"/>')
    return out


def svg(chart: Chart) -> str:
    """The chart as an inline <svg> element with a title and a description for screen readers."""
    height = TOP + GAP + len(chart.panels) * (PANEL + GAP) + 24
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart.key}-title {chart.key}-desc" '
        f'class="followup-chart" font-family="sans-serif">',
        f'<title id="{chart.key}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart.key}-desc">{escape(chart.description)}</desc>',
    ]
    for i, panel in enumerate(chart.panels):
        top = TOP + GAP + i * (PANEL + GAP)
        parts.extend(_panel(panel, top, chart.weeks))
    axis = TOP + GAP + len(chart.panels) * (PANEL + GAP) - GAP + 16
    for week in range(chart.weeks + 1):
        if week % 2 == 0 or chart.weeks <= 8:
            parts.append(
                f'<text x="{_x(week, chart.weeks):.1f}" y="{axis:.1f}" font-size="12" '
                f'text-anchor="middle" fill="{INK}">{week}</text>'
            )
    parts.append(
        f'<text x="{(LEFT + WIDTH - RIGHT) / 2:.1f}" y="{axis + 15:.1f}" font-size="12" '
        f'text-anchor="middle" fill="{INK}">Week</text>'
    )
    parts.append("</svg>")
    return "".join(parts)
