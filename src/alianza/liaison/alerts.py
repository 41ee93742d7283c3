"""Counterpart alerts (10.6): bilingual templates, a durable outbox, acknowledgement, escalation.

Every function takes the time (``now``, aware) from its caller: the clock is explicit, so
escalation is testable and replayable. Delivery is at least once: a message stays in the
sender's outbox until the transport accepts it; the receiver records every message id in its
inbox and applies a message once, so an alert delivered twice is shown once.

Nominal details (plates, names) are held in their own column. They stay on the sending node
unless the sender shares them explicitly with the paired port (``share_nominal``); they are
never part of an export (:func:`export_alerts`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.principal import Principal
from alianza.actors import Actor, NodeSelf, acting, actor_name
from alianza.catalogue import Text, message_of
from alianza.liaison import messages as words
from alianza.liaison.directory import (
    COUNTRIES,
    SHARED_CHANNELS,
    DirectoryError,
    apply_partner_directory,
    directory_payload,
    ensure_pair,
    escalation_chain,
    port_zone,
)
from alianza.liaison.drills import apply_partner_drill
from alianza.liaison.models import (
    Alert,
    AlertEvent,
    Contact,
    DirectoryPublication,
    InboxMessage,
    Notification,
    OutboxMessage,
    PortPair,
)
from alianza.liaison.scope import alert_scope
from alianza.ports.reference import UnknownPort


@dataclass(frozen=True)
class Template:
    """A kind of alert: its title and text (catalogue messages, :mod:`alianza.liaison.messages`;
    the text's placeholders are ``heading`` and the fields) and the fields it needs."""

    title: Text
    text: Text
    fields: tuple[str, ...]


TEMPLATES = {
    name: Template(words.TITLES[name], words.TEXTS[name], fields)
    for name, fields in (
        ("port-runner", ("lane", "vehicle")),
        ("lane-closure", ("lanes", "until")),
        ("suspicious-vehicle", ("direction", "vehicle")),
        ("security-incident", ("location",)),
    )
}


SEVERITIES = ("info", "warning", "critical")
PRIORITIES = ("urgent", "high", "routine")
# A request is answered (acknowledged) within these, by priority, unless the agreement sets
# others (ALIANZA_PORTS_REQUEST_DUE, e.g. "urgent=8h,high=3d,routine=7d").
DUE_AFTER = {"urgent": timedelta(hours=8), "high": timedelta(days=3), "routine": timedelta(days=7)}
# Who acts where nobody signed in does: this node receiving a verified message from its
# partner (the partner's officers' names travel in the message as data), and this node's own
# delivery loop escalating unanswered alerts.
PARTNER_NODE = NodeSelf("partner-node")
SYSTEM = NodeSelf("system")
STATES = ("queued", "delivered", "escalated", "acknowledged", "expired")


class AlertRefused(ValueError):
    """The alert cannot be sent as given (unknown template, missing field, no pair)."""


class DelayReasonNeeded(AlertRefused):
    """A request acknowledged after its due time, with no reason given for the delay."""


def overdue(alert: Alert, now: datetime) -> bool:
    """A request past its due time (its response clock ran out), answered or not."""
    return alert.due_at is not None and as_utc(now) > as_utc(alert.due_at)


def needs_delay_reason(alert: Alert, now: datetime) -> bool:
    """Acknowledging ``alert`` at ``now`` asks for the reason for the delay: a request past
    its due time whose delay has no reason recorded yet (``give_delay_reason``)."""
    return overdue(alert, now) and not (alert.delay_reason or "").strip()


def as_utc(moment: datetime) -> datetime:
    """Datetimes come back naive from SQLite: every stored time is UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def _iso(moment: datetime | None) -> str | None:
    return as_utc(moment).isoformat() if moment is not None else None


def _moment(text: object) -> datetime | None:
    return as_utc(datetime.fromisoformat(str(text))) if text else None


def alert_state(alert: Alert, now: datetime) -> str:
    """The alert's state as it is: acknowledged, expired, escalated, delivered or queued."""
    if alert.acknowledged_at is not None:
        return "acknowledged"
    if alert.expires_at is not None and as_utc(alert.expires_at) <= as_utc(now):
        return "expired"
    if alert.escalation_level > 0:
        return "escalated"
    if alert.delivered_at is not None:
        return "delivered"
    return "queued"


def _mark_breach(alert: Alert, answered: datetime, reason: str) -> None:
    if alert.due_at is None or answered <= as_utc(alert.due_at):
        return
    alert.breached_at = alert.breached_at or as_utc(alert.due_at)
    if reason.strip():
        alert.delay_reason = reason.strip()


def record_breaches(session: Session, *, now: datetime) -> list[Alert]:
    """Requests not answered by their due time: each is marked breached once (an event)."""
    now = as_utc(now)
    late = session.scalars(
        select(Alert).where(
            Alert.due_at.is_not(None),
            Alert.due_at <= now,
            Alert.acknowledged_at.is_(None),
            Alert.breached_at.is_(None),
        )
    ).all()
    for alert in late:
        assert alert.due_at is not None
        alert.breached_at = as_utc(alert.due_at)
        _event(session, alert, "breached", now, due_at=_iso(alert.due_at))
    return list(late)


def give_delay_reason(
    session: Session, alert_id: str, reason: str, *, actor: Actor, now: datetime
) -> None:
    """Record why a request is (or was) late; kept with its breach in the measures. A user
    needs ports.alert."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise AlertRefused(refusals.not_found("alert", alert_id))
    if not reason.strip():
        raise AlertRefused(words.REASON_NEEDED.said())
    alert.delay_reason = reason.strip()
    _event(session, alert, "delay-reason", as_utc(now), by=by, reason=alert.delay_reason)


def parse_due_after(text: str) -> dict[str, timedelta]:
    """``urgent=8h,high=3d,routine=7d`` (h: hours, d: days) over the defaults."""
    due = dict(DUE_AFTER)
    for item in filter(None, (part.strip() for part in text.split(","))):
        key, _, value = item.partition("=")
        unit = {"h": "hours", "d": "days"}.get(value.strip()[-1:])
        if key.strip() not in PRIORITIES or unit is None:
            raise AlertRefused(words.DUE_TIMES_FORM.said(item=repr(item)))
        try:
            amount = float(value.strip()[:-1])
        except ValueError:
            raise AlertRefused(words.DUE_TIMES_NUMBER.said(item=repr(item))) from None
        due[key.strip()] = timedelta(**{unit: amount})
    return due


def mark_carried(session: Session, alert_ids: Sequence[str], now: datetime) -> None:
    """The partner's node accepted these alerts: delivered, as far as this side knows (the
    partner's own delivery time replaces it when its acknowledgement arrives)."""
    if not alert_ids:
        return
    for alert in session.scalars(
        select(Alert).where(Alert.id.in_(list(alert_ids)), Alert.delivered_at.is_(None))
    ):
        alert.delivered_at = as_utc(now)
        _event(session, alert, "delivered", as_utc(now), remote=True)


def queue_notifications(session: Session, alert: Alert, contact: Contact, now: datetime) -> int:
    """Queue a notification of ``alert`` to ``contact`` on each of their channels that the node
    sends itself (e-mail, webhook, SMS; :mod:`alianza.liaison.notify` sends them); the browser
    channel is the open alerts page. Returns how many were queued."""
    queued = 0
    for channel in contact.channels:
        if channel["kind"] in ("email", "webhook", "sms"):
            session.add(
                Notification(
                    alert_id=alert.id,
                    contact_id=contact.id,
                    level=alert.escalation_level,
                    channel=channel["kind"],
                    address=channel["address"],
                    status="queued",
                    attempts=0,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
            queued += 1
    return queued


def other_country(country: str) -> str:
    return "MX" if country == "US" else "US"


def alerts_newest_first(session: Session) -> list[Alert]:
    """Every alert this node holds, newest first."""
    return list(session.scalars(select(Alert).order_by(Alert.created_at.desc())))


def render(alert: Alert, language: str = "en") -> str:
    """The alert's text in ``language``, its free text after it (as the sender typed it)."""
    heading = words.HEADING[alert.from_country](language)
    text = TEMPLATES[alert.template].text(language, **{**alert.details, "heading": heading})
    return f"{text}. {alert.free_text}".strip() if alert.free_text else text


def _event(
    session: Session,
    alert: Alert,
    kind: str,
    at: datetime,
    contact: Contact | None = None,
    **details: Any,
) -> None:
    contact_id = contact.id if contact is not None else None
    session.add(
        AlertEvent(alert_id=alert.id, at=at, kind=kind, contact_id=contact_id, details=details)
    )


def _enqueue(session: Session, destination: str, payload: dict[str, Any], now: datetime) -> None:
    session.add(
        OutboxMessage(
            message_id=payload["message_id"],
            destination=destination,
            payload=payload,
            created_at=now,
            attempts=0,
            next_attempt_at=now,
        )
    )


def send_alert(
    session: Session,
    pair: PortPair,
    *,
    from_country: str,
    template: str,
    details: Mapping[str, str],
    free_text: str = "",
    nominal: Mapping[str, str] | None = None,
    share_nominal: bool = False,
    actor: Actor,
    now: datetime,
    severity: str = "warning",
    priority: str = "routine",
    expires_in: timedelta | None = None,
    request: bool = False,
    due_after: Mapping[str, timedelta] = DUE_AFTER,
) -> Alert:
    """Record an alert and put it in the outbox for the paired port across the border.

    ``expires_in``: after it, an unanswered alert is no longer escalated (state ``expired``).
    ``request``: the alert asks for an answer by a due time set by its priority
    (``due_after``); an acknowledgement after it is a breach, recorded with its reason.
    A user needs ports.alert."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    now = as_utc(now)
    if severity not in SEVERITIES:
        raise AlertRefused(words.SEVERITY.said(allowed=", ".join(SEVERITIES), value=repr(severity)))
    if priority not in PRIORITIES:
        raise AlertRefused(words.PRIORITY.said(allowed=", ".join(PRIORITIES), value=repr(priority)))
    if expires_in is not None and expires_in <= timedelta(0):
        raise AlertRefused(words.EXPIRY_FUTURE.said())
    if template not in TEMPLATES:
        known = ", ".join(TEMPLATES)
        raise AlertRefused(words.UNKNOWN_TEMPLATE.said(name=repr(template), known=known))
    missing = [f for f in TEMPLATES[template].fields if not details.get(f)]
    if missing:
        raise AlertRefused(
            words.TEMPLATE_NEEDS.said(name=repr(template), missing=", ".join(missing))
        )
    if from_country not in COUNTRIES:
        raise AlertRefused(words.ALERT_COUNTRY.said(country=repr(from_country)))
    if isinstance(actor, Principal) and actor.country.value != from_country:
        raise AlertRefused(words.OWN_PORT_ONLY.said(country=actor.country.value, side=from_country))
    alert = Alert(
        id=str(uuid.uuid4()),
        pair_id=pair.id,
        from_country=from_country,
        to_country=other_country(from_country),
        template=template,
        details=dict(details),
        free_text=free_text,
        nominal=dict(nominal or {}),
        created_at=now,
        created_by=by,
        escalation_level=0,
        severity=severity,
        priority=priority,
        expires_at=now + expires_in if expires_in is not None else None,
        due_at=now + due_after[priority] if request else None,
    )
    session.add(alert)
    session.flush()
    _event(session, alert, "sent", now, shared_nominal=share_nominal)
    payload = {
        "kind": "alert",
        "message_id": alert.id,
        "alert": {
            "id": alert.id,
            "us_port_code": pair.us_port_code,
            "from_country": alert.from_country,
            "template": template,
            "details": alert.details,
            "free_text": free_text,
            "created_at": _iso(now),
            "created_by": by,
            "nominal": alert.nominal if share_nominal else {},
            "severity": severity,
            "priority": priority,
            "expires_at": _iso(alert.expires_at),
            "due_at": _iso(alert.due_at),
        },
    }
    _enqueue(session, alert.to_country, payload, now)
    audit.record(
        session,
        actor=by,
        action="ports.alert.send",
        subject=f"ports_alert:{alert.id}",
        details={"template": template, "pair": pair.us_port_code, "to": alert.to_country},
    )
    return alert


def directory_digest(body: Mapping[str, object]) -> str:
    """What a publication says, whatever its time: SHA-256 of its country and entries."""
    content = {"country": body["country"], "pairs": body["pairs"]}
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def last_publication(session: Session, country: str) -> DirectoryPublication | None:
    return session.scalars(
        select(DirectoryPublication)
        .where(DirectoryPublication.country == country)
        .order_by(DirectoryPublication.id.desc())
        .limit(1)
    ).first()


def directory_changed(
    session: Session,
    country: str,
    *,
    now: datetime,
    channels: Sequence[str] = SHARED_CHANNELS,
    share_names: bool = False,
) -> bool:
    """Whether this side's directory, as it would be published now, differs from the last
    publication (never published: whether there is anything to publish)."""
    body = directory_payload(
        session, country, now=as_utc(now), channels=channels, share_names=share_names
    )
    last = last_publication(session, country)
    if last is None:
        return bool(body["pairs"])
    return last.digest != directory_digest(body)


def publish_directory(
    session: Session,
    country: str,
    *,
    actor: Actor,
    now: datetime,
    channels: Sequence[str] = SHARED_CHANNELS,
    share_names: bool = False,
    force: bool = True,
) -> int | None:
    """Queue this side's directory for the partner node (signed with the node's key like
    every message, retried by the same outbox as the alerts); the number of entries published.

    ``force`` (``alianza ports contact publish``): queued whatever was published before.
    Without it (the delivery loop, :func:`alianza.liaison.live.sync_directory`) it is queued only
    when it differs from the last publication (an entry added, ended or edited, an account
    disabled, the agreement's channels changed); None when it does not. The partner applies a
    publication once (message id) and keeps the newest (publication time). A user needs
    ports.alert."""
    by = acting(session, actor, Permission.PORTS_ALERT)
    now = as_utc(now)
    body = directory_payload(session, country, now=now, channels=channels, share_names=share_names)
    digest = directory_digest(body)
    last = last_publication(session, country)
    if not force and (last.digest == digest if last is not None else not body["pairs"]):
        return None
    message_id = str(uuid.uuid4())
    _enqueue(
        session,
        other_country(country),
        {"kind": "directory", "message_id": message_id, "directory": body},
        now,
    )
    pairs = body["pairs"]
    assert isinstance(pairs, dict)
    entries = sum(len(v) for v in pairs.values())
    session.add(
        DirectoryPublication(
            country=country,
            digest=digest,
            message_id=message_id,
            entries=entries,
            published_at=now,
            published_by=by,
            forced=force,
        )
    )
    audit.record(
        session,
        actor=by,
        action="ports.directory.publish",
        subject="ports_directory",
        details={
            "country": country,
            "entries": entries,
            "names": share_names,
            "forced": force,
            "digest": digest,
        },
    )
    return entries


def acknowledge(
    session: Session,
    alert_id: str,
    *,
    actor: Actor,
    now: datetime,
    reason: str = "",
    name: str | None = None,
) -> bool:
    """Acknowledge a received alert (once); the acknowledgement goes back to the sender.

    ``actor`` is who acts (the audit log's actor); ``name`` what both sides' pages show as who
    acknowledged (a signed-in user's display name), the actor's name when not given.
    A request answered after its due time is a breach: it is recorded with ``reason`` (the
    reason given for the delay), on both sides. Without a reason (given now or before) a late
    acknowledgement is refused (:class:`DelayReasonNeeded`): the clock's breaches carry why.

    A user needs ports.alert, or to be listed in the directory at the alert's port pair (an
    official: :func:`~alianza.liaison.scope.alert_scope`)."""
    now = as_utc(now)
    alert = session.get(Alert, alert_id)
    needed = None if listed_for(session, actor, alert) else Permission.PORTS_ALERT
    by = acting(session, actor, needed)
    if alert is None:
        raise AlertRefused(refusals.not_found("alert", alert_id))
    if alert.acknowledged_at is not None:
        return False
    if needs_delay_reason(alert, now) and not reason.strip():
        assert alert.due_at is not None
        pair = session.get(PortPair, alert.pair_id)
        assert pair is not None
        due = as_utc(alert.due_at).astimezone(port_zone(pair.us_port_code))
        raise DelayReasonNeeded(words.DELAY_REASON.said(due=f"{due:%Y-%m-%d %H:%M %Z}"))
    alert.acknowledged_at = now
    alert.acknowledged_by = name or by
    _mark_breach(alert, now, reason)
    _event(session, alert, "acknowledged", now, by=alert.acknowledged_by)
    _enqueue(
        session,
        alert.from_country,
        {
            "kind": "ack",
            "message_id": str(uuid.uuid4()),
            "alert_id": alert.id,
            "delivered_at": _iso(alert.delivered_at),
            "acknowledged_at": _iso(now),
            "acknowledged_by": alert.acknowledged_by,
            "delay_reason": alert.delay_reason,
        },
        now,
    )
    audit.record(
        session,
        actor=by,
        action="ports.alert.acknowledge",
        subject=f"ports_alert:{alert.id}",
        details={},
    )
    return True


def listed_for(session: Session, who: Actor, alert: Alert | None) -> bool:
    """Whether a signed-in user sees ``alert`` by the directory: listed at its port pair (an
    official), or of a role that sees every alert of their side."""
    if not isinstance(who, Principal) or alert is None:
        return False
    scope = alert_scope(
        session, username=who.username, role=who.role.value, country=who.country.value
    )
    return scope.includes(
        from_country=alert.from_country, to_country=alert.to_country, pair_id=alert.pair_id
    )


def receive(
    session: Session, payload: Mapping[str, Any], *, now: datetime, sender: str | None = None
) -> bool:
    """Apply a message from the partner node; False when it was already applied."""
    applied, _duplicates = receive_many(session, [payload], now=now, sender=sender)
    return applied == 1


def _check_partner_alert(body: Mapping[str, Any]) -> None:
    """A partner's alert must be one this node can show and send on: a template, severity and
    priority it knows, each of the template's fields given as text (as :func:`send_alert`
    checks on the sending side; a signed message is checked all the same)."""
    severity, priority = body.get("severity") or "warning", body.get("priority") or "routine"
    if severity not in SEVERITIES:
        raise AlertRefused(words.SEVERITY.said(allowed=", ".join(SEVERITIES), value=repr(severity)))
    if priority not in PRIORITIES:
        raise AlertRefused(words.PRIORITY.said(allowed=", ".join(PRIORITIES), value=repr(priority)))
    template = body["template"]
    if template not in TEMPLATES:
        known = ", ".join(TEMPLATES)
        raise AlertRefused(words.UNKNOWN_TEMPLATE.said(name=repr(template), known=known))
    details = body["details"] if isinstance(body["details"], Mapping) else {}
    given = {name for name, value in details.items() if isinstance(value, str) and value}
    missing = [f for f in TEMPLATES[template].fields if f not in given]
    if missing:
        raise AlertRefused(
            words.TEMPLATE_NEEDS.said(name=repr(template), missing=", ".join(missing))
        )


def receive_many(
    session: Session,
    payloads: Sequence[Mapping[str, Any]],
    *,
    now: datetime,
    sender: str | None = None,
) -> tuple[int, int]:
    """Apply a batch of messages from the partner node in the caller's transaction;
    (applied, duplicates). A message already applied (or twice in the batch) is skipped.

    ``sender`` (the country of the node whose signature was verified) must be the side each
    message speaks for: the alert's sender, or the receiving side of the acknowledged alert.
    Reads are made once per batch (inbox ids, pairs, escalation chains) and the batch's alerts
    get one audit entry listing them, so a batch costs a few round trips, not a few per message.
    """
    now = as_utc(now)
    ids = [str(p["message_id"]) for p in payloads]
    held = set(
        session.scalars(select(InboxMessage.message_id).where(InboxMessage.message_id.in_(ids)))
    )
    pairs: dict[str, PortPair] = {}
    chains: dict[tuple[int, str], list[Contact]] = {}
    delivered: list[tuple[Alert, Contact | None]] = []
    applied = duplicates = 0
    for payload, message_id in zip(payloads, ids, strict=True):
        if message_id in held:
            duplicates += 1
            continue
        held.add(message_id)
        kind = str(payload["kind"])
        if kind == "alert":
            body = payload["alert"]
            if sender is not None and body["from_country"] != sender:
                raise AlertRefused(
                    words.MESSAGE_CLAIMS_OTHER_SIDE.said(id=message_id, sender=sender)
                )
            _check_partner_alert(body)
            code = str(body["us_port_code"])
            if code not in pairs:
                try:  # the pair is created on first use, as on the sending side
                    pairs[code] = ensure_pair(session, code, actor=PARTNER_NODE)
                except UnknownPort:
                    raise AlertRefused(words.MESSAGE_NO_PORT.said(code=code)) from None
            pair = pairs[code]
            to_country = other_country(str(body["from_country"]))
            if (pair.id, to_country) not in chains:
                chains[(pair.id, to_country)] = escalation_chain(session, pair, to_country, now)
            chain = chains[(pair.id, to_country)]
            alert = Alert(
                id=str(body["id"]),
                pair_id=pair.id,
                from_country=str(body["from_country"]),
                to_country=to_country,
                template=str(body["template"]),
                details=dict(body["details"]),
                free_text=str(body["free_text"]),
                nominal=dict(body.get("nominal") or {}),
                created_at=datetime.fromisoformat(body["created_at"]),
                created_by=str(body["created_by"]),
                delivered_at=now,
                escalation_level=0,
                notified_at=now,
                contact_id=chain[0].id if chain else None,
                addressed_role=chain[0].role if chain else None,
                severity=str(body.get("severity") or "warning"),
                priority=str(body.get("priority") or "routine"),
                expires_at=_moment(body.get("expires_at")),
                due_at=_moment(body.get("due_at")),
            )
            session.add(alert)
            delivered.append((alert, chain[0] if chain else None))
        elif kind == "ack":
            acked = session.get(Alert, str(payload["alert_id"]))
            if sender is not None and acked is not None and acked.to_country != sender:
                raise AlertRefused(
                    words.MESSAGE_ACK_NOT_RECEIVED.said(id=message_id, sender=sender)
                )
            if acked is not None and acked.acknowledged_at is None:
                acked.acknowledged_at = datetime.fromisoformat(payload["acknowledged_at"])
                acked.acknowledged_by = str(payload["acknowledged_by"])
                if payload.get("delivered_at"):
                    acked.delivered_at = datetime.fromisoformat(payload["delivered_at"])
                _mark_breach(
                    acked, as_utc(acked.acknowledged_at), str(payload.get("delay_reason") or "")
                )
                _event(session, acked, "acknowledged", now, by=acked.acknowledged_by, remote=True)
        elif kind == "escalated":
            escalated = session.get(Alert, str(payload["alert_id"]))
            if sender is not None and escalated is not None and escalated.to_country != sender:
                raise AlertRefused(
                    words.MESSAGE_ESCALATION_NOT_RECEIVED.said(id=message_id, sender=sender)
                )
            level = int(payload["level"])
            if (
                escalated is not None
                and escalated.acknowledged_at is None
                and level > escalated.escalation_level
            ):
                escalated.escalation_level = level
                escalated.addressed_role = str(payload["role"])
                _event(session, escalated, "escalated", now, level=level,
                       role=escalated.addressed_role, remote=True)  # fmt: skip
        elif kind == "directory":
            body = payload["directory"]
            if sender is not None and body["country"] != sender:
                raise AlertRefused(words.MESSAGE_OTHER_DIRECTORY.said(id=message_id, sender=sender))

            def pair_of(code: str) -> PortPair:
                if code not in pairs:
                    try:
                        pairs[code] = ensure_pair(session, code, actor=PARTNER_NODE)
                    except UnknownPort:
                        raise AlertRefused(words.MESSAGE_NO_PORT.said(code=code)) from None
                return pairs[code]

            apply_partner_directory(session, body, now=now, pair_of=pair_of)
        elif kind == "drill":
            body = payload["drill"]
            if sender is not None and body["country"] != sender:
                raise AlertRefused(words.MESSAGE_OTHER_DRILL.said(id=message_id, sender=sender))
            code = str(body["us_port_code"])
            if code not in pairs:
                try:
                    pairs[code] = ensure_pair(session, code, actor=PARTNER_NODE)
                except UnknownPort:
                    raise AlertRefused(words.MESSAGE_NO_PORT.said(code=code)) from None
            try:
                apply_partner_drill(session, body, pairs[code], actor=PARTNER_NODE)
            except DirectoryError as refused:
                raise AlertRefused(
                    words.MESSAGE_REFUSED.said(id=message_id, reason=message_of(refused))
                ) from None
        else:
            raise AlertRefused(words.MESSAGE_UNKNOWN_KIND.said(kind=kind))
        session.add(InboxMessage(message_id=message_id, received_at=now, kind=kind))
        applied += 1
    session.flush()  # the alerts exist before their events
    for alert, contact in delivered:
        _event(session, alert, "delivered", now, contact)
        if contact is not None:
            queue_notifications(session, alert, contact, now)
    if delivered:
        audit.record(
            session,
            actor=actor_name(PARTNER_NODE),
            action="ports.alert.receive",
            subject="ports_alert",
            details={
                "from": sorted({a.from_country for a, _c in delivered}),
                "alerts": [a.id for a, _c in delivered],
            },
        )
    session.flush()
    return applied, duplicates


def escalate_due(
    session: Session, *, node_country: str, now: datetime, after: timedelta
) -> list[tuple[Alert, Contact]]:
    """Move every unacknowledged alert not answered within ``after`` to the next contact.

    The chain is the receiving side's officials on duty, then its liaison officer; an alert
    already at the liaison officer stays there (and is listed again at each timeout). The alert
    is addressed to that contact (its page and stream show it to them as escalated to them),
    each move is audited, and a move to a new level goes back to the sending side as an
    ``escalated`` message (the contact's role and level; names stay on this node).
    """
    now = as_utc(now)
    due = session.scalars(
        select(Alert).where(
            Alert.to_country == node_country,
            Alert.acknowledged_at.is_(None),
            Alert.delivered_at.is_not(None),
            Alert.notified_at <= now - after,
        )
    ).all()
    moved = []
    for alert in due:
        if alert.expires_at is not None and as_utc(alert.expires_at) <= now:
            continue  # expired: nobody is woken for it any more
        pair = session.get(PortPair, alert.pair_id)
        assert pair is not None
        chain = escalation_chain(session, pair, node_country, now)
        if not chain:
            continue
        level = min(alert.escalation_level + 1, len(chain) - 1)
        contact = chain[level]
        raised = level > alert.escalation_level
        alert.escalation_level = level
        alert.contact_id = contact.id
        alert.addressed_role = contact.role
        alert.notified_at = now
        _event(session, alert, "escalated", now, contact, level=level, role=contact.role)
        queue_notifications(session, alert, contact, now)
        if raised:
            _enqueue(
                session,
                alert.from_country,
                {
                    "kind": "escalated",
                    "message_id": str(uuid.uuid4()),
                    "alert_id": alert.id,
                    "level": level,
                    "role": contact.role,
                    "escalated_at": _iso(now),
                },
                now,
            )
        moved.append((alert, contact))
    if moved:
        audit.record(
            session,
            actor=actor_name(SYSTEM),
            action="ports.alert.escalate",
            subject="ports_alert",
            details={
                "escalations": [
                    {"alert": a.id, "level": a.escalation_level, "contact": c.id, "role": c.role}
                    for a, c in moved
                ]
            },
        )
    return moved


def export_alerts(
    session: Session, where: ColumnElement[bool] | None = None, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Alerts for reports and exchange: nominal details left out, only marked as present;
    ``where`` limits them (a user's :class:`~alianza.liaison.scope.AlertScope`)."""
    rows = []
    wanted = select(Alert).order_by(Alert.created_at)
    if where is not None:
        wanted = wanted.where(where)
    for alert in session.scalars(wanted):
        pair = session.get(PortPair, alert.pair_id)
        assert pair is not None
        rows.append(
            {
                "id": alert.id,
                "pair": pair.us_port_code,
                "from": alert.from_country,
                "to": alert.to_country,
                "template": alert.template,
                "text": render(alert, "en"),
                "text_es": render(alert, "es"),
                "created_at": _iso(alert.created_at),
                "delivered_at": _iso(alert.delivered_at),
                "acknowledged_at": _iso(alert.acknowledged_at),
                "escalation_level": alert.escalation_level,
                "state": alert_state(alert, now or datetime.now(UTC)),
                "severity": alert.severity,
                "priority": alert.priority,
                "expires_at": _iso(alert.expires_at),
                "due_at": _iso(alert.due_at),
                "breached_at": _iso(alert.breached_at),
                "delay_reason": alert.delay_reason,
                "nominal_details_withheld": sorted(alert.nominal),
            }
        )
    return rows
