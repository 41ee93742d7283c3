"""The border map's geometry: the packaged border region (``data/geo/``, see its PROVENANCE.md:
the boundary at Natural Earth 1:10m, land at 1:50m, US states from the Census Bureau, Mexican
states from Natural Earth 1:10m admin-1), the
ports of entry, and a projection from longitude/latitude to drawing coordinates.

The projection is equirectangular with longitude scaled by the cosine of the map's middle
latitude (plain and good enough at this scale: the border spans 8° of latitude).
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alianza.codes.reference import Port, ports

GEO = Path(__file__).parent / "data" / "geo"
BORDER_FILE = GEO / "border-ne110m.geojson"
REGION_FILE = GEO / "border-region.json"
# East of this longitude (El Paso / Ciudad Juárez) the boundary is the Rio Grande / Río Bravo.
RIVER_FROM = -106.53
# Longitude/latitude box of the map: the border with a margin for marks and labels.
WEST, EAST, SOUTH, NORTH = -118.4, -96.3, 24.9, 34.3


@dataclass(frozen=True)
class Projection:
    width: float
    height: float
    west: float = WEST
    east: float = EAST
    south: float = SOUTH
    north: float = NORTH

    @classmethod
    def of_width(cls, width: float) -> Projection:
        scale = math.cos(math.radians((SOUTH + NORTH) / 2))
        height = width * (NORTH - SOUTH) / ((EAST - WEST) * scale)
        return cls(width, round(height, 1))

    def __call__(self, longitude: float, latitude: float) -> tuple[float, float]:
        x = (longitude - self.west) / (self.east - self.west) * self.width
        y = (self.north - latitude) / (self.north - self.south) * self.height
        return round(x, 1), round(y, 1)


@cache
def border_line() -> tuple[tuple[float, float], ...]:
    """The border's vertices (longitude, latitude), west to east."""
    data = json.loads(BORDER_FILE.read_text("utf-8"))
    coordinates = data["features"][0]["geometry"]["coordinates"]
    return tuple((float(lon), float(lat)) for lon, lat in coordinates)


@dataclass(frozen=True)
class Region:
    """What the map draws under the marks, in longitude/latitude."""

    boundary: tuple[tuple[float, float], ...]  # west to east
    land: tuple[tuple[tuple[float, float], ...], ...]  # rings, clipped to the map's box
    states: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]  # US states: name, ring
    mx_states: tuple[tuple[str, tuple[tuple[float, float], ...]], ...]  # Mexican states


@cache
def border_region() -> Region:
    data = json.loads(REGION_FILE.read_text("utf-8"))

    def points(ring: list[list[float]]) -> tuple[tuple[float, float], ...]:
        return tuple((float(lon), float(lat)) for lon, lat in ring)

    return Region(
        points(data["boundary"]),
        tuple(points(ring) for ring in data["land"]),
        tuple((state["name"], points(state["ring"])) for state in data["states"]),
        tuple((state["name"], points(state["ring"])) for state in data["mx_states"]),
    )


def north_of_boundary(longitude: float, latitude: float) -> bool:
    """On the US side of the 1:10m boundary (the boundary closed through the north pole)."""
    line = border_region().boundary
    polygon = [*line, (line[-1][0], 90.0), (line[0][0], 90.0)]
    inside = False
    previous = polygon[-1]
    for point in polygon:
        (x1, y1), (x2, y2) = point, previous
        if (y1 > latitude) != (y2 > latitude) and longitude < (x2 - x1) * (latitude - y1) / (
            y2 - y1
        ) + x1:
            inside = not inside
        previous = point
    return inside


@dataclass(frozen=True)
class StateLabel:
    name: str
    country: str  # US | MX
    longitude: float
    latitude: float


@cache
def state_labels() -> tuple[StateLabel, ...]:
    """Border states placed at the mean position of their ports (US states north of it,
    Mexican states south: the label goes 0.9° away from the ports). A Mexican state on the
    boundary with no port of its own in the port table (Nuevo León: its one bridge, Colombia,
    is counted under Laredo) is placed at the mean of its outline's points on the map. Worked
    out once a process (the port table and the outlines are packaged files)."""
    us: dict[str, list[Port]] = defaultdict(list)
    mx: dict[str, list[Port]] = defaultdict(list)
    for port in ports().values():
        us[port.us_state].append(port)
        mx[port.mexican_state.split(" (")[0].strip()].append(port)
    labels = []
    for country, groups, shift in (("US", us, 0.9), ("MX", mx, -1.3)):
        for name, members in sorted(groups.items()):
            lon = sum(p.longitude for p in members) / len(members)
            lat = sum(p.latitude for p in members) / len(members)
            labels.append(StateLabel(name, country, round(lon, 3), round(lat + shift, 3)))
    for name, ring in border_region().mx_states:
        if name not in mx and _touches_boundary(ring):
            lon = sum(x for x, _ in ring) / len(ring)
            lat = sum(y for _, y in ring) / len(ring)
            labels.append(StateLabel(name, "MX", round(lon, 3), round(lat, 3)))
    return tuple(labels)


def _touches_boundary(ring: tuple[tuple[float, float], ...], within: float = 0.05) -> bool:
    line = border_region().boundary
    return any(abs(x - bx) < within and abs(y - by) < within for x, y in ring for bx, by in line)
