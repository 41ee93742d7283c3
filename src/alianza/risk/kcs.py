"""Reader for the Korea Customs Service synthetic import declarations (MIT, arXiv:2208.02484).

The mapping profile turns the publisher's columns into Alianza's canonical shipment columns.
Identifiers and codes stay text (leading zeros matter); rows that cannot be read are left out and
explained in the validation report; nothing is dropped silently.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path

import numpy as np

from alianza.risk import problems
from alianza.risk.table import Declarations, day_number
from alianza.validation import Issue, ValidationReport

# publisher column -> canonical column (text)
TEXT_COLUMNS: dict[str, str] = {
    "Office ID": "port",
    "Process Type": "process_type",
    "Import Type": "import_type",
    "Import Use": "import_use",
    "Payment Type": "payment_type",
    "Mode of Transport": "mode",
    "Declarant ID": "declarant",
    "Importer ID": "importer",
    "Seller ID": "shipper",
    "Courier ID": "carrier",
    "HS6 Code": "hs6",
    "Country of Departure": "departure",
    "Country of Origin": "origin",
    "Tax Type": "tax_type",
    "Country of Origin Indicator": "origin_indicator",
}
# publisher column -> canonical column (number, never negative)
NUMBER_COLUMNS: dict[str, str] = {
    "Tax Rate": "tax_rate",
    "Net Mass": "net_mass_kg",
    "Item Price": "value",
}
REQUIRED = ("Declaration ID", "Date", *TEXT_COLUMNS, *NUMBER_COLUMNS)
LABELS = ("Fraud", "Critical Fraud")


def read_declarations(
    path: Path, *, limit_errors: int = 1000
) -> tuple[Declarations, ValidationReport]:
    """Read one KCS file. Labels are read when both label columns are present, else unknown."""
    report = ValidationReport(source=path.name, limit=limit_errors)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        missing = [name for name in REQUIRED if name not in header]
        if missing:
            for name in missing:
                report.add(Issue.of(problems.MISSING_COLUMN, field=name))
            return _empty(), report
        has_labels = all(name in header for name in LABELS)
        ids: list[str] = []
        days: list[int] = []
        text: dict[str, list[str]] = {c: [] for c in TEXT_COLUMNS.values()}
        number: dict[str, list[float]] = {c: [] for c in NUMBER_COLUMNS.values()}
        fraud: list[int] = []
        critical: list[int] = []
        first_row: dict[str, int] = {}
        for offset, raw in enumerate(reader):
            row = offset + 2  # the header is row 1
            report.rows += 1
            parsed = _parse_row(raw, row, has_labels, first_row, report)
            if parsed is None:
                report.quarantined += 1
                continue
            ident, day, texts, numbers, labels = parsed
            first_row[ident] = row
            ids.append(ident)
            days.append(day)
            for name, value in texts.items():
                text[name].append(value)
            for name, amount in numbers.items():
                number[name].append(amount)
            fraud.append(labels[0])
            critical.append(labels[1])
            report.loaded += 1
    table = Declarations(
        ids=np.array(ids, dtype=object),
        day=np.array(days, dtype=np.int64),
        text={k: np.array(v, dtype=object) for k, v in text.items()},
        number={k: np.array(v, dtype=np.float64) for k, v in number.items()},
        fraud=np.array(fraud, dtype=np.int8),
        critical=np.array(critical, dtype=np.int8),
    )
    return table, report


Parsed = tuple[str, int, dict[str, str], dict[str, float], tuple[int, int]]


def _parse_row(
    raw: dict[str, str | None],
    row: int,
    has_labels: bool,
    first_row: dict[str, int],
    report: ValidationReport,
) -> Parsed | None:
    issues: list[Issue] = []
    ident = (raw.get("Declaration ID") or "").strip()
    if ident in first_row:
        issues.append(
            Issue.of(
                problems.DUPLICATE_ID,
                row=row,
                field="Declaration ID",
                value=ident,
                first=first_row[ident],
            )
        )
    day = 0
    raw_date = (raw.get("Date") or "").strip()
    try:
        day = day_number(date.fromisoformat(raw_date))
    except ValueError:
        issues.append(Issue.of(problems.BAD_DATE, row=row, field="Date", value=raw_date))
    texts = {canon: (raw.get(name) or "").strip() for name, canon in TEXT_COLUMNS.items()}
    hs = texts["hs6"]
    if not (hs.isdigit() and 1 <= len(hs) <= 6):
        issues.append(Issue.of(problems.BAD_HS_CODE, row=row, field="HS6 Code", value=hs))
    elif len(hs) < 6:
        texts["hs6"] = hs.zfill(6)
        report.add(
            Issue.of(
                problems.PADDED_HS_CODE, row=row, field="HS6 Code", value=hs, padded=hs.zfill(6)
            )
        )
    numbers: dict[str, float] = {}
    for name, canon in NUMBER_COLUMNS.items():
        shown = (raw.get(name) or "").strip()
        try:
            amount = float(shown)
        except ValueError:
            amount = math.nan
        if shown and math.isnan(amount):
            issues.append(Issue.of(problems.BAD_NUMBER, row=row, field=name, value=shown))
        elif amount < 0:
            issues.append(Issue.of(problems.NEGATIVE_NUMBER, row=row, field=name, value=shown))
        numbers[canon] = amount
    labels = (-1, -1)
    if has_labels:
        labels_or_none = _parse_labels(raw, row, issues)
        if labels_or_none is not None:
            labels = labels_or_none
    for issue in issues:
        report.add(issue)
    if issues:
        return None
    return ident, day, texts, numbers, labels


def _parse_labels(
    raw: dict[str, str | None], row: int, issues: list[Issue]
) -> tuple[int, int] | None:
    fraud_raw = (raw.get("Fraud") or "").strip()
    critical_raw = (raw.get("Critical Fraud") or "").strip()
    if fraud_raw == "" and critical_raw == "":
        return (-1, -1)  # not inspected: unknown, not zero
    ok = True
    if fraud_raw not in ("0", "1"):
        issues.append(
            Issue.of(problems.BAD_LABEL, row=row, field="Fraud", value=fraud_raw, allowed="0, 1")
        )
        ok = False
    if critical_raw not in ("0", "1", "2"):
        issues.append(
            Issue.of(
                problems.BAD_LABEL,
                row=row,
                field="Critical Fraud",
                value=critical_raw,
                allowed="0, 1, 2",
            )
        )
        ok = False
    if not ok:
        return None
    if (fraud_raw == "0") != (critical_raw == "0"):
        issues.append(
            Issue.of(
                problems.INCONSISTENT_LABELS,
                row=row,
                field="Critical Fraud",
                value=fraud_raw,
                critical=critical_raw,
            )
        )
        return None
    return int(fraud_raw), int(critical_raw == "2")


def _empty() -> Declarations:
    return Declarations(
        ids=np.zeros(0, dtype=object),
        day=np.zeros(0, dtype=np.int64),
        text={c: np.zeros(0, dtype=object) for c in TEXT_COLUMNS.values()},
        number={c: np.zeros(0, dtype=np.float64) for c in NUMBER_COLUMNS.values()},
        fraud=np.zeros(0, dtype=np.int8),
        critical=np.zeros(0, dtype=np.int8),
    )
