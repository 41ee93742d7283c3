"""Read BTS "Border Crossing Entry Data" files, both release formats, into checked records.

- Current release: ``Date`` like ``Jan 2024``, 4-digit port codes, coordinates.
- Older release (e.g. 2018): ``Date`` like ``01/01/2018 12:00:00 AM``, port codes without the
  leading zero, older names for some measures and ports (mapped through the alias tables of
  :mod:`alianza.ports.reference`, and reported).

Rows of another border are skipped (counted and reported), identical duplicates counted once
(reported), and every row of a key given twice with different values quarantined: no value is
picked silently.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from alianza.ports import problems
from alianza.ports.reference import (
    DISCONTINUED_PORTS,
    MEASURE_ALIASES,
    MEASURES,
    PORT_NAME_ALIASES,
    US_MEXICO,
    ports,
)
from alianza.ports.text import check_columns, table_rows
from alianza.validation import Issue, IssueType, ValidationReport

REQUIRED = ("Port Name", "State", "Port Code", "Border", "Date", "Measure", "Value")
OPTIONAL = ("Latitude", "Longitude", "Point")
_MONTHS = {
    m: i
    for i, m in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1
    )
}
_CURRENT_DATE = re.compile(r"^([A-Z][a-z]{2}) (\d{4})$")
_OLD_DATE = re.compile(r"^(\d{2})/01/(\d{4}) 12:00:00 AM$")


@dataclass(frozen=True)
class CrossingRecord:
    row: int  # 1-based line of the file (header = 1)
    port_code: str
    port_name: str  # current BTS name
    month: date
    measure: str  # current BTS measure name
    value: int

    @property
    def key(self) -> tuple[str, date, str]:
        return (self.port_code, self.month, self.measure)


@dataclass
class Rejected:
    row: int
    raw: dict[str, str]
    codes: list[str]


@dataclass
class CrossingsRead:
    """What reading a BTS file gave: records to load, rows rejected, and the report."""

    report: ValidationReport
    records: list[CrossingRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    raw_by_row: dict[int, dict[str, str]] = field(default_factory=dict)


def parse_month(text: str) -> date | None:
    """``Jan 2024`` (current) or ``01/01/2018 12:00:00 AM`` (older release) → 2024-01-01."""
    text = text.strip()
    if match := _CURRENT_DATE.match(text):
        month = _MONTHS.get(match.group(1))
        return date(int(match.group(2)), month, 1) if month else None
    if match := _OLD_DATE.match(text):
        number = int(match.group(1))
        return date(int(match.group(2)), number, 1) if 1 <= number <= 12 else None
    return None


def parse_port_code(text: str) -> str | None:
    """Port codes as text; the older release drops the leading zero (``104`` → ``0104``)."""
    text = text.strip()
    if text.isascii() and text.isdigit() and len(text) in (3, 4):
        return text.zfill(4)
    return None


class _Aggregated:
    """One issue per (kind, value) with a count, at the first row: renames, other borders."""

    def __init__(self) -> None:
        self.first: dict[tuple[IssueType, str, str], tuple[int, dict[str, str]]] = {}
        self.count: Counter[tuple[IssueType, str, str]] = Counter()

    def note(self, kind: IssueType, row: int, field: str, value: str, **detail: str) -> None:
        key = (kind, field, value)
        self.first.setdefault(key, (row, detail))
        self.count[key] += 1

    def flush(self, report: ValidationReport) -> None:
        for key, (row, detail) in self.first.items():
            kind, field_name, value = key
            count = f"{self.count[key]:,}"
            report.add(
                Issue.of(kind, row=row, field=field_name, value=value, count=count, **detail)
            )


def read_crossings(path: Path) -> CrossingsRead:
    """Check every row of a BTS file (read by :mod:`alianza.tabular`); nothing is written."""
    result = CrossingsRead(ValidationReport(path.name))
    report = result.report
    parsed = table_rows(path, report)
    if parsed is None:
        return result
    header, rows = parsed
    if not check_columns(header, REQUIRED, OPTIONAL, report):
        report.rows = len(rows)
        return result
    aggregated = _Aggregated()
    known = ports()
    checked: list[CrossingRecord] = []
    for row in rows:
        if not any(cell.strip() for cell in row.values.values()):
            continue
        number = row.number
        report.rows += 1
        raw = {name: row.values.get(name, "") for name in REQUIRED}
        codes = _check_row(number, raw, known, aggregated, report, checked)
        if codes is None:
            report.skipped += 1
        elif codes:
            result.rejected.append(Rejected(number, raw, codes))
        result.raw_by_row[number] = raw
    aggregated.flush(report)
    result.records = _dedupe(checked, result, report)
    return result


def _check_row(
    number: int,
    raw: dict[str, str],
    known: Mapping[str, object],
    aggregated: _Aggregated,
    report: ValidationReport,
    checked: list[CrossingRecord],
) -> list[str] | None:
    """Codes of the row's errors ([] when it is fine and was appended); None: skipped."""
    issues: list[Issue] = []
    code = parse_port_code(raw["Port Code"])
    name = raw["Port Name"].strip()
    if code is None:
        issues.append(
            Issue.of(problems.BAD_PORT_CODE, row=number, field="Port Code", value=raw["Port Code"])
        )
    elif code in DISCONTINUED_PORTS:
        issues.append(
            Issue.of(
                problems.DISCONTINUED_PORT, row=number, field="Port Code", value=code, name=name
            )
        )
    elif raw["Border"].strip() != US_MEXICO:
        aggregated.note(problems.OTHER_BORDER, number, "Border", raw["Border"].strip())
        return None
    elif code not in known:
        issues.append(
            Issue.of(problems.UNKNOWN_PORT, row=number, field="Port Code", value=code, name=name)
        )
    month = parse_month(raw["Date"])
    if month is None:
        issues.append(Issue.of(problems.BAD_DATE, row=number, field="Date", value=raw["Date"]))
    measure = raw["Measure"].strip()
    if measure in MEASURE_ALIASES:
        aggregated.note(
            problems.RENAMED_MEASURE, number, "Measure", measure, current=MEASURE_ALIASES[measure]
        )
        measure = MEASURE_ALIASES[measure]
    elif measure not in MEASURES:
        issues.append(
            Issue.of(problems.UNKNOWN_MEASURE, row=number, field="Measure", value=raw["Measure"])
        )
    value_text = raw["Value"].strip()
    if not (value_text.isascii() and value_text.isdigit()):
        issues.append(Issue.of(problems.BAD_VALUE, row=number, field="Value", value=raw["Value"]))
    for issue in issues:
        report.add(issue)
    if issues or code is None or month is None:
        return [issue.code for issue in issues]
    current_name = ports()[code].bts_name
    if name != current_name:
        if PORT_NAME_ALIASES.get((code, name)) == current_name:
            aggregated.note(problems.RENAMED_PORT, number, "Port Name", name, current=current_name)
        else:
            aggregated.note(
                problems.PORT_NAME_MISMATCH,
                number,
                "Port Name",
                name,
                code=code,
                current=current_name,
            )
    checked.append(CrossingRecord(number, code, current_name, month, measure, int(value_text)))
    return []


def _dedupe(
    checked: list[CrossingRecord], result: CrossingsRead, report: ValidationReport
) -> list[CrossingRecord]:
    """Identical duplicates counted once; a key with different values: every row rejected."""
    by_key: dict[tuple[str, date, str], list[CrossingRecord]] = defaultdict(list)
    for record in checked:
        by_key[record.key].append(record)
    kept: list[CrossingRecord] = []
    for group in by_key.values():
        first = group[0]
        if len(group) == 1:
            kept.append(first)
        elif len({r.value for r in group}) == 1:
            kept.append(first)
            for duplicate in group[1:]:
                report.skipped += 1
                report.add(
                    Issue.of(
                        problems.DUPLICATE_ROW,
                        row=duplicate.row,
                        field=None,
                        value=str(duplicate.value),
                        first=str(first.row),
                    )
                )
        else:
            rows = ", ".join(str(r.row) for r in group)
            values = ", ".join(f"{r.value:,}" for r in group)
            for record in group:
                issue = Issue.of(
                    problems.CONFLICTING_ROWS,
                    row=record.row,
                    field="Value",
                    value=str(record.value),
                    code=record.port_code,
                    month=record.month.strftime("%Y-%m"),
                    measure=record.measure,
                    rows=rows,
                    values=values,
                )
                report.add(issue)
                result.rejected.append(
                    Rejected(record.row, result.raw_by_row[record.row], [issue.code])
                )
    return sorted(kept, key=lambda r: r.row)
