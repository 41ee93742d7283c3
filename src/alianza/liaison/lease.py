"""One delivery loop at a time: a lease row in the database, renewed by its holder.

Every worker of ``alianza serve`` (and every node process sharing a database) runs the outbox
delivery loop, but only the holder of the ``delivery`` lease sends and escalates: each pass
first renews the lease, or takes it if it has expired. A holder that dies stops renewing, and
another worker takes over once ``LEASE_SECONDS`` have passed; a holder that stops cleanly
releases it at once. Taking and renewing is one conditional ``UPDATE`` (after an ``INSERT …
ON CONFLICT DO NOTHING`` the first time), atomic on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from sqlalchemy import or_, update

from alianza.db import Database
from alianza.db.engine import insert_if_absent
from alianza.liaison.models import Lease

DELIVERY = "delivery"
LEASE_SECONDS = 15.0


def new_holder() -> str:
    """A name unique to this loop: host, process, and a random part."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def hold_lease(
    database: Database,
    holder: str,
    *,
    now: datetime,
    name: str = DELIVERY,
    seconds: float = LEASE_SECONDS,
) -> bool:
    """Renew the lease if ``holder`` has it, take it if it is free or expired; True when
    ``holder`` holds it until ``now + seconds``."""
    until = now + timedelta(seconds=seconds)
    with database.transaction() as session:
        if insert_if_absent(
            session, Lease, {"name": name, "holder": holder, "expires_at": until}, key=["name"]
        ):
            return True
        taken = session.connection().execute(
            update(Lease)
            .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at <= now))
            .values(holder=holder, expires_at=until)
        )
        return taken.rowcount == 1


def release_lease(database: Database, holder: str, *, now: datetime, name: str = DELIVERY) -> None:
    """Give the lease up (a clean stop), so that another loop takes over at once."""
    with database.transaction() as session:
        session.connection().execute(
            update(Lease)
            .where(Lease.name == name, Lease.holder == holder)
            .values(expires_at=now - timedelta(days=1))  # expired for any clock near ours
        )


@contextmanager
def delivery_turn(database: Database, *, now: datetime) -> Iterator[bool]:
    """For a one-off pass (``alianza ports deliver``, ``outbox send``): True while this pass
    holds the lease, released after it; False when a running loop holds it (it delivers)."""
    holder = new_holder()
    if not hold_lease(database, holder, now=now):
        yield False
        return
    try:
        yield True
    finally:
        release_lease(database, holder, now=now)
