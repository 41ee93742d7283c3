"""Append-only, hash-chained audit log of every write.

Each entry's hash covers its own fields and the previous entry's hash, so changing or
removing any entry breaks the chain from that point on; :func:`verify_chain` finds where.
The database itself refuses UPDATE and DELETE on the table (triggers, migration core_0002).
Removing the *newest* entries leaves a shorter chain that still verifies: a checkpoint
(:func:`chain_head`, kept outside the database) catches that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import JSON, DateTime, String, Table, Text, func, insert, select, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from alianza.db.base import Base

GENESIS = "0" * 64
AUDIT_LOCK_KEY = 0x616C7A61  # "alza": the advisory lock that serializes appends


class AuditEntry(Base):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    subject: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)
    previous_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


def _digest(entry: AuditEntry) -> str:
    return _digest_of(
        entry.at, entry.actor, entry.action, entry.subject, entry.details, entry.previous_hash
    )


def _digest_of(
    at: datetime, actor: str, action: str, subject: str, details: Any, previous_hash: str
) -> str:
    at = at if at.tzinfo else at.replace(tzinfo=UTC)
    body = {
        "at": at.astimezone(UTC).isoformat(),
        "actor": actor,
        "action": action,
        "subject": subject,
        "details": details,
        "previous_hash": previous_hash,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def serialize_appends(session: Session) -> None:
    """Hold, until the transaction ends, the lock that orders appends to the append-only logs
    (this audit chain; the ports alert events): on PostgreSQL a transaction-scoped advisory
    lock, taken again at no cost; on SQLite the write path's ``BEGIN IMMEDIATE`` already holds
    the database. Being one lock, it cannot deadlock against itself."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_LOCK_KEY})


def record(
    session: Session, *, actor: str, action: str, subject: str, details: dict[str, Any]
) -> AuditEntry:
    """Append an entry in the caller's transaction.

    Appends are serialized so that two concurrent transactions cannot both chain from the same
    entry (:func:`serialize_appends`).
    """
    serialize_appends(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=datetime.now(UTC).replace(microsecond=0),
        actor=actor,
        action=action,
        subject=subject,
        details=json.loads(json.dumps(details, default=str)),
        previous_hash=last.hash if last else GENESIS,
    )
    entry.hash = _digest(entry)
    session.add(entry)
    session.flush()
    return entry


def record_many(
    session: Session, entries: Sequence[tuple[str, str, str, dict[str, Any]]]
) -> list[AuditEntry]:
    """Append several entries, each (actor, action, subject, details), in this order in the
    caller's transaction: as many :func:`record` calls, with one look-up of the chain's head
    and one flush (a group of live scores)."""
    if not entries:
        return []
    serialize_appends(session)
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    previous = last.hash if last else GENESIS
    at = datetime.now(UTC).replace(microsecond=0)
    out = []
    for actor, action, subject, details in entries:
        entry = AuditEntry(
            at=at,
            actor=actor,
            action=action,
            subject=subject,
            details=json.loads(json.dumps(details, default=str)),
            previous_hash=previous,
        )
        entry.hash = previous = _digest(entry)
        out.append(entry)
    session.add_all(out)
    session.flush()
    return out


def append_many(session: Session, entries: Sequence[tuple[str, str, str, dict[str, Any]]]) -> int:
    """:func:`record_many` without the ORM: the same entries, chained the same way, written by
    one bulk INSERT, and no entry objects made or returned (the live scores of a group, issue
    21: a tenth of the CPU of the unit of work). Returns how many were written."""
    if not entries:
        return 0
    serialize_appends(session)
    # on the session's connection, without the ORM's execution path (a tenth of a millisecond
    # a group, issue 21): the same statements in the same transaction
    connection = session.connection()
    table = cast(Table, AuditEntry.__table__)
    last = connection.execute(_LAST_HASH).scalar()
    previous = last if last is not None else GENESIS
    at = datetime.now(UTC).replace(microsecond=0)
    rows = []
    for actor, action, subject, details in entries:
        stored = json.loads(json.dumps(details, default=str))
        digest = _digest_of(at, actor, action, subject, stored, previous)
        rows.append(
            {
                "at": at,
                "actor": actor,
                "action": action,
                "subject": subject,
                "details": stored,
                "previous_hash": previous,
                "hash": digest,
            }
        )
        previous = digest
    connection.execute(insert(table), rows)  # in list order: ids ascending
    return len(rows)


_LAST_HASH = select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken_at: int | None  # id of the first entry that does not verify
    reason: str | None

    @property
    def ok(self) -> bool:
        return self.broken_at is None


@dataclass(frozen=True)
class Checkpoint:
    """The head of the chain at one moment: how many entries, the last id and its hash."""

    entries: int
    last_id: int
    hash: str

    def as_dict(self) -> dict[str, Any]:
        return {"entries": self.entries, "last_id": self.last_id, "hash": self.hash}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(int(data["entries"]), int(data["last_id"]), str(data["hash"]))


def recent_entries(session: Session, limit: int = 200) -> list[AuditEntry]:
    """The newest ``limit`` entries, newest first (the audit page)."""
    return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit)))


def chain_head(session: Session) -> Checkpoint | None:
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).first()
    if last is None:
        return None
    count = session.scalar(select(func.count()).select_from(AuditEntry)) or 0
    return Checkpoint(count, last.id, last.hash)


def verify_chain(session: Session, checkpoints: Sequence[Checkpoint] = ()) -> ChainReport:
    """Recompute the chain; every checkpoint taken earlier must still be in it."""
    previous = GENESIS
    count = 0
    seen: dict[int, tuple[int, str]] = {}
    for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
        count += 1
        if entry.previous_hash != previous:
            return ChainReport(count, entry.id, "previous entry changed or removed")
        if _digest(entry) != entry.hash:
            return ChainReport(count, entry.id, "entry content changed")
        previous = entry.hash
        seen[entry.id] = (count, entry.hash)
    for checkpoint in checkpoints:
        if seen.get(checkpoint.last_id) != (checkpoint.entries, checkpoint.hash):
            return ChainReport(
                count,
                checkpoint.last_id,
                f"entry {checkpoint.last_id} of a checkpoint ({checkpoint.entries} entries) "
                "is missing or changed: entries were removed",
            )
    return ChainReport(count, None, None)
