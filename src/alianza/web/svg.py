"""Charts and the border map as server-rendered SVG (no JavaScript, no chart library).

Every figure carries ``role="img"``, a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``); the pages put a data table beside each one. Colours come from
presentation attributes and static/app.css classes (the CSP forbids inline styles).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from alianza.seizures.geo import Projection, border_line, state_labels

_ids = itertools.count(1)


def _head(width: float, height: float, title: str, desc: str, css: str) -> tuple[str, str]:
    ident = f"svg{next(_ids)}"
    head = (
        f'<svg class="{css}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return ident, head


def bar_chart(
    title: str,
    desc: str,
    bars: Sequence[tuple[str, float | None]],
    *,
    fmt: Callable[[float], str],
    not_reported: str,
    width: int = 520,
) -> Markup:
    """Horizontal bars, one per (label, value); ``None`` is written out as "not reported"
    (no bar), distinct from a zero-length bar."""
    row, pad = 26, 8
    longest = max((min(len(label), 28) for label, _v in bars), default=4)
    label_w = min(220, 7.5 * longest + 14)  # about 7.5 units a character at 13px
    height = max(1, len(bars)) * row + 2 * pad
    top = max((v for _l, v in bars if v is not None), default=0.0)
    bar_w = width - label_w - 90
    _ident, head = _head(width, height, title, desc, "chart")
    parts = [head]
    for index, (label, value) in enumerate(bars):
        y = pad + index * row
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(
            f'<text x="{label_w - 6}" y="{y + row / 2 + 5}" text-anchor="end" '
            f'class="chart-label">{escape(short)}</text>'
        )
        if value is None:
            parts.append(
                f'<text x="{label_w + 4}" y="{y + row / 2 + 5}" class="chart-none">'
                f"{escape(not_reported)}</text>"
            )
            continue
        length = 0.0 if top <= 0 else max(0.0, value) / top * bar_w
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{length:.1f}" height="{row - 8}" '
            f'class="chart-bar"><title>{escape(label)}: {escape(fmt(value))}</title></rect>'
        )
        parts.append(
            f'<text x="{label_w + length + 5:.1f}" y="{y + row / 2 + 5}" class="chart-value">'
            f"{escape(fmt(value))}</text>"
        )
    parts.append("</svg>")
    return Markup("".join(parts))


@dataclass(frozen=True)
class MapMark:
    label: str  # shown in the tooltip and the table
    longitude: float
    latitude: float
    value: float | None  # None: not reported
    shown: str  # the value as the page writes it
    kind: str  # "port" (port-level records) | "area" (field office or sector totals)


def border_map(
    title: str,
    desc: str,
    marks: Sequence[MapMark],
    *,
    country_labels: tuple[str, str],
    width: int = 960,
) -> Markup:
    """The border line, state names, and one circle (port) or square (area) per mark, its
    area proportional to the value (circles and squares on separate scales). Squares are
    drawn first so that the circles stay on top."""
    project = Projection.of_width(width)
    _ident, head = _head(project.width, project.height, title, desc, "map")
    parts = [head, f'<rect width="{project.width:g}" height="{project.height:g}" class="map-bg"/>']
    points = " ".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in border_line()))
    parts.append(f'<polyline points="{points}" class="map-border"/>')
    for state in state_labels():
        x, y = project(state.longitude, state.latitude)
        parts.append(
            f'<text x="{x}" y="{y}" text-anchor="middle" class="map-state map-{state.country}">'
            f"{escape(state.name)}</text>"
        )
    us, mx = country_labels
    parts.append(
        f'<text x="{project.width * 0.42:.0f}" y="40" class="map-country">{escape(us)}</text>'
    )
    parts.append(
        f'<text x="{project.width * 0.30:.0f}" y="{project.height - 30:.0f}" '
        f'class="map-country">{escape(mx)}</text>'
    )
    # one scale per kind: port-level records and area totals differ by orders of magnitude
    tops = {
        kind: max((m.value or 0.0 for m in marks if m.kind == kind), default=0.0)
        for kind in ("port", "area")
    }
    biggest = {"port": 16.0, "area": 26.0}  # radius of the largest mark of each kind
    for mark in sorted(marks, key=lambda m: (m.kind != "area", -(m.value or 0))):
        x, y = project(mark.longitude, mark.latitude)
        top = tops.get(mark.kind, 0.0)
        size = 3.0
        if mark.value and top > 0:
            size = max(3.0, biggest.get(mark.kind, 16.0) * math.sqrt(mark.value / top))
        tip = f"<title>{escape(mark.label)}: {escape(mark.shown)}</title>"
        if mark.kind == "port":
            parts.append(
                f'<circle cx="{x}" cy="{y}" r="{size:.1f}" class="map-port">{tip}</circle>'
            )
        else:
            side = size * 1.77  # same area as the circle
            parts.append(
                f'<rect x="{x - side / 2:.1f}" y="{y - side / 2:.1f}" width="{side:.1f}" '
                f'height="{side:.1f}" class="map-area">{tip}</rect>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))
