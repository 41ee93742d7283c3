"""Alert messages between nodes over HTTP(S), signed with the node keys of the exchange channel.

A batch of outbox messages travels as one JSON document (UTF-8, sorted keys) POSTed to the
partner's ``/api/v1/ports/messages``; the Ed25519 signature over those exact bytes and the
signer's key fingerprint go in two headers. The receiver accepts the batch only when the
fingerprint is a trusted partner's (``alianza exchange partner trust``), the signature holds,
the document names the signer's country as sender and this node's country as destination, and
each message speaks for the signer's side. Then every message is applied in one transaction,
idempotently by message id (at least once, shown once). Nothing is written otherwise.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError

from alianza.catalogue import message_of
from alianza.db import Database
from alianza.exchange.keys import NodeKeys, verify_signature
from alianza.exchange.partners import trusted_identities
from alianza.liaison import messages as words
from alianza.liaison.alerts import AlertRefused, receive_many

ENDPOINT = "/api/v1/ports/messages"
DOCUMENT_KIND = "alianza-ports-messages"
SIGNER_HEADER = "X-Alianza-Signer"
SIGNATURE_HEADER = "X-Alianza-Signature"
MAX_BATCH_BYTES = 5 * 1024 * 1024


class MessagesRefused(Exception):
    """A batch that must not be applied; ``code`` is stable, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{message} [{code}]")
        self.code = code
        self.message = message


def sign_batch(
    keys: NodeKeys, destination: str, payloads: Sequence[Mapping[str, Any]]
) -> tuple[bytes, dict[str, str]]:
    """The body and headers of a signed batch for the node of ``destination``."""
    document = {
        "kind": DOCUMENT_KIND,
        "from": keys.identity.country,
        "to": destination,
        "messages": [dict(p) for p in payloads],
    }
    body = json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        SIGNER_HEADER: keys.identity.fingerprint,
        SIGNATURE_HEADER: base64.b64encode(keys.sign(body)).decode("ascii"),
    }
    return body, headers


@dataclass(frozen=True)
class BatchResult:
    sender: str
    applied: int
    duplicates: int


def receive_batch(
    database: Database,
    body: bytes,
    *,
    signer: str | None,
    signature: str | None,
    own_country: str,
    now: datetime,
) -> BatchResult:
    """Verify a signed batch and apply its messages (all or nothing)."""
    if not signer or not signature:
        raise MessagesRefused(
            "unsigned",
            words.BATCH_UNSIGNED.said(
                signer_header=SIGNER_HEADER, signature_header=SIGNATURE_HEADER
            ),
        )
    with database.reader() as session:
        identity = trusted_identities(session).get(signer)
    if identity is None:
        raise MessagesRefused("unknown-signer", words.BATCH_UNKNOWN_SIGNER.said(key=signer[:16]))
    try:
        raw_signature = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raise MessagesRefused("bad-signature", words.BATCH_NOT_BASE64.said()) from None
    if not verify_signature(identity.public_key, raw_signature, body):
        raise MessagesRefused(
            "bad-signature", words.BATCH_SIGNATURE_MISMATCH.said(name=identity.name)
        )
    try:
        document = json.loads(body.decode("utf-8"))
        messages = document["messages"]
        if document.get("kind") != DOCUMENT_KIND or not isinstance(messages, list):
            raise ValueError(words.NOT_A_BATCH.said())
    except (ValueError, KeyError, TypeError) as error:
        raise MessagesRefused(
            "malformed", words.BATCH_UNREADABLE.said(error=message_of(error))
        ) from None
    if document.get("from") != identity.country:
        raise MessagesRefused(
            "wrong-sender",
            words.BATCH_WRONG_SENDER.said(
                name=identity.name, country=identity.country, sent=repr(document.get("from"))
            ),
        )
    if document.get("to") != own_country:
        raise MessagesRefused(
            "wrong-destination",
            words.BATCH_WRONG_DESTINATION.said(to=repr(document.get("to")), node=own_country),
        )
    try:
        for attempt in range(1, 4):
            try:
                with database.transaction() as session:
                    applied, duplicates = receive_many(
                        session, messages, now=now, sender=identity.country
                    )
                break
            except IntegrityError:
                # a concurrent batch created the same row first (the pair on first use, or
                # the same message delivered twice at once): read again, now it is there
                if attempt == 3:
                    raise MessagesRefused("busy", words.BATCH_BUSY.said()) from None
    except AlertRefused as refused:
        raise MessagesRefused("refused", message_of(refused)) from None
    except (KeyError, TypeError, ValueError) as error:
        raise MessagesRefused("malformed", words.BATCH_INCOMPLETE.said(error=repr(error))) from None
    return BatchResult(identity.country, applied, duplicates)
