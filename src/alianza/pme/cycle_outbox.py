"""Cycle messages waiting for the partner node: each local step of a reporting cycle (a text,
a withdrawal, a submission, a return with its reason, an approval or waiver, the lock, the
publication with this government's signature) is queued here in the step's own transaction,
so that a step is never done without its message, nor the reverse.

The outbox row's id is the message's sequence number: the partner applies a sender's messages
in that order and refuses one older than what it already applied (a replay). Messages are
signed when sent (:mod:`alianza.pme.cycle_envelope`).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.node import node_country_or_none, other_country
from alianza.pme import cycle_kinds
from alianza.pme.engine_models import CycleOutboxRow

KINDS = (
    "open", "enter", "withdraw", "submit", "return", "approve", "waive", "lock", "publish", "sign",
)  # fmt: skip

UNKNOWN_KIND = declare("pme.cycle-outbox.unknown-kind", "unknown cycle message kind {kind!r}")


def queue(session: Session, kind: str, payload: dict[str, Any]) -> None:
    """Queue a message for the partner government's node (nothing on a node without a
    country: a single-node test or a fresh install has no partner). ``kind``: a cycle step,
    or a kind another domain registered (:mod:`alianza.pme.cycle_kinds`)."""
    if kind not in KINDS and cycle_kinds.handler_for(kind) is None:
        raise ValueError(UNKNOWN_KIND.said(kind=kind))
    own = node_country_or_none(session)
    if own is None:
        return
    session.add(
        CycleOutboxRow(
            message_id=str(uuid.uuid4()),
            destination=other_country(own).value,
            kind=kind,
            payload=payload,
            created_at=datetime.now(UTC),
            attempts=0,
        )
    )
    session.flush()


def pending(session: Session, limit: int = 500) -> list[CycleOutboxRow]:
    """Messages not yet delivered, oldest first."""
    return list(
        session.scalars(
            select(CycleOutboxRow)
            .where(CycleOutboxRow.delivered_at.is_(None))
            .order_by(CycleOutboxRow.id)
            .limit(limit)
        )
    )


def all_messages(session: Session) -> list[CycleOutboxRow]:
    return list(session.scalars(select(CycleOutboxRow).order_by(CycleOutboxRow.id)))
