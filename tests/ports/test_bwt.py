"""Reading CBP wait-time files: special values, both feeds, the historical shape."""

from __future__ import annotations

import csv
from datetime import UTC, date, datetime

from alianza.ports.bwt import parse_update_time, read_waits
from alianza.ports.reference import CROSSINGS
from tests.conftest import DATA

PORTS = DATA / "ports"
HISTORICAL = PORTS / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
JSON_API = PORTS / "san_ysidro_current_wait_2021-01-12_json_api.csv"
XML_FEED = PORTS / "san_ysidro_current_wait_2021-01-12_xml_feed.csv"
NO_MEASUREMENT = {"N/A", "Lanes Closed"}


def test_read_waits_both_feeds_into_one_model_with_nulls_for_no_measurement() -> None:
    for path, kind in ((JSON_API, "json-api"), (XML_FEED, "xml-feed")):
        read = read_waits(path)
        assert read.kind == kind
        assert read.report.errors == []
        with path.open(newline="", encoding="utf-8") as handle:
            raw = list(csv.DictReader(handle))
        assert len(read.readings) == len(raw)
        for record, row in zip(read.readings, raw, strict=True):
            assert record.operational_status == row["operational_status"]
            if row["operational_status"] in NO_MEASUREMENT:
                assert record.delay_minutes is None
            expected = row["delay_minutes"] if row["delay_minutes"] not in ("", "NA") else None
            assert record.delay_minutes == (None if expected is None else int(expected))


def test_read_waits_keeps_no_delay_with_minutes_as_read() -> None:
    read = read_waits(XML_FEED)
    odd = [r for r in read.readings if r.operational_status == "no delay" and r.delay_minutes]
    assert [(r.crossing, r.delay_minutes) for r in odd] == [("250409", 5)]
    assert read.report.counts_by_code == {"bwt-status-disagrees": 1}


def test_crossings_join_ports_by_table_not_by_prefix() -> None:
    assert CROSSINGS["250401"].port_code == "2504"
    assert CROSSINGS["250407"].port_code == "2504"
    assert CROSSINGS["250409"].port_code == "2582"
    read = read_waits(JSON_API)
    assert {(r.crossing, r.port_code) for r in read.readings} == {
        ("250401", "2504"),
        ("250407", "2504"),
        ("250409", "2582"),
    }


def test_parse_update_time_gives_aware_timestamp() -> None:
    at = parse_update_time("At 5:00 pm PST", date(2021, 1, 12))
    assert at is not None
    assert at.astimezone(UTC) == datetime(2021, 1, 13, 1, 0, tzinfo=UTC)
    assert parse_update_time("At 12:30 am PST", date(2021, 1, 12)) == datetime(
        2021, 1, 12, 8, 30, tzinfo=UTC
    )
    for bad in ("5:00 pm PST", "At 5:00 pm XYZ", "At 13:00 pm PST", "At 5:00pm PST"):
        assert parse_update_time(bad, date(2021, 1, 12)) is None


def test_read_historical_shape_and_not_applicable_columns() -> None:
    read = read_waits(HISTORICAL, crossing="250401")
    assert read.kind == "historical"
    with HISTORICAL.open(newline="", encoding="utf-8") as handle:
        raw = list(csv.DictReader(handle))
    assert len(read.profiles) == len(raw) == 12 * 7 * 24
    all_zero = sorted(
        name for name in raw[0] if name.endswith("_avg") and all(row[name] == "0" for row in raw)
    )
    flagged = sorted(i.field or "" for i in read.report.issues)
    assert flagged == all_zero == ["cv_time_avg", "xcv_time_avg"]
    assert all(p.minutes["commercial"] is None for p in read.profiles)
    first = read.profiles[0]
    assert first.minutes["passenger"] == int(raw[0]["pv_time_avg"])


def test_read_historical_defects_reported_by_row_field_code() -> None:
    path = PORTS / "bwt-historical-defects.csv"
    read = read_waits(path, crossing="250401")
    found = [(i.row, i.field, i.code) for i in read.report.issues if i.severity == "error"]
    assert found == [
        (3, "pv_time_avg", "bwt-bad-number"),
        (4, "bwt_hour", "bwt-out-of-range"),
        (5, None, "bwt-duplicate-slot"),
    ]
    assert [p.row for p in read.profiles] == [2]


def test_read_historical_without_crossing_is_refused() -> None:
    read = read_waits(HISTORICAL)
    assert [i.code for i in read.report.issues] == ["bwt-crossing-required"]
    assert read.profiles == []
    assert read.report.exit_code == 2
