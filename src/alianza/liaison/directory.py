"""The counterpart directory (10.6): port pairs, their officials, shifts and channels.

Shifts are in the port's local time; the escalation chain of one side of a pair at a moment is
its officials on duty in position order, then the liaison officer(s).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.accounts.service import inactive_usernames
from alianza.actors import Actor, acting
from alianza.db.engine import insert_if_absent
from alianza.liaison import messages as words
from alianza.liaison.models import Contact, Drill, PartnerEntry, PortPair
from alianza.ports.reference import port

if TYPE_CHECKING:
    from alianza.settings import Settings

COUNTRIES = ("US", "MX")
ROLES = ("duty-officer", "supervisor", "liaison-officer")
CHANNEL_KINDS = ("radio", "telephone", "messaging")  # spoken or typed by a person (drills too)
# Channels the node itself uses to reach the person (alianza.liaison.notify); "browser": the
# alerts page notifies (notification and sound) while the person has it open.
NOTIFY_KINDS = ("email", "webhook", "sms", "browser")
CONTACT_KINDS = CHANNEL_KINDS + NOTIFY_KINDS
STATE_ZONES = {
    "California": "America/Los_Angeles",
    "Arizona": "America/Phoenix",
    "New Mexico": "America/Denver",
    "Texas": "America/Chicago",
}
# Texas ports on Mountain time (El Paso and Hudspeth counties).
PORT_ZONES = {"2401": "America/Denver", "2402": "America/Denver", "2404": "America/Denver"}


class DirectoryError(ValueError):
    """A directory entry that cannot be recorded (unknown role, channel, country...)."""


def port_zone(port_code: str) -> ZoneInfo:
    return ZoneInfo(PORT_ZONES.get(port_code) or STATE_ZONES[port(port_code).state])


def port_time(moment: datetime, port_code: str) -> str:
    """A stored time (UTC; naive from SQLite) to the minute in the port's time zone, with the
    zone's abbreviation: ``2026-11-28 10:05 PST``."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
    return aware.astimezone(port_zone(port_code)).strftime("%Y-%m-%d %H:%M %Z")


def ensure_pair(session: Session, us_port_code: str, *, actor: Actor) -> PortPair:
    """The pair of a US port and its counterpart, created on first use (once, even when
    several transactions use a new pair at the same time)."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    wanted = select(PortPair).where(PortPair.us_port_code == us_port_code)
    pair = session.scalars(wanted).first()
    if pair is not None:
        return pair
    # The append lock first (the pair's audit entry and alert events need it anyway): a
    # transaction that already wrote alert events holds it, and waiting for this pair's row
    # while another transaction holding the row waits for the lock would deadlock.
    audit.serialize_appends(session)
    created = insert_if_absent(
        session,
        PortPair,
        {"us_port_code": us_port_code, "mx_port_name": port(us_port_code).mexican_city},
        key=["us_port_code"],
    )
    pair = session.scalars(wanted).one()
    if not created:
        return pair  # another transaction made it first
    audit.record(
        session,
        actor=by,
        action="ports.pair.create",
        subject=f"ports_pair:{pair.id}",
        details={"us_port_code": us_port_code, "mx_port_name": pair.mx_port_name},
    )
    return pair


def add_contact(
    session: Session,
    pair: PortPair,
    *,
    country: str,
    position: int,
    role: str,
    name: str,
    shift: tuple[time, time],
    channels: Sequence[tuple[str, str]],
    actor: Actor,
    username: str | None = None,
) -> Contact:
    """A directory entry; ``username`` links it to the official's account on this node (the
    alerts of the pair are shown to them, and an escalation reaches them by name)."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    if country not in COUNTRIES:
        allowed = ", ".join(COUNTRIES)
        raise DirectoryError(words.CONTACT_COUNTRY.said(allowed=allowed, value=repr(country)))
    if role not in ROLES:
        raise DirectoryError(words.CONTACT_ROLE.said(allowed=", ".join(ROLES), value=repr(role)))
    bad = [kind for kind, _ in channels if kind not in CONTACT_KINDS]
    if bad or not channels:
        got = str(bad) if bad else words.NO_CHANNEL.said()
        raise DirectoryError(words.CHANNELS.said(allowed=", ".join(CONTACT_KINDS), got=got))
    for kind, address in channels:
        check_address(kind, address)
    contact = Contact(
        pair_id=pair.id,
        country=country,
        position=position,
        role=role,
        name=name,
        username=username or None,
        shift_start=shift[0],
        shift_end=shift[1],
        channels=[{"kind": kind, "address": address} for kind, address in channels],
        active=True,
    )
    session.add(contact)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="ports.contact.create",
        subject=f"ports_contact:{contact.id}",
        details={"pair": pair.us_port_code, "country": country, "role": role, "position": position},
    )
    return contact


# A typed channel's address: what it must look like (its refusal: liaison.address.<kind>).
ADDRESS_RULES = {
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "webhook": re.compile(r"^https?://\S+$"),
    "sms": re.compile(r"^\+[0-9][0-9 ]{6,19}$"),
}


def check_address(kind: str, address: str) -> None:
    """A typed channel's address must be usable as it is (the node sends to it unattended)."""
    if not address.strip():
        raise DirectoryError(words.ADDRESS_EMPTY.said(kind=kind))
    rule = ADDRESS_RULES.get(kind)
    if rule and not rule.match(address.strip()):
        raise DirectoryError(words.ADDRESS_FORM[kind].said(kind=kind, address=repr(address)))


def end_contact(session: Session, contact_id: int, *, actor: Actor, now: datetime) -> Contact:
    """End a directory entry: it leaves every escalation chain and scope at once, and stays
    in the directory's history (shown as ended, with when and by whom)."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    contact = session.get(Contact, contact_id)
    if contact is None:
        raise DirectoryError(words.NO_CONTACT.said(id=contact_id))
    if contact.ended_at is not None:
        return contact
    contact.active = False
    contact.ended_at = now
    contact.ended_by = by
    audit.record(
        session,
        actor=by,
        action="ports.contact.end",
        subject=f"ports_contact:{contact.id}",
        details={"before": {"active": True}, "after": {"active": False}},
    )
    return contact


def on_duty(contact: Contact, at: datetime, zone: ZoneInfo) -> bool:
    """Whether ``at`` (aware) falls in the contact's shift, read in the port's local time."""
    local = at.astimezone(zone).time().replace(tzinfo=None)
    start, end = contact.shift_start, contact.shift_end
    if start == end:
        return True  # round the clock
    if start < end:
        return start <= local < end
    return local >= start or local < end  # spans midnight


def escalation_chain(session: Session, pair: PortPair, country: str, at: datetime) -> list[Contact]:
    """Officials on duty (position order), then liaison officers (on duty first, then any)."""
    zone = port_zone(pair.us_port_code)
    contacts = session.scalars(
        select(Contact)
        .where(Contact.pair_id == pair.id, Contact.country == country, Contact.active.is_(True))
        .order_by(Contact.position)
    ).all()
    gone = inactive_usernames(session, [c.username for c in contacts if c.username])
    contacts = [c for c in contacts if c.username not in gone]  # disabled accounts leave
    officials = [c for c in contacts if c.role != "liaison-officer" and on_duty(c, at, zone)]
    liaisons = [c for c in contacts if c.role == "liaison-officer"]
    liaisons.sort(key=lambda c: (not on_duty(c, at, zone), c.position))
    return officials + liaisons


def directory_overview(
    session: Session,
) -> tuple[list[PortPair], dict[int, list[Contact]], dict[int, list[Drill]]]:
    """Every port pair, its active contacts (MX first, by position) and its drills (newest
    first): the /ports page."""
    pairs = list(session.scalars(select(PortPair).order_by(PortPair.us_port_code)))
    contacts: dict[int, list[Contact]] = defaultdict(list)
    for contact in session.scalars(
        select(Contact)
        .where(Contact.active.is_(True))
        .order_by(Contact.country.desc(), Contact.position)
    ):
        contacts[contact.pair_id].append(contact)
    drills: dict[int, list[Drill]] = defaultdict(list)
    for drill in session.scalars(select(Drill).order_by(Drill.scheduled_for.desc())):
        drills[drill.pair_id].append(drill)
    return pairs, contacts, drills


def pair_list(session: Session) -> list[PortPair]:
    return list(session.scalars(select(PortPair).order_by(PortPair.us_port_code)))


def pair_directory(session: Session, us_port_code: str) -> tuple[PortPair, list[Contact]] | None:
    """A pair and all its contacts (by country, then position), or None without a directory."""
    pair = session.scalars(select(PortPair).where(PortPair.us_port_code == us_port_code)).first()
    if pair is None:
        return None
    contacts = session.scalars(
        select(Contact)
        .where(Contact.pair_id == pair.id)
        .order_by(Contact.country, Contact.position)
    )
    return pair, list(contacts)


def drill_by_id(session: Session, drill_id: int) -> Drill:
    held = session.get(Drill, drill_id)
    if held is None:
        raise DirectoryError(words.NO_DRILL.said(id=drill_id))
    return held


# What a node publishes of its directory unless its agreement says more: roles, escalation
# order, shift hours and the functional channels of each entry; names and personal e-mail or
# telephone numbers stay home (ALIANZA_PORTS_DIRECTORY_CHANNELS, _SHARE_NAMES widen it).
SHARED_CHANNELS = ("radio", "telephone", "messaging")


@dataclass(frozen=True)
class DirectorySharing:
    """What of this side's directory the agreement lets the partner see: the channel kinds
    (ALIANZA_PORTS_DIRECTORY_CHANNELS) and whether names go too (…_SHARE_NAMES)."""

    channels: tuple[str, ...] = SHARED_CHANNELS
    share_names: bool = False


def sharing_of(settings: Settings) -> DirectorySharing:
    kinds = tuple(k.strip() for k in settings.ports_directory_channels.split(",") if k.strip())
    return DirectorySharing(kinds, settings.ports_directory_share_names)


def directory_payload(
    session: Session,
    country: str,
    *,
    now: datetime,
    channels: Sequence[str] = SHARED_CHANNELS,
    share_names: bool = False,
) -> dict[str, object]:
    """This side's active directory, as published to the partner (a ``directory`` message):
    the whole of it, so that an entry left out (ended, disabled) disappears over there."""
    gone_accounts = inactive_usernames(
        session, [c.username for c in session.scalars(select(Contact)) if c.username]
    )
    pairs: dict[str, list[dict[str, object]]] = defaultdict(list)
    rows = session.execute(
        select(Contact, PortPair)
        .join(PortPair, Contact.pair_id == PortPair.id)
        .where(Contact.country == country, Contact.active.is_(True))
        .order_by(PortPair.us_port_code, Contact.position)
    ).all()
    for contact, pair in rows:
        if contact.username in gone_accounts:
            continue
        pairs[pair.us_port_code].append(
            {
                "position": contact.position,
                "role": contact.role,
                "name": contact.name if share_names else None,
                "shift": [f"{contact.shift_start:%H:%M}", f"{contact.shift_end:%H:%M}"],
                "zone": port_zone(pair.us_port_code).key,
                "channels": [ch for ch in contact.channels if ch["kind"] in channels],
            }
        )
    return {"country": country, "published_at": now.isoformat(), "pairs": dict(pairs)}


def apply_partner_directory(
    session: Session, body: dict[str, object], *, now: datetime, pair_of: object
) -> int:
    """Replace the partner's published directory by this one (a newer publication only);
    ``pair_of(code)`` gives the pair of a US port code. Returns the entries now held."""
    country = str(body["country"])
    published = datetime.fromisoformat(str(body["published_at"]))
    held = session.scalars(select(PartnerEntry).where(PartnerEntry.country == country)).all()
    if any(_aware(e.published_at) > published for e in held):
        return len(held)  # an older publication arriving late changes nothing
    for entry in held:
        session.delete(entry)
    count = 0
    pairs = body["pairs"]
    assert isinstance(pairs, dict)
    for code, entries in pairs.items():
        pair = pair_of(code)  # type: ignore[operator]
        for item in entries:
            start, end = item["shift"]
            session.add(
                PartnerEntry(
                    pair_id=pair.id,
                    country=country,
                    position=int(item["position"]),
                    role=str(item["role"]),
                    name=item.get("name"),
                    shift_start=time.fromisoformat(start),
                    shift_end=time.fromisoformat(end),
                    channels=list(item["channels"]),
                    published_at=published,
                    received_at=now,
                )
            )
            count += 1
    return count


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def partner_directory(session: Session) -> dict[int, list[PartnerEntry]]:
    """The partner's entries as last published, by pair (escalation order)."""
    found: dict[int, list[PartnerEntry]] = defaultdict(list)
    for entry in session.scalars(
        select(PartnerEntry).order_by(PartnerEntry.pair_id, PartnerEntry.position)
    ):
        found[entry.pair_id].append(entry)
    return found
