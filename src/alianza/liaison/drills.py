"""Scheduled communication drills of a port pair and their recorded results (10.6).

A drill is held between both sides of a pair, so its result is joint work: the node that
records it queues it for the partner node (a ``drill`` message, signed and carried like the
alerts), which stores the same drill; both nodes' 10.6 measures then count it ("drills held").
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.liaison import messages as words
from alianza.liaison.directory import CHANNEL_KINDS, DirectoryError
from alianza.liaison.models import Drill, OutboxMessage, PortPair
from alianza.node import node_country_or_none, other_country


def schedule_drill(
    session: Session, pair: PortPair, *, at: datetime, channel: str, actor: Actor
) -> Drill:
    by = acting(session, actor, Permission.PORTS_ALERT)
    if channel not in CHANNEL_KINDS:
        raise DirectoryError(words.DRILL_CHANNEL.said(allowed=", ".join(CHANNEL_KINDS)))
    drill = Drill(pair_id=pair.id, scheduled_for=at, channel=channel)
    session.add(drill)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="ports.drill.schedule",
        subject=f"ports_drill:{drill.id}",
        details={"pair": pair.us_port_code, "channel": channel, "at": at.isoformat()},
    )
    return drill


def record_drill(
    session: Session,
    drill: Drill,
    *,
    held_at: datetime,
    passed: bool,
    seconds_to_answer: int | None,
    notes: str = "",
    actor: Actor,
) -> Drill:
    """Record the result of a drill (once: a second result is refused)."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    if drill.held_at is not None:
        raise DirectoryError(words.DRILL_HAS_RESULT.said(id=drill.id))
    drill.held_at = held_at
    drill.passed = passed
    drill.seconds_to_answer = seconds_to_answer
    drill.notes = notes
    drill.recorded_by = by
    shared = _share(session, drill, held_at)
    audit.record(
        session,
        actor=by,
        action="ports.drill.record",
        subject=f"ports_drill:{drill.id}",
        details={"passed": passed, "seconds_to_answer": seconds_to_answer, "shared": shared},
    )
    return drill


def _share(session: Session, drill: Drill, now: datetime) -> bool:
    """Queue the held drill for the partner node; False on a node without a country (a test
    database), which keeps it to itself rather than guess a side."""
    own = node_country_or_none(session)
    pair = session.get(PortPair, drill.pair_id)
    if own is None or pair is None:
        return False
    message_id = str(uuid.uuid4())
    payload = {
        "kind": "drill",
        "message_id": message_id,
        "drill": {
            "country": own.value,
            "us_port_code": pair.us_port_code,
            "scheduled_for": drill.scheduled_for.isoformat(),
            "channel": drill.channel,
            "held_at": drill.held_at.isoformat() if drill.held_at else None,
            "passed": drill.passed,
            "seconds_to_answer": drill.seconds_to_answer,
            "notes": drill.notes or "",
            "recorded_by": drill.recorded_by or "",
        },
    }
    session.add(
        OutboxMessage(
            message_id=message_id,
            destination=other_country(own).value,
            payload=payload,
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )
    return True


def apply_partner_drill(
    session: Session, body: Mapping[str, Any], pair: PortPair, *, actor: Actor
) -> Drill:
    """Store a drill the partner node recorded (its ``drill`` message): the same drill, held,
    with its result, so that this node's measures count it too; ``actor``: this node,
    receiving it (the partner's recorder is data of the drill)."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    channel = str(body["channel"])
    if channel not in CHANNEL_KINDS:
        raise DirectoryError(words.DRILL_CHANNEL.said(allowed=", ".join(CHANNEL_KINDS)))
    held = body.get("held_at")
    drill = Drill(
        pair_id=pair.id,
        scheduled_for=datetime.fromisoformat(str(body["scheduled_for"])),
        channel=channel,
        held_at=datetime.fromisoformat(str(held)) if held else None,
        passed=body.get("passed"),
        seconds_to_answer=body.get("seconds_to_answer"),
        notes=str(body.get("notes") or ""),
        recorded_by=f"{body.get('recorded_by') or ''} ({body['country']})".strip(),
    )
    session.add(drill)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="ports.drill.receive",
        subject=f"ports_drill:{drill.id}",
        details={"from": str(body["country"]), "pair": str(body["us_port_code"])},
    )
    return drill
