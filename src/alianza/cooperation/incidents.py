"""Border violence and crime incidents (10.1): read CSV/XLSX, check, load, analyse.

Stages (each returns plain values; problems go into the shared
:class:`~alianza.validation.ValidationReport`):

- :func:`rows_from_file` reads a CSV (UTF-8) or XLSX file into header + raw rows;
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

import csv
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
from alianza.codes import normalize_name
from alianza.codes.reference import ports
from alianza.cooperation.models import Incident, IncidentQuarantine
from alianza.db import Database
from alianza.node import COUNTRY_NAMES
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

MISSING_COLUMN = issue_type(
    "incident-missing-column",
    "Missing column",
    "Falta una columna",
    "the file has no column {field!r}; add it and run the import again",
    "el archivo no tiene la columna {field!r}; agréguela y vuelva a importar",
)
UNKNOWN_COLUMN = issue_type(
    "incident-unknown-column",
    "Unknown column",
    "Columna desconocida",
    "column {field!r} is not an incident field; remove it or import with --unknown-columns ignore",
    "la columna {field!r} no es un campo de incidente; quítela o importe con "
    "--unknown-columns ignore",
)
MISSING_VALUE = issue_type(
    "incident-missing-value",
    "Missing value",
    "Falta un valor",
    "{field} is empty",
    "{field} está vacío",
)
BAD_DATE = issue_type(
    "incident-bad-date",
    "Not a date",
    "No es una fecha",
    "{value!r} is not a date like 1999-08-31",
    "{value!r} no es una fecha como 1999-08-31",
)
UNKNOWN_COUNTRY = issue_type(
    "incident-unknown-country",
    "Unknown country",
    "País desconocido",
    "{value!r} is not US or MX",
    "{value!r} no es US ni MX",
)
FOREIGN_COUNTRY = issue_type(
    "incident-foreign-country",
    "Incident of another country",
    "Incidente de otro país",
    "this node is the {node} node; the row reports {value}: each country imports its own "
    "incidents on its own node",
    "este nodo es el nodo de {node_es}; la fila reporta {value}: cada país importa sus "
    "incidentes en su propio nodo",
)
UNKNOWN_PLACE = issue_type(
    "incident-unknown-place",
    "Unknown border place",
    "Lugar fronterizo desconocido",
    "{value!r} is not a border city of the land ports list (alianza.codes.reference)",
    "{value!r} no es una ciudad fronteriza de la lista de puertos terrestres",
)
UNKNOWN_TYPE = issue_type(
    "incident-unknown-type",
    "Unknown incident type",
    "Tipo de incidente desconocido",
    "{value!r} is not an incident type ({allowed})",
    "{value!r} no es un tipo de incidente ({allowed})",
)
BAD_DRUG_LINK = issue_type(
    "incident-bad-drug-link",
    "Drug link not yes, no or unknown",
    "Vínculo con el narcotráfico no es yes, no o unknown",
    "{value!r} is not yes, no or unknown",
    "{value!r} no es yes, no ni unknown",
)
FUTURE_DATE = issue_type(
    "incident-future-date",
    "Date in the future",
    "Fecha futura",
    "{value} is after today",
    "{value} es posterior a hoy",
)
DUPLICATE_ROW = issue_type(
    "incident-duplicate-row",
    "Same incident twice in the file",
    "El mismo incidente dos veces en el archivo",
    "the same incident as row {first}; counted once",
    "el mismo incidente que la fila {first}; se cuenta una vez",
    Severity.WARNING,
)


class UnreadableFile(ValueError):
    """The file cannot be read as CSV or XLSX."""


@dataclass(frozen=True)
class RawRows:
    header: list[str]
    rows: list[dict[str, str]]  # data rows; row numbers start at 2 (the header is row 1)


def rows_from_file(path: Path) -> RawRows:
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # openpyxl raises several kinds for a bad file
            raise UnreadableFile(f"{path.name}: not a readable XLSX file ({error})") from None
        sheet = book.worksheets[0]
        values = [
            [
                "" if v is None else (v.isoformat()[:10] if isinstance(v, date) else str(v))
                for v in r
            ]
            for r in sheet.iter_rows(values_only=True)
        ]
        book.close()
    elif suffix in (".csv", ".txt"):
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                values = list(csv.reader(handle))
        except UnicodeDecodeError:
            raise UnreadableFile(f"{path.name}: not UTF-8 text") from None
    else:
        raise UnreadableFile(f"{path.name}: expected a .csv or .xlsx file")
    if not values:
        return RawRows([], [])
    header = [h.strip().lower() for h in values[0]]
    rows = [
        {h: (row[i].strip() if i < len(row) else "") for i, h in enumerate(header)}
        for row in values[1:]
        if any(cell.strip() for cell in row)
    ]
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
        raise ValueError(f"unknown-columns policy is one of {UNKNOWN_COLUMN_POLICIES}")
    today = today or date.today()
    report = ValidationReport(path.name, limit=limit)
    raw = rows_from_file(path)
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
        for number, row in enumerate(raw.rows, start=2):
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


def analysis_text(cells: list[AnalysisCell]) -> str:
    lines = [
        f"{'region':<10} {'quarter':<8} {'total':>6} {'drug':>6} {'no':>6} {'unknown':>8}  US/MX"
    ]
    for c in cells:
        split = " / ".join(str(c.by_country.get(k, 0)) for k in ("US", "MX"))
        lines.append(
            f"{c.region:<10} {c.quarter:<8} {c.total:>6} {c.drug_related:>6} "
            f"{c.not_drug_related:>6} {c.unknown:>8}  {split}"
        )
    return "\n".join(lines) + "\n"
