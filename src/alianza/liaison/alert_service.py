"""Counterpart alerts as the shells use them (web pages, API, CLI): each function takes the
acting user and opens its own transaction; who may see and acknowledge what is
:func:`alianza.liaison.scope.alert_scope`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import declare, message_of
from alianza.db import Database
from alianza.liaison.alerts import (
    AlertRefused,
    DelayReasonNeeded,
    acknowledge,
    export_alerts,
    listed_for,
    send_alert,
)
from alianza.liaison.directory import ensure_pair
from alianza.liaison.models import Alert, Contact, OutboxMessage, PortPair
from alianza.liaison.scope import AlertScope, alert_scope
from alianza.ports.reference import find_port

ACKNOWLEDGED_BY_RECEIVER = declare(
    "liaison.acknowledged-by-receiver", "an alert is acknowledged by the side that received it"
)
SENDING_NEEDS_PERMISSION = declare(
    "liaison.sending-needs-permission", "sending alerts needs ports.alert"
)


class AlertForbidden(PermissionError):
    """The user may not do this to this alert."""


class AlertNotFound(LookupError):
    """No such alert on this node."""


class AlertConflict(ValueError):
    """The alert is not this side's to acknowledge."""


def scope_for(database: Database, user: Principal) -> AlertScope:
    with database.reader() as session:
        return alert_scope(
            session, username=user.username, role=user.role.value, country=user.country.value
        )


@dataclass
class AlertsView:
    """What the alerts page shows: the user's alerts (newest first) with their pair and the
    contact each is addressed to, the outbox rows carrying them, and every pair."""

    rows: list[tuple[Alert, PortPair, Contact | None]]
    carried: dict[str, OutboxMessage]
    pairs: list[PortPair]
    scope: AlertScope


def alerts_view(database: Database, user: Principal, *, limit: int = 200) -> AlertsView:
    with database.reader() as session:
        scope = alert_scope(
            session, username=user.username, role=user.role.value, country=user.country.value
        )
        rows = [
            (a, p, c)
            for a, p, c in session.execute(
                select(Alert, PortPair, Contact)
                .join(PortPair, Alert.pair_id == PortPair.id)
                .outerjoin(Contact, Alert.contact_id == Contact.id)
                .where(scope.condition())
                .order_by(Alert.created_at.desc())
                .limit(limit)
            ).all()
        ]
        carried = {
            m.message_id: m
            for m in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.message_id.in_([a.id for a, _p, _c in rows])
                )
            )
        }
        pairs = list(session.scalars(select(PortPair).order_by(PortPair.us_port_code)))
    return AlertsView(rows, carried, pairs, scope)


def list_alerts_for(database: Database, user: Principal, *, now: datetime) -> list[dict[str, Any]]:
    """The user's alerts, oldest first, nominal details withheld, each with its state."""
    with database.reader() as session:
        scope = alert_scope(
            session, username=user.username, role=user.role.value, country=user.country.value
        )
        return export_alerts(session, scope.condition(), now=now)


def send_alert_as(
    database: Database,
    user: Principal,
    *,
    side: str,
    port: str,
    template: str,
    details: Mapping[str, str],
    free_text: str = "",
    nominal: Mapping[str, str] | None = None,
    share_nominal: bool = False,
    severity: str = "warning",
    priority: str = "routine",
    expires_in: timedelta | None = None,
    request: bool = False,
    due_after: Mapping[str, timedelta] | None = None,
    now: datetime,
) -> str:
    """Send an alert for ``user`` from this node's side; the new alert's id.
    Raises :class:`AlertRefused` (or :class:`~alianza.ports.reference.UnknownPort`)."""
    if not user.can(Permission.PORTS_ALERT):
        raise AlertForbidden(SENDING_NEEDS_PERMISSION.said())
    code = find_port(port).code
    with database.transaction() as session:
        pair = ensure_pair(session, code, actor=user)
        extra: dict[str, Any] = {"due_after": due_after} if due_after else {}
        alert = send_alert(
            session,
            pair,
            from_country=side,
            template=template,
            details=details,
            free_text=free_text,
            nominal=nominal,
            share_nominal=share_nominal,
            actor=user,
            now=now,
            severity=severity,
            priority=priority,
            expires_in=expires_in,
            request=request,
            **extra,
        )
        return alert.id


def acknowledge_as(
    database: Database,
    user: Principal,
    alert_id: str,
    *,
    side: str,
    now: datetime,
    reason: str = "",
) -> bool:
    """Liaison officers and administrators (``ports.alert``) acknowledge any alert their side
    received; an official those of the pairs the directory lists them at. True when this
    call acknowledged it, False when it already was. A request acknowledged past its due time
    needs ``reason`` (the delay's): :class:`~alianza.liaison.alerts.DelayReasonNeeded`."""
    with database.transaction() as session:
        alert = session.get(Alert, alert_id)
        if not user.can(Permission.PORTS_ALERT) and not listed_for(session, user, alert):
            raise AlertForbidden(Permission.PORTS_ALERT.value)
        if alert is None:
            raise AlertNotFound(refusals.not_found("alert", alert_id))
        if alert.to_country != side or alert.to_country != user.country.value:
            raise AlertConflict(ACKNOWLEDGED_BY_RECEIVER.said())
        try:
            return acknowledge(
                session,
                alert_id,
                actor=user,
                now=now,
                reason=reason,
                name=user.display_name,
            )
        except DelayReasonNeeded:
            raise
        except AlertRefused as refused:
            raise AlertConflict(message_of(refused)) from None
