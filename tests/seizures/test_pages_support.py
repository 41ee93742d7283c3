"""Library parts behind the seizure pages: who sees what (releasability), the quarantine's
reading of raw rows, the border geometry and its projection, the aggregate cache."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from sqlalchemy import event

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.access import visible_to
from alianza.seizures.cache import cached_aggregate
from alianza.seizures.geo import BORDER_FILE, Projection, border_line, state_labels
from alianza.seizures.overview import data_sources
from alianza.seizures.quarantine import classify
from alianza.seizures.service import import_file
from tests.conftest import DATA

PORTS_FILE = DATA / "seizures" / "geo" / "us_mexico_land_ports_with_mexican_twin_cities.csv"
CBP_FILE = DATA / "seizures" / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv"
# shared/data/README.md §4b: SHA-256 of the Natural Earth border line file
BORDER_SHA256 = "00191b061db2b4ead803926824243e244986bb214896e09f052fa45ddb27bf8b"


@pytest.mark.parametrize(
    ("viewer", "country", "releasability", "seen"),
    [
        ("US", "US", "NATIONAL_ONLY", True),
        ("US", "MX", "NATIONAL_ONLY", False),
        ("US", "MX", "BILATERAL", True),
        ("US", "MX", "PUBLIC_AGGREGATE", True),
        ("MX", "US", "NATIONAL_ONLY", False),
        ("MX", "US", "BILATERAL", True),
        ("US", None, "BILATERAL", False),
        (None, "MX", "NATIONAL_ONLY", True),
    ],
)
def test_visible_to(
    viewer: str | None, country: str | None, releasability: str, seen: bool
) -> None:
    assert visible_to(viewer, country, releasability) is seen


def test_classify_reads_country_and_releasability_through_the_profile() -> None:
    with CBP_FILE.open(encoding="utf-8-sig", newline="") as handle:
        cbp_row = next(csv.DictReader(handle))
    assert classify("cbp-nationwide", cbp_row) == ("US", "PUBLIC_AGGREGATE")
    raw = {"reporting_country": "México", "releasability": "Compartible"}
    assert classify("canonical", raw) == ("MX", "BILATERAL")
    assert classify("canonical", {"reporting_country": "MX", "releasability": "?"}) == (
        "MX",
        "NATIONAL_ONLY",
    )
    assert classify("canonical", {"reporting_country": "Atlantis"}) == (None, "NATIONAL_ONLY")
    assert classify("no-such-profile", {}) == (None, "NATIONAL_ONLY")


def test_border_line_is_the_natural_earth_copy_and_projects_inside_the_map() -> None:
    assert hashlib.sha256(BORDER_FILE.read_bytes()).hexdigest() == BORDER_SHA256
    line = border_line()
    assert len(line) == 28
    project = Projection.of_width(960)
    points = [project(lon, lat) for lon, lat in line]
    for x, y in points:
        assert 0 < x < project.width
        assert 0 < y < project.height
    assert points[0][0] < points[-1][0]  # Pacific (west) on the left
    # Ciudad Juárez–El Paso (31.75°N) is drawn above Brownsville (25.9°N)
    assert project(-106.5, 31.75)[1] < project(-97.5, 25.9)[1]


def test_state_labels_name_each_border_state_of_the_port_table() -> None:
    with PORTS_FILE.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    us_states = {row["us_state"] for row in rows}
    labels = state_labels()
    assert {label.name for label in labels if label.country == "US"} == us_states
    for label in labels:
        members = [r for r in rows if r["us_state"] == label.name] if label.country == "US" else []
        if members:  # north of the mean position of its ports
            mean = sum(float(r["latitude"]) for r in members) / len(members)
            assert label.latitude > mean


def test_cached_aggregate_follows_new_imports(seeded_db: Database, tmp_path: Path) -> None:
    lines = CBP_FILE.read_text("utf-8-sig").splitlines()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(lines[:11]) + "\n", "utf-8")
    second.write_text("\n".join([lines[0], *lines[11:21]]) + "\n", "utf-8")

    def events(upto: int) -> int:
        return sum(int(r["Count of Event"]) for r in csv.DictReader(lines[: upto + 1]))

    import_file(seeded_db, first, "cbp-nationwide", actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        before = cached_aggregate(session, ["country"], viewer_country="MX")
        again = cached_aggregate(session, ["country"], viewer_country="MX")
    assert again is before
    assert before.cells[("US",)].seizures == events(10)
    import_file(seeded_db, second, "cbp-nationwide", actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        after = cached_aggregate(session, ["country"], viewer_country="MX")
    assert after.cells[("US",)].seizures == events(20)


def test_data_sources_are_kept_until_an_import(seeded_db: Database, tmp_path: Path) -> None:
    """Read once per records version (the version probe alone on the next view), and read
    again after an import: the second file is then among the source's files."""
    lines = CBP_FILE.read_text("utf-8-sig").splitlines()
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("\n".join(lines[:11]) + "\n", "utf-8")
    second.write_text("\n".join([lines[0], *lines[11:21]]) + "\n", "utf-8")
    import_file(seeded_db, first, "cbp-nationwide", actor=NodeSelf("test"))
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    with seeded_db.reader() as session:
        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", count)
        try:
            before = data_sources(session)
            read = len(statements)
            again = data_sources(session)
        finally:
            event.remove(engine, "before_cursor_execute", count)
    assert read > 1  # the version probe and the sources' own queries
    assert len(statements) == read + 1  # the version probe alone
    assert again == before
    assert [name.split(" (")[0] for name in before[0].files] == ["a.csv"]
    import_file(seeded_db, second, "cbp-nationwide", actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        after = data_sources(session)
    assert [name.split(" (")[0] for name in after[0].files] == ["a.csv", "b.csv"]
