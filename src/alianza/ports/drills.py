"""Scheduled communication drills of a port pair and their recorded results (10.6)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from alianza import audit
from alianza.actors import Actor, actor_name
from alianza.ports.directory import CHANNEL_KINDS, DirectoryError
from alianza.ports.liaison_models import Drill, PortPair


def schedule_drill(
    session: Session, pair: PortPair, *, at: datetime, channel: str, actor: Actor
) -> Drill:
    if channel not in CHANNEL_KINDS:
        raise DirectoryError(f"channel must be one of {', '.join(CHANNEL_KINDS)}")
    drill = Drill(pair_id=pair.id, scheduled_for=at, channel=channel)
    session.add(drill)
    session.flush()
    audit.record(
        session,
        actor=actor_name(actor),
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
    if drill.held_at is not None:
        raise DirectoryError(f"drill {drill.id} already has a result")
    drill.held_at = held_at
    drill.passed = passed
    drill.seconds_to_answer = seconds_to_answer
    drill.notes = notes
    drill.recorded_by = actor_name(actor)
    audit.record(
        session,
        actor=actor_name(actor),
        action="ports.drill.record",
        subject=f"ports_drill:{drill.id}",
        details={"passed": passed, "seconds_to_answer": seconds_to_answer},
    )
    return drill
