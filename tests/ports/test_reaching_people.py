"""Issue 22: alerts reach a person (e-mail, webhook, SMS gateway), people who left leave the
chain, states are truthful, the backlog arrives at once after a reconnection, and requests
run on a clock. Real local peers: an SMTP server (aiosmtpd) and HTTP receivers in the test."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from email import message_from_bytes
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user, disable_user
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.liaison.alerts import (
    AlertRefused,
    DelayReasonNeeded,
    acknowledge,
    alert_state,
    escalate_due,
    export_alerts,
    give_delay_reason,
    record_breaches,
    render,
    send_alert,
)
from alianza.liaison.directory import (
    DirectoryError,
    add_contact,
    end_contact,
    ensure_pair,
    escalation_chain,
    pair_directory,
)
from alianza.liaison.measures import communication_measures
from alianza.liaison.models import Alert, Contact, Notification, PortPair
from alianza.liaison.notify import Notifier, notifications_of, send_notifications
from alianza.liaison.transport import LoopbackTransport, deliver_outbox
from tests.conftest import postgres_database
from tests.ports.nodes import free_port
from tests.ports.test_alerts import ALL_DAY, START, Clock

PASSWORD = "correct horse battery"


class Mailbox:
    """aiosmtpd handler: keeps every message it accepts."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    box = Mailbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    yield box, port
    controller.stop()


class Receiver:
    """An HTTP server that records each POSTed JSON body with its path."""

    def __init__(self) -> None:
        self.bodies: list[tuple[str, dict[str, Any]]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", "0"))
                owner.bodies.append((self.path, json.loads(self.rfile.read(length))))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    held = Receiver()
    yield held
    held.close()


def node(url: str, webhook: str, own: str) -> Database:
    """A node whose MX side's chain is: duty officer (shift 06-18), supervisor (e-mail,
    webhook, SMS), liaison officer (e-mail); each linked to an account on this node."""
    database = Database(url, country=own)
    database.migrate()
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("admin"))
        for country in ("US", "MX"):
            side = country.lower()
            entries = [
                (1, "duty-officer", (time(6), time(18)), [("radio", "ch 4")]),
                (2, "supervisor", ALL_DAY, [
                    ("email", f"{side}-supervisor@example.org"),
                    ("webhook", f"{webhook}/{side}-supervisor"),
                    ("sms", "+52 664 555 0102"),
                ]),
                (9, "liaison-officer", ALL_DAY, [("email", f"{side}-liaison@example.org")]),
            ]  # fmt: skip
            for position, role, shift, channels in entries:
                username = f"{side}-{role.split('-')[0]}"
                if country == own:
                    create_user(
                        session,
                        username=username,
                        display_name=username,
                        password=PASSWORD,
                        role=Role.VIEWER,
                        country=Country(country),
                        agency="CBP" if country == "US" else "ANAM",
                        actor=NodeSelf("test"),
                    )
                add_contact(session, pair, country=country, position=position, role=role,
                            name=f"{country} {role}", shift=shift, channels=channels,
                            actor=NodeSelf("admin"), username=username)  # fmt: skip
    return database


@pytest.fixture
def pair_of_nodes(
    database_url: str, tmp_path: Path, receiver: Receiver
) -> Iterator[tuple[Database, Database, Clock]]:
    """Two nodes on the backend under test (SQLite, or two PostgreSQL databases)."""
    if database_url.startswith("sqlite"):
        yield (
            node(f"sqlite:///{tmp_path / 'us.db'}", receiver.url, "US"),
            node(f"sqlite:///{tmp_path / 'mx.db'}", receiver.url, "MX"),
            Clock(),
        )
        return
    with postgres_database() as us_url:
        us, mx = node(us_url, receiver.url, "US"), node(database_url, receiver.url, "MX")
        yield us, mx, Clock()
        us.dispose()
        mx.dispose()


def send(us: Database, clock: Clock, **extra: Any) -> str:
    with us.transaction() as session:
        pair = session.scalars(select(PortPair)).one()
        alert = send_alert(session, pair, from_country="US", template="security-incident",
                           details={"location": "lane 4"}, actor=NodeSelf("us-duty"),
                           now=clock(), **extra)  # fmt: skip
        return alert.id


def test_an_escalated_alert_with_nobody_on_the_page_reaches_the_next_person(
    pair_of_nodes: tuple[Database, Database, Clock],
    smtp: tuple[Mailbox, int],
    receiver: Receiver,
) -> None:
    us, mx, clock = pair_of_nodes
    box, smtp_port = smtp
    gateway = Receiver()  # the SMS gateway, a real HTTP peer too
    try:
        notifier = Notifier(
            smtp_host="127.0.0.1", smtp_port=smtp_port, sms_gateway_url=f"{gateway.url}/sms"
        )
        alert_id = send(us, clock, severity="critical")
        deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
        # addressed first to the duty officer (radio only: nothing the node can send)
        assert send_notifications(mx, notifier, now=clock()) == (0, 0)
        clock.advance(minutes=6)  # nobody acknowledged: the supervisor's turn
        with mx.transaction() as session:
            moved = escalate_due(session, node_country="MX", now=clock(),
                                 after=timedelta(minutes=5))  # fmt: skip
            assert [c.role for _a, c in moved] == ["supervisor"]
        assert send_notifications(mx, notifier, now=clock()) == (3, 0)
    finally:
        gateway.close()
    assert [rcpt for rcpt, _ in box.messages] == [["mx-supervisor@example.org"]]
    mail = message_from_bytes(box.messages[0][1])
    subject = str(make_header(decode_header(mail["Subject"])))
    assert "critical" in subject
    assert "2504" in subject
    assert "level 1" in subject
    body = mail.get_payload(decode=True).decode()
    assert "Security incident at lane 4" in body
    assert "Incidente de seguridad en lane 4" in body
    assert [(path, b["alert"], b["escalation_level"]) for path, b in receiver.bodies] == [
        ("/mx-supervisor", alert_id, 1)
    ]
    assert receiver.bodies[0][1]["severity"] == "critical"
    assert [(path, b["to"]) for path, b in gateway.bodies] == [("/sms", "+52 664 555 0102")]
    assert [(n["channel"], n["status"]) for n in notifications_of(mx, alert_id)] == [
        ("email", "sent"),
        ("webhook", "sent"),
        ("sms", "sent"),
    ]
    # the next step reaches the liaison officer by e-mail
    clock.advance(minutes=6)
    with mx.transaction() as session:
        escalate_due(session, node_country="MX", now=clock(), after=timedelta(minutes=5))
    assert send_notifications(mx, notifier, now=clock()) == (1, 0)
    assert [rcpt for rcpt, _ in box.messages][-1] == ["mx-liaison@example.org"]


def test_a_notification_that_cannot_go_stays_queued_with_its_reason(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    us, mx, clock = pair_of_nodes
    send(us, clock)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    clock.advance(minutes=6)
    with mx.transaction() as session:
        escalate_due(session, node_country="MX", now=clock(), after=timedelta(minutes=5))
    closed = Notifier(smtp_host="127.0.0.1", smtp_port=free_port(), sms_gateway_url=None)
    sent, failed = send_notifications(mx, closed, now=clock())
    assert sent == 1
    assert failed == 2
    with mx.reader() as session:
        left = {n.channel: n for n in session.scalars(select(Notification))}
    assert left["email"].status == "queued"
    assert "SMTP" in (left["email"].last_error or "")
    assert "ALIANZA_PORTS_SMS_GATEWAY_URL" in (left["sms"].last_error or "")


def test_a_disabled_account_leaves_the_escalation_chain(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    us, mx, clock = pair_of_nodes
    with mx.transaction() as session:
        disable_user(session, "mx-supervisor", actor=NodeSelf("admin"))
    send(us, clock)
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    clock.advance(minutes=6)
    with mx.transaction() as session:
        moved = escalate_due(session, node_country="MX", now=clock(), after=timedelta(minutes=5))
        assert [c.username for _a, c in moved] == ["mx-liaison"]


def test_an_ended_entry_leaves_the_chain_and_stays_in_the_history(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    _us, mx, clock = pair_of_nodes
    with mx.transaction() as session:
        pair = session.scalars(select(PortPair)).one()
        supervisor = session.scalars(
            select(Contact).where(Contact.username == "mx-supervisor")
        ).one()
        end_contact(session, supervisor.id, actor=NodeSelf("admin"), now=clock())
        chain = escalation_chain(session, pair, "MX", clock())
        assert [c.username for c in chain] == ["mx-duty", "mx-liaison"]
        found = pair_directory(session, "2504")
        assert found is not None
        ended = [c for c in found[1] if c.ended_at is not None]
        assert [(c.username, c.ended_by) for c in ended] == [("mx-supervisor", "admin")]


def test_typed_channels_are_checked_in_both_languages(tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'x.db'}", country="MX")
    database.migrate()
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("admin"))
        with pytest.raises(DirectoryError) as email:
            add_contact(session, pair, country="MX", position=1, role="supervisor", name="x",
                        shift=ALL_DAY, channels=[("email", "not-an-address")],
                        actor=NodeSelf("admin"))  # fmt: skip
        with pytest.raises(DirectoryError) as webhook:
            add_contact(session, pair, country="MX", position=1, role="supervisor", name="x",
                        shift=ALL_DAY, channels=[("webhook", "ftp://x")],
                        actor=NodeSelf("admin"))  # fmt: skip
    # English as the error's text (the API, logs), Spanish through the catalogue (the pages)
    assert str(email.value) == "channel email: 'not-an-address' is not name@domain"
    said = in_language(message_of(email.value), "es")
    assert said == "canal email: 'not-an-address' no es nombre@dominio"
    assert str(webhook.value) == "channel webhook: 'ftp://x' is not an http(s):// URL"
    said = in_language(message_of(webhook.value), "es")
    assert said == "canal webhook: 'ftp://x' no es una URL http(s)://"


def test_the_sender_sees_delivered_once_the_partner_accepted(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    us, mx, clock = pair_of_nodes
    alert_id = send(us, clock)
    with us.reader() as session:
        assert [a["state"] for a in export_alerts(session, now=clock())] == ["queued"]
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    with us.reader() as session:
        assert [a["state"] for a in export_alerts(session, now=clock())] == ["delivered"]
    clock.advance(minutes=6)
    with mx.transaction() as session:
        escalate_due(session, node_country="MX", now=clock(), after=timedelta(minutes=5))
    deliver_outbox(mx, LoopbackTransport({"US": us}, clock), now=clock())
    with us.reader() as session:
        assert [a["state"] for a in export_alerts(session, now=clock())] == ["escalated"]
    with mx.transaction() as session:
        acknowledge(session, alert_id, actor=NodeSelf("mx-supervisor"), now=clock())
    deliver_outbox(mx, LoopbackTransport({"US": us}, clock), now=clock())
    with us.reader() as session:
        assert [a["state"] for a in export_alerts(session, now=clock())] == ["acknowledged"]


def test_an_expired_alert_is_not_escalated_and_says_so(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    us, mx, clock = pair_of_nodes
    alert_id = send(us, clock, expires_in=timedelta(minutes=3))
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    clock.advance(minutes=6)
    with mx.transaction() as session:
        assert escalate_due(session, node_country="MX", now=clock(),
                            after=timedelta(minutes=5)) == []  # fmt: skip
        alert = session.get(Alert, alert_id)
        assert alert is not None
        assert alert_state(alert, clock()) == "expired"
    with pytest.raises(AlertRefused, match=r"^severity must be one of .*'apocalyptic'$") as bad:
        send(us, clock, severity="apocalyptic")
    assert in_language(message_of(bad.value), "es") == (
        "la severidad debe ser una de info, warning, critical, no 'apocalyptic'"
    )


def test_after_a_reconnection_the_whole_backlog_arrives_at_once_in_order(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    """Five alerts queued during an outage, each with its own backoff: the first successful
    attempt carries all five, in the order they were sent."""
    us, mx, clock = pair_of_nodes
    down = LoopbackTransport({"MX": mx}, clock, available=False)
    sent = []
    for _ in range(5):
        sent.append(send(us, clock))
        for _try in range(3):
            deliver_outbox(us, down, now=clock())
            clock.advance(seconds=3)
        clock.advance(seconds=7)
    up = LoopbackTransport({"MX": mx}, clock)
    report = deliver_outbox(us, up, now=clock())
    assert report.delivered == 5
    with mx.reader() as session:
        events = session.scalars(select(Alert.id).order_by(Alert.delivered_at, Alert.created_at))
        assert list(events) == sent


def test_a_port_runner_is_worded_from_the_senders_side(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    _us, mx, clock = pair_of_nodes
    with mx.transaction() as session:
        pair = session.scalars(select(PortPair)).one()
        from_mx = send_alert(session, pair, from_country="MX", template="port-runner",
                             details={"lane": "3", "vehicle": "white pickup"},
                             actor=NodeSelf("mx-duty"), now=clock())  # fmt: skip
        from_us = send_alert(session, pair, from_country="US", template="port-runner",
                             details={"lane": "3", "vehicle": "white pickup"},
                             actor=NodeSelf("us-duty"), now=clock())  # fmt: skip
        assert "heading north" in render(from_mx, "en")
        assert "al norte" in render(from_mx, "es")
        assert "heading south" in render(from_us, "en")
        assert "al sur" in render(from_us, "es")


def test_a_request_runs_on_a_clock_and_its_breaches_become_measures(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    us, mx, clock = pair_of_nodes
    on_time = send(us, clock, request=True, priority="urgent")
    late = send(us, clock, request=True, priority="urgent")
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    with mx.reader() as session:
        held = session.get(Alert, on_time)
        assert held is not None
        assert held.due_at is not None
        assert held.due_at.replace(tzinfo=UTC) == START + timedelta(hours=8)
    clock.advance(hours=1)
    with mx.transaction() as session:
        acknowledge(session, on_time, actor=NodeSelf("mx-supervisor"), now=clock())
    clock.advance(hours=8)  # 9 h after sending: the other one is overdue
    with mx.transaction() as session:
        assert [a.id for a in record_breaches(session, now=clock())] == [late]
        give_delay_reason(session, late, "radio down at the port", actor=NodeSelf("mx-liaison"),
                          now=clock())  # fmt: skip
    clock.advance(hours=1)
    with mx.transaction() as session:
        acknowledge(session, late, actor=NodeSelf("mx-liaison"), now=clock())
    deliver_outbox(mx, LoopbackTransport({"US": us}, clock), now=clock())
    for database in (mx, us):
        with database.reader() as session:
            rows = {a["id"]: a for a in export_alerts(session, now=clock())}
            assert rows[late]["breached_at"] == (START + timedelta(hours=8)).isoformat()
            assert rows[late]["delay_reason"] == "radio down at the port"
            assert rows[on_time]["breached_at"] is None
    with mx.reader() as session:
        (cell,) = communication_measures(session)
    # computed by hand: requests 2, one answered within 8 h; acks after 1 h and 10 h
    assert cell.as_dict()["requests"] == 2
    assert cell.as_dict()["share_requests_answered_in_time"] == 0.5
    assert cell.as_dict()["ack_median_seconds"] == (3600 + 36000) / 2


def test_a_late_acknowledgement_needs_the_reason_for_the_delay(
    pair_of_nodes: tuple[Database, Database, Clock],
) -> None:
    """Past the request's due time an acknowledgement without a reason (given then or before)
    is refused and changes nothing; given with it, the reason is recorded and goes back to the
    sender with the acknowledgement."""
    us, mx, clock = pair_of_nodes
    late = send(us, clock, request=True, priority="urgent")
    plain = send(us, clock)  # not a request: no clock
    deliver_outbox(us, LoopbackTransport({"MX": mx}, clock), now=clock())
    clock.advance(hours=9)
    with mx.transaction() as session:
        with pytest.raises(DelayReasonNeeded, match="give the reason for the delay") as no:
            acknowledge(session, late, actor=NodeSelf("mx-liaison"), now=clock(), reason=" ")
        assert "indique el motivo del retraso" in in_language(message_of(no.value), "es")
        assert acknowledge(session, plain, actor=NodeSelf("mx-liaison"), now=clock())
    with mx.reader() as session:
        held = session.get(Alert, late)
        assert held is not None
        assert (held.acknowledged_at, held.delay_reason) == (None, None)
    with mx.transaction() as session:
        assert acknowledge(
            session, late, actor=NodeSelf("mx-liaison"), now=clock(), reason="lanes flooded"
        )
    deliver_outbox(mx, LoopbackTransport({"US": us}, clock), now=clock())
    with us.reader() as session:
        sent = session.get(Alert, late)
        assert sent is not None
        assert (sent.delay_reason, sent.acknowledged_by) == ("lanes flooded", "mx-liaison")
        assert sent.breached_at is not None


def test_the_due_time_of_each_priority_follows_the_agreement() -> None:
    from alianza.liaison.alerts import parse_due_after

    due = parse_due_after("urgent=4h, routine=10d")
    assert due["urgent"] == timedelta(hours=4)
    assert due["high"] == timedelta(days=3)
    assert due["routine"] == timedelta(days=10)
    with pytest.raises(AlertRefused, match=r"^due times: 'soon=4h' is not PRIORITY=Nh") as bad:
        parse_due_after("soon=4h")
    said = in_language(message_of(bad.value), "es")
    assert said == "plazos: 'soon=4h' no es PRIORIDAD=Nh o PRIORIDAD=Nd"


class SignedTransport:
    """Signs each batch with the sending node's key and applies it on the partner through
    :func:`receive_batch`, which checks the signature against the trusted key."""

    def __init__(self, keys: Any, partner: Database, now: datetime) -> None:
        self.keys, self.partner, self.now = keys, partner, now
        self.confirms_delivery = True

    def send_many(self, destination: str, payloads: Any) -> None:
        from alianza.liaison.signing import (
            SIGNATURE_HEADER,
            SIGNER_HEADER,
            receive_batch,
            sign_batch,
        )

        body, headers = sign_batch(self.keys, destination, payloads)
        receive_batch(self.partner, body, signer=headers[SIGNER_HEADER],
                      signature=headers[SIGNATURE_HEADER], own_country=destination,
                      now=self.now)  # fmt: skip


def test_each_side_publishes_its_directory_signed_and_sees_the_others(
    pair_of_nodes: tuple[Database, Database, Clock], tmp_path: Path
) -> None:
    from alianza.exchange.keys import create_node_keys
    from alianza.exchange.partners import trust_partner
    from alianza.liaison.alerts import publish_directory
    from alianza.liaison.directory import partner_directory

    us, mx, clock = pair_of_nodes
    us_keys = create_node_keys(tmp_path / "us-keys", name="US", country="US")
    mx_keys = create_node_keys(tmp_path / "mx-keys", name="MX", country="MX")
    with mx.transaction() as session:
        trust_partner(
            session,
            us_keys.identity,
            own_fingerprint=mx_keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    with mx.transaction() as session:  # the MX node's own copy of US entries is not used
        session.query(Contact).filter(Contact.country == "US").delete()
    with us.transaction() as session:
        supervisor = session.scalars(
            select(Contact).where(Contact.username == "us-supervisor")
        ).one()
        supervisor.channels = [
            *supervisor.channels,
            {"kind": "telephone", "address": "+1 619 555 0100"},
        ]
        assert publish_directory(session, "US", actor=NodeSelf("us-liaison"), now=clock()) == 3
    deliver_outbox(us, SignedTransport(us_keys, mx, clock()), now=clock())
    with mx.reader() as session:
        (entries,) = partner_directory(session).values()
        seen = [(e.country, e.role, e.name, [c["kind"] for c in e.channels]) for e in entries]
    assert seen == [  # roles, order and functional channels; no names, no e-mail or SMS
        ("US", "duty-officer", None, ["radio"]),
        ("US", "supervisor", None, ["telephone"]),
        ("US", "liaison-officer", None, []),
    ]
    # the supervisor leaves: the next publication drops them on the MX side too
    clock.advance(minutes=1)
    with us.transaction() as session:
        end_contact(session, supervisor.id, actor=NodeSelf("us-liaison"), now=clock())
        publish_directory(session, "US", actor=NodeSelf("us-liaison"), now=clock())
    deliver_outbox(us, SignedTransport(us_keys, mx, clock()), now=clock())
    with mx.reader() as session:
        (entries,) = partner_directory(session).values()
        assert [e.role for e in entries] == ["duty-officer", "liaison-officer"]


def test_a_node_cannot_publish_the_other_sides_directory(
    pair_of_nodes: tuple[Database, Database, Clock], tmp_path: Path
) -> None:
    from alianza.exchange.keys import create_node_keys
    from alianza.exchange.partners import trust_partner
    from alianza.liaison.alerts import publish_directory
    from alianza.liaison.signing import MessagesRefused

    us, mx, clock = pair_of_nodes
    us_keys = create_node_keys(tmp_path / "us-keys", name="US", country="US")
    mx_keys = create_node_keys(tmp_path / "mx-keys", name="MX", country="MX")
    with mx.transaction() as session:
        trust_partner(
            session,
            us_keys.identity,
            own_fingerprint=mx_keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    with us.transaction() as session:  # the US node claims to publish the MX directory
        publish_directory(session, "MX", actor=NodeSelf("us-liaison"), now=clock())
    with us.transaction() as session:  # …and addresses it to MX
        from alianza.liaison.models import OutboxMessage

        session.query(OutboxMessage).update({"destination": "MX"})
    with pytest.raises(MessagesRefused, match="another side's directory"):
        SignedTransport(us_keys, mx, clock()).send_many("MX", [m.payload for m in _outbox(us)])


def _outbox(database: Database) -> list[Any]:
    from alianza.liaison.models import OutboxMessage

    with database.reader() as session:
        return list(session.scalars(select(OutboxMessage)))
