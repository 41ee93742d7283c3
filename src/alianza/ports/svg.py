"""Small server-rendered SVG charts for the ports pages: no script, no inline style (CSP).

Each chart has a title and a description (``role="img"``, ``aria-labelledby``), an axis title
on each axis (the y axis's with its unit: "Mean wait (minutes)"); the page puts the same
figures in a table next to it. Colours come from CSS classes (``s0``…, ``f0``…).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 78, 16, 34, 54


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return float(step * power)
    return float(10 * power)


def _number(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}M"
    if value >= 1000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def _frame(chart_id: str, title: str, description: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(description)}</desc>' + "".join(body) + "</svg>"
    )


def _axes(top: float, labels: Sequence[str], every: int, titles: tuple[str, str]) -> list[str]:
    """Grid, ticks and the two axis titles: ``titles`` = (x title, y title with its unit)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    x_title, y_title = titles
    middle = TOP + plot_h / 2
    parts = [
        f'<text class="axis-title x-title" x="{LEFT + plot_w / 2:.1f}" y="{HEIGHT - 8}" '
        f'text-anchor="middle">{escape(x_title)}</text>',
        f'<text class="axis-title y-title" x="16" y="{middle:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {middle:.1f})">{escape(y_title)}</text>',
    ]
    for i in range(5):
        value = top * i / 4
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}"/>'
        )
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_number(value)}</text>'
        )
    bottom = TOP + plot_h
    parts.append(f'<line class="axis" x1="{LEFT}" x2="{LEFT}" y1="{TOP}" y2="{bottom}"/>')
    parts.append(
        f'<line class="axis" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{bottom}" y2="{bottom}"/>'
    )
    step = plot_w / max(1, len(labels))
    for i, label in enumerate(labels):
        if i % every == 0:
            x = LEFT + step * (i + 0.5)
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle">'
                f"{escape(label)}</text>"
            )
    return parts


def line_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    x_title: str,
    y_title: str,
    every: int = 1,
) -> str:
    """Lines over categorical x labels; ``None`` breaks a line (not reported is not 0).
    ``y_title`` names the quantity and its unit ("Crossings a year (people or vehicles)")."""
    values = [v for _n, vs in series for v in vs if v is not None]
    top = _nice_max(max(values, default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels))
    body = _axes(top, labels, every, (x_title, y_title))
    legend = []
    for index, (name, points) in enumerate(series):
        segments: list[list[str]] = [[]]
        for i, value in enumerate(points):
            if value is None:
                segments.append([])
                continue
            x = LEFT + step * (i + 0.5)
            y = TOP + plot_h - plot_h * value / top
            segments[-1].append(f"{x:.1f},{y:.1f}")
        for segment in segments:
            if len(segment) > 1:
                body.append(f'<polyline class="s{index % 5}" points="{" ".join(segment)}"/>')
            elif segment:
                cx, cy = segment[0].split(",")
                body.append(f'<circle class="f{index % 5}" cx="{cx}" cy="{cy}" r="3"/>')
        legend.append(name)
    x, y = 8.0, 10  # the legend above the plot, each entry as wide as its name
    for index, name in enumerate(legend):
        needed = 16 + 7 * len(name) + 14  # about 7 units a character at 12px
        if x + needed > WIDTH - RIGHT and x > 8:  # a second line rather than off the edge
            x, y = 8.0, y + 14
        body.append(f'<rect class="f{index % 5}" x="{x:.1f}" y="{y}" width="12" height="4"/>')
        body.append(f'<text x="{x + 16:.1f}" y="{y + 6}">{escape(name)}</text>')
        x += needed
    span = f"{labels[0]}–{labels[-1]}" if labels else ""
    description = f"{y_title}; {x_title} {span}: " + "; ".join(legend) + "."
    return _frame(chart_id, title, description, body)


def bar_chart(
    chart_id: str,
    title: str,
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    x_title: str,
    y_title: str,
) -> str:
    """One bar per label; a missing value draws no bar. ``y_title`` carries the unit."""
    top = _nice_max(max((v for v in values if v is not None), default=0.0))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(1, len(labels))
    body = _axes(top, labels, 1 if len(labels) <= 24 else 2, (x_title, y_title))
    for i, value in enumerate(values):
        if value is None:
            continue
        height = plot_h * value / top
        x = LEFT + step * i + step * 0.15
        body.append(
            f'<rect class="f0" x="{x:.1f}" y="{TOP + plot_h - height:.1f}" '
            f'width="{step * 0.7:.1f}" height="{height:.1f}"><title>{escape(labels[i])}: '
            f"{value:.1f}</title></rect>"
        )
    description = f"{y_title}; {x_title}: " + ", ".join(
        f"{label}: {value:.1f}"
        for label, value in zip(labels, values, strict=True)
        if value is not None
    )
    return _frame(chart_id, title, description, body)
