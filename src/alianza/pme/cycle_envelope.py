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

from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature
from alianza.pme.edition import canonical_bytes

ENVELOPE_KIND = "alianza-cycle-message"
MAX_ENVELOPE_BYTES = 1024 * 1024


class MessageRefused(Exception):
    """A cycle message that is not applied; ``code`` is stable, the text English / Spanish."""

    def __init__(self, code: str, en: str, es: str) -> None:
        super().__init__(f"{en} / {es} [{code}]")
        self.code, self.en, self.es = code, en, es


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
        raise MessageRefused(
            "too-large",
            f"a cycle message is at most {MAX_ENVELOPE_BYTES:,} bytes",
            f"un mensaje de ciclo tiene como máximo {MAX_ENVELOPE_BYTES:,} bytes",
        )
    try:
        envelope = json.loads(body.decode("utf-8"))
        if not isinstance(envelope, dict) or envelope.get("kind") != ENVELOPE_KIND:
            raise ValueError("not a cycle message envelope")
        text, signer, signature = envelope["message"], envelope["signer"], envelope["signature"]
        if not all(isinstance(v, str) for v in (text, signer, signature)):
            raise ValueError("message, signer and signature are text")
    except (ValueError, KeyError, UnicodeDecodeError) as error:
        raise MessageRefused(
            "malformed",
            f"not a cycle message envelope ({error})",
            f"no es un sobre de mensaje de ciclo ({error})",
        ) from None
    identity = trusted.get(signer)
    if identity is None:
        raise MessageRefused(
            "unknown-signer",
            f"signed by key {signer[:16]}…, which is not a trusted partner's current key "
            "(untrusted, revoked or rotated out)",
            f"firmado con la llave {signer[:16]}…, que no es la llave vigente de un socio de "
            "confianza (no confiable, revocada o rotada)",
        )
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    if not verify_signature(identity.public_key, raw, text.encode("utf-8")):
        raise MessageRefused(
            "bad-signature",
            f"the signature does not verify with {identity.name}'s key (altered in transit?)",
            f"la firma no se verifica con la llave de {identity.name} (¿alterado en tránsito?)",
        )
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
        raise MessageRefused(
            "malformed", f"message incomplete ({error!r})", f"mensaje incompleto ({error!r})"
        ) from None
    if message.sender != identity.country:
        raise MessageRefused(
            "wrong-sender",
            f"signed by {identity.name} ({identity.country}) but sent as {message.sender}",
            f"firmado por {identity.name} ({identity.country}) pero enviado como {message.sender}",
        )
    if message.destination != own_country:
        raise MessageRefused(
            "wrong-destination",
            f"addressed to the {message.destination} node; this is the {own_country} node",
            f"dirigido al nodo {message.destination}; este es el nodo {own_country}",
        )
    return identity, message
