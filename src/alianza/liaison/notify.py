"""Reaching the person an alert is addressed to, through the channels of their directory entry.

:func:`alianza.liaison.alerts.queue_notifications` queues one notification per typed channel
(e-mail, webhook, SMS) in the transaction that addresses the alert to someone (on delivery and
at each escalation step); :func:`send_notifications` sends the queued ones and records how each
went (``sent`` with its time, or the error and a retry later; ``failed`` after the last try).

- e-mail: SMTP to the configured relay (``ALIANZA_PORTS_SMTP_HOST``/``_PORT``/``_FROM``);
- webhook: an HTTP POST of the alert as JSON to the entry's URL;
- SMS: an HTTP POST ``{"to": number, "text": ...}`` to the configured gateway
  (``ALIANZA_PORTS_SMS_GATEWAY_URL``).

Messages carry the alert's text in both languages, never its nominal details (plates, names).
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from typing import Any

import httpx2 as httpx
from sqlalchemy import select

from alianza.db import Database
from alianza.liaison import messages as words
from alianza.liaison.alerts import TEMPLATES, as_utc, render
from alianza.liaison.models import Alert, Notification, PortPair
from alianza.settings import Settings

log = logging.getLogger("alianza.ports")
MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Notifier:
    """Where the node's messages leave from; a channel without its setting is not sent
    (the notification stays queued with the reason, visible in the alert's history)."""

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_from: str = "alianza@localhost"
    sms_gateway_url: str | None = None
    timeout: float = 10.0


def notifier_of(settings: Settings) -> Notifier:
    """Where notifications leave from (``ALIANZA_PORTS_SMTP_*``, ``_SMS_GATEWAY_URL``)."""
    return Notifier(
        smtp_host=settings.ports_smtp_host,
        smtp_port=settings.ports_smtp_port,
        smtp_from=settings.ports_smtp_from,
        sms_gateway_url=settings.ports_sms_gateway_url,
    )


class NotSent(RuntimeError):
    """One notification could not be handed over (kept queued with this reason)."""


def message_of(alert: Alert, pair: PortPair) -> dict[str, Any]:
    """What every channel says: the alert in both languages, its port, severity and level."""
    title_en, title_es = TEMPLATES[alert.template].title.both()
    return {
        "alert": alert.id,
        "port": pair.us_port_code,
        "counterpart": pair.mx_port_name,
        "from": alert.from_country,
        "to": alert.to_country,
        "severity": alert.severity,
        "priority": alert.priority,
        "title_en": title_en,
        "title_es": title_es,
        "text_en": render(alert, "en"),
        "text_es": render(alert, "es"),
        "escalation_level": alert.escalation_level,
        "created_at": as_utc(alert.created_at).isoformat(),
        "expires_at": as_utc(alert.expires_at).isoformat() if alert.expires_at else None,
        "due_at": as_utc(alert.due_at).isoformat() if alert.due_at else None,
    }


def _subject(body: dict[str, Any]) -> str:
    level = f" (escalated, level {body['escalation_level']})" if body["escalation_level"] else ""
    title = f"{body['title_en']} / {body['title_es']}"
    return f"[Alianza {body['severity']}] {title} – {body['port']}{level}"


def _text(body: dict[str, Any]) -> str:
    lines = [
        body["text_en"],
        body["text_es"],
        "",
        f"Port / Puerto: {body['port']} – {body['counterpart']} ({body['from']} → {body['to']})",
        f"Severity / Severidad: {body['severity']} · Priority / Prioridad: {body['priority']}",
        f"Alert / Alerta: {body['alert']}",
    ]
    if body["due_at"]:
        lines.append(f"Answer by / Responder antes de: {body['due_at']}")
    return "\n".join(lines) + "\n"


def _send(notifier: Notifier, channel: str, address: str, body: dict[str, Any]) -> None:
    if channel == "email":
        if not notifier.smtp_host:
            raise NotSent(words.NO_SMTP_RELAY.said())
        mail = EmailMessage()
        mail["From"] = notifier.smtp_from
        mail["To"] = address
        mail["Subject"] = _subject(body)
        mail.set_content(_text(body))
        try:
            with smtplib.SMTP(
                notifier.smtp_host, notifier.smtp_port, timeout=notifier.timeout
            ) as smtp:
                smtp.send_message(mail)
        except (OSError, smtplib.SMTPException) as error:
            raise NotSent(f"SMTP: {type(error).__name__}: {error}") from None
        return
    if channel == "webhook":
        target, payload = address, body
    elif channel == "sms":
        if not notifier.sms_gateway_url:
            raise NotSent(words.NO_SMS_GATEWAY.said())
        target = notifier.sms_gateway_url
        payload = {"to": address, "text": f"{_subject(body)}\n{body['text_en']}\n{body['text_es']}"}
    else:
        raise NotSent(words.CHANNEL_NOT_SENT.said(channel=channel))
    try:
        response = httpx.post(target, json=payload, timeout=notifier.timeout)
    except httpx.TransportError as error:
        raise NotSent(f"{channel}: {type(error).__name__}: {error}") from None
    if response.status_code >= 300:
        raise NotSent(f"{channel}: HTTP {response.status_code}")


def send_notifications(
    database: Database, notifier: Notifier, *, now: datetime, limit: int = 200
) -> tuple[int, int]:
    """Send the queued notifications that are due, oldest first; (sent, not sent)."""
    with database.reader() as session:
        due = session.execute(
            select(Notification, Alert, PortPair)
            .join(Alert, Notification.alert_id == Alert.id)
            .join(PortPair, Alert.pair_id == PortPair.id)
            .where(Notification.status == "queued", Notification.next_attempt_at <= now)
            .order_by(Notification.id)
            .limit(limit)
        ).all()
        work = [(n.id, n.channel, n.address, message_of(a, p)) for n, a, p in due]
    sent = failed = 0
    for notification_id, channel, address, body in work:
        error: str | None = None
        try:
            _send(notifier, channel, address, body)
        except NotSent as refused:
            error = str(refused)
            log.warning("notification %d (%s): %s", notification_id, channel, error)
        with database.transaction() as session:
            held = session.get(Notification, notification_id)
            assert held is not None
            held.attempts += 1
            if error is None:
                held.status, held.sent_at, held.last_error = "sent", now, None
                sent += 1
                continue
            failed += 1
            held.last_error = error
            if held.attempts >= MAX_ATTEMPTS:
                held.status = "failed"
            else:
                held.next_attempt_at = now + timedelta(seconds=min(30 * 2**held.attempts, 900))
    return sent, failed


def notifications_of(database: Database, alert_id: str) -> list[dict[str, Any]]:
    """How each notification of an alert went (for the page, the CLI and the API)."""
    with database.reader() as session:
        rows = session.scalars(
            select(Notification).where(Notification.alert_id == alert_id).order_by(Notification.id)
        )
        return [
            {
                "level": n.level,
                "channel": n.channel,
                "address": n.address,
                "status": n.status,
                "attempts": n.attempts,
                "sent_at": as_utc(n.sent_at).isoformat() if n.sent_at else None,
                "error": n.last_error,
            }
            for n in rows
        ]
