"""Table bars and the border map as server-rendered SVG (no JavaScript, no chart library).

The map carries ``role="img"``, a ``<title>`` and a ``<desc>`` (referenced by
``aria-labelledby``), with its data table beside it; a bar is drawn inside its table row.
Colours come from presentation attributes and static/app.css classes (the CSP forbids inline
styles).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from alianza.seizures.geo import RIVER_FROM, Projection, border_region, state_labels

_ids = itertools.count(1)


def _head(width: float, height: float, title: str, desc: str, css: str) -> tuple[str, str]:
    ident = f"svg{next(_ids)}"
    head = (
        f'<svg class="{css}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{ident}-t {ident}-d" xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>'
    )
    return ident, head


def bar_cell(value: float | None, top: float) -> Markup | None:
    """A bar for one table row: ``value`` from zero to ``top`` (the largest row's) as a share of
    the cell's width. The chart is a column of the table, so each bar sits in its figures' row;
    the bar is ``aria-hidden`` (the row's figure says the same). None for a value not reported
    (not a zero-length bar)."""
    if value is None:
        return None
    share = 0.0 if top <= 0 else max(0.0, min(1.0, value / top))
    return Markup(
        '<svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" '
        f'focusable="false"><rect width="{100 * share:.2f}" height="10"/></svg>'
    )


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
    river_label: str = "Rio Grande",
    side: str = "US",
    width: int = 960,
    state_names: Mapping[str, str] | None = None,
) -> Markup:
    """Land, US and Mexican states, the boundary (the Rio Grande drawn as a river), state
    names, and one circle (port) or square (area) per mark, its area proportional to the value
    (circles and squares on separate scales). Each mark sits on ``side``'s side of the drawn
    boundary and clear of the marks already placed (biggest first), joined to its true
    position by a thin line when it had to move. Squares are drawn first so that the circles
    stay on top.

    Placing the marks clear of the boundary and of each other costs about a second at twenty
    marks, so a map is drawn once for the same arguments and kept (:data:`MAPS_KEPT` of them,
    least recently used dropped): the marks carry the figures, so new records give new marks
    and a new drawing; the same figures are not placed again on each view."""
    return _border_map(
        title,
        desc,
        tuple(marks),
        country_labels,
        river_label,
        side,
        width,
        tuple(sorted((state_names or {}).items())),
    )


MAPS_KEPT = 64


@lru_cache(maxsize=MAPS_KEPT)
def _border_map(
    title: str,
    desc: str,
    marks: tuple[MapMark, ...],
    country_labels: tuple[str, str],
    river_label: str,
    side: str,
    width: int,
    state_pairs: tuple[tuple[str, str], ...],
) -> Markup:
    state_names = dict(state_pairs)
    project = Projection.of_width(width)
    _ident, head = _head(project.width, project.height, title, desc, "map")
    region = border_region()
    parts = [head, f'<rect width="{project.width:g}" height="{project.height:g}" class="map-sea"/>']
    for ring in region.land:
        parts.append(f'<polygon points="{_points(project, ring)}" class="map-land"/>')
    for _name, ring in region.states:
        parts.append(f'<polygon points="{_points(project, ring)}" class="map-us-state"/>')
    for name, ring in region.mx_states:
        parts.append(
            f'<polygon points="{_points(project, ring)}" class="map-mx-state" '
            f'data-state="{escape(name)}"/>'
        )
    parts.append(f'<polyline points="{_points(project, region.boundary)}" class="map-border"/>')
    river = [p for p in region.boundary if p[0] >= RIVER_FROM]
    parts.append(f'<polyline points="{_points(project, river)}" class="map-river"/>')
    rx, ry = project(-103.0, 29.2)
    parts.append(
        f'<text x="{rx}" y="{ry}" class="map-river-label" text-anchor="middle">'
        f"{escape(river_label)}</text>"
    )
    labels_at = len(parts)  # state names go here, once the marks are placed (they avoid them)
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
    line = _Boundary([project(lon, lat) for lon, lat in region.boundary])
    placed: list[tuple[float, float, float]] = []
    drawn: list[tuple[MapMark, float, float, float, float, float]] = []
    for mark in sorted(marks, key=lambda m: -(m.value or 0)):
        x0, y0 = project(mark.longitude, mark.latitude)
        top = tops.get(mark.kind, 0.0)
        size = 3.0
        if mark.value and top > 0:
            size = max(3.0, biggest.get(mark.kind, 16.0) * math.sqrt(mark.value / top))
        x, y = _clear_of(line, placed, x0, y0, size, north=side == "US")
        placed.append((x, y, size))
        drawn.append((mark, x0, y0, x, y, size))
    names = []
    taken: list[tuple[float, float, float, float]] = []  # the state names placed so far
    for state in state_labels():
        x, y = project(state.longitude, state.latitude)
        name = state_names.get(state.name, state.name)  # in the page's language
        away = -1 if state.country == "US" else 1
        y = _label_clear_of(placed, taken, x, y, len(name), away=away)
        half = LABEL_CHAR * len(name) / 2
        taken.append((x - half, y - LABEL_ASCENT, x + half, y + LABEL_DESCENT))
        names.append(
            f'<text x="{x}" y="{y:.1f}" text-anchor="middle" class="map-state '
            f'map-{state.country}">{escape(name)}</text>'
        )
    parts[labels_at:labels_at] = names
    drawn.sort(key=lambda d: d[0].kind != "area")
    for mark, x0, y0, x, y, size in drawn:
        tip = f"<title>{escape(mark.label)}: {escape(mark.shown)}</title>"
        if math.hypot(x - x0, y - y0) > size:
            parts.append(
                f'<line x1="{x0}" y1="{y0}" x2="{x:.1f}" y2="{y:.1f}" class="map-leader"/>'
            )
        if mark.kind == "port":
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{size:.1f}" class="map-port">{tip}</circle>'
            )
        else:
            half = size * 1.77 / 2  # same area as the circle
            parts.append(
                f'<rect x="{x - half:.1f}" y="{y - half:.1f}" width="{2 * half:.1f}" '
                f'height="{2 * half:.1f}" class="map-area">{tip}</rect>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


LABEL_CHAR, LABEL_ASCENT, LABEL_DESCENT = 7.8, 11.0, 3.0  # a state name at 13px, per char


def _label_clear_of(
    placed: Sequence[tuple[float, float, float]],
    taken: Sequence[tuple[float, float, float, float]],
    x: float,
    y: float,
    chars: int,
    *,
    away: int,
) -> float:
    """The baseline nearest to ``y`` (moving ``away`` from the border first: -1 up, 1 down)
    at which a centred label of ``chars`` characters overlaps no placed mark and no label
    already ``taken`` (boxes: left, top, right, bottom)."""
    half = LABEL_CHAR * chars / 2

    def clear(baseline: float) -> bool:
        top, bottom = baseline - LABEL_ASCENT, baseline + LABEL_DESCENT
        for cx, cy, r in placed:
            dx = max(x - half - cx, 0.0, cx - (x + half))
            dy = max(top - cy, 0.0, cy - bottom)
            if math.hypot(dx, dy) < r + 2:
                return False
        return not any(
            x - half < right + 4 and left - 4 < x + half and top < lower + 2 and upper - 2 < bottom
            for left, upper, right, lower in taken
        )

    for step in range(0, 12):
        for direction in (away, -away):
            candidate = y + direction * 7 * step
            if clear(candidate):
                return candidate
    return y


def _points(project: Projection, ring: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x},{y}" for x, y in (project(lon, lat) for lon, lat in ring))


def _clear_of(
    line: Sequence[tuple[float, float]],
    placed: Sequence[tuple[float, float, float]],
    x: float,
    y: float,
    size: float,
    *,
    north: bool,
) -> tuple[float, float]:
    """The nearest position to (x, y), in drawing coordinates, on the wanted side of the
    boundary, at least ``size`` + 1 from it and not overlapping a mark already placed: moved
    away from the line (along the normal at its nearest point, either way round where the
    line winds) until all three hold."""
    nx, ny, px, py = _nearest(line, x, y)
    if ny > 0 if north else ny < 0:  # the normal must point into the wanted country
        nx, ny = -nx, -ny
    ahead = (x - px) * nx + (y - py) * ny  # signed distance, positive on the wanted side

    def fits(cx: float, cy: float) -> bool:  # the cheapest test first (a pass over the
        return (  # marks placed), then the passes over the boundary's points
            all(math.hypot(cx - ox, cy - oy) >= size + r + 1 for ox, oy, r in placed)
            and _north_of(line, cx, cy) is north
            and _distance(line, cx, cy) >= size + 1
        )

    start = max(ahead, size + 1.5)
    for step in (start + 2.0 * i for i in range(40)):
        cx, cy = px + nx * step, py + ny * step
        if fits(cx, cy):
            return cx, cy
    for radius in range(2, 200, 2):  # where the line winds: the nearest free spot around
        for degrees in range(0, 360, 10):
            cx = x + radius * math.cos(math.radians(degrees))
            cy = y + radius * math.sin(math.radians(degrees))
            if fits(cx, cy):
                return cx, cy
    return x, y


class _Boundary(list[tuple[float, float]]):
    """The boundary's points in drawing coordinates, with their segments as arrays, so that a
    candidate spot is tested against all of them at once (numpy) and only the few segments
    that can be the nearest are then measured one by one, exactly as before."""

    def __init__(self, points: Sequence[tuple[float, float]]) -> None:
        import numpy as np

        super().__init__(points)
        polygon = [*points, (points[-1][0], -1e6), (points[0][0], -1e6)]
        closed = np.array(polygon, dtype=float)
        # the polygon's edges as _north_of walks them: from each point to the one before it
        self.x1, self.y1 = closed[:, 0], closed[:, 1]
        self.x2, self.y2 = np.roll(self.x1, 1), np.roll(self.y1, 1)
        ends = np.array(points, dtype=float)
        self.ax, self.ay = ends[:-1, 0], ends[:-1, 1]
        self.dx, self.dy = ends[1:, 0] - self.ax, ends[1:, 1] - self.ay
        self.length2 = self.dx * self.dx + self.dy * self.dy


def _north_of(line: Sequence[tuple[float, float]], x: float, y: float) -> bool:
    """Whether (x, y) lies north of the line (the line closed through the top of the map)."""
    if isinstance(line, _Boundary):
        import numpy as np

        straddles = (line.y1 > y) != (line.y2 > y)
        x1, y1 = line.x1[straddles], line.y1[straddles]
        x2, y2 = line.x2[straddles], line.y2[straddles]
        crossings = np.count_nonzero(x < (x2 - x1) * (y - y1) / (y2 - y1) + x1)
        return bool(crossings % 2)
    polygon = [*line, (line[-1][0], -1e6), (line[0][0], -1e6)]
    inside = False
    previous = polygon[-1]
    for x1, y1 in polygon:
        x2, y2 = previous
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
        previous = (x1, y1)
    return inside


def _distance(line: Sequence[tuple[float, float]], x: float, y: float) -> float:
    _nx, _ny, px, py = _nearest(line, x, y)
    return math.hypot(x - px, y - py)


def _nearest(
    line: Sequence[tuple[float, float]], x: float, y: float
) -> tuple[float, float, float, float]:
    """The unit normal (pointing north, towards smaller y) of the boundary segment nearest to
    (x, y), and the nearest point on it."""
    best = (math.inf, 0.0, -1.0, x, y)
    segments: Iterable[tuple[tuple[float, float], tuple[float, float]]] = itertools.pairwise(line)
    if isinstance(line, _Boundary) and len(line) > 1:
        # every segment's distance at once; then, in their order, only those within a hair of
        # the smallest (the one measured below as the nearest is among them, ties included)
        import numpy as np

        with np.errstate(divide="ignore", invalid="ignore"):
            t = np.clip(((x - line.ax) * line.dx + (y - line.ay) * line.dy) / line.length2, 0, 1)
        far = np.hypot(x - (line.ax + t * line.dx), y - (line.ay + t * line.dy))
        far[line.length2 == 0] = np.inf
        near = np.flatnonzero(far <= far.min() + 1e-6)
        segments = [(line[i], line[i + 1]) for i in near.tolist()]
    for (ax, ay), (bx, by) in segments:
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        if length2 == 0:
            continue
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2))
        qx, qy = ax + t * dx, ay + t * dy
        distance = math.hypot(x - qx, y - qy)
        if distance < best[0]:
            length = math.sqrt(length2)
            nx, ny = dy / length, -dx / length  # left of west→east: north
            if ny > 0:
                nx, ny = -nx, -ny
            best = (distance, nx, ny, qx, qy)
    return best[1], best[2], best[3], best[4]
