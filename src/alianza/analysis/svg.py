"""Charts of the joint analysis as inline SVG for the web pages: drawn on the server, no script,
no style attributes (presentation attributes only, so a strict CSP holds), and accessible: each
chart is ``role="img"`` with a title and a description that states the figures in words; the
same figures are in the tables beside it.
"""

from __future__ import annotations

import math
from html import escape

from alianza.analysis.joint import COUNTRIES, JointAnalysis

COLORS = {"US": "#0b4f6c", "MX": "#b5651d"}
WIDTH = 640
FONT = 'font-family="system-ui, sans-serif" font-size="14"'


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * magnitude:
            return float(step * magnitude)
    return float(10 * magnitude)


def _number(value: float) -> str:
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def _open(chart_id: str, height: int, title: str, description: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _legend(y: int) -> list[str]:
    parts = []
    for index, country in enumerate(COUNTRIES):
        x = 60 + index * 90
        parts.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{COLORS[country]}"/>'
        )
        parts.append(f'<text x="{x + 18}" y="{y}" {FONT} fill="#1b1f24">{country}</text>')
    return parts


def _axis_titles(
    left: int, right: int, top: int, bottom: int, height: int, titles: tuple[str, str]
) -> list[str]:
    """The x axis's title at the foot of the chart, the y axis's (with its unit) along the
    plot's left side."""
    x_title, y_title = titles
    middle = (top + bottom) / 2
    return [
        f'<text class="axis-title x-title" x="{(left + right) / 2:.1f}" y="{height - 6}" {FONT} '
        f'text-anchor="middle" fill="#444c56">{escape(x_title)}</text>',
        f'<text class="axis-title y-title" x="14" y="{middle:.1f}" {FONT} text-anchor="middle" '
        f'fill="#444c56" transform="rotate(-90 14 {middle:.1f})">{escape(y_title)}</text>',
    ]


def _axis(left: int, top: int, bottom: int, right: int, maximum: float) -> list[str]:
    parts = []
    for i in range(5):
        value = maximum * i / 4
        y = bottom - (bottom - top) * i / 4
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{right}" y2="{y:.1f}" stroke="#d0d7de"/>')
        parts.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" {FONT} text-anchor="end" fill="#57606a">'
            f"{_number(value)}</text>"
        )
    return parts


def grouped_bars(
    chart_id: str,
    title: str,
    categories: list[tuple[str, dict[str, float]]],
    unit: str,
    *,
    titles: tuple[str, str] | None = None,
) -> str:
    """One group of bars (US, MX) per category; ``categories`` = (label, country → value);
    ``titles`` = (x axis title, y axis title with its unit)."""
    height = 340
    left, top, right, bottom = 84, 36, WIDTH - 10, height - 100
    maximum = _nice_max(max((v for _l, c in categories for v in c.values()), default=0.0))
    words = "; ".join(
        f"{label}: " + ", ".join(f"{c} {_number(values.get(c, 0.0))}" for c in COUNTRIES)
        for label, values in categories
    )
    parts = _open(chart_id, height, title, f"{unit}. {words}" if categories else unit)
    parts += _legend(18)
    parts += _axis(left, top, bottom, right, maximum)
    if titles is not None:
        parts += _axis_titles(left, right, top, bottom, height, titles)
    group = (right - left) / max(len(categories), 1)
    bar = min(group * 0.38, 40)
    for index, (label, values) in enumerate(categories):
        centre = left + group * (index + 0.5)
        for offset, country in enumerate(COUNTRIES):
            value = values.get(country, 0.0)
            bar_height = (bottom - top) * value / maximum
            x = centre + (offset - 1) * bar
            parts.append(
                f'<rect x="{x:.1f}" y="{bottom - bar_height:.1f}" width="{bar:.1f}" '
                f'height="{bar_height:.1f}" fill="{COLORS[country]}">'
                f"<title>{escape(label)} {country}: {_number(value)} {escape(unit)}</title></rect>"
            )
        parts.append(
            f'<text x="{centre:.1f}" y="{bottom + 16}" {FONT} text-anchor="end" fill="#1b1f24" '
            f'transform="rotate(-25 {centre:.1f} {bottom + 16})">{escape(label[:22])}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts)


def trend_series(
    analysis: JointAnalysis, drug: str | None = None
) -> tuple[list[str], dict[str, list[float | None]]]:
    """The trend's quarters and, per country, the kilograms of ``drug`` (or of all drugs) in
    each (None where nothing was exchanged): what the trend chart draws and its table lists."""
    quarters = list(analysis.trend)
    series: dict[str, list[float | None]] = {}
    for country in COUNTRIES:
        values: list[float | None] = []
        for quarter in quarters:
            figures = analysis.trend[quarter].get(country, {})
            kept = (
                figures.values() if drug is None else [f for d, f in figures.items() if d == drug]
            )
            kg = [f.kg for f in kept if f.kg is not None]
            values.append(sum(kg) if kg else None)
        series[country] = values
    return quarters, series


def trend_lines(
    chart_id: str,
    title: str,
    analysis: JointAnalysis,
    unit: str = "kg",
    drug: str | None = None,
    *,
    titles: tuple[str, str] | None = None,
) -> str:
    """Kilograms per quarter and country of ``drug`` (on its own scale), or of all drugs (a
    gap where nothing was exchanged); ``titles`` = (x axis title, y axis title with its unit)."""
    height = 300
    left, top, right, bottom = 90, 36, WIDTH - 20, height - 64
    quarters, series = trend_series(analysis, drug)
    maximum = _nice_max(max((v for s in series.values() for v in s if v is not None), default=0))
    words = "; ".join(
        f"{country}: "
        + ", ".join(
            f"{q} {'—' if v is None else _number(v)}"
            for q, v in zip(quarters, series[country], strict=True)
        )
        for country in COUNTRIES
    )
    parts = _open(chart_id, height, title, f"{unit}. {words}")
    parts += _legend(18)
    parts += _axis(left, top, bottom, right, maximum)
    if titles is not None:
        parts += _axis_titles(left, right, top, bottom, height, titles)
    step = (right - left) / max(len(quarters) - 1, 1)
    for index, quarter in enumerate(quarters):
        x = left + step * index
        parts.append(
            f'<text x="{x:.1f}" y="{bottom + 18}" {FONT} text-anchor="middle" fill="#1b1f24">'
            f"{escape(quarter[2:])}</text>"
        )
    for country in COUNTRIES:
        points: list[tuple[float, float]] = []
        for index, value in enumerate(series[country]):
            if value is None:
                if len(points) > 1:
                    parts.append(_polyline(points, country))
                points = []
                continue
            x = left + step * index
            y = bottom - (bottom - top) * value / maximum
            points.append((x, y))
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{COLORS[country]}">'
                f"<title>{country} {quarters[index]}: {_number(value)} {unit}</title></circle>"
            )
        if len(points) > 1:
            parts.append(_polyline(points, country))
    parts.append("</svg>")
    return "\n".join(parts)


def _polyline(points: list[tuple[float, float]], country: str) -> str:
    coordinates = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    return (
        f'<polyline points="{coordinates}" fill="none" stroke="{COLORS[country]}" '
        f'stroke-width="2"/>'
    )
