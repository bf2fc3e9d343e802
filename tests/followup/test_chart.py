"""The progress chart's SVG: readable by screen readers, within the CSP, the band in place."""

from __future__ import annotations

import re

from followup.chart import Chart, Panel, svg


def _chart() -> str:
    return svg(
        Chart(
            weeks=12,
            key="chart-7",
            description="Pain fell from 5 to 2 <out of 10>.",
            panels=[
                Panel("Sessions done", "of those planned", 0, 3, bars=[(1, 3, 3), (2, 1, 3)]),
                Panel("Pain", "0 to 10", 0, 10, points=[(0.5, 5), (1.5, 2)], band=(3, 7)),
            ],
        )
    )


def test_it_has_a_title_and_a_description_for_screen_readers():
    markup = _chart()
    assert 'role="img"' in markup
    assert 'aria-labelledby="chart-7-title chart-7-desc"' in markup
    assert '<desc id="chart-7-desc">Pain fell from 5 to 2 &lt;out of 10&gt;.</desc>' in markup


def test_it_needs_no_script_and_no_style_attribute():
    markup = _chart()
    assert "<script" not in markup
    assert "style=" not in markup


def test_the_band_spans_the_baseline_plus_and_minus_the_smallest_real_change():
    markup = _chart()
    # The pain panel: 0 to 10 over 84 px; a band from 3 to 7 is 4/10 of it.
    bands = re.findall(
        r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill="#d2e2f1"', markup
    )
    assert len(bands) == 1
    assert abs(float(bands[0][1]) - 84 * 0.4) < 0.2


def test_values_outside_the_range_stay_inside_the_panel():
    markup = svg(Chart(weeks=12, panels=[Panel("Pain", "0 to 10", 0, 10, points=[(1, 14)])]))
    frame = re.search(r'<rect x="[\d.]+" y="([\d.]+)"', markup)
    dot = re.search(r'<circle cx="[\d.]+" cy="([\d.]+)"', markup)
    assert frame and dot
    assert float(dot.group(1)) == float(frame.group(1))
