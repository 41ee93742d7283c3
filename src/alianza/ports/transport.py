"""Carrying alert messages between nodes: the outbox delivery loop and two transports.

Delivery is at least once: a message leaves the outbox only when the transport has accepted
it; the receiving node's inbox ignores a message it has already applied. Between two nodes,
:class:`HttpTransport` POSTs batches signed with the node keys (:mod:`alianza.ports.signing`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx2 as httpx
from sqlalchemy import select, update

from alianza.db import Database
from alianza.exchange.keys import NodeKeys
from alianza.ports.alerts import receive, receive_many
from alianza.ports.liaison_models import OutboxMessage
from alianza.ports.signing import ENDPOINT, sign_batch


class Transport(Protocol):
    """Carries messages to a partner node; raises on failure (the messages stay queued)."""

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None: ...


class TransportUnavailable(ConnectionError):
    """The partner node could not be reached."""


class PartnerRefused(ConnectionError):
    """The partner node answered but refused the batch (kept queued, error recorded)."""


@dataclass
class HttpTransport:
    """POSTs signed batches to the partner node's ``/api/v1/ports/messages`` (HTTP or HTTPS).

    ``urls`` maps a destination country to the partner's base URL."""

    keys: NodeKeys
    urls: Mapping[str, str]
    timeout: float = 10.0
    verify: bool | str = True

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        base = self.urls.get(destination)
        if not base:
            raise TransportUnavailable(
                f"no partner URL for {destination} (ALIANZA_PORTS_PARTNER_URL)"
            )
        body, headers = sign_batch(self.keys, destination, payloads)
        target = base.rstrip("/") + ENDPOINT
        try:
            response = httpx.post(
                target, content=body, headers=headers, timeout=self.timeout, verify=self.verify
            )
        except httpx.TransportError as error:
            raise TransportUnavailable(f"{target}: {type(error).__name__}: {error}") from None
        if response.status_code >= 500:
            raise TransportUnavailable(f"{target}: HTTP {response.status_code}")
        if response.status_code != 200:
            try:
                error_body = response.json()["error"]
                reason = f"{error_body['message']} [{error_body['code']}]"
            except (ValueError, KeyError, TypeError):
                reason = response.text[:200]
            raise PartnerRefused(f"{target} refused ({response.status_code}): {reason}")


@dataclass
class LoopbackTransport:
    """Delivers straight into partner nodes' databases (one process, tests and the demo).

    The partner's clock is the ``clock`` callable, so each side keeps its own time.
    """

    partners: dict[str, Database]
    clock: Any
    available: bool = True

    def send(self, destination: str, payload: Mapping[str, Any]) -> None:
        self.send_many(destination, [payload])

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        """Applies the batch in one transaction on the partner node (all or nothing)."""
        if not self.available:
            raise TransportUnavailable(f"node {destination} unreachable")
        with self.partners[destination].transaction() as session:
            receive_many(session, payloads, now=self.clock())


@dataclass
class DeliveryReport:
    delivered: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)


def deliver_outbox(
    database: Database, transport: Transport, *, now: datetime, limit: int = 500
) -> DeliveryReport:
    """Send due messages, oldest first; a failure leaves the message queued with a backoff."""
    report = DeliveryReport()
    with database.reader() as session:
        pending = session.scalars(
            select(OutboxMessage)
            .where(OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id)
            .limit(limit)
        ).all()
    batches: dict[str, list[OutboxMessage]] = {}
    for message in pending:
        batches.setdefault(message.destination, []).append(message)
    sent: list[int] = []
    for destination, batch in batches.items():
        try:
            transport.send_many(destination, [m.payload for m in batch])
        except (ConnectionError, OSError) as error:
            report.failed += len(batch)
            report.errors.append(str(error))
            with database.transaction() as session:
                for message in batch:
                    held = session.get(OutboxMessage, message.id)
                    assert held is not None
                    held.attempts += 1
                    held.last_error = str(error)
                    held.next_attempt_at = now + timedelta(seconds=min(2**held.attempts, 300))
            continue
        sent += [m.id for m in batch]
    # Marked in one transaction: a crash before it commits re-sends these messages, which the
    # receiver then ignores (at least once, shown once).
    if sent:
        with database.transaction() as session:  # one statement, whatever the batch size
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_(sent))
                .values(attempts=OutboxMessage.attempts + 1, delivered_at=now)
            )
        report.delivered = len(sent)
    return report


@dataclass
class FileTransport:
    """Writes each message as ``<message id>.json`` into a folder per destination node
    (``DIR/MX/``), atomically (temp file + rename), for a courier or a sync job to carry."""

    root: Path

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        for payload in payloads:
            self.send(destination, payload)

    def send(self, destination: str, payload: Mapping[str, Any]) -> None:
        folder = self.root / destination
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{payload['message_id']}.json"
        temporary = folder / f".{payload['message_id']}.tmp"
        temporary.write_text(json.dumps(payload, ensure_ascii=False, sort_keys=True), "utf-8")
        temporary.replace(final)


def receive_folder(database: Database, folder: Path, *, now: datetime) -> tuple[int, int]:
    """Apply every message file in ``folder`` (one transaction each); (applied, duplicates).

    Files stay where they are: receiving the same folder again applies nothing twice.
    """
    applied = duplicates = 0
    for path in sorted(folder.glob("*.json")):
        payload = json.loads(path.read_text("utf-8"))
        with database.transaction() as session:
            if receive(session, payload, now=now):
                applied += 1
            else:
                duplicates += 1
    return applied, duplicates
