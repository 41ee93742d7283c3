"""A message from the partner node that this node refuses (alianza.liaison.alerts.receive):
the English the partner's node reads is unchanged, and the refusal is said in Spanish where a
person reads it (issue 18)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.liaison.alerts import AlertRefused, receive

NOW = datetime(2026, 11, 28, 20, 12, tzinfo=UTC)
DRILL = {
    "country": "MX", "us_port_code": "2504", "scheduled_for": NOW.isoformat(),
    "channel": "radio", "held_at": NOW.isoformat(), "passed": True,
    "seconds_to_answer": 10, "notes": "", "recorded_by": "x",
}  # fmt: skip


@pytest.fixture
def us(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path / 'us.db'}", country="US")
    database.migrate()
    yield database
    database.dispose()


def refusal(database: Database, payload: dict[str, Any], sender: str | None) -> tuple[str, str]:
    with database.transaction() as session, pytest.raises(AlertRefused) as refused:
        receive(session, {"message_id": "m1", **payload}, now=NOW, sender=sender)
    return str(refused.value), in_language(message_of(refused.value), "es")


def test_a_message_for_the_other_side_is_refused_in_both_languages(us: Database) -> None:
    alert = {"from_country": "US", "us_port_code": "2504"}
    assert refusal(us, {"kind": "alert", "alert": alert}, "MX") == (
        "message m1: an alert from MX claims another side",
        "mensaje m1: una alerta enviada por MX se presenta como del otro lado",
    )
    assert refusal(us, {"kind": "directory", "directory": {"country": "US"}}, "MX") == (
        "message m1: MX publishes another side's directory",
        "mensaje m1: MX publica el directorio del otro lado",
    )
    assert refusal(us, {"kind": "drill", "drill": {**DRILL, "country": "US"}}, "MX") == (
        "message m1: MX records another side's drill",
        "mensaje m1: MX registra un simulacro del otro lado",
    )


def test_an_unknown_port_or_kind_is_refused_in_both_languages(us: Database) -> None:
    assert refusal(us, {"kind": "drill", "drill": {**DRILL, "us_port_code": "0000"}}, "MX") == (
        "no US–Mexico port '0000'",
        "no existe el puerto EE. UU.–México '0000'",
    )
    assert refusal(us, {"kind": "poll"}, "MX") == (
        "unknown message kind 'poll'",
        "tipo de mensaje desconocido 'poll'",
    )


def test_an_acknowledgement_or_escalation_by_the_sender_is_refused_in_both_languages(
    us: Database,
) -> None:
    alert = {
        "id": "a1", "from_country": "MX", "us_port_code": "2504", "template": "lane-closure",
        "details": {"lanes": "2", "until": "21:00"}, "free_text": "", "created_by": "enlace-mx",
        "created_at": NOW.isoformat(),
    }  # fmt: skip
    with us.transaction() as session:  # an alert from MX, to the US side
        assert receive(session, {"kind": "alert", "message_id": "m0", "alert": alert}, now=NOW,
                       sender="MX")  # fmt: skip
    ack = {"kind": "ack", "alert_id": "a1", "acknowledged_at": NOW.isoformat()}
    assert refusal(us, ack, "MX") == (
        "message m1: MX acknowledges an alert it did not receive",
        "mensaje m1: MX acusa recibo de una alerta que no recibió",
    )
    assert refusal(us, {"kind": "escalated", "alert_id": "a1", "level": 1}, "MX") == (
        "message m1: MX escalates an alert it did not receive",
        "mensaje m1: MX escala una alerta que no recibió",
    )
