"""Read CBP Border Wait Times files into checked records.

Three shapes, detected by their header:

- ``historical``: average minutes by month × weekday × hour for one crossing (the crossing is
  not in the file: the caller names it);
- ``json-api`` and ``xml-feed``: readings of the current wait, one row per crossing and lane
  type, with different column sets, loaded into one model.

"No measurement" stays null, never 0: ``Lanes Closed`` and ``N/A`` statuses, empty cells and
the ``NA`` marker; a column that is 0 in every historical row is "not applicable" (no such
lanes, e.g. commercial lanes at San Ysidro). Status and minutes are both kept as read.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from alianza.ports import problems
from alianza.ports.bts import Rejected
from alianza.ports.reference import CROSSINGS
from alianza.ports.text import check_columns, table_rows
from alianza.tabular import SourceRow
from alianza.validation import Issue, ValidationReport

# Historical columns -> WaitProfile attribute.
PROFILE_COLUMNS = {
    "cv_time_avg": "commercial",
    "xcv_time_avg": "commercial_x",
    "pv_time_avg": "passenger",
    "xpv_time_avg": "passenger_x",
    "pv_ready_lanes_time_avg": "passenger_ready",
    "ped_time_avg": "pedestrian",
    "ped_ready_lanes_time_avg": "pedestrian_ready",
}
HISTORICAL = ("bwt_month", "bwt_day", "bwt_hour", *PROFILE_COLUMNS)
_SLOTS = (("bwt_month", 1, 12), ("bwt_day", 0, 6), ("bwt_hour", 0, 23))

COMMON = (
    "port_number",
    "border",
    "port_name",
    "crossing_name",
    "hours",
    "date",
    "port_status",
    "update_time",
    "operational_status",
    "delay_minutes",
    "lanes_open",
    "lane_type",
)
JSON_ONLY = ("time", "construction_notice", "automation", "automation_enabled")
XML_ONLY = (
    "commercial_automation_type",
    "passenger_automation_type",
    "pedestrain_automation_type",  # CBP's spelling
)
MISSING = {"", "NA"}  # empty (JSON API) and NA (written by the R script that saved the XML feed)
STATUSES = {"delay", "no delay", "N/A", "Lanes Closed"}
LANE_TYPES = {"commercial_vehicle_lanes", "passenger_vehicle_lanes", "pedestrian_lanes"}
ZONES = {"PST": -8, "PDT": -7, "MST": -7, "MDT": -6, "CST": -6, "CDT": -5}
_UPDATE = re.compile(r"^At (\d{1,2}):(\d{2}) (am|pm) ([A-Z]{3})$")


@dataclass(frozen=True)
class ProfileRecord:
    row: int
    month: int
    weekday: int
    hour: int
    minutes: dict[str, int | None]  # WaitProfile attribute -> minutes, None: not applicable

    @property
    def slot(self) -> tuple[int, int, int]:
        return (self.month, self.weekday, self.hour)


@dataclass(frozen=True)
class ReadingRecord:
    row: int
    feed: str
    crossing: str
    port_code: str
    crossing_name: str | None
    lane_type: str
    reading_date: date
    updated_at: datetime | None
    update_time_text: str | None
    port_status: str | None
    operational_status: str
    delay_minutes: int | None
    lanes_open: int | None

    def fingerprint(self) -> str:
        body = {
            "feed": self.feed,
            "crossing": self.crossing,
            "lane_type": self.lane_type,
            "date": self.reading_date.isoformat(),
            "update_time": self.update_time_text,
            "port_status": self.port_status,
            "operational_status": self.operational_status,
            "delay_minutes": self.delay_minutes,
            "lanes_open": self.lanes_open,
        }
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


@dataclass
class WaitsRead:
    report: ValidationReport
    kind: str = "unknown"  # historical, json-api, xml-feed
    crossing: str | None = None
    profiles: list[ProfileRecord] = field(default_factory=list)
    readings: list[ReadingRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    raw_by_row: dict[int, dict[str, str]] = field(default_factory=dict)


def detect_kind(header: list[str]) -> str:
    if "bwt_month" in header:
        return "historical"
    if "pedestrain_automation_type" in header:
        return "xml-feed"
    if "operational_status" in header:
        return "json-api"
    return "unknown"


def read_waits(path: Path, *, crossing: str | None = None) -> WaitsRead:
    """Check every row of a wait-times file (read by :mod:`alianza.tabular`); nothing is
    written."""
    result = WaitsRead(ValidationReport(path.name))
    parsed = table_rows(path, result.report)
    if parsed is None:
        return result
    header, rows = parsed
    result.kind = detect_kind(header)
    if result.kind == "unknown":
        result.report.add(Issue.of(problems.UNKNOWN_FORMAT, row=1, value=",".join(header)[:200]))
        return result
    if result.kind == "historical":
        if not check_columns(header, HISTORICAL, (), result.report):
            return result
        if crossing is None or crossing not in CROSSINGS:
            kind = problems.CROSSING_REQUIRED if crossing is None else problems.UNKNOWN_CROSSING
            result.report.add(Issue.of(kind, value=crossing))
            result.report.rows = len(rows)
            return result
        result.crossing = crossing
        _read_historical(header, rows, result)
    else:
        extra = JSON_ONLY if result.kind == "json-api" else XML_ONLY
        if not check_columns(header, COMMON, extra, result.report):
            return result
        _read_readings(header, rows, result)
    return result


def _int(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() else None


def _read_historical(header: list[str], rows: list[SourceRow], result: WaitsRead) -> None:
    report = result.report
    first_at: dict[tuple[int, int, int], int] = {}
    read: list[tuple[int, tuple[int, int, int], dict[str, int]]] = []
    for row in rows:
        if not any(c.strip() for c in row.values.values()):
            continue
        number = row.number
        report.rows += 1
        raw = {name: row.values.get(name, "") for name in header}
        result.raw_by_row[number] = raw
        issues: list[Issue] = []
        values: dict[str, int] = {}
        for name in HISTORICAL:
            value = _int(raw[name])
            if value is None:
                issues.append(
                    Issue.of(problems.BAD_NUMBER, row=number, field=name, value=raw[name])
                )
            else:
                values[name] = value
        for name, low, high in _SLOTS:
            if name in values and not low <= values[name] <= high:
                issues.append(
                    Issue.of(
                        problems.OUT_OF_RANGE,
                        row=number,
                        field=name,
                        value=values[name],
                        low=low,
                        high=high,
                    )
                )
        if not issues:
            slot = (values["bwt_month"], values["bwt_day"], values["bwt_hour"])
            if slot in first_at:
                issues.append(
                    Issue.of(
                        problems.DUPLICATE_SLOT,
                        row=number,
                        month=slot[0],
                        weekday=slot[1],
                        hour=slot[2],
                        first=first_at[slot],
                    )
                )
            else:
                first_at[slot] = number
                read.append((number, slot, values))
        for issue in issues:
            report.add(issue)
        if issues:
            result.rejected.append(Rejected(number, raw, [i.code for i in issues]))
    not_applicable = {
        name for name in PROFILE_COLUMNS if read and all(v[name] == 0 for _, _, v in read)
    }
    for name in sorted(not_applicable):
        report.add(Issue.of(problems.NOT_APPLICABLE_COLUMN, row=None, field=name))
    per_month: dict[int, int] = {}
    for _, slot, _ in read:
        per_month[slot[0]] = per_month.get(slot[0], 0) + 1
    for month in range(1, 13):
        if per_month and per_month.get(month, 0) != 168:
            report.add(
                Issue.of(problems.INCOMPLETE_MONTH, value=month, count=per_month.get(month, 0))
            )
    for number, slot, values in read:
        minutes = {
            attribute: None if name in not_applicable else values[name]
            for name, attribute in PROFILE_COLUMNS.items()
        }
        result.profiles.append(ProfileRecord(number, *slot, minutes))


def parse_update_time(text: str, day: date) -> datetime | None:
    """``At 5:00 pm PST`` on ``day`` → an aware timestamp; None when it does not match."""
    match = _UPDATE.match(text.strip())
    if match is None or match.group(4) not in ZONES:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if not (1 <= hour <= 12 and minute < 60):
        return None
    hour = hour % 12 + (12 if match.group(3) == "pm" else 0)
    zone = timezone(timedelta(hours=ZONES[match.group(4)]), match.group(4))
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=zone)


def _parse_date(text: str) -> date | None:
    try:
        return datetime.strptime(text.strip(), "%m/%d/%Y").date()
    except ValueError:
        return None


def _read_readings(header: list[str], rows: list[SourceRow], result: WaitsRead) -> None:
    report = result.report
    for row in rows:
        if not any(c.strip() for c in row.values.values()):
            continue
        number = row.number
        report.rows += 1
        raw = {name: row.values.get(name, "") for name in header}
        result.raw_by_row[number] = raw
        record, issues = _reading(number, raw, result.kind)
        for issue in issues:
            report.add(issue)
        errors = [i for i in issues if i.severity == "error"]
        if errors or record is None:
            result.rejected.append(Rejected(number, raw, [i.code for i in errors]))
        else:
            result.readings.append(record)


def _reading(
    number: int, raw: dict[str, str], feed: str
) -> tuple[ReadingRecord | None, list[Issue]]:
    issues: list[Issue] = []

    def present(name: str) -> str | None:
        value = raw.get(name, "").strip()
        return None if value in MISSING else value

    def count(name: str) -> int | None:
        text = present(name)
        if text is None:
            return None
        value = _int(text)
        if value is None:
            issues.append(Issue.of(problems.BAD_NUMBER, row=number, field=name, value=text))
        return value

    crossing = CROSSINGS.get(raw["port_number"].strip())
    if crossing is None:
        issues.append(
            Issue.of(
                problems.UNKNOWN_CROSSING, row=number, field="port_number", value=raw["port_number"]
            )
        )
    day = _parse_date(raw["date"])
    if day is None:
        issues.append(
            Issue.of(problems.BAD_READING_DATE, row=number, field="date", value=raw["date"])
        )
    status = raw["operational_status"].strip()
    if status not in STATUSES:
        issues.append(
            Issue.of(problems.UNKNOWN_STATUS, row=number, field="operational_status", value=status)
        )
    lane_type = raw["lane_type"].strip()
    if lane_type not in LANE_TYPES:
        issues.append(
            Issue.of(problems.UNKNOWN_LANE_TYPE, row=number, field="lane_type", value=lane_type)
        )
    delay, lanes = count("delay_minutes"), count("lanes_open")
    update_text = present("update_time")
    updated_at = None
    if update_text is not None and day is not None:
        updated_at = parse_update_time(update_text, day)
        if updated_at is None:
            issues.append(
                Issue.of(
                    problems.BAD_UPDATE_TIME, row=number, field="update_time", value=update_text
                )
            )
    if (status == "no delay" and delay) or (status == "delay" and delay == 0):
        issues.append(
            Issue.of(
                problems.STATUS_DISAGREES,
                row=number,
                field="delay_minutes",
                value=status,
                minutes=delay,
            )
        )
    if any(i.severity == "error" for i in issues) or crossing is None or day is None:
        return None, issues
    record = ReadingRecord(
        row=number,
        feed=feed,
        crossing=crossing.number,
        port_code=crossing.port_code,
        crossing_name=present("crossing_name"),
        lane_type=lane_type,
        reading_date=day,
        updated_at=updated_at.astimezone(UTC) if updated_at else None,
        update_time_text=update_text,
        port_status=present("port_status"),
        operational_status=status,
        delay_minutes=delay,
        lanes_open=lanes,
    )
    return record, issues
