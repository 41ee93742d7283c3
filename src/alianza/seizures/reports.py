"""Validation reports of imports made through the web app or the API, kept for reading later.

The JSON shape is the CLI's ``--report-json`` (``{"stats": {...}, "errors": [...]}``); the CSV
has one line per issue with the same fields.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, NodeSelf, acting
from alianza.cells import SafeCsvWriter
from alianza.node import node_country
from alianza.seizures.models import ImportReport
from alianza.seizures.service import ImportOutcome

CSV_COLUMNS = ("row", "field", "code", "severity", "value", "message", "message_es")


@dataclass(frozen=True)
class StoredReport:
    id: int
    batch_id: int | None
    source: str
    profile: str
    actor: str
    country: str
    created_at: datetime
    report: dict[str, Any]

    @property
    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.report["stats"]
        return stats

    @property
    def errors(self) -> list[dict[str, Any]]:
        errors: list[dict[str, Any]] = self.report["errors"]
        return errors


def _stored(row: ImportReport) -> StoredReport:
    created = row.created_at
    if created.tzinfo is None:  # SQLite drops the zone
        created = created.replace(tzinfo=UTC)
    return StoredReport(
        row.id, row.batch_id, row.source, row.profile, row.actor, row.country, created, row.report
    )


def save_report(
    session: Session, outcome: ImportOutcome, *, profile: str, actor: Actor
) -> StoredReport:
    """Keep the report of an import (whatever its outcome), under the importing user's
    country (the node's, for the node itself); a user needs seizures.import."""
    by = acting(session, actor, Permission.SEIZURES_IMPORT)
    country = node_country(session) if isinstance(actor, NodeSelf) else actor.country
    row = ImportReport(
        batch_id=outcome.batch_id,
        source=outcome.report.source,
        profile=profile,
        actor=by,
        country=country.value,
        created_at=datetime.now(UTC),
        report=outcome.report.as_dict(),
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="seizures.import.report",
        subject=f"seizure_import_report:{row.id}",
        details={"source": row.source, "profile": profile, "batch_id": row.batch_id},
    )
    return _stored(row)


def list_reports(session: Session, *, country: str | None, limit: int = 50) -> list[StoredReport]:
    """The newest reports first; with ``country``, only imports by that country's users (a
    report holds raw values of the importing country's records)."""
    query = select(ImportReport).order_by(ImportReport.id.desc()).limit(limit)
    if country is not None:
        query = query.where(ImportReport.country == country)
    return [_stored(r) for r in session.scalars(query)]


def get_report(session: Session, report_id: int, *, country: str | None) -> StoredReport | None:
    row = session.get(ImportReport, report_id)
    if row is None or (country is not None and row.country != country):
        return None
    return _stored(row)


def report_csv(report: dict[str, Any]) -> str:
    """One line per issue: row, field, code, severity, value, message (EN), message (ES)."""
    buffer = io.StringIO()
    writer = SafeCsvWriter(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for issue in report["errors"]:
        writer.writerow(["" if issue.get(c) is None else issue[c] for c in CSV_COLUMNS])
    return buffer.getvalue()
