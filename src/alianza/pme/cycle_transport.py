"""Carrying cycle messages to the partner node, by HTTPS or by file, like exchange packages.

:func:`send_cycle_messages` signs the outbox's pending messages (:mod:`alianza.pme.cycle_outbox`)
and delivers them in order: POSTed to the trusted partner's registered endpoint
(``alianza node set-url``) at :data:`ENDPOINT`, retrying connection errors and 5xx with
exponential backoff; or written into a folder (one envelope file each, named by sequence
number) for a courier. Delivery stops at the first message that cannot be delivered, so the
partner always receives them in order; it is retried on the next send. Sending a message
again is harmless: the partner applies it once. :func:`receive_cycle_files` applies envelope
files on the receiving node, in sequence order.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx

from alianza.catalogue import declare, message_of
from alianza.db import Database
from alianza.exchange.keys import NodeKeyError, NodeKeys, load_node_keys
from alianza.exchange.partners import (
    BadPartnerUrl,
    UnknownDestination,
    check_partner_url,
    destination,
)
from alianza.exchange.transport import refusal_summary
from alianza.pme import cycle_outbox
from alianza.pme.cycle_envelope import MessageRefused, seal
from alianza.pme.cycle_inbox import Arrival, receive_envelope
from alianza.pme.engine_models import CycleOutboxRow
from alianza.settings import Settings

ENDPOINT = "/api/v1/pme/cycle-messages"
log = logging.getLogger("alianza.pme")

# Why a message waits (the partner's refusal: the status class and its stable code only).
REFUSED = declare("pme.cycle-transport.refused", "the partner's node refused it ({summary})")
UNREACHABLE = declare(
    "pme.cycle-transport.unreachable",
    (
        "could not reach the partner's node after {n} attempts ({last})",
        "could not reach the partner's node after {n} attempts ({last})",
    ),
)
NO_ANSWER = declare("pme.cycle-transport.no-answer", "no answer")
NO_OUTCOME = declare("pme.cycle-transport.no-outcome", "no outcome")
NO_ATTEMPT = declare("pme.cycle-transport.no-attempt", "no attempt made")


@dataclass
class SendReport:
    delivered: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)  # applied, duplicate, workflow, written
    waiting: int = 0
    error: str | None = None


def envelope_of(keys: NodeKeys, row: CycleOutboxRow) -> bytes:
    return seal(
        keys,
        message_id=row.message_id,
        seq=row.id,
        destination=row.destination,
        kind=row.kind,
        payload=row.payload,
        created_at=row.created_at.isoformat(),
    )


OUTCOMES = ("applied", "duplicate", "workflow")  # what a node answers (cycle_inbox.Arrival)


def _outcome(response: httpx.Response) -> str | None:
    """The outcome a 200 answer states, or None when it is not a node's answer."""
    try:
        body: object = response.json()
    except ValueError:
        return None
    outcome = body.get("outcome") if isinstance(body, dict) else None
    return outcome if outcome in OUTCOMES else None


def _post(
    body: bytes,
    url: str,
    *,
    attempts: int,
    backoff: float,
    timeout: float,
    sleep: Callable[[float], None],
) -> str:
    """POST one envelope; returns the partner's outcome or raises ConnectionError."""
    target = check_partner_url(url) + ENDPOINT
    last: str = NO_ATTEMPT.said()
    for attempt in range(1, attempts + 1):
        try:
            response = httpx.post(
                target, content=body, headers={"Content-Type": "application/json"}, timeout=timeout
            )
        except httpx.TransportError as error:
            log.warning("cycle message to %s, attempt %d: %s", target, attempt, error)
            last = NO_ANSWER.said()
        else:
            if response.status_code == 200:
                outcome = _outcome(response)
                if outcome is not None:
                    return outcome
                # a 200 that is not the node's answer (a proxy's page): not delivered
                log.warning(
                    "cycle message to %s, attempt %d: HTTP 200, no outcome", target, attempt
                )
                last = NO_OUTCOME.said()
                if attempt < attempts:
                    sleep(backoff * 2 ** (attempt - 1))
                continue
            try:
                answer: object = response.json()
            except ValueError:
                answer = None
            summary = refusal_summary(response.status_code, answer)
            log.warning("cycle message to %s: %s: %s", target, summary, response.text[:500])
            if response.status_code < 500:
                raise ConnectionRefusedError(REFUSED.said(summary=summary))
            last = summary
        if attempt < attempts:
            sleep(backoff * 2 ** (attempt - 1))
    raise ConnectionError(UNREACHABLE.said(n=attempts, last=last))


def send_cycle_messages(
    database: Database,
    keys: NodeKeys,
    *,
    to: str | None = None,
    folder: Path | None = None,
    attempts: int = 5,
    backoff: float = 0.5,
    timeout: float = 30.0,
    sleep: Callable[[float], None] = time.sleep,
) -> SendReport:
    """Deliver the pending messages in order, over HTTPS (the partner's registered endpoint,
    or ``to`` when it is one) or into ``folder``."""
    report = SendReport()
    with database.reader() as session:
        rows = cycle_outbox.pending(session)
        url = None
        if folder is None and rows:
            url = destination(session, to, country=rows[0].destination)
    for index, row in enumerate(rows):
        body = envelope_of(keys, row)
        try:
            if folder is not None:
                _write(folder / row.destination, f"{row.id:09d}-{row.message_id}.json", body)
                outcome = "written"
            else:
                assert url is not None
                outcome = _post(
                    body, url, attempts=attempts, backoff=backoff, timeout=timeout, sleep=sleep
                )
        except (ConnectionError, OSError) as error:
            report.error = message_of(error)  # said in the user's language
            report.waiting = len(rows) - index
            with database.transaction() as session:
                held = session.get(CycleOutboxRow, row.id)
                assert held is not None
                held.attempts += 1
                held.last_error = str(error)
            break
        with database.transaction() as session:
            held = session.get(CycleOutboxRow, row.id)
            assert held is not None
            held.attempts += 1
            held.delivered_at = datetime.now(UTC)
            held.outcome = outcome
            held.last_error = None
        report.delivered += 1
        report.outcomes[outcome] = report.outcomes.get(outcome, 0) + 1
    return report


def push_to_partner(database: Database, settings: Settings) -> SendReport | None:
    """Right after a step on the web: send what is pending now, one attempt each with a short
    timeout. What cannot go stays queued for ``alianza pme cycle send``; None when this node
    has no keys or no registered partner endpoint."""
    try:
        keys = load_node_keys(settings)
    except (NodeKeyError, OSError, ValueError):
        return None
    try:
        return send_cycle_messages(database, keys, attempts=1, timeout=5.0)
    except (UnknownDestination, BadPartnerUrl):
        return None


async def run_cycle_delivery(
    database: Database, settings: Settings, *, interval: float, wake: asyncio.Event | None = None
) -> None:
    """The served node's delivery loop: every ``interval`` seconds (or when ``wake`` is set)
    send what is queued for the partner (:func:`push_to_partner`), so that messages a step
    could not push (the partner was down) go without anyone running ``pme cycle send``.
    Several loops on one database are harmless: the partner answers a re-delivery
    ``duplicate`` and applies each message once."""
    wake = wake or asyncio.Event()
    while True:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(wake.wait(), interval)
        wake.clear()
        try:
            report = await asyncio.to_thread(push_to_partner, database, settings)
        except Exception:  # keep trying: the messages stay queued
            log.exception("cycle message delivery failed")
            continue
        if report is not None and report.error:
            log.warning("cycle messages wait (%d): %s", report.waiting, report.error)
        elif report is not None and report.delivered:
            log.info("cycle messages delivered: %s", report.outcomes)


def _write(folder: Path, name: str, body: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    temporary = folder / f".{name}.tmp"
    temporary.write_bytes(body)
    temporary.replace(folder / name)


@dataclass(frozen=True)
class FileArrival:
    path: Path
    arrival: Arrival | None
    refused: MessageRefused | None


def receive_cycle_files(
    database: Database, keys: NodeKeys, paths: Iterable[Path]
) -> list[FileArrival]:
    """Apply envelope files (a folder: every ``*.json`` in it), in name (sequence) order.
    Files stay where they are: receiving them again applies nothing twice."""
    files: list[Path] = []
    for path in paths:
        files += sorted(path.glob("*.json")) if path.is_dir() else [path]
    results = []
    for path in sorted(files, key=lambda p: p.name):
        try:
            results.append(
                FileArrival(path, receive_envelope(database, path.read_bytes(), keys=keys), None)
            )
        except MessageRefused as refused:
            results.append(FileArrival(path, None, refused))
    return results
