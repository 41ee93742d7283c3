"""Node key rotation: a new key pair, and a message the partner can trust because the old key
signed it.

``rotate_node_keys`` retires the node's key pair (kept in ``HOME/keys/retired/``, mode 0600),
creates a new one and returns a rotation document: the new public key document and the old
fingerprint, signed by the old private key (the partner already trusts it) and by the new one
(proof that the sender holds it). ``accept_rotation`` on the partner's node replaces the trusted
key only when both signatures verify against the key it trusts now; the old key is revoked.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.exchange.keys import (
    IDENTITY_FILE,
    PRIVATE_KEY_FILE,
    NodeIdentity,
    NodeKeyError,
    NodeKeys,
    create_node_keys,
    keys_folder,
    load_node_keys,
    public_key_from_base64,
    verify_signature,
)
from alianza.exchange.models import Partner
from alianza.exchange.partners import trust_partner
from alianza.settings import Settings

ROTATION_KIND = "alianza-key-rotation"

NOT_BASE64 = declare("exchange.rotation.not-base64", "key rotation: {field} is not base64")
NOT_A_ROTATION = declare(
    "exchange.rotation.not-a-rotation", "not an Alianza key rotation document (kind)"
)
OLD_KEY_UNKNOWN = declare(
    "exchange.rotation.old-key-unknown",
    "key rotation: {fingerprint!r} is not the key of a trusted partner; nothing changed (trust"
    " the new key by another channel: alianza node trust)",
)
OLD_SIGNATURE = declare(
    "exchange.rotation.old-signature",
    "key rotation: the signature of {name!r}'s current key does not verify; nothing changed",
)
NEW_KEY_MISSING = declare("exchange.rotation.new-key-missing", "key rotation: new_key missing")
OTHER_COUNTRY = declare(
    "exchange.rotation.other-country",
    "key rotation: the new key is for {country}, the partner is {partner}; nothing changed",
)
NEW_SIGNATURE = declare(
    "exchange.rotation.new-signature", "key rotation: the new key's signature does not verify"
)


class RotationRefused(NodeKeyError):
    """A key rotation document that this node does not accept; the message says why."""


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def rotate_node_keys(home: Settings | Path) -> tuple[NodeKeys, dict[str, Any]]:
    """Retire this node's key pair, create a new one, and return it with the signed rotation
    document for the partner."""
    old = load_node_keys(home)
    folder = keys_folder(home)
    retired = folder / "retired"
    retired.mkdir(exist_ok=True)
    os.chmod(retired, 0o700)
    stamp = old.identity.fingerprint[:16]
    os.replace(folder / PRIVATE_KEY_FILE, retired / f"node-ed25519-{stamp}.pem")
    os.replace(folder / IDENTITY_FILE, retired / f"node-{stamp}.json")
    new = create_node_keys(home, name=old.identity.name, country=old.identity.country)
    body = {
        "kind": ROTATION_KIND,
        "old_fingerprint": old.identity.fingerprint,
        "new_key": new.identity.document(),
        "rotated_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    data = _canonical(body)
    document = {
        "rotation": body,
        "signature_old": base64.b64encode(old.sign(data)).decode("ascii"),
        "signature_new": base64.b64encode(new.sign(data)).decode("ascii"),
    }
    return new, document


def _signature(document: dict[str, Any], field: str) -> bytes:
    try:
        return base64.b64decode(str(document.get(field, "")), validate=True)
    except (binascii.Error, ValueError):
        raise RotationRefused(NOT_BASE64.said(field=field)) from None


def accept_rotation(
    session: Session, document: dict[str, Any], *, own_fingerprint: str, actor: Actor
) -> Partner:
    """Replace a trusted partner's key with the one a rotation document announces, when the
    partner's current key signed it (and the new key too). Audited; a user needs node.manage
    (an administrator)."""
    by = acting(session, actor, Permission.NODE_MANAGE)
    body = document.get("rotation") if isinstance(document, dict) else None
    if not isinstance(body, dict) or body.get("kind") != ROTATION_KIND:
        raise RotationRefused(NOT_A_ROTATION.said())
    old_fingerprint = body.get("old_fingerprint")
    partner = session.scalars(
        select(Partner).where(Partner.fingerprint == old_fingerprint, Partner.revoked_at.is_(None))
    ).one_or_none()
    if partner is None:
        raise RotationRefused(OLD_KEY_UNKNOWN.said(fingerprint=old_fingerprint))
    data = _canonical(body)
    old_key = public_key_from_base64(partner.public_key)
    if not verify_signature(old_key, _signature(document, "signature_old"), data):
        raise RotationRefused(OLD_SIGNATURE.said(name=partner.name))
    new_key = body.get("new_key")
    if not isinstance(new_key, dict):
        raise RotationRefused(NEW_KEY_MISSING.said())
    identity = NodeIdentity.from_document(new_key)
    if identity.country != partner.country:
        raise RotationRefused(OTHER_COUNTRY.said(country=identity.country, partner=partner.country))
    if not verify_signature(identity.public_key, _signature(document, "signature_new"), data):
        raise RotationRefused(NEW_SIGNATURE.said())
    partner.revoked_at = datetime.now(UTC)
    replacement = trust_partner(session, identity, own_fingerprint=own_fingerprint, actor=actor)
    audit.record(
        session,
        actor=by,
        action="exchange.partner.rotate",
        subject=f"partner:{partner.name}",
        details={
            "before": {"fingerprint": partner.fingerprint},
            "after": {"fingerprint": identity.fingerprint},
        },
    )
    return replacement
