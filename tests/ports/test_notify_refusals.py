"""Why a notification to a person was not sent (alianza.liaison.notify): stored in English with
the notification as before, and a catalogue message that can be said in Spanish; an alert that
the user may not send (alianza.liaison.alert_service) the same (issue 18)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import Principal
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.liaison.alert_service import AlertForbidden, send_alert_as
from alianza.liaison.notify import Notifier, NotSent, _send


@pytest.mark.parametrize(
    ("channel", "english", "spanish"),
    [
        (
            "email",
            "no SMTP relay configured (ALIANZA_PORTS_SMTP_HOST)",
            "no hay un servidor SMTP de retransmisión configurado (ALIANZA_PORTS_SMTP_HOST)",
        ),
        (
            "sms",
            "no SMS gateway configured (ALIANZA_PORTS_SMS_GATEWAY_URL)",
            "no hay una pasarela de SMS configurada (ALIANZA_PORTS_SMS_GATEWAY_URL)",
        ),
        (
            "pager",
            "channel 'pager' is not sent by the node",
            "el nodo no envía por el canal 'pager'",
        ),
    ],
)
def test_a_notification_not_sent_says_why_in_both_languages(
    channel: str, english: str, spanish: str
) -> None:
    with pytest.raises(NotSent) as refused:
        _send(Notifier(), channel, "ana@example.org", {})
    assert (str(refused.value), in_language(message_of(refused.value), "es")) == (
        english,
        spanish,
    )


def test_sending_an_alert_without_the_permission_is_refused_in_both_languages(
    tmp_path: Path,
) -> None:
    viewer = Principal(1, "ana", "Ana", Role.VIEWER, Country.US, "CBP", "es")
    database = Database(f"sqlite:///{tmp_path / 'us.db'}", country="US")
    with pytest.raises(AlertForbidden) as refused:
        send_alert_as(database, viewer, side="US", port="2504", template="lane-closure",
                      details={}, now=datetime(2026, 11, 28, tzinfo=UTC))  # fmt: skip
    assert (str(refused.value), in_language(message_of(refused.value), "es")) == (
        "sending alerts needs ports.alert",
        "enviar alertas requiere ports.alert",
    )
    database.dispose()
