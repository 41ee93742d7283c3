"""Carrying alert messages between nodes: the outbox delivery loop and two transports.

Delivery is at least once: a message leaves the outbox only when the transport has accepted
it; the receiving node's inbox ignores a message it has already applied. Between two nodes,
:class:`HttpTransport` POSTs batches signed with the node keys (:mod:`alianza.liaison.signing`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import httpx2 as httpx
from sqlalchemy import select, update

from alianza.catalogue import message_of
from alianza.db import Database
from alianza.exchange.keys import NodeKeys
from alianza.exchange.transport import refusal_summary
from alianza.liaison import messages as words
from alianza.liaison.alerts import mark_carried, receive, receive_many
from alianza.liaison.models import OutboxMessage
from alianza.liaison.signing import ENDPOINT, sign_batch

log = logging.getLogger("alianza.ports")


class Transport(Protocol):
    """Carries messages to a partner node; raises on failure (the messages stay queued)."""

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None: ...


class TransportUnavailable(ConnectionError):
    """The partner node could not be reached."""


class PartnerRefused(ConnectionError):
    """The partner node answered but refused the batch (kept queued, error recorded)."""


def partner_alert_url(database: Database, country: str, fallback: str | None = None) -> str | None:
    """Where alerts for ``country`` go: the registered endpoint of the trusted partner of that
    country (``alianza node set-url``), else ``fallback`` (ALIANZA_PORTS_PARTNER_URL, kept for
    compatibility) checked the same way; None when neither is set. Raises
    :class:`alianza.exchange.partners.BadPartnerUrl` for a fallback that is not https://
    (or http:// to loopback)."""
    from alianza.exchange.partners import UnknownDestination, check_partner_url, destination

    with database.reader() as session:
        try:
            return destination(session, None, country=country)
        except UnknownDestination:
            pass
    return check_partner_url(fallback) if fallback else None


@dataclass
class HttpTransport:
    """POSTs signed batches to the partner node's ``/api/v1/ports/messages`` (HTTP or HTTPS).

    ``urls`` maps a destination country to the partner's base URL."""

    keys: NodeKeys
    urls: Mapping[str, str]
    timeout: float = 10.0
    verify: bool | str = True
    confirms_delivery = True  # a 200 means the partner's node applied the batch

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        base = self.urls.get(destination)
        if not base:
            raise TransportUnavailable(words.NO_PARTNER_URL.said(destination=destination))
        from alianza.exchange.partners import check_partner_url

        body, headers = sign_batch(self.keys, destination, payloads)
        target = check_partner_url(base) + ENDPOINT
        try:
            response = httpx.post(
                target, content=body, headers=headers, timeout=self.timeout, verify=self.verify
            )
        except httpx.TransportError as error:
            log.warning("alerts to %s: %s: %s", target, type(error).__name__, error)
            raise TransportUnavailable(words.PARTNER_UNREACHABLE.said()) from None
        if response.status_code >= 500:
            log.warning("alerts to %s: HTTP %d", target, response.status_code)
            raise TransportUnavailable(
                words.PARTNER_FAILED.said(status=response.status_code // 100)
            )
        if response.status_code != 200:
            log.warning(
                "alerts to %s: HTTP %d: %s", target, response.status_code, response.text[:500]
            )
            try:
                answer: object = response.json()
            except ValueError:
                answer = None
            summary = refusal_summary(response.status_code, answer)
            raise PartnerRefused(words.PARTNER_REFUSED.said(summary=summary))
        try:
            answered: object = response.json()
        except ValueError:
            answered = None
        if not (
            isinstance(answered, dict)
            and isinstance(answered.get("applied"), int)
            and isinstance(answered.get("duplicates"), int)
        ):  # a 200 that is not the node's answer (a proxy's page): not delivered
            log.warning("alerts to %s: HTTP 200 without the node's answer", target)
            raise TransportUnavailable(words.PARTNER_NO_ANSWER.said())


@dataclass
class LoopbackTransport:
    """Delivers straight into partner nodes' databases (one process, tests and the demo).

    The partner's clock is the ``clock`` callable, so each side keeps its own time.
    """

    partners: dict[str, Database]
    clock: Any
    available: bool = True
    confirms_delivery = True

    def send(self, destination: str, payload: Mapping[str, Any]) -> None:
        self.send_many(destination, [payload])

    def send_many(self, destination: str, payloads: Sequence[Mapping[str, Any]]) -> None:
        """Applies the batch in one transaction on the partner node (all or nothing)."""
        if not self.available:
            raise TransportUnavailable(words.NODE_UNREACHABLE.said(destination=destination))
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
    """Send the queued messages of each destination where one is due, oldest first.

    A destination is tried when its oldest waiting message is due; then everything queued for
    it goes in one batch, in order (after a reconnection the backlog arrives at once, not one
    message per retry). A failure leaves them queued with a backoff. An alert the partner's
    node accepted (a transport that ``confirms_delivery``) is marked delivered on this side
    too, with a ``delivered`` event; one written to a folder stays queued until the partner
    acknowledges it."""
    report = DeliveryReport()
    with database.reader() as session:
        due = set(
            session.scalars(
                select(OutboxMessage.destination).where(
                    OutboxMessage.delivered_at.is_(None), OutboxMessage.next_attempt_at <= now
                )
            )
        )
        pending = (
            session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.delivered_at.is_(None),
                    OutboxMessage.destination.in_(sorted(due)),
                )
                .order_by(OutboxMessage.id)
                .limit(limit)
            ).all()
            if due
            else []
        )
    batches: dict[str, list[OutboxMessage]] = {}
    for message in pending:
        batches.setdefault(message.destination, []).append(message)
    sent: list[OutboxMessage] = []
    for destination, batch in batches.items():
        try:
            transport.send_many(destination, [m.payload for m in batch])
        except (ConnectionError, OSError) as error:
            report.failed += len(batch)
            report.errors.append(message_of(error))  # said in the user's language
            with database.transaction() as session:
                for message in batch:
                    held = session.get(OutboxMessage, message.id)
                    assert held is not None
                    held.attempts += 1
                    held.last_error = str(error)
                    held.next_attempt_at = now + timedelta(seconds=min(2**held.attempts, 300))
            continue
        sent += batch
    # Marked in one transaction: a crash before it commits re-sends these messages, which the
    # receiver then ignores (at least once, shown once).
    if sent:
        with database.transaction() as session:  # one statement, whatever the batch size
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.id.in_([m.id for m in sent]))
                .values(attempts=OutboxMessage.attempts + 1, delivered_at=now)
            )
            if getattr(transport, "confirms_delivery", False):
                alerts = [m.message_id for m in sent if m.payload["kind"] == "alert"]
                mark_carried(session, alerts, now)
        report.delivered = len(sent)
    return report


@dataclass
class FileTransport:
    """Writes each message as ``<message id>.json`` into a folder per destination node
    (``DIR/MX/``), atomically (temp file + rename), for a courier or a sync job to carry."""

    root: Path
    confirms_delivery = False  # written for a courier: not yet at the partner

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
