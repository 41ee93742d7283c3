"""Writing and reading the cooperation registry. Every write is audited in its transaction.

Dates carry a precision: ``exact``; ``month`` or ``year`` (the date is the period's last day);
``approximate`` (the latest date the source allows, e.g. the "as of" date of the status that
reports it).

Who holds which record (issue 14; docs/cooperation.md, "Whose records"):

- **National records** belong to one government and are held on its node only: a liaison
  post (``country``: the government that posts the officer), a technology deployment (the
  government that deployed it), a training event (the government whose people were trained),
  a deliverable of one government (``country`` set). Writing one of the other government's
  is refused (:class:`~alianza.node.ForeignCountry`) and changes nothing.
- **Binational records** are shared: each node records its own copy, marked ``binational``
  in lists and the API: mechanisms (both governments are parties to each), their meetings
  (a meeting whose participants are all of the other government is that government's record,
  refused), joint deliverables (``country`` blank).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, NodeSelf, acting, actor_name
from alianza.catalogue import declare
from alianza.codes.reference import ports
from alianza.cooperation.models import (
    Deliverable,
    LiaisonPost,
    Mechanism,
    Meeting,
    Technology,
    Training,
)
from alianza.db.base import Base
from alianza.node import ForeignCountry, node_country

PRECISIONS = ("exact", "month", "year", "approximate")
COUNTRIES = ("US", "MX")
LEVELS = ("local", "state", "federal", "private")
MECHANISM_KINDS = ("hlcg", "blm", "working-group", "subgroup", "bilateral-group")

# The table name of each record kind, as it appears in record ids ("mechanism:3").
RECORD_KINDS: dict[type[Base], str] = {
    Mechanism: "mechanism",
    Meeting: "meeting",
    LiaisonPost: "liaison-post",
    Deliverable: "deliverable",
    Technology: "technology",
    Training: "training",
}

R = TypeVar("R", bound=Base)


class RegistryRefused(ValueError):
    """A registry record that cannot be written as given."""


UNKNOWN_VALUE = declare("registry.unknown-value", "unknown {what} {value!r} (one of: {allowed})")
WHAT = {
    "country": declare("registry.what.country", "country"),
    "date precision": declare("registry.what.date-precision", "date precision"),
    "level of government": declare("registry.what.level", "level of government"),
    "mechanism kind": declare("registry.what.mechanism-kind", "mechanism kind"),
}
NO_MECHANISM = declare(
    "registry.no-mechanism", "no mechanism {key!r} (see: alianza coop mechanisms)"
)
MECHANISM_HELD = declare("registry.mechanism-held", "mechanism {key!r} is already recorded")
SUBGROUP_PARENT = declare(
    "registry.subgroup-parent", "subgroup {key!r} needs the mechanism it belongs to (parent)"
)
BLM_CITIES = declare("registry.blm-cities", "BLM {key!r} needs its sister cities (US and MX)")
MECHANISM_ENDS = declare(
    "registry.mechanism-ends", "mechanism {key!r} ends ({ended_on}) before it is formed"
)
NO_DELIVERABLE = declare(
    "registry.no-deliverable", "no deliverable {key!r} (see: alianza coop deliverables)"
)
DELIVERABLE_HELD = declare("registry.deliverable-held", "deliverable {key!r} is already recorded")
UNKNOWN_PORT = declare(
    "registry.unknown-port", "unknown land port code {port_code!r} (see: alianza ports list)"
)
PEOPLE_TRAINED = declare("registry.people-trained", "the number of people trained is 0 or more")
UNKNOWN_KIND = declare("registry.unknown-kind", "unknown record kind {kind!r} (one of: {kinds})")
END_DATE_KINDS = declare(
    "registry.end-date-kinds", "{record!r}: only a mechanism:N or liaison-post:N has an end date"
)
NO_RECORD = declare("registry.no-record", "no record {record} (see: alianza coop list {kind})")
ENDS_BEFORE = declare(
    "registry.ends-before", "{record} cannot end ({ended_on}) before it starts ({start})"
)


FOREIGN_RECORD = declare(
    "registry.foreign-record",
    "the {kind} reports {other} ({field}): a record of {other} is kept on the {other} node",
)


class ForeignRecord(ForeignCountry):
    """A national record of the other government: it is kept on that government's node."""

    def __init__(self, node: str, other: str, kind: str, field: str) -> None:
        super().__init__(node, other, FOREIGN_RECORD, kind=kind, field=field)
        self.field = field


def require_own_record(session: Session, country: str, kind: str, field: str = "country") -> None:
    """Refuse a national record of the other government (:class:`ForeignRecord`)."""
    own = node_country(session)
    if country != own.value:
        raise ForeignRecord(own.value, country, kind, field)


def owner_of(row: Base) -> str:
    """``US``, ``MX`` (a national record) or ``binational`` (a shared one)."""
    if isinstance(row, Meeting):  # a meeting of one government's officials is its own
        countries = {p.get("country") for p in row.participants or [] if p.get("country")}
        return str(countries.pop()) if len(countries) == 1 else "binational"
    country = getattr(row, "country", None)
    return str(country) if country else "binational"


def record_id(row: Base) -> str:
    """The id a measure cites: ``mechanism:3``, ``meeting:12``..."""
    return f"{RECORD_KINDS[type(row)]}:{row.id}"  # type: ignore[attr-defined]


def _check(value: str | None, allowed: tuple[str, ...], what: str) -> None:
    if value is not None and value not in allowed:
        raise RegistryRefused(
            UNKNOWN_VALUE.said(what=WHAT[what].said(), value=value, allowed=", ".join(allowed))
        )


def _add(session: Session, row: R, *, actor: Actor, details: dict[str, Any]) -> R:
    # the service checks who writes (a role with coop.manage, of this node's government)
    row.recorded_by = acting(session, actor, Permission.COOP_MANAGE)  # type: ignore[attr-defined]
    row.recorded_at = datetime.now(UTC)  # type: ignore[attr-defined]
    session.add(row)
    session.flush()
    kind = RECORD_KINDS[type(row)]
    audit.record(
        session,
        actor=actor_name(actor),
        action=f"cooperation.{kind}.record",
        subject=record_id(row),
        details=details,
    )
    return row


def mechanism(session: Session, key: str) -> Mechanism:
    row = session.scalars(select(Mechanism).where(Mechanism.key == key)).one_or_none()
    if row is None:
        raise RegistryRefused(NO_MECHANISM.said(key=key))
    return row


def add_mechanism(
    session: Session,
    *,
    key: str,
    kind: str,
    name: str,
    source: str,
    actor: Actor,
    name_es: str | None = None,
    parent: str | None = None,
    topic: str | None = None,
    us_city: str | None = None,
    mx_city: str | None = None,
    cadence: str | None = None,
    formed_on: date | None = None,
    formed_precision: str = "exact",
    ended_on: date | None = None,
    note: str | None = None,
) -> Mechanism:
    _check(kind, MECHANISM_KINDS, "mechanism kind")
    _check(formed_precision, PRECISIONS, "date precision")
    if session.scalars(select(Mechanism.id).where(Mechanism.key == key)).first() is not None:
        raise RegistryRefused(MECHANISM_HELD.said(key=key))
    if kind == "subgroup" and parent is None:
        raise RegistryRefused(SUBGROUP_PARENT.said(key=key))
    if kind == "blm" and not (us_city and mx_city):
        raise RegistryRefused(BLM_CITIES.said(key=key))
    if formed_on and ended_on and ended_on < formed_on:
        raise RegistryRefused(MECHANISM_ENDS.said(key=key, ended_on=ended_on))
    parent_id = mechanism(session, parent).id if parent else None
    row = Mechanism(
        key=key,
        kind=kind,
        name=name,
        name_es=name_es,
        parent_id=parent_id,
        topic=topic,
        us_city=us_city,
        mx_city=mx_city,
        cadence=cadence,
        formed_on=formed_on,
        formed_precision=formed_precision,
        ended_on=ended_on,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {"key": key, "kind": kind, "parent": parent, "topic": topic}
    details |= {"formed_on": formed_on, "formed_precision": formed_precision, "source": source}
    return _add(session, row, actor=actor, details=details)


def add_meeting(
    session: Session,
    *,
    mechanism_key: str,
    held_on: date,
    source: str,
    actor: Actor,
    precision: str = "exact",
    place: str | None = None,
    participants: list[dict[str, Any]] | None = None,
    topics: list[str] | None = None,
    minutes: str | None = None,
    note: str | None = None,
) -> Meeting:
    _check(precision, PRECISIONS, "date precision")
    for participant in participants or []:
        _check(participant.get("country"), COUNTRIES, "country")
        _check(participant.get("level"), LEVELS, "level of government")
    countries = {p["country"] for p in participants or [] if p.get("country")}
    if len(countries) == 1:  # a meeting of one government only: that government's record
        require_own_record(session, countries.pop(), "meeting", "participants")
    row = Meeting(
        mechanism_id=mechanism(session, mechanism_key).id,
        held_on=held_on,
        precision=precision,
        place=place,
        participants=participants or [],
        topics=topics or [],
        minutes=minutes,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {
        "mechanism": mechanism_key,
        "held_on": held_on,
        "precision": precision,
    }
    return _add(session, row, actor=actor, details=details | {"source": source})


def add_liaison_post(
    session: Session,
    *,
    country: str,
    office: str,
    city: str,
    agency: str,
    role: str,
    appointed_on: date,
    source: str,
    actor: Actor,
    precision: str = "exact",
    officer: str | None = None,
    ended_on: date | None = None,
    note: str | None = None,
) -> LiaisonPost:
    _check(country, COUNTRIES, "country")
    _check(precision, PRECISIONS, "date precision")
    require_own_record(session, country, "liaison post")
    row = LiaisonPost(
        country=country,
        office=office,
        city=city,
        agency=agency,
        role=role,
        officer=officer,
        appointed_on=appointed_on,
        precision=precision,
        ended_on=ended_on,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {"country": country, "office": office, "agency": agency, "role": role}
    details |= {"appointed_on": appointed_on, "precision": precision, "source": source}
    return _add(session, row, actor=actor, details=details)  # the officer's name stays out


def deliverable(session: Session, key: str) -> Deliverable:
    row = session.scalars(select(Deliverable).where(Deliverable.key == key)).one_or_none()
    if row is None:
        raise RegistryRefused(NO_DELIVERABLE.said(key=key))
    return row


def add_deliverable(
    session: Session,
    *,
    key: str,
    title: str,
    owner: str,
    source: str,
    actor: Actor,
    title_es: str | None = None,
    country: str | None = None,
    due_on: date | None = None,
    event: str | None = None,
    note: str | None = None,
) -> Deliverable:
    """``country``: the one government it belongs to; None for a joint deliverable."""
    if country is not None:
        _check(country, COUNTRIES, "country")
        require_own_record(session, country, "deliverable")
    if session.scalars(select(Deliverable.id).where(Deliverable.key == key)).first():
        raise RegistryRefused(DELIVERABLE_HELD.said(key=key))
    row = Deliverable(
        key=key,
        title=title,
        title_es=title_es,
        owner=owner,
        country=country,
        due_on=due_on,
        precision="exact",
        event=event,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {
        "key": key,
        "owner": owner,
        "country": country,
        "due_on": due_on,
        "event": event,
        "source": source,
    }
    return _add(session, row, actor=actor, details=details)


def complete_deliverable(
    session: Session,
    key: str,
    completed_on: date,
    *,
    actor: Actor,
    precision: str = "exact",
    document: str | None = None,
    plan_key: str | None = None,
) -> Deliverable:
    """Record a deliverable done; if a PME event waits on it, record that event too."""
    by = acting(session, actor, Permission.COOP_MANAGE)
    _check(precision, PRECISIONS, "date precision")
    row = deliverable(session, key)
    if row.country is not None:  # an older database's record of the other government
        require_own_record(session, row.country, "deliverable")
    previous = row.completed_on
    row.completed_on = completed_on
    row.precision = precision
    if document is not None:
        row.document = document
    session.flush()
    audit.record(
        session,
        actor=by,
        action="cooperation.deliverable.complete",
        subject=record_id(row),
        details={"completed_on": completed_on, "precision": precision, "previous": previous},
    )
    if row.event:
        from alianza.pme.events import record_event
        from alianza.pme.load import DEFAULT_PLAN

        # The event is what the deliverable's completion means for the plan: the node records
        # it under this user's name, on the coop.manage just checked (not pme.import).
        record_event(
            session,
            row.event,
            completed_on,
            actor=NodeSelf(by),
            note=f"completion of deliverable {key} ({record_id(row)})",
            plan_key=plan_key or DEFAULT_PLAN,
        )
    return row


def add_technology(
    session: Session,
    *,
    kind: str,
    country: str,
    place: str,
    deployed_on: date,
    source: str,
    actor: Actor,
    precision: str = "exact",
    port_code: str | None = None,
    note: str | None = None,
) -> Technology:
    _check(country, COUNTRIES, "country")
    _check(precision, PRECISIONS, "date precision")
    require_own_record(session, country, "technology deployment")
    if port_code is not None and port_code not in ports():
        raise RegistryRefused(UNKNOWN_PORT.said(port_code=port_code))
    row = Technology(
        kind=kind,
        country=country,
        port_code=port_code,
        place=place,
        deployed_on=deployed_on,
        precision=precision,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {
        "kind": kind,
        "country": country,
        "place": place,
        "port_code": port_code,
    }
    details |= {"deployed_on": deployed_on, "precision": precision, "source": source}
    return _add(session, row, actor=actor, details=details)


def add_training(
    session: Session,
    *,
    subject: str,
    country: str,
    agency: str,
    people: int,
    held_on: date,
    source: str,
    actor: Actor,
    precision: str = "exact",
    trainer: str | None = None,
    note: str | None = None,
) -> Training:
    _check(country, COUNTRIES, "country")
    _check(precision, PRECISIONS, "date precision")
    require_own_record(session, country, "training event")
    if people < 0:
        raise RegistryRefused(PEOPLE_TRAINED.said())
    row = Training(
        subject=subject,
        country=country,
        agency=agency,
        trainer=trainer,
        people=people,
        held_on=held_on,
        precision=precision,
        source=source,
        note=note,
    )
    details: dict[str, Any] = {
        "subject": subject,
        "country": country,
        "agency": agency,
        "people": people,
    }
    details |= {"held_on": held_on, "precision": precision, "source": source}
    return _add(session, row, actor=actor, details=details)


KINDS_BY_NAME = {name: model for model, name in RECORD_KINDS.items()}


def list_records(session: Session, kind: str) -> list[dict[str, Any]]:
    """Every record of a kind (``mechanism``, ``meeting``...) as plain values, oldest first."""
    model = KINDS_BY_NAME.get(kind)
    if model is None:
        raise RegistryRefused(UNKNOWN_KIND.said(kind=kind, kinds=", ".join(KINDS_BY_NAME)))
    columns = [c.name for c in model.__table__.columns]
    rows = session.scalars(select(model).order_by(model.id)).all()  # type: ignore[attr-defined]
    return [
        {"record": record_id(r), "held_as": owner_of(r)} | {c: getattr(r, c) for c in columns}
        for r in rows
    ]


def end_record(
    session: Session, record: str, ended_on: date, *, actor: Actor
) -> Mechanism | LiaisonPost:
    """Set the end date of a mechanism or a liaison post (``mechanism:3``, ``liaison-post:1``)."""
    by = acting(session, actor, Permission.COOP_MANAGE)
    kind, _, number = record.partition(":")
    if kind not in ("mechanism", "liaison-post") or not number.isdigit():
        raise RegistryRefused(END_DATE_KINDS.said(record=record))
    row: Mechanism | LiaisonPost | None = (
        session.get(Mechanism, int(number))
        if kind == "mechanism"
        else session.get(LiaisonPost, int(number))
    )
    if row is None:
        raise RegistryRefused(NO_RECORD.said(record=record, kind=kind))
    if isinstance(row, LiaisonPost):  # an older database's post of the other government
        require_own_record(session, row.country, "liaison post")
    start = row.formed_on if isinstance(row, Mechanism) else row.appointed_on
    if start is not None and ended_on < start:
        raise RegistryRefused(ENDS_BEFORE.said(record=record, ended_on=ended_on, start=start))
    previous = row.ended_on
    row.ended_on = ended_on
    session.flush()
    audit.record(
        session,
        actor=by,
        action=f"cooperation.{kind}.end",
        subject=record,
        details={"ended_on": ended_on, "previous": previous},
    )
    return row
