"""Border violence and crime incidents (10.1): read CSV/XLSX/JSON, check, load, analyse.

Stages (each returns plain values; problems go into the shared
:class:`~alianza.validation.ValidationReport`):

- :func:`rows_from_file` reads a CSV (UTF-8), XLSX or JSON file through the one tabular
  reader (:mod:`alianza.tabular`) into header + raw rows numbered as in the file; a
  file it cannot read is one issue in the report, naming the row and column where it can;
- :func:`check_row` turns one raw row into a normalized incident or issues;
- :func:`import_incidents` loads the valid rows in one transaction (re-import: ``unchanged``),
  quarantines the rest with their raw values and issues, and records one audit entry;
- :func:`incident_analysis` counts incidents by border region and quarter.

Columns: ``date`` (YYYY-MM-DD), ``country`` (US, MX), ``place`` (a border city: a land port's
US name, its Mexican city, or a CBP field-office city), ``type`` (:data:`INCIDENT_TYPES`),
``drug_related`` (yes, no, unknown), ``source``; optional ``reference``. The border region is the
CBP field office area of the place (San Diego, Tucson, El Paso, Laredo).
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting_on
from alianza.catalogue import declare
from alianza.codes import normalize_name
from alianza.codes.reference import ports
from alianza.cooperation.models import Incident, IncidentQuarantine
from alianza.db import Database
from alianza.node import COUNTRY_NAMES
from alianza.tabular import UnreadableFile, open_table, unreadable_issue
from alianza.validation import Issue, Severity, ValidationReport, issue_type

REQUIRED = ("date", "country", "place", "type", "drug_related", "source")
OPTIONAL = ("reference",)
INCIDENT_TYPES = (
    "homicide",
    "kidnapping",
    "assault",
    "shooting",
    "armed-robbery",
    "extortion",
    "assault-on-officer",
    "other",
)
DRUG_LINKS = {"yes": "yes", "si": "yes", "sí": "yes", "no": "no", "unknown": "unknown"}
UNKNOWN_COLUMN_POLICIES = ("reject", "ignore")
UNKNOWN_POLICY = declare(
    "coop.incidents.unknown-columns-policy", "unknown-columns policy is one of {policies}"
)

MISSING_COLUMN = issue_type(
    "incident-missing-column",
    "Missing column",
    "the file has no column {field!r}; add it and run the import again",
)
UNKNOWN_COLUMN = issue_type(
    "incident-unknown-column",
    "Unknown column",
    "column {field!r} is not an incident field; remove it or import with --unknown-columns ignore",
)
MISSING_VALUE = issue_type(
    "incident-missing-value",
    "Missing value",
    "{field} is empty",
)
BAD_DATE = issue_type(
    "incident-bad-date",
    "Not a date",
    "{value!r} is not a date like 1999-08-31",
)
UNKNOWN_COUNTRY = issue_type(
    "incident-unknown-country",
    "Unknown country",
    "{value!r} is not US or MX",
)
FOREIGN_COUNTRY = issue_type(
    "incident-foreign-country",
    "Incident of another country",
    "this node is the {node} node; the row reports {value}: each country imports its own "
    "incidents on its own node",
)
UNKNOWN_PLACE = issue_type(
    "incident-unknown-place",
    "Unknown border place",
    "{value!r} is not a border city of the land ports list (alianza.codes.reference)",
)
UNKNOWN_TYPE = issue_type(
    "incident-unknown-type",
    "Unknown incident type",
    "{value!r} is not an incident type ({allowed})",
)
BAD_DRUG_LINK = issue_type(
    "incident-bad-drug-link",
    "Drug link not yes, no or unknown",
    "{value!r} is not yes, no or unknown",
)
FUTURE_DATE = issue_type(
    "incident-future-date",
    "Date in the future",
    "{value} is after today",
)
DUPLICATE_ROW = issue_type(
    "incident-duplicate-row",
    "Same incident twice in the file",
    "the same incident as row {first}; counted once",
    Severity.WARNING,
)


@dataclass(frozen=True)
class RawRows:
    header: list[str]  # column names, trimmed and in lower case
    rows: list[tuple[int, dict[str, str]]]  # (row number in the file, trimmed values)


def rows_from_file(path: Path) -> RawRows:
    """Every data row of the file, blank rows left out; :class:`UnreadableFile` when it
    cannot be read."""
    table = open_table(path)
    try:
        header = [h.strip().lower() for h in table.header]
        rows = [
            (row.number, {k.strip().lower(): v.strip() for k, v in row.values.items() if k})
            for row in table.rows
        ]
    finally:
        table.close()
    return RawRows(header, rows)


@cache
def _places() -> dict[str, str]:
    """Normalized border-city name → region (the CBP field office area)."""
    index: dict[str, str] = {}
    for port in ports().values():
        region = port.field_office.replace(" FIELD OFFICE", "").title()
        for name in (port.name, port.mexican_city.split("(")[0], region):
            index.setdefault(normalize_name(name), region)
    return index


def region_of(place: str) -> str | None:
    return _places().get(normalize_name(place))


def check_row(
    raw: dict[str, str], row: int, today: date, node: str | None = None
) -> tuple[dict[str, Any] | None, list[Issue]]:
    """A normalized incident, or the issues that keep the row out. ``node``: this node's
    country; an incident the other country reports is refused (incident-foreign-country)."""
    issues = [
        Issue.of(MISSING_VALUE, row=row, field=name) for name in REQUIRED if not raw.get(name)
    ]
    missing = {i.field for i in issues}
    value: dict[str, Any] = {}
    if "date" not in missing:
        try:
            value["occurred_on"] = date.fromisoformat(raw["date"])
        except ValueError:
            issues.append(Issue.of(BAD_DATE, row=row, field="date", value=raw["date"]))
        else:
            if value["occurred_on"] > today:
                issues.append(Issue.of(FUTURE_DATE, row=row, field="date", value=raw["date"]))
    if "country" not in missing:
        value["country"] = raw["country"].upper()
        if value["country"] not in ("US", "MX"):
            issues.append(Issue.of(UNKNOWN_COUNTRY, row=row, field="country", value=raw["country"]))
        elif node is not None and value["country"] != node:
            issues.append(
                Issue.of(
                    FOREIGN_COUNTRY,
                    row=row,
                    field="country",
                    value=value["country"],
                    node=node,
                    node_es=COUNTRY_NAMES[node][1],
                )
            )
    if "place" not in missing:
        region = region_of(raw["place"])
        if region is None:
            issues.append(Issue.of(UNKNOWN_PLACE, row=row, field="place", value=raw["place"]))
        value["place"], value["region"] = raw["place"], region
    if "type" not in missing:
        value["incident_type"] = raw["type"].lower().replace(" ", "-")
        if value["incident_type"] not in INCIDENT_TYPES:
            allowed = ", ".join(INCIDENT_TYPES)
            issues.append(
                Issue.of(UNKNOWN_TYPE, row=row, field="type", value=raw["type"], allowed=allowed)
            )
    if "drug_related" not in missing:
        link = DRUG_LINKS.get(raw["drug_related"].lower())
        if link is None:
            issues.append(
                Issue.of(BAD_DRUG_LINK, row=row, field="drug_related", value=raw["drug_related"])
            )
        value["drug_related"] = link
    value["source"] = raw.get("source", "")
    value["reference"] = raw.get("reference") or None
    return (None if issues else value), issues


def fingerprint(value: dict[str, Any]) -> str:
    """SHA-256 of the canonical JSON of the normalized fields that identify an incident."""
    keys = ("occurred_on", "country", "place", "incident_type", "drug_related", "source")
    body = {k: str(value[k]) for k in keys} | {"reference": value["reference"]}
    body["place"] = normalize_name(body["place"])
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_incidents(
    database: Database,
    path: Path,
    *,
    actor: Actor,
    unknown_columns: str = "reject",
    today: date | None = None,
    limit: int = 1000,
) -> ValidationReport:
    """Import an incident file; returns its validation report (nothing raised for bad data).
    A user needs coop.manage."""
    by = acting_on(database, actor, Permission.COOP_MANAGE)
    if unknown_columns not in UNKNOWN_COLUMN_POLICIES:
        raise ValueError(UNKNOWN_POLICY.said(policies=UNKNOWN_COLUMN_POLICIES))
    today = today or date.today()
    report = ValidationReport(path.name, limit=limit)
    try:
        raw = rows_from_file(path)
    except UnreadableFile as error:
        report.add(unreadable_issue(error))
        return report
    report.rows = len(raw.rows)
    for name in REQUIRED:
        if name not in raw.header:
            report.add(Issue.of(MISSING_COLUMN, field=name))
    extra = [h for h in raw.header if h not in REQUIRED + OPTIONAL]
    if unknown_columns == "reject":
        for name in extra:
            report.add(Issue.of(UNKNOWN_COLUMN, field=name))
    if report.issues:  # a file-level problem: nothing loads, nothing is quarantined
        return report
    now = datetime.now(UTC)
    with database.transaction() as session:
        seen: dict[str, int] = {}
        held = set(session.scalars(select(Incident.fingerprint)))
        for number, row in raw.rows:
            value, issues = check_row(row, number, today, database.country)
            if value is None:
                for issue in issues:
                    report.add(issue)
                report.quarantined += 1
                session.add(
                    IncidentQuarantine(
                        import_file=path.name,
                        import_row=number,
                        raw=row,
                        issues=[i.as_dict() for i in issues],
                        recorded_by=by,
                        recorded_at=now,
                    )
                )
                continue
            key = fingerprint(value)
            if key in seen:
                report.add(Issue.of(DUPLICATE_ROW, row=number, first=seen[key]))
                report.skipped += 1
                continue
            seen[key] = number
            if key in held:
                report.unchanged += 1
                continue
            session.add(
                Incident(
                    fingerprint=key,
                    import_file=path.name,
                    import_row=number,
                    recorded_by=by,
                    recorded_at=now,
                    **value,
                )
            )
            report.loaded += 1
        audit.record(
            session,
            actor=by,
            action="cooperation.incidents.import",
            subject=f"file:{path.name}",
            details=report.stats(),
        )
    return report


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class AnalysisCell:
    region: str
    quarter: str
    drug_related: int
    not_drug_related: int
    unknown: int
    by_country: dict[str, int]

    @property
    def total(self) -> int:
        return self.drug_related + self.not_drug_related + self.unknown

    def as_dict(self) -> dict[str, Any]:
        return {
            "region": self.region,
            "quarter": self.quarter,
            "total": self.total,
            "drug_related": self.drug_related,
            "not_drug_related": self.not_drug_related,
            "unknown": self.unknown,
            "by_country": self.by_country,
        }


def incident_analysis(
    session: Session, *, first: date | None = None, last: date | None = None
) -> list[AnalysisCell]:
    """Incidents by border region and quarter, split by drug link and by country."""
    query = select(Incident.region, Incident.occurred_on, Incident.drug_related, Incident.country)
    if first:
        query = query.where(Incident.occurred_on >= first)
    if last:
        query = query.where(Incident.occurred_on <= last)
    links: Counter[tuple[str, str, str]] = Counter()
    countries: Counter[tuple[str, str, str]] = Counter()
    for region, occurred_on, link, country in session.execute(query):
        links[(region, quarter(occurred_on), link)] += 1
        countries[(region, quarter(occurred_on), country)] += 1
    cells = sorted({(r, q) for r, q, _ in links})
    return [
        AnalysisCell(
            r,
            q,
            links[(r, q, "yes")],
            links[(r, q, "no")],
            links[(r, q, "unknown")],
            {c: countries[(r, q, c)] for c in ("US", "MX") if countries[(r, q, c)]},
        )
        for r, q in cells
    ]


# The analysis table's headings and their least widths (a longer heading widens its column).
HEADINGS = {
    key: (declare(f"coop.incidents.analysis.{key}", english), width)
    for key, english, width in (
        ("region", "region", 10),
        ("quarter", "quarter", 8),
        ("total", "total", 6),
        ("drug", "drug", 6),
        ("no", "no", 6),
        ("unknown", "unknown", 8),
    )
}


def analysis_text(cells: list[AnalysisCell], language: str = "en") -> str:
    """The analysis as a table, its headings in ``language``."""
    said = {key: text(language) for key, (text, _width) in HEADINGS.items()}
    w = {key: max(width, len(said[key])) for key, (_text, width) in HEADINGS.items()}
    lines = [
        f"{said['region']:<{w['region']}} {said['quarter']:<{w['quarter']}} "
        f"{said['total']:>{w['total']}} {said['drug']:>{w['drug']}} {said['no']:>{w['no']}} "
        f"{said['unknown']:>{w['unknown']}}  US/MX"
    ]
    for c in cells:
        split = " / ".join(str(c.by_country.get(k, 0)) for k in ("US", "MX"))
        lines.append(
            f"{c.region:<{w['region']}} {c.quarter:<{w['quarter']}} {c.total:>{w['total']}} "
            f"{c.drug_related:>{w['drug']}} {c.not_drug_related:>{w['no']}} "
            f"{c.unknown:>{w['unknown']}}  {split}"
        )
    return "\n".join(lines) + "\n"
