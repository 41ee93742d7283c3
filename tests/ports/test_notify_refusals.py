"""Why a notification to a person was not sent (alianza.liaison.notify): stored in English with
the notification as before, and a catalogue message that can be said in Spanish (issue 18)."""

from __future__ import annotations

import pytest

from alianza.catalogue import in_language, message_of
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
