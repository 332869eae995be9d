"""Server-side SVG charts: no JavaScript, no CDN, readable by screen readers.

Each chart is an ``<svg role="img">`` labelled by its own ``<title>`` and ``<desc>``; the page
shows the same numbers in a table next to it (the chart is never the only place a figure
appears). Every text is escaped here; the result is safe to insert into a template.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The drawing's own coordinate system; the SVG scales to its container's width. A page can
# draw the same data twice (wide for a desktop, narrow for a phone, where a wide drawing
# scaled down would shrink its labels below reading size) and show one by a media query.
WIDE = (640, 300)
# Drawn at the width it is shown at on a 360 px phone, so its 12 px labels stay 12 px.
NARROW = (300, 260)
MARGIN_RIGHT = 8
MARGIN_TOP = 16
MARGIN_BOTTOM = 48
GRID_STEPS = 4


@dataclass(frozen=True)
class MonthValue:
    month: date
    bar: int  # drawn as a bar (e.g. received)
    line: int  # drawn as a line with points (e.g. finished)


def nice_ceiling(value: int, steps: int = GRID_STEPS) -> int:
    """The smallest round number ≥ ``value`` that divides into ``steps`` round grid steps."""
    if value <= 0:
        return steps
    raw = value / steps
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw and float(step).is_integer():
            return int(step * steps)
    return int(10 * magnitude * steps)  # pragma: no cover - factor 10 always fits


def _n(value: int) -> str:
    return formats.number_format(value, force_grouping=True)


def _f(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def monthly_bar_line_chart(
    points: Sequence[MonthValue],
    *,
    chart_id: str,
    title: str,
    description: str,
    bar_label: str,
    line_label: str,
    size: tuple[int, int] = WIDE,
    font_size: int = 13,
) -> SafeString:
    """Bars for one monthly series, a line for the other, on one axis starting at zero."""
    width, height = size
    top = nice_ceiling(max([p.bar for p in points] + [p.line for p in points] + [0]))
    # Room for the widest axis label (digits are about 0.6 em wide).
    margin_left = 12 + int(0.6 * font_size * len(_n(top)))
    plot_w = width - margin_left - MARGIN_RIGHT
    plot_h = height - MARGIN_TOP - MARGIN_BOTTOM
    slot = plot_w / max(len(points), 1)
    bottom = MARGIN_TOP + plot_h

    def y(value: int) -> float:
        return bottom - plot_h * value / top

    cid = escape(chart_id)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-title {cid}-desc" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="inherit" font-size="{font_size}">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
        '<g class="chart-grid" aria-hidden="true">',
    ]
    for i in range(GRID_STEPS + 1):
        value = top * i // GRID_STEPS
        gy = _f(y(value))
        parts.append(
            f'<line x1="{margin_left}" x2="{width - MARGIN_RIGHT}" y1="{gy}" y2="{gy}" '
            f'stroke="#cfd8d4" stroke-width="1"/>'
            f'<text x="{margin_left - 6}" y="{gy}" dy="4" text-anchor="end" '
            f'fill="#4d5a55">{escape(_n(value))}</text>'
        )
    parts.append("</g>")

    bar_w = slot * 0.56
    parts.append(f'<g class="chart-bars" aria-hidden="true"><title>{escape(bar_label)}</title>')
    for i, p in enumerate(points):
        x = margin_left + slot * i + (slot - bar_w) / 2
        h = bottom - y(p.bar)
        parts.append(
            f'<rect x="{_f(x)}" y="{_f(y(p.bar))}" width="{_f(bar_w)}" height="{_f(h)}" '
            f'rx="2" fill="#137352"/>'
        )
    parts.append("</g>")

    coords = [(margin_left + slot * i + slot / 2, y(p.line)) for i, p in enumerate(points)]
    if coords:
        path = " ".join(f"{_f(cx)},{_f(cy)}" for cx, cy in coords)
        parts.append(
            f'<g class="chart-line" aria-hidden="true"><title>{escape(line_label)}</title>'
            f'<polyline points="{path}" fill="none" stroke="#8a5300" stroke-width="3" '
            f'stroke-linejoin="round"/>'
        )
        for cx, cy in coords:
            parts.append(
                f'<circle cx="{_f(cx)}" cy="{_f(cy)}" r="4.5" fill="#fff" stroke="#8a5300" '
                f'stroke-width="3"/>'
            )
        parts.append("</g>")

    parts.append('<g class="chart-axis" aria-hidden="true">')
    for i, p in enumerate(points):
        cx = _f(margin_left + slot * i + slot / 2)
        parts.append(
            f'<text x="{cx}" y="{bottom + 18}" text-anchor="middle" fill="#1b2420">'
            f"{escape(formats.date_format(p.month, 'M'))}</text>"
        )
        if i == 0 or p.month.month == 1:
            parts.append(
                f'<text x="{cx}" y="{bottom + 36}" text-anchor="middle" fill="#4d5a55" '
                f'font-size="{font_size - 1}">{p.month.year}</text>'
            )
    parts.append("</g></svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
