"""Load checked records in the caller's transaction: atomic, idempotent, nothing lost.

A record already held with the same value is "unchanged"; one held with another value is
quarantined with the reason (the node never overwrites a count silently). Rejected rows are
kept in ``ports_quarantine`` with their raw values, once per (file, row). An import record and
an audit entry are written only when the import changes something.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.actors import Actor, actor_name
from alianza.ports import problems
from alianza.ports.bts import CrossingRecord, CrossingsRead, Rejected
from alianza.ports.models import CrossingCount, PortsImport, QuarantinedRow
from alianza.validation import Issue, ValidationReport

_CHUNK = 5000


def start_import(
    session: Session, *, kind: str, source: str, sha256: str, actor: Actor
) -> PortsImport:
    batch = PortsImport(
        kind=kind,
        source=source,
        sha256=sha256,
        imported_at=datetime.now(UTC),
        actor=actor_name(actor),
        stats={},
    )
    session.add(batch)
    session.flush()
    return batch


def finish_import(session: Session, batch: PortsImport, report: ValidationReport) -> None:
    batch.stats = report.stats()
    audit.record(
        session,
        actor=batch.actor,
        action=f"ports.{batch.kind}.import",
        subject=f"ports_import:{batch.id}",
        details={"source": batch.source, "sha256": batch.sha256, **_counts(report)},
    )


def _counts(report: ValidationReport) -> dict[str, int]:
    return {
        "rows": report.rows,
        "loaded": report.loaded,
        "unchanged": report.unchanged,
        "quarantined": report.quarantined,
        "skipped": report.skipped,
    }


def new_quarantine(session: Session, sha256: str, rejected: Sequence[Rejected]) -> list[Rejected]:
    """The rejected rows of this file not already held in quarantine."""
    held = set(
        session.scalars(
            select(QuarantinedRow.source_row).where(QuarantinedRow.file_sha256 == sha256)
        )
    )
    return [r for r in rejected if r.row not in held]


def quarantine(session: Session, batch: PortsImport, rejected: Sequence[Rejected]) -> None:
    rows: list[dict[str, Any]] = [
        {
            "import_id": batch.id,
            "file_sha256": batch.sha256,
            "source_row": r.row,
            "raw": r.raw,
            "codes": sorted(set(r.codes)),
        }
        for r in rejected
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(QuarantinedRow), rows[start : start + _CHUNK])


def load_crossings(
    session: Session, read: CrossingsRead, *, source: str, sha256: str, actor: Actor
) -> PortsImport | None:
    """Load a checked BTS file; returns the import record, or None when nothing changed."""
    report = read.report
    if report.errors and not read.records and not read.rejected:
        return None  # the file itself is unreadable (missing column, not UTF-8)
    held = _held(session, read.records)
    fresh: list[CrossingRecord] = []
    rejected = list(read.rejected)
    for record in read.records:
        existing = held.get(record.key)
        if existing is None:
            fresh.append(record)
        elif existing[0] == record.value:
            report.unchanged += 1
        else:
            issue = Issue.of(
                problems.CONFLICTS_WITH_HELD,
                row=record.row,
                field="Value",
                value=f"{record.value:,}",
                code=record.port_code,
                month=record.month.strftime("%Y-%m"),
                measure=record.measure,
                held=f"{existing[0]:,}",
                held_import=str(existing[1]),
            )
            report.add(issue)
            rejected.append(Rejected(record.row, read.raw_by_row[record.row], [issue.code]))
    report.quarantined = len(rejected)
    report.loaded = len(fresh)
    to_quarantine = new_quarantine(session, sha256, rejected)
    if not fresh and not to_quarantine:
        return None
    batch = start_import(session, kind="bts", source=source, sha256=sha256, actor=actor)
    rows = [
        {
            "port_code": r.port_code,
            "port_name": r.port_name,
            "month": r.month,
            "measure": r.measure,
            "value": r.value,
            "import_id": batch.id,
            "source_row": r.row,
        }
        for r in fresh
    ]
    for start in range(0, len(rows), _CHUNK):
        session.execute(insert(CrossingCount), rows[start : start + _CHUNK])
    quarantine(session, batch, to_quarantine)
    finish_import(session, batch, report)
    return batch


def _held(
    session: Session, records: Sequence[CrossingRecord]
) -> dict[tuple[str, date, str], tuple[int, int]]:
    if not records:
        return {}
    codes = sorted({r.port_code for r in records})
    first = min(r.month for r in records)
    last = max(r.month for r in records)
    query = select(
        CrossingCount.port_code,
        CrossingCount.month,
        CrossingCount.measure,
        CrossingCount.value,
        CrossingCount.import_id,
    ).where(CrossingCount.port_code.in_(codes), CrossingCount.month.between(first, last))
    return {(c, m, s): (v, i) for c, m, s, v, i in session.execute(query)}
