"""Both governments' signatures over a quarter's joint edition, carried as cycle messages.

:func:`sign_and_send` signs the content hash of this node's edition with the node key
(:func:`alianza.analysis.signing.sign_edition`), keeps the signature and queues it for the
partner node as a cycle message of kind :data:`KIND` in the same transaction. The message
travels like the reporting cycle's (:mod:`alianza.pme.cycle_transport`: sealed with the node
key, HTTPS with retries or files, sent by ``alianza pme cycle send`` or the served node's loop);
the partner's inbox refuses it when tampered, replayed or signed by an untrusted key, applies a
re-delivery once, then :func:`_arrived` checks the signature inside (the partner's own key, over
the hash it names) and keeps it. Whether the partner signed *this node's* edition is the
comparison of hashes :func:`signature_state` makes: both nodes assemble the same content hash
from the same packages, so equal hashes mean both governments signed the same document.

A signature file (``alianza analysis sign -o`` / ``alianza analysis verify``) is the fallback
route; a verified file is kept the same way (:func:`keep_verified`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting, actor_name
from alianza.analysis.models import EditionSignatureRow
from alianza.analysis.signing import EditionSignatureInvalid, sign_edition, verify_edition_signature
from alianza.catalogue import declare, message_of
from alianza.exchange.keys import NodeIdentity, NodeKeys
from alianza.pme import cycle_kinds, cycle_outbox
from alianza.pme.cycle_envelope import CycleMessage

KIND = "joint-sign"  # the cycle-message kind (at most 12 characters)
# Why a partner's signature message is not applied (keys ``analysis.cosign.…``).
NO_SIGNATURE = declare("analysis.cosign.no-signature", "the message carries no signature")
NOT_THE_SENDERS = declare(
    "analysis.cosign.not-the-senders", "the signature inside is not the sending node's own"
)
OTHER_QUARTER = declare(
    "analysis.cosign.other-quarter", "the signature is of another quarter than the message"
)


@dataclass(frozen=True)
class KeptSignature:
    quarter: str
    content_hash: str
    country: str
    node: str
    fingerprint: str
    via: str  # own | message | file
    at: datetime


@dataclass(frozen=True)
class SignatureState:
    """One government's signature as this node holds it, against this node's edition."""

    country: str
    signature: KeptSignature | None  # the newest kept for the quarter

    @property
    def signed(self) -> bool:
        return self.signature is not None


def _keep(session: Session, document: Mapping[str, Any], via: str) -> KeptSignature:
    """Keep a verified signature (once per quarter, country and hash)."""
    row = session.scalars(
        select(EditionSignatureRow).where(
            EditionSignatureRow.quarter == document["quarter"],
            EditionSignatureRow.country == document["country"],
            EditionSignatureRow.content_hash == document["content_hash"],
        )
    ).first()
    if row is None:
        row = EditionSignatureRow(
            quarter=str(document["quarter"]),
            content_hash=str(document["content_hash"]),
            country=str(document["country"]),
            node=str(document["node"]),
            fingerprint=str(document["fingerprint"]),
            document=dict(document),
            via=via,
            at=datetime.now(UTC),
        )
        session.add(row)
        session.flush()
    return _kept(row)


def _kept(row: EditionSignatureRow) -> KeptSignature:
    at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
    return KeptSignature(
        row.quarter, row.content_hash, row.country, row.node, row.fingerprint, row.via, at
    )


def sign_and_send(
    session: Session, keys: NodeKeys, *, quarter: str, content_hash: str, actor: Actor
) -> dict[str, str]:
    """Sign the edition's hash, keep the signature and queue it for the partner node (nothing
    is queued on a node without a country); audited; returns the signature document. A user
    needs exchange.manage."""
    by = acting(session, actor, Permission.EXCHANGE_MANAGE)
    document = sign_edition(keys, quarter=quarter, content_hash=content_hash)
    _keep(session, document, "own")
    subject = f"joint-analysis:{quarter}"
    cycle_outbox.queue(
        session,
        KIND,
        {"by": by, "subject": subject, "quarter": quarter, "signature": document},
    )
    audit.record(
        session,
        actor=by,
        action="analysis.edition.signed",
        subject=subject,
        details={"content_hash": content_hash, "fingerprint": keys.identity.fingerprint},
    )
    return document


def keep_verified(
    session: Session,
    document: Mapping[str, Any],
    identities: Mapping[str, NodeIdentity],
    *,
    content_hash: str,
    actor: Actor,
) -> NodeIdentity:
    """The file route: verify a signature against this node's edition hash and keep it
    (audited). A user needs exchange.manage."""
    by = acting(session, actor, Permission.EXCHANGE_MANAGE)
    signer = verify_edition_signature(document, identities, content_hash=content_hash)
    _keep(session, document, "file")
    audit.record(
        session,
        actor=by,
        action="analysis.edition.signature-kept",
        subject=f"joint-analysis:{document['quarter']}",
        details={"content_hash": content_hash, "fingerprint": signer.fingerprint, "via": "file"},
    )
    return signer


def _arrived(session: Session, partner: NodeIdentity, message: CycleMessage, actor: Actor) -> None:
    """A ``joint-sign`` message from the partner (already verified as its message): the
    signature inside must be the partner's own, over the hash it names, for the quarter the
    message names."""
    document = message.payload.get("signature")
    if not isinstance(document, dict):
        raise cycle_kinds.StepRefused(NO_SIGNATURE.said())
    if document.get("fingerprint") != partner.fingerprint or document.get("country") != (
        partner.country
    ):
        raise cycle_kinds.StepRefused(NOT_THE_SENDERS.said())
    if document.get("quarter") != message.payload.get("quarter"):
        raise cycle_kinds.StepRefused(OTHER_QUARTER.said())
    try:
        verify_edition_signature(
            document, {partner.fingerprint: partner}, content_hash=str(document["content_hash"])
        )
    except (EditionSignatureInvalid, KeyError) as error:
        raise cycle_kinds.StepRefused(message_of(error)) from None
    _keep(session, document, "message")
    audit.record(
        session,
        actor=actor_name(actor),
        action="analysis.edition.signature-kept",
        subject=f"joint-analysis:{document['quarter']}",
        details={
            "content_hash": document["content_hash"],
            "fingerprint": partner.fingerprint,
            "via": "message",
            "message": message.id,
            "by": f"{message.payload.get('by')} ({partner.name})",
        },
    )


def kept_signatures(session: Session, quarter: str) -> list[KeptSignature]:
    """Every signature kept for ``quarter``, oldest first."""
    rows = session.scalars(
        select(EditionSignatureRow)
        .where(EditionSignatureRow.quarter == quarter)
        .order_by(EditionSignatureRow.id)
    )
    return [_kept(r) for r in rows]


def signature_state(
    session: Session, quarter: str, content_hash: str, countries: tuple[str, ...]
) -> list[SignatureState]:
    """For each government: its signature over this edition (``content_hash``), if kept."""
    kept = [k for k in kept_signatures(session, quarter) if k.content_hash == content_hash]
    return [
        SignatureState(c, next((k for k in reversed(kept) if k.country == c), None))
        for c in countries
    ]


def other_editions_signed(session: Session, quarter: str, content_hash: str) -> list[KeptSignature]:
    """Signatures kept for the quarter over another content (an earlier edition, or the
    partner's while this node holds other packages)."""
    return [k for k in kept_signatures(session, quarter) if k.content_hash != content_hash]


cycle_kinds.register(KIND, _arrived)
