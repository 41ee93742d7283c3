"""Reading BTS crossing files: both formats, defects, duplicates (no database)."""

from __future__ import annotations

import csv
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.ports.bts import parse_month, parse_port_code, read_crossings
from tests.conftest import DATA

PORTS = DATA / "ports"
CURRENT = PORTS / "bts-us-mexico-slice.csv"
OLD = PORTS / "bts-2018-old-release-slice.csv"
_SCRATCH = Path(tempfile.mkdtemp(prefix="alianza-bts-"))


def _written(data: bytes, name: str) -> Path:
    """``data`` as a file named ``name`` (a scratch folder: hypothesis reuses no fixtures)."""
    path = _SCRATCH / name
    path.write_bytes(data)
    return path


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def test_read_crossings_defects_reported_by_row_field_code() -> None:
    read = read_crossings(PORTS / "bts-defects.csv")
    found = [(i.row, i.field, i.code) for i in read.report.issues]
    assert found == [
        (1, "Remarks", "ports-unknown-column"),
        (2, "Port Code", "bts-bad-port-code"),
        (3, "Port Code", "bts-unknown-port"),
        (4, "Date", "bts-bad-date"),
        (5, "Measure", "bts-unknown-measure"),
        (6, "Value", "bts-bad-value"),
    ]
    assert [r.row for r in read.rejected] == [2, 3, 4, 5, 6]
    assert [(r.row, r.port_code, r.month, r.measure, r.value) for r in read.records] == [
        (7, "2504", date(2024, 3, 1), "Pedestrians", 1200)
    ]
    assert read.rejected[0].raw["Port Code"] == "25O4"  # raw values kept for quarantine


def test_read_crossings_missing_column_loads_nothing() -> None:
    text = "Port Name,State,Port Code,Border,Date,Measure\nSan Ysidro,California,2504,x,y,z\n"
    read = read_crossings(_written(text.encode(), "cut.csv"))
    assert [(i.field, i.code) for i in read.report.issues] == [("Value", "ports-missing-column")]
    assert read.records == []
    assert read.report.exit_code == 2


def test_read_crossings_with_byte_order_mark_keeps_first_column() -> None:
    data = b"\xef\xbb\xbf" + CURRENT.read_bytes()
    read = read_crossings(_written(data, "bom.csv"))
    assert "ports-missing-column" not in read.report.counts_by_code
    assert read.records


def test_read_crossings_duplicates_counted_once_and_conflicts_rejected() -> None:
    # Independently: group the raw rows by (code, date, measure) with a csv loop.
    groups: dict[tuple[str, str, str], list[tuple[int, str]]] = {}
    with CURRENT.open(newline="", encoding="utf-8") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            key = (row["Port Code"], row["Date"], row["Measure"])
            groups.setdefault(key, []).append((number, row["Value"]))
    identical = [g for g in groups.values() if len(g) > 1 and len({v for _, v in g}) == 1]
    conflicting = [g for g in groups.values() if len({v for _, v in g}) > 1]
    assert len(identical) == 6
    assert len(conflicting) == 1

    read = read_crossings(CURRENT)
    duplicates = sorted(i.row for i in read.report.issues if i.code == "bts-duplicate-row")
    assert duplicates == sorted(g[1][0] for g in identical)
    conflicts = sorted(i.row for i in read.report.issues if i.code == "bts-conflicting-rows")
    assert conflicts == sorted(n for n, _ in conflicting[0])
    assert sorted(r.row for r in read.rejected) == conflicts
    assert read.report.skipped == 6
    assert len(read.records) == read.report.rows - 6 - 2


def test_read_old_release_maps_renames_and_reports_them() -> None:
    read = read_crossings(OLD)
    codes = read.report.counts_by_code
    assert codes["bts-renamed-measure"] == 2  # Truck/Rail Containers Full, one issue each
    assert codes["bts-renamed-port"] == 1  # Tornillo-Fabens
    assert codes["bts-other-border"] == 1
    assert codes["bts-discontinued-port"] == 5  # Toledo-Sandusky, 4105
    measures = {r.measure for r in read.records}
    assert "Truck Containers Full" not in measures
    assert "Truck Containers Loaded" in measures
    assert {r.port_name for r in read.records if r.port_code == "2404"} == {"Tornillo"}
    with OLD.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    canada = sum(1 for r in rows if r["Border"] == "US-Canada Border" and r["Port Code"] != "4105")
    assert read.report.skipped == canada
    assert len(read.records) == sum(1 for r in rows if r["Border"] == "US-Mexico Border")


@given(st.integers(min_value=1996, max_value=2100), st.integers(min_value=1, max_value=12))
def test_parse_month_both_formats_round_trip(year: int, month: int) -> None:
    assert parse_month(f"{MONTHS[month - 1]} {year}") == date(year, month, 1)
    assert parse_month(f"{month:02d}/01/{year} 12:00:00 AM") == date(year, month, 1)


def test_parse_month_rejects_other_text() -> None:
    for text in ("January 2024", "13/01/2018 12:00:00 AM", "01/02/2018 12:00:00 AM", "2024-01"):
        assert parse_month(text) is None


def test_parse_port_code_pads_old_three_digit_codes() -> None:
    assert parse_port_code("104") == "0104"
    assert parse_port_code("2504") == "2504"
    assert parse_port_code("25041") is None
    assert parse_port_code("２５０４") is None  # full-width digits are not ASCII


MEASURE_NAMES = sorted(
    {"Personal Vehicles", "Pedestrians", "Trucks", "Truck Containers Loaded", "Buses"}
)
rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["2504", "2506", "2402", "2304"]),
        st.integers(min_value=1996, max_value=2030),
        st.integers(min_value=1, max_value=12),
        st.sampled_from(MEASURE_NAMES),
        st.integers(min_value=0, max_value=10**9),
    ),
    max_size=30,
    unique_by=lambda r: (r[0], r[1], r[2], r[3]),
)


@given(rows_strategy, st.booleans())
@settings(deadline=None)  # writes a file each example; the shared CI machine is noisy
def test_read_crossings_written_rows_round_trip(
    rows: list[tuple[str, int, int, str, int]], old_format: bool
) -> None:
    names = {"2504": "San Ysidro", "2506": "Otay Mesa", "2402": "El Paso", "2304": "Laredo"}
    lines = ["Port Name,State,Port Code,Border,Date,Measure,Value"]
    for code, year, month, measure, value in rows:
        when = f"{month:02d}/01/{year} 12:00:00 AM" if old_format else f"{MONTHS[month - 1]} {year}"
        shown = "Truck Containers Full" if old_format and "Loaded" in measure else measure
        lines.append(f"{names[code]},X,{code},US-Mexico Border,{when},{shown},{value}")
    read = read_crossings(_written("\n".join(lines).encode(), "generated.csv"))
    assert read.report.errors == []
    assert [(r.port_code, r.month, r.measure, r.value) for r in read.records] == [
        (code, date(year, month, 1), measure, value) for code, year, month, measure, value in rows
    ]


def test_read_crossings_latin1_byte_named_by_row_and_column() -> None:
    # Before the one tabular reader, ports said only "not UTF-8 text", with no row or column.
    lines = CURRENT.read_text("utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[3]]))
    cells[header.index("Port Name")] = "Nogal\xe9s"  # row 4 of the file
    lines[3] = ",".join(f'"{c}"' for c in cells)
    data = "\n".join(lines).encode("latin-1")
    read = read_crossings(_written(data, "latin1.csv"))
    assert [(i.row, i.field, i.code) for i in read.report.issues] == [
        (4, "Port Name", "bad-encoding")
    ]
    assert read.records == []


def test_read_crossings_from_a_workbook_equals_the_csv() -> None:
    from openpyxl import Workbook

    with CURRENT.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = _SCRATCH / "crossings.xlsx"
    book.save(path)
    from_csv, from_xlsx = read_crossings(CURRENT), read_crossings(path)
    assert from_csv.records
    assert from_xlsx.records == from_csv.records
    assert [r.row for r in from_xlsx.rejected] == [r.row for r in from_csv.rejected]
