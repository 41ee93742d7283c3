"""Reading declaration files through a mapping profile, with the shared validation report.

A :class:`Profile` maps a publisher's columns to Alianza's canonical shipment columns:

- ``kcs``: the Korea Customs Service synthetic import declarations (MIT, arXiv:2208.02484),
  labels in ``Fraud`` and ``Critical Fraud``;
- ``alianza``: the canonical columns themselves (the generated border-shipment sample, and any
  agency extract written to them), outcome in ``result`` = clear | violation | critical, blank
  when not inspected.

Identifiers and codes stay text (leading zeros matter); rows that cannot be read are left out and
explained in the validation report; nothing is dropped silently.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from alianza.risk import problems
from alianza.risk.table import Declarations, day_number
from alianza.tabular import UnreadableFile, open_table, unreadable_issue
from alianza.validation import Issue, ValidationReport

# KCS column -> canonical column (text)
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
# KCS column -> canonical column (number, never negative)
NUMBER_COLUMNS: dict[str, str] = {
    "Tax Rate": "tax_rate",
    "Net Mass": "net_mass_kg",
    "Item Price": "value",
}


@dataclass(frozen=True)
class Profile:
    name: str
    id_column: str
    date_column: str
    hs_column: str  # its canonical name is always hs6
    text: dict[str, str]  # source column -> canonical column
    number: dict[str, str]
    labels: tuple[str, ...]  # ("Fraud", "Critical Fraud") or ("result",)

    @property
    def required(self) -> tuple[str, ...]:
        return (self.id_column, self.date_column, *self.text, *self.number)


KCS = Profile(
    "kcs",
    "Declaration ID",
    "Date",
    "HS6 Code",
    TEXT_COLUMNS,
    NUMBER_COLUMNS,
    ("Fraud", "Critical Fraud"),
)
CANONICAL_TEXT = (
    "port",
    "mode",
    "declarant",
    "importer",
    "shipper",
    "consignee",
    "carrier",
    "hs6",
    "departure",
    "origin",
    "route",
    "conveyance_id",
)
ALIANZA = Profile(
    "alianza",
    "reference",
    "declared_on",
    "hs6",
    {c: c for c in CANONICAL_TEXT},
    {"net_mass_kg": "net_mass_kg", "value": "value", "packages": "packages"},
    ("result",),
)
PROFILES = {profile.name: profile for profile in (KCS, ALIANZA)}
RESULTS = {"clear": (0, 0), "violation": (1, 0), "critical": (1, 1)}
COUNTRIES = ("origin", "departure")
LIMITS = {
    "port": 50,
    "mode": 50,
    "declarant": 100,
    "importer": 100,
    "shipper": 100,
    "carrier": 100,
    "consignee": 100,
    "route": 100,
    "conveyance_id": 100,
}


def read_declarations(
    path: Path,
    *,
    profile: Profile = KCS,
    limit_errors: int = 1000,
    rejected: list[Rejected] | None = None,
    source_rows: list[int] | None = None,
) -> tuple[Declarations, ValidationReport]:
    """Read one file through ``profile``. Labels are read when the profile's label columns are
    present; otherwise every row's labels are unknown (-1). When ``rejected`` is given, every
    refused row is appended to it with its raw values and all its issues (for quarantine);
    ``source_rows`` gets the file row number (header = 1) of each row of the table."""
    report = ValidationReport(source=path.name, limit=limit_errors)
    try:
        source = open_table(path)
    except UnreadableFile as error:
        report.add(unreadable_issue(error))
        return _empty(profile), report
    header = source.header
    missing = [name for name in profile.required if name not in header]
    if missing:
        source.close()
        for name in missing:
            report.add(Issue.of(problems.MISSING_COLUMN, field=name))
        return _empty(profile), report
    has_labels = all(name in header for name in profile.labels)
    ids: list[str] = []
    days: list[int] = []
    text: dict[str, list[str]] = {c: [] for c in profile.text.values()}
    number: dict[str, list[float]] = {c: [] for c in profile.number.values()}
    fraud: list[int] = []
    critical: list[int] = []
    first_row: dict[str, int] = {}
    try:
        for source_row in source.rows:
            row = source_row.number  # as in the file: the header is row 1, blank lines count
            raw: dict[str, str | None] = dict(source_row.values)
            report.rows += 1
            parsed = _parse_row(profile, raw, row, has_labels, first_row, report, rejected)
            if parsed is None:
                report.quarantined += 1
                continue
            ident, day, texts, numbers, labels = parsed
            first_row[ident] = row
            if source_rows is not None:
                source_rows.append(row)
            ids.append(ident)
            days.append(day)
            for name, value in texts.items():
                text[name].append(value)
            for name, amount in numbers.items():
                number[name].append(amount)
            fraud.append(labels[0])
            critical.append(labels[1])
            report.loaded += 1
    except UnreadableFile as error:  # a byte the encoding cannot read, found mid-file
        report.add(unreadable_issue(error))
        report.loaded = 0  # the whole file is refused: nothing of it is loaded
        return _empty(profile), report
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


def read_row(
    raw: dict[str, str | None], profile: Profile = ALIANZA, *, source: str = "declaration"
) -> tuple[Declarations, ValidationReport]:
    """One declaration (a mapping of the profile's columns) through the same checks as a file
    row (row 1): a table of one row, or of none with the issues in the report."""
    report = ValidationReport(source=source)
    report.rows = 1
    has_labels = all(name in raw for name in profile.labels)
    missing = [name for name in profile.required if name not in raw]
    for name in missing:
        report.add(Issue.of(problems.MISSING_COLUMN, field=name))
    parsed = None if missing else _parse_row(profile, raw, 1, has_labels, {}, report)
    if parsed is None:
        report.quarantined = 1
        return _empty(profile), report
    ident, day, texts, numbers, labels = parsed
    report.loaded = 1
    table = Declarations(
        ids=np.array([ident], dtype=object),
        day=np.array([day], dtype=np.int64),
        text={k: np.array([texts.get(k, "")], dtype=object) for k in profile.text.values()},
        number={
            k: np.array([numbers.get(k, np.nan)], dtype=np.float64) for k in profile.number.values()
        },
        fraud=np.array([labels[0]], dtype=np.int8),
        critical=np.array([labels[1]], dtype=np.int8),
    )
    return table, report


@dataclass(frozen=True)
class Rejected:
    """A refused row: its number, reference, raw values and every issue found in it."""

    row: int
    reference: str
    raw: dict[str, str]
    issues: list[Issue]


def _parse_row(
    profile: Profile,
    raw: dict[str, str | None],
    row: int,
    has_labels: bool,
    first_row: dict[str, int],
    report: ValidationReport,
    rejected: list[Rejected] | None = None,
) -> Parsed | None:
    issues: list[Issue] = []
    ident = (raw.get(profile.id_column) or "").strip()
    if ident in first_row:
        issues.append(
            Issue.of(
                problems.DUPLICATE_ID,
                row=row,
                field=profile.id_column,
                value=ident,
                first=first_row[ident],
            )
        )
    day = 0
    raw_date = (raw.get(profile.date_column) or "").strip()
    try:
        day = day_number(date.fromisoformat(raw_date))
    except ValueError:
        issues.append(
            Issue.of(problems.BAD_DATE, row=row, field=profile.date_column, value=raw_date)
        )
    texts = {canon: (raw.get(name) or "").strip() for name, canon in profile.text.items()}
    for canon, value in texts.items():
        if canon in COUNTRIES and value and not (len(value) == 2 and value.isalpha()):
            name = _source(profile, canon)
            issues.append(Issue.of(problems.BAD_COUNTRY, row=row, field=name, value=value))
        elif canon in LIMITS and len(value) > LIMITS[canon]:
            name = _source(profile, canon)
            issues.append(
                Issue.of(problems.TOO_LONG, row=row, field=name, value=value, limit=LIMITS[canon])
            )
    hs = texts["hs6"]
    if not (hs.isdigit() and 1 <= len(hs) <= 6):
        issues.append(Issue.of(problems.BAD_HS_CODE, row=row, field=profile.hs_column, value=hs))
    elif len(hs) < 6:
        texts["hs6"] = hs.zfill(6)
        report.add(
            Issue.of(
                problems.PADDED_HS_CODE,
                row=row,
                field=profile.hs_column,
                value=hs,
                padded=hs.zfill(6),
            )
        )
    numbers: dict[str, float] = {}
    for name, canon in profile.number.items():
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
        labels_or_none = (
            _parse_kcs_labels(raw, row, issues)
            if profile.labels == KCS.labels
            else _parse_result(raw, profile.labels[0], row, issues)
        )
        if labels_or_none is not None:
            labels = labels_or_none
    for issue in issues:
        report.add(issue)
    if issues:
        if rejected is not None:
            values = {str(k): v or "" for k, v in raw.items() if k is not None}
            rejected.append(Rejected(row, ident, values, issues))
        return None
    return ident, day, texts, numbers, labels


def _source(profile: Profile, canonical: str) -> str:
    return next(name for name, canon in profile.text.items() if canon == canonical)


def _parse_result(
    raw: dict[str, str | None], column: str, row: int, issues: list[Issue]
) -> tuple[int, int] | None:
    value = (raw.get(column) or "").strip().lower()
    if value == "":
        return (-1, -1)  # not inspected: unknown, not zero
    if value not in RESULTS:
        issues.append(
            Issue.of(
                problems.BAD_LABEL,
                row=row,
                field=column,
                value=value,
                allowed=", ".join(RESULTS),
            )
        )
        return None
    return RESULTS[value]


def _parse_kcs_labels(
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


def _empty(profile: Profile) -> Declarations:
    return Declarations(
        ids=np.zeros(0, dtype=object),
        day=np.zeros(0, dtype=np.int64),
        text={c: np.zeros(0, dtype=object) for c in profile.text.values()},
        number={c: np.zeros(0, dtype=np.float64) for c in profile.number.values()},
        fraud=np.zeros(0, dtype=np.int8),
        critical=np.zeros(0, dtype=np.int8),
    )
