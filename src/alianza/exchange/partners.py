"""Trusted partners: the public keys whose packages this node accepts."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.exchange.keys import NodeIdentity, public_key_from_base64, raw_public
from alianza.exchange.models import Partner


def trust_partner(
    session: Session, identity: NodeIdentity, *, own_fingerprint: str, actor: str = "system"
) -> Partner:
    if identity.fingerprint == own_fingerprint:
        raise ValueError("that is this node's own key: a node does not trust itself as partner")
    existing = session.scalars(
        select(Partner).where(Partner.fingerprint == identity.fingerprint)
    ).one_or_none()
    if existing is not None:
        existing.revoked_at = None
        return existing
    partner = Partner(
        name=identity.name,
        country=identity.country,
        fingerprint=identity.fingerprint,
        public_key=base64.b64encode(raw_public(identity.public_key)).decode("ascii"),
        added_at=datetime.now(UTC),
    )
    session.add(partner)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="exchange.partner.trust",
        subject=f"partner:{identity.name}",
        details={"after": {"country": identity.country, "fingerprint": identity.fingerprint}},
    )
    return partner


def trusted_identities(session: Session) -> dict[str, NodeIdentity]:
    """Fingerprint → identity of every partner whose key is not revoked."""
    result = {}
    for partner in session.scalars(select(Partner).where(Partner.revoked_at.is_(None))):
        result[partner.fingerprint] = NodeIdentity(
            partner.name,
            partner.country,
            public_key_from_base64(partner.public_key),
            partner.added_at.isoformat(),
        )
    return result


def list_partners(session: Session) -> list[Partner]:
    return list(session.scalars(select(Partner).order_by(Partner.country, Partner.name)))
