"""Small server-rendered SVG charts that work on screen and on paper (WeasyPrint), without JavaScript.

Accessibility: each chart is `role="img"`, named by its `<title>` (aria-labelledby) and described by its
`<desc>` (aria-describedby), which lists every figure in words. The template always puts a real `<table>`
beside the picture. Colours are at least 3:1 against white and the lines also differ by dash pattern and
are labelled in a legend, so nothing relies on colour alone.

CSP: only SVG presentation attributes (fill, stroke, font-size…), never a `style` attribute.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from html import escape  # the stdlib's: Django's wrapper checks every argument for laziness

from django.utils.safestring import SafeString, mark_safe

INK = "#1b1f24"
INK_SOFT = "#424a53"
GRID = "#d0d4d9"
MAIN = "#0b5d57"
OTHER = "#5b6470"
# (colour, dash pattern): brand teal, rust, blue, violet, grey, plum — all ≥ 4.5:1 on white.
SERIES_STYLES = [
    (MAIN, ""),
    ("#9a3412", "8 4"),
    ("#1d4ed8", "3 3"),
    ("#6d28d9", "10 3 2 3"),
    ("#4b5563", "2 2"),
    ("#a21caf", "12 4"),
]
FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, DejaVu Sans, sans-serif"'


@dataclass
class Bar:
    label: str
    value: Decimal | None
    display: str
    highlight: bool = False


@dataclass
class Series:
    label: str
    values: list[Decimal | None]


def _open(chart_id: str, width: int, height: int, title: str, description: str) -> list[str]:
    cid = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" focusable="false" '
        f'aria-labelledby="{cid}-title" aria-describedby="{cid}-desc" {FONT}>',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    *, chart_id: str, title: str, description: str, bars: list[Bar], empty_label: str
) -> SafeString:
    """Horizontal bars, one per place, the label above each bar and the value at its end."""
    width, left, value_room, row = 640, 8, 150, 46
    height = row * len(bars) + 8
    values = [b.value for b in bars if b.value is not None]
    low = min([Decimal(0), *values])
    high = max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    usable = width - left - value_room
    zero_x = left + float((0 - low) / span) * usable
    out = _open(chart_id, width, height, title, description)
    for i, bar in enumerate(bars):
        top = 8 + i * row
        weight = ' font-weight="700"' if bar.highlight else ""
        out.append(
            f'<text x="{left}" y="{top + 13}" font-size="14" fill="{INK}"{weight}>{escape(bar.label)}</text>'
        )
        if bar.value is None:
            out.append(
                f'<text x="{left}" y="{top + 33}" font-size="13" fill="{INK_SOFT}" font-style="italic">'
                f"{escape(empty_label)}</text>"
            )
            continue
        end_x = left + float((bar.value - low) / span) * usable
        x, w = min(zero_x, end_x), max(abs(end_x - zero_x), 1.5)
        colour = MAIN if bar.highlight else OTHER
        out.append(f'<rect x="{x:.1f}" y="{top + 19}" width="{w:.1f}" height="18" rx="2" fill="{colour}"/>')
        out.append(
            f'<text x="{max(end_x, zero_x) + 6:.1f}" y="{top + 33}" font-size="13" fill="{INK}"{weight}>'
            f"{escape(bar.display)}</text>"
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above


def nice_step(span: float, ticks: int = 4) -> float:
    raw = span / ticks if span > 0 else 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 2.5, 5, 10):
        if raw <= multiple * magnitude:
            return multiple * magnitude
    return 10 * magnitude


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    x_labels: list[str],
    series: list[Series],
    fmt: Callable[[float], str],
) -> SafeString:
    """One line per place over the periods, with points, a y axis from zero and a legend."""
    width, plot_h = 640, 220
    left, right, top = 72, 20, 14
    legend_top = top + plot_h + 40
    height = legend_top + 22 * len(series) + 4
    numbers = [float(v) for s in series for v in s.values if v is not None]
    low = min([0.0, *numbers])
    high = max([0.0, *numbers]) or 1.0
    step = nice_step(high - low)
    y_min = math.floor(low / step) * step
    y_max = math.ceil(high / step) * step
    if y_max == y_min:
        y_max = y_min + step
    plot_w = width - left - right
    n = len(x_labels)

    def x_at(i: int) -> float:
        return left + (plot_w / 2 if n == 1 else i * plot_w / (n - 1))

    def y_at(v: float) -> float:
        return top + plot_h - (v - y_min) / (y_max - y_min) * plot_h

    out = _open(chart_id, width, height, title, description)
    tick = y_min
    while tick <= y_max + step / 1000:
        y = y_at(tick)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{left - 8}" y="{y + 4:.1f}" font-size="12" fill="{INK_SOFT}" text-anchor="end">'
            f"{escape(fmt(tick))}</text>"
        )
        tick += step
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="{INK_SOFT}"/>'
    )
    every = max(1, math.ceil(n / 10))
    for i, label in enumerate(x_labels):
        if i % every == 0 or i == n - 1:
            out.append(
                f'<text x="{x_at(i):.1f}" y="{top + plot_h + 20}" font-size="12" fill="{INK_SOFT}" '
                f'text-anchor="middle">{escape(label)}</text>'
            )
    for index, s in enumerate(series):
        colour, dash = SERIES_STYLES[index % len(SERIES_STYLES)]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        width_attr = "3" if index == 0 else "2"
        segment: list[str] = []
        points: list[str] = []
        for i, value in enumerate([*s.values, None]):
            if value is None:
                if len(segment) > 1:
                    out.append(
                        f'<polyline points="{" ".join(segment)}" fill="none" stroke="{colour}" '
                        f'stroke-width="{width_attr}"{dash_attr}/>'
                    )
                segment = []
                continue
            x, y = x_at(i), y_at(float(value))
            segment.append(f"{x:.1f},{y:.1f}")
            points.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>')
        out.extend(points)
        y = legend_top + 22 * index
        out.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{left + 36}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="{width_attr}"{dash_attr}/>'
        )
        out.append(
            f'<text x="{left + 44}" y="{y + 5:.1f}" font-size="13" fill="{INK}">{escape(s.label)}</text>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # noqa: S308 - every text is escaped above
