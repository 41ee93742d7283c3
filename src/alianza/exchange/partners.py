"""Trusted partners: the public keys whose packages this node accepts."""

from __future__ import annotations

import base64
import ipaddress
from datetime import UTC, datetime
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.exchange.keys import NodeIdentity, public_key_from_base64, raw_public
from alianza.exchange.models import Partner
from alianza.node import is_partner_country, require_partner_country

OWN_KEY = declare(
    "exchange.partner.own-key",
    "that is this node's own key: a node does not trust itself as partner",
)
URL_FORM = declare(
    "exchange.partner.url-form", "{url!r}: a partner URL is https://HOST[:PORT][/PATH]"
)
URL_PLAIN_HTTP = declare(
    "exchange.partner.url-plain-http",
    "{url!r}: plain http:// is refused except to this machine; use https://",
)
URL_EXTRAS = declare(
    "exchange.partner.url-extras",
    "{url!r}: no user name, password, query or fragment in a partner URL",
)
URL_PORT = declare("exchange.partner.url-port", "{url!r}: the port is not a number")
NO_SINGLE_PARTNER = declare(
    "exchange.partner.no-single", "no single trusted partner {partner!r}; trusted: {known}"
)
NONE_TRUSTED = declare("exchange.partner.none-trusted", "none")
NOT_REGISTERED = declare(
    "exchange.partner.not-registered",
    "{url} is not the registered endpoint of a trusted partner (alianza node set-url PARTNER URL)",
)
NO_ENDPOINT = declare(
    "exchange.partner.no-endpoint",
    "no registered partner endpoint: alianza node trust FILE --url https://… "
    "or alianza node set-url PARTNER https://…",
)
SEVERAL_ENDPOINTS = declare(
    "exchange.partner.several-endpoints", "several partner endpoints: choose one with --to"
)


def trust_partner(
    session: Session,
    identity: NodeIdentity,
    *,
    own_fingerprint: str,
    actor: Actor,
    url: str | None = None,
) -> Partner:
    """Trust ``identity``'s key; ``url`` registers its endpoint (checked by
    :func:`check_partner_url`). A user needs node.manage (an administrator)."""
    by = acting(session, actor, Permission.NODE_MANAGE)
    checked = check_partner_url(url) if url is not None else None
    if identity.fingerprint == own_fingerprint:
        raise ValueError(OWN_KEY.said())
    require_partner_country(session, identity.fingerprint, identity.country)
    existing = session.scalars(
        select(Partner).where(Partner.fingerprint == identity.fingerprint)
    ).one_or_none()
    if existing is not None:
        existing.revoked_at = None
        if checked is not None:
            existing.url = checked
        return existing
    partner = Partner(
        name=identity.name,
        country=identity.country,
        fingerprint=identity.fingerprint,
        public_key=base64.b64encode(raw_public(identity.public_key)).decode("ascii"),
        added_at=datetime.now(UTC),
        url=checked,
    )
    session.add(partner)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="exchange.partner.trust",
        subject=f"partner:{identity.name}",
        details={
            "after": {
                "country": identity.country,
                "fingerprint": identity.fingerprint,
                "url": checked,
            }
        },
    )
    return partner


def trusted_identities(session: Session) -> dict[str, NodeIdentity]:
    """Fingerprint → identity of every partner whose key is not revoked."""
    result = {}
    for partner in session.scalars(select(Partner).where(Partner.revoked_at.is_(None))):
        if not is_partner_country(session, partner.country):
            continue  # a row of this node's own country (trusted before it was refused)
        result[partner.fingerprint] = NodeIdentity(
            partner.name,
            partner.country,
            public_key_from_base64(partner.public_key),
            partner.added_at.isoformat(),
        )
    return result


def list_partners(session: Session) -> list[Partner]:
    return list(session.scalars(select(Partner).order_by(Partner.country, Partner.name)))


class BadPartnerUrl(ValueError):
    """A partner endpoint that is not a plain https:// base URL (http:// only to loopback)."""


class UnknownDestination(LookupError):
    """A destination that is not the registered endpoint of a trusted partner."""


_LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    if host.lower() in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_partner_url(url: str) -> str:
    """``url`` as a partner's base URL (no trailing slash), or :class:`BadPartnerUrl`: HTTPS is
    required except to a loopback host (tests, the demo, a tunnel on the same machine); no user
    name, password, query or fragment."""
    text = url.strip()
    parts = urlsplit(text)
    host = parts.hostname or ""
    if parts.scheme not in ("https", "http") or not host:
        raise BadPartnerUrl(URL_FORM.said(url=text))
    if parts.scheme == "http" and not is_loopback(host):
        raise BadPartnerUrl(URL_PLAIN_HTTP.said(url=text))
    if parts.username or parts.password or parts.query or parts.fragment:
        raise BadPartnerUrl(URL_EXTRAS.said(url=text))
    try:
        parts.port  # noqa: B018  (raises on a port that is not a number)
    except ValueError:
        raise BadPartnerUrl(URL_PORT.said(url=text)) from None
    return text.rstrip("/")


def set_partner_url(session: Session, partner: str, url: str, *, actor: Actor) -> Partner:
    """Register the endpoint of a trusted partner (by name or fingerprint prefix); a user
    needs node.manage (an administrator)."""
    by = acting(session, actor, Permission.NODE_MANAGE)
    checked = check_partner_url(url)
    found = find_partner(session, partner)
    before = found.url
    found.url = checked
    audit.record(
        session,
        actor=by,
        action="exchange.partner.url",
        subject=f"partner:{found.name}",
        details={"before": {"url": before}, "after": {"url": checked}},
    )
    return found


def find_partner(session: Session, partner: str) -> Partner:
    """The trusted partner named ``partner``, or whose fingerprint starts with it (8+ chars)."""
    rows = [p for p in list_partners(session) if p.revoked_at is None]
    matches = [
        p
        for p in rows
        if p.name == partner or (len(partner) >= 8 and p.fingerprint.startswith(partner))
    ]
    if len(matches) != 1:
        known = ", ".join(f"{p.name} ({p.fingerprint[:12]})" for p in rows)
        raise UnknownDestination(
            NO_SINGLE_PARTNER.said(partner=partner, known=known or NONE_TRUSTED.said())
        )
    return matches[0]


def partner_endpoints(session: Session) -> list[Partner]:
    """Trusted partners with a registered endpoint: the only places this node sends to."""
    return [p for p in list_partners(session) if p.revoked_at is None and p.url]


def destination(session: Session, to: str | None = None, *, country: str | None = None) -> str:
    """The endpoint to send to: ``to`` if it is a trusted partner's registered URL, else the
    single registered endpoint (of ``country`` when given). Raises :class:`UnknownDestination`."""
    endpoints = [p for p in partner_endpoints(session) if country is None or p.country == country]
    if to is not None:
        wanted = check_partner_url(to)
        for partner in endpoints:
            if partner.url == wanted:
                return wanted
        raise UnknownDestination(NOT_REGISTERED.said(url=wanted))
    if len(endpoints) != 1:
        raise UnknownDestination(NO_ENDPOINT.said() if not endpoints else SEVERAL_ENDPOINTS.said())
    url = endpoints[0].url
    assert url is not None
    return url
