"""A cycle message as it travels, by file or HTTPS: a self-contained signed envelope.

::

    {"kind": "alianza-cycle-message",
     "message": "<canonical JSON: id, seq, from, to, kind, payload, created_at>",
     "signer": "<SHA-256 fingerprint of the sender's node key>",
     "signature": "<base64 Ed25519 over the UTF-8 bytes of message>"}

:func:`open_envelope` accepts it only when the signer is a trusted partner's current key (an
untrusted, revoked or rotated-out key is refused), the signature holds over the exact message
text (any change is refused as tampered), the message names the signer's country as sender and
this node's country as destination. Whether it was seen before, or is older than what was
applied (a replay), is for :mod:`alianza.pme.cycle_inbox`.
"""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import Any

from alianza.catalogue import Said, declare, in_language, message_of
from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature
from alianza.pme.edition import canonical_bytes

ENVELOPE_KIND = "alianza-cycle-message"
MAX_ENVELOPE_BYTES = 1024 * 1024


# Why a cycle message is refused (keys ``pme.cycle-message.<code>``; the Spanish is in the
# message catalogue).
TOO_LARGE = declare("pme.cycle-message.too-large", "a cycle message is at most {limit:,} bytes")
MALFORMED = declare("pme.cycle-message.malformed", "not a cycle message envelope ({error})")
INCOMPLETE = declare("pme.cycle-message.incomplete", "message incomplete ({error})")
NOT_ENVELOPE = declare("pme.cycle-message.not-envelope", "not a cycle message envelope")
NOT_TEXT = declare("pme.cycle-message.not-text", "message, signer and signature are text")
UNKNOWN_SIGNER = declare(
    "pme.cycle-message.unknown-signer",
    "signed by key {key}…, which is not a trusted partner's current key "
    "(untrusted, revoked or rotated out)",
)
BAD_SIGNATURE = declare(
    "pme.cycle-message.bad-signature",
    "the signature does not verify with {node}'s key (altered in transit?)",
)
WRONG_SENDER = declare(
    "pme.cycle-message.wrong-sender", "signed by {node} ({country}) but sent as {sender}"
)
WRONG_DESTINATION = declare(
    "pme.cycle-message.wrong-destination",
    "addressed to the {destination} node; this is the {own} node",
)


class MessageRefused(Exception):
    """A cycle message that is not applied; ``code`` is stable, ``reason`` a :class:`Said`
    (``str(error)``: its English; :func:`~alianza.catalogue.message_of` gets it whole)."""

    def __init__(self, code: str, reason: Said) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason

    @property
    def en(self) -> str:
        return in_language(self.reason, "en")

    @property
    def es(self) -> str:
        return in_language(self.reason, "es")


@dataclass(frozen=True)
class CycleMessage:
    id: str
    seq: int
    sender: str
    destination: str
    kind: str
    payload: dict[str, Any]
    created_at: str
    text: str  # the signed message text, as received

    @property
    def digest(self) -> str:
        import hashlib

        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def seal(
    keys: NodeKeys,
    *,
    message_id: str,
    seq: int,
    destination: str,
    kind: str,
    payload: dict[str, Any],
    created_at: str,
) -> bytes:
    """The envelope of one message (the same bytes each time for the same message)."""
    message = {
        "id": message_id,
        "seq": seq,
        "from": keys.identity.country,
        "to": destination,
        "kind": kind,
        "payload": payload,
        "created_at": created_at,
    }
    text = canonical_bytes(message)
    envelope = {
        "kind": ENVELOPE_KIND,
        "message": text.decode("utf-8"),
        "signer": keys.identity.fingerprint,
        "signature": base64.b64encode(keys.sign(text)).decode("ascii"),
    }
    return canonical_bytes(envelope)


def open_envelope(
    body: bytes, trusted: dict[str, NodeIdentity], own_country: str
) -> tuple[NodeIdentity, CycleMessage]:
    """The verified sender and message of an envelope, or :class:`MessageRefused`."""
    if len(body) > MAX_ENVELOPE_BYTES:
        raise MessageRefused("too-large", TOO_LARGE.said(limit=MAX_ENVELOPE_BYTES))
    try:
        envelope = json.loads(body.decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("kind") != ENVELOPE_KIND:
            raise ValueError(NOT_ENVELOPE.said())
        text, signer, signature = envelope["message"], envelope["signer"], envelope["signature"]
        if not all(isinstance(v, str) for v in (text, signer, signature)):
            raise ValueError(NOT_TEXT.said())
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise MessageRefused("malformed", MALFORMED.said(error=message_of(error))) from None
    identity = trusted.get(signer)
    if identity is None:
        raise MessageRefused("unknown-signer", UNKNOWN_SIGNER.said(key=signer[:16]))
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not verify_signature(identity.public_key, raw, text.encode("utf-8")):
        raise MessageRefused("bad-signature", BAD_SIGNATURE.said(node=identity.name))
    try:
        data = json.loads(text)
        message = CycleMessage(
            str(data["id"]),
            int(data["seq"]),
            str(data["from"]),
            str(data["to"]),
            str(data["kind"]),
            dict(data["payload"]),
            str(data["created_at"]),
            text,
        )
    except (ValueError, KeyError, TypeError) as error:
        raise MessageRefused("malformed", INCOMPLETE.said(error=repr(error))) from None
    if message.sender != identity.country:
        raise MessageRefused(
            "wrong-sender",
            WRONG_SENDER.said(node=identity.name, country=identity.country, sender=message.sender),
        )
    if message.destination != own_country:
        raise MessageRefused(
            "wrong-destination",
            WRONG_DESTINATION.said(destination=message.destination, own=own_country),
        )
    return identity, message
