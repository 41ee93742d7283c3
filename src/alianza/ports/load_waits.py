"""Load checked wait-time records in the caller's transaction (same rules as crossings)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from alianza.actors import Actor
from alianza.ports import problems
from alianza.ports.bts import Rejected
from alianza.ports.bwt import PROFILE_COLUMNS, WaitsRead
from alianza.ports.load import finish_import, new_quarantine, quarantine, start_import
from alianza.ports.models import PortsImport, WaitProfile, WaitReading
from alianza.ports.reference import CROSSINGS
from alianza.validation import Issue

_ATTRIBUTES = tuple(PROFILE_COLUMNS.values())


def load_waits(
    session: Session, read: WaitsRead, *, source: str, sha256: str, actor: Actor
) -> PortsImport | None:
    """Load a checked wait-times file; returns the import record, or None if nothing changed."""
    report = read.report
    rejected = list(read.rejected)
    rows: list[dict[str, Any]]
    if read.kind == "historical" and read.crossing is not None:
        rows = _profile_rows(session, read, rejected)
        table: Any = WaitProfile
    elif read.kind in ("json-api", "xml-feed"):
        rows = _reading_rows(session, read)
        table = WaitReading
    else:
        return None
    report.loaded = len(rows)
    report.quarantined = len(rejected)
    to_quarantine = new_quarantine(session, sha256, rejected)
    if not rows and not to_quarantine:
        return None
    batch = start_import(
        session, kind=f"bwt-{read.kind}", source=source, sha256=sha256, actor=actor
    )
    for row in rows:
        row["import_id"] = batch.id
    if rows:
        session.execute(insert(table), rows)
    quarantine(session, batch, to_quarantine)
    finish_import(session, batch, report)
    return batch


def _profile_rows(
    session: Session, read: WaitsRead, rejected: list[Rejected]
) -> list[dict[str, Any]]:
    assert read.crossing is not None
    held = {
        (p.month, p.weekday, p.hour): p
        for p in session.scalars(select(WaitProfile).where(WaitProfile.crossing == read.crossing))
    }
    rows: list[dict[str, Any]] = []
    for record in read.profiles:
        existing = held.get(record.slot)
        if existing is None:
            rows.append(
                {
                    "crossing": read.crossing,
                    "port_code": CROSSINGS[read.crossing].port_code,
                    "month": record.month,
                    "weekday": record.weekday,
                    "hour": record.hour,
                    **record.minutes,
                }
            )
        elif all(getattr(existing, a) == record.minutes[a] for a in _ATTRIBUTES):
            read.report.unchanged += 1
        else:
            issue = Issue.of(
                problems.WAIT_CONFLICTS_WITH_HELD,
                row=record.row,
                crossing=read.crossing,
                month=record.month,
                weekday=record.weekday,
                hour=record.hour,
                held_import=existing.import_id,
            )
            read.report.add(issue)
            rejected.append(Rejected(record.row, read.raw_by_row[record.row], [issue.code]))
    return rows


def _reading_rows(session: Session, read: WaitsRead) -> list[dict[str, Any]]:
    prints = {record.fingerprint(): record for record in read.readings}
    held = set(
        session.scalars(
            select(WaitReading.fingerprint).where(WaitReading.fingerprint.in_(list(prints)))
        )
    )
    rows: list[dict[str, Any]] = []
    for fingerprint, record in prints.items():
        if fingerprint in held:
            read.report.unchanged += 1
            continue
        rows.append(
            {
                "fingerprint": fingerprint,
                "feed": record.feed,
                "crossing": record.crossing,
                "port_code": record.port_code,
                "crossing_name": record.crossing_name,
                "lane_type": record.lane_type,
                "reading_date": record.reading_date,
                "updated_at": record.updated_at,
                "update_time_text": record.update_time_text,
                "port_status": record.port_status,
                "operational_status": record.operational_status,
                "delay_minutes": record.delay_minutes,
                "lanes_open": record.lanes_open,
                "source_row": record.row,
            }
        )
    read.report.unchanged += len(read.readings) - len(prints)
    return rows
