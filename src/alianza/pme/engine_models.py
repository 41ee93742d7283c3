"""Tables of the performance-measures engine: deadlines, events, judgements, reporting cycles.

Nothing here is overwritten. A deadline correction or a re-parse after the target's text
changed adds a row and marks the previous one superseded; an event's date corrected likewise;
judgements are a history read as of a date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from alianza.db.base import Base


class DeadlineRow(Base):
    """The deadline of one target paragraph (``10.4.1/targets/1``), parsed or corrected."""

    __tablename__ = "pme_deadline"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("pme_action.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)  # target paragraph, 1-based
    language: Mapped[str] = mapped_column(String(2))  # of the text it was read from
    target_text: Mapped[str] = mapped_column(Text)  # that text, to notice when it changes
    kind: Mapped[str] = mapped_column(String(12))
    due: Mapped[date | None] = mapped_column(Date)
    window_start: Mapped[date | None] = mapped_column(Date)
    event_key: Mapped[str | None] = mapped_column(String(200))
    event_text: Mapped[str | None] = mapped_column(Text)
    offset: Mapped[str | None] = mapped_column(String(12))  # ISO 8601 period, "P6M"
    recurrence: Mapped[str | None] = mapped_column(String(12))
    start: Mapped[date | None] = mapped_column(Date)
    phrase: Mapped[str | None] = mapped_column(Text)
    origin: Mapped[str] = mapped_column(String(10))  # "parsed" or "corrected"
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)  # why a person corrected it
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class EventRow(Base):
    """A named event that relative deadlines count from, with the date it happened."""

    __tablename__ = "pme_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pme_plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200), index=True)
    name: Mapped[str] = mapped_column(Text)
    occurred_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class JudgementRow(Base):
    """What people recorded about an action (or one of its targets) as of a date."""

    __tablename__ = "pme_judgement"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("pme_action.id", ondelete="CASCADE"))
    target_position: Mapped[int | None] = mapped_column(Integer)  # null: the whole action
    as_of: Mapped[date] = mapped_column(Date)
    completion: Mapped[str] = mapped_column(String(20))
    completed_on: Mapped[date | None] = mapped_column(Date)
    rating: Mapped[str | None] = mapped_column(String(20))
    justification: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CycleRow(Base):
    """A reporting cycle: status collected as of a date, approved by both governments."""

    __tablename__ = "pme_cycle"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("pme_plan.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    label_en: Mapped[str] = mapped_column(Text)
    label_es: Mapped[str] = mapped_column(Text)
    as_of: Mapped[date] = mapped_column(Date)
    due: Mapped[date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(12))
    round: Mapped[int] = mapped_column(Integer)  # submissions so far; approvals count per round
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class StatusTextRow(Base):
    """One language of one status paragraph of a cycle, with its translation state.

    Rows are never updated but to be superseded: a new text or a new state is a new row.
    """

    __tablename__ = "pme_status_text"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pme_cycle.id", ondelete="CASCADE"))
    action_id: Mapped[int] = mapped_column(ForeignKey("pme_action.id", ondelete="CASCADE"))
    government: Mapped[str] = mapped_column(String(5))  # US, MX, JOINT
    position: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10))  # source, draft, approved, stale
    written_by: Mapped[str] = mapped_column(String(200))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who wrote it, as both nodes know it: the account and its government (None before 0004)
    writer_account: Mapped[str | None] = mapped_column(String(200))
    writer_country: Mapped[str | None] = mapped_column(String(2))
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class CycleStepRow(Base):
    """One step of a cycle's workflow: submit, return, approve, waive, lock, publish."""

    __tablename__ = "pme_cycle_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pme_cycle.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    step: Mapped[str] = mapped_column(String(10))
    government: Mapped[str | None] = mapped_column(String(5))
    language: Mapped[str | None] = mapped_column(String(2))
    comment: Mapped[str | None] = mapped_column(Text)
    by: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # who acted, as both nodes know it: the account and its government (None before 0004)
    account: Mapped[str | None] = mapped_column(String(200))
    country: Mapped[str | None] = mapped_column(String(2))


class PublicationRow(Base):
    """The frozen content of a published cycle and its hash."""

    __tablename__ = "pme_publication"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(
        ForeignKey("pme_cycle.id", ondelete="CASCADE"), unique=True
    )
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str] = mapped_column(String(64))
    published_by: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TranslationApprovalRow(Base):
    """One government's approval of one translated cell version of the plan's text."""

    __tablename__ = "pme_translation_approval"
    __table_args__ = (UniqueConstraint("cell_version_id", "government"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cell_version_id: Mapped[int] = mapped_column(
        ForeignKey("pme_cell_version.id", ondelete="CASCADE")
    )
    government: Mapped[str] = mapped_column(String(5))
    approved_by: Mapped[str] = mapped_column(String(200))
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class EditionSignatureRow(Base):
    """One government's signature over a cycle's edition hash: this node's own, made when it
    published, or the partner's, from its verified signed message."""

    __tablename__ = "pme_edition_signature"
    __table_args__ = (UniqueConstraint("cycle_id", "country", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pme_cycle.id", ondelete="CASCADE"))
    country: Mapped[str] = mapped_column(String(2))
    node: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(64))
    sha256: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(200))  # base64 Ed25519
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CycleOutboxRow(Base):
    """A cycle message waiting for (or past) delivery to the partner node, oldest first.

    The payload is stored unsigned; it is signed when sent (the same bytes each time)."""

    __tablename__ = "pme_cycle_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)  # the message's sequence number
    message_id: Mapped[str] = mapped_column(String(36), unique=True)
    destination: Mapped[str] = mapped_column(String(2))
    kind: Mapped[str] = mapped_column(String(12))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    outcome: Mapped[str | None] = mapped_column(String(20))  # what the partner answered
    last_error: Mapped[str | None] = mapped_column(Text)


class CycleMessageLogRow(Base):
    """Every cycle message that arrived: applied, a duplicate, refused by the workflow, or
    refused as not authentic (tampered, replayed, unknown or rotated-out key)."""

    __tablename__ = "pme_cycle_message_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[str | None] = mapped_column(String(36), index=True)
    sender: Mapped[str | None] = mapped_column(String(2))
    fingerprint: Mapped[str | None] = mapped_column(String(64))
    seq: Mapped[int | None] = mapped_column(Integer)
    digest: Mapped[str] = mapped_column(String(64))  # SHA-256 of the envelope as received
    kind: Mapped[str | None] = mapped_column(String(12))
    outcome: Mapped[str] = mapped_column(String(20))  # applied, duplicate, workflow, refused
    code: Mapped[str | None] = mapped_column(String(40))
    detail: Mapped[str | None] = mapped_column(Text)
    detail_es: Mapped[str | None] = mapped_column(Text)  # None: logged before pme_engine_0006
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CycleMeasuresRow(Base):
    """The registry-measure outcomes a government submitted with a cycle (:mod:`alianza.pme.
    cycle_measures`): its own, recorded when it submits here, or the partner's, from its
    signed ``submit`` message (partner data). A resubmission adds a row; the latest counts."""

    __tablename__ = "pme_cycle_measures"

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("pme_cycle.id", ondelete="CASCADE"))
    round: Mapped[int] = mapped_column(Integer)
    country: Mapped[str] = mapped_column(String(2))  # the government that submitted them
    as_of: Mapped[date] = mapped_column(Date)
    measures: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    submitted_by: Mapped[str] = mapped_column(String(200))  # the account, as both nodes hold it
    received_from: Mapped[str | None] = mapped_column(String(200))  # partner node; None: own
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
