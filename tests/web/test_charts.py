"""Charts that read (issue 23, item 2): every chart the pages draw has a title on each axis, the
y axis's with its unit; weekday and month names in the page's language; bars that line up
with their figures; a timeline whose marks neither overlap nor sit on an edge; and each
chart's figures in a table. Pages are read in-process and their SVG parsed as XML."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from fastapi.testclient import TestClient

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.ports.service import import_crossings_file, import_waits_file
from alianza.seizures.service import import_file
from tests.conftest import DATA
from tests.web.conftest import log_in
from tests.web.test_seizures_pages import EVENTS, write_events

SVG = "{http://www.w3.org/2000/svg}"
PORTS = DATA / "ports"
UNIT = re.compile(r"\((?:[^()]*\b(?:kg|min|minutos|minutes|número|number)\b[^()]*|1 = [^()]+)\)")
SPANISH_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]


def charts(page: str) -> list[ET.Element]:
    """The page's charts (``<svg class="chart …">``), parsed."""
    found = re.findall(r'<svg[^>]*class="chart[^"]*".*?</svg>', page, re.S)
    return [ET.fromstring(svg) for svg in found]


def axis_titles(chart: ET.Element) -> tuple[str, str]:
    texts = {
        cls: "".join(t.itertext())
        for t in chart.iter(f"{SVG}text")
        for cls in (t.get("class") or "").split()
        if cls in ("x-title", "y-title")
    }
    return texts.get("x-title", ""), texts.get("y-title", "")


def row_headers(table: str) -> list[str]:
    body = table.split("<tbody>", 1)[1]
    cells = re.findall(r'<th scope="row"[^>]*>(.*?)</th>', body, re.S)
    return [re.sub(r"<[^>]+>", "", h).strip() for h in cells]


def test_port_charts_have_axis_titles_units_weekday_names_and_tables(
    client: TestClient, web_db: Database
) -> None:
    import_crossings_file(
        web_db, PORTS / "bts-san-ysidro-vehicles-1996-2008.csv", actor=NodeSelf("test")
    )
    import_waits_file(
        web_db,
        PORTS / "san_ysidro_historical_hourly_avg_by_month_dow.csv",
        crossing="250401",
        actor=NodeSelf("test"),
    )
    log_in(client, "coordinador")  # reads in Spanish
    page = client.get("/ports/2504/analysis").text
    drawn = charts(page)
    ids = {c.get("aria-labelledby", "").split("-")[0] for c in drawn}
    assert {"volumes", "hours"} <= ids, ids
    for chart in drawn:
        x_title, y_title = axis_titles(chart)
        assert x_title, chart.get("aria-labelledby")
        assert UNIT.search(y_title), (chart.get("aria-labelledby"), y_title)
    # weekdays by name, in Spanish, Monday first (CBP's day 0); no "CBP 0–6" left
    grid = page.split('id="wait-grid"', 1)[1].split("</table>", 1)[0]
    assert row_headers(grid) == SPANISH_DAYS
    assert "CBP 0–6" not in page
    # the hour chart's figures in a table: one per hour, the same numbers as the bars
    hours = next(c for c in drawn if c.get("aria-labelledby", "").startswith("hours"))
    bars = [
        round(float(r.findtext(f"{SVG}title", "").rsplit(":", 1)[1]))
        for r in hours.iter(f"{SVG}rect")
        if r.find(f"{SVG}title") is not None
    ]
    table = page.split('id="hour-table"', 1)[1].split("</table>", 1)[0]
    cells = [int(v) for v in re.findall(r'<td class="num">(\d+)</td>', table)]
    assert len(cells) == 24
    assert cells == bars


def test_seizure_bars_sit_in_their_rows_scaled_to_the_largest_with_the_unit(
    client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    rows = [e for e in EVENTS if e[1] == "US"]
    import_file(
        web_db, write_events(tmp_path / "us.csv", rows), "canonical", actor=NodeSelf("test")
    )
    log_in(client, "coordinador")
    page = client.get("/seizures", params={"by": "drug", "measure": "amount_kg"}).text
    assert '<svg class="chart"' not in page  # no separate chart whose rows drift from the table
    table = page.split('id="overview-table"', 1)[1].split("</table>", 1)[0]
    head = table.split("</thead>", 1)[0]
    assert "Cantidad asegurada (kg)" in head
    figures, widths = [], []
    for row in table.split("</thead>", 1)[1].split("<tr>")[1:]:
        kg = re.findall(r'data-label="Cantidad \(kg\)">([\d,.]+)</td>', row)
        bar = re.search(r'<svg class="bar"[^>]*><rect width="([\d.]+)"', row)
        assert kg, row
        assert bar, row
        figures.append(float(kg[0].replace(",", "")))
        widths.append(float(bar.group(1)))
    assert len(figures) >= 2
    largest = max(figures)
    assert widths == [round(100 * f / largest, 2) for f in figures]
    counts = client.get("/seizures", params={"by": "drug"}).text
    assert "Aseguramientos (número de registros)" in counts.split('id="overview-table"')[1]


def test_the_deadline_timeline_reads_in_spanish_with_no_mark_on_an_edge_or_on_another(
    client: TestClient,
) -> None:
    log_in(client, "coordinador")
    page = client.get("/pme/assessment", params={"as_of": "1999-08-31"}).text
    (timeline,) = [c for c in charts(page) if "timeline" in (c.get("class") or "")]
    x_title, _ = axis_titles(timeline)
    assert x_title == "Fecha de vencimiento (mes)"
    ticks = {t.text for t in timeline.iter(f"{SVG}text") if "tick" in (t.get("class") or "")}
    assert {"jul", "ago", "dic"} <= ticks, ticks  # the seed's targets fall due Jul and Dec 1999
    assert not ticks & {"Jul", "Aug", "Dec"}
    width = float((timeline.get("viewBox") or "").split()[2])
    marks = [
        (float(c.get("cx", 0)), float(c.get("cy", 0)), float(c.get("r", 0)))
        for c in timeline.iter(f"{SVG}circle")
    ]
    assert len(marks) >= 10
    rows = [
        float(t.get("x", 0)) for t in timeline.iter(f"{SVG}text") if t.get("text-anchor") == "end"
    ]
    left, right = max(rows) + 8, width - 16  # the plot: from the row labels to the margin
    for x, _y, r in marks:
        assert left + r < x < right - r, (x, left, right)
    for i, (x1, y1, r1) in enumerate(marks):
        for x2, y2, r2 in marks[i + 1 :]:
            assert y1 != y2 or abs(x1 - x2) >= r1 + r2, (x1, x2, y1)
