"""The border map's geometry: the packaged border line (``data/geo/``, see its PROVENANCE.md),
the ports of entry, and a projection from longitude/latitude to drawing coordinates.

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
class StateLabel:
    name: str
    country: str  # US | MX
    longitude: float
    latitude: float


def state_labels() -> list[StateLabel]:
    """Border states placed at the mean position of their ports (US states north of it,
    Mexican states south: the label goes 0.9° away from the ports)."""
    us: dict[str, list[Port]] = defaultdict(list)
    mx: dict[str, list[Port]] = defaultdict(list)
    for port in ports().values():
        us[port.us_state].append(port)
        mx[port.mexican_state.split(" (")[0].strip()].append(port)
    labels = []
    for country, groups, shift in (("US", us, 0.9), ("MX", mx, -0.9)):
        for name, members in sorted(groups.items()):
            lon = sum(p.longitude for p in members) / len(members)
            lat = sum(p.latitude for p in members) / len(members)
            labels.append(StateLabel(name, country, round(lon, 3), round(lat + shift, 3)))
    return labels
