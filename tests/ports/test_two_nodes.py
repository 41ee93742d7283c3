"""Two real nodes (`alianza serve` each, on loopback): alerts cross over signed HTTP, are
acknowledged on the other side, and a receiving node killed between send and delivery loses
nothing (the outbox retries after its restart; the alert is shown once)."""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from sqlalchemy import func, select

from alianza.accounts.service import disable_user
from alianza.actors import NodeSelf
from alianza.exchange.keys import create_node_keys
from alianza.liaison.alerts import publish_directory
from alianza.liaison.directory import DirectorySharing, add_contact, end_contact, ensure_pair
from alianza.liaison.live import sync_directory
from alianza.liaison.models import (
    Alert,
    DirectoryPublication,
    InboxMessage,
    OutboxMessage,
    PartnerEntry,
)
from alianza.liaison.signing import ENDPOINT, SIGNATURE_HEADER, SIGNER_HEADER, sign_batch
from tests.ports.nodes import NodeServer, log_in, two_nodes


def wait_for(what: str, check: Callable[[], Any], timeout: float = 30.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.fixture
def nodes(database_url: str, tmp_path: Path) -> Iterator[tuple[NodeServer, NodeServer]]:
    us, mx = two_nodes(tmp_path, database_url, f"sqlite:///{tmp_path / 'mx.db'}")
    try:
        us.start()
        mx.start()
        yield us, mx
    finally:
        us.stop()
        mx.stop()


def alerts(node: NodeServer) -> list[Alert]:
    assert node.database
    with node.database.reader() as session:
        return list(session.scalars(select(Alert)))


def count(node: NodeServer, model: type[Any]) -> int:
    assert node.database
    with node.database.reader() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def send_from(client: httpx.Client, csrf: str, **extra: str) -> str:
    response = client.post(
        "/ports/alerts",
        data={
            "csrf_token": csrf,
            "port": "2504",
            "template": "port-runner",
            "field_lane": "7",
            "field_vehicle": "white pickup",
            "free_text": "two occupants",
            **extra,
        },
    )
    assert response.status_code == 303, response.text
    return response.headers["location"].split("sent=")[1]


def stream_events(client: httpx.Client, **params: Any) -> list[dict[str, Any]]:
    """The events the stream sends at once (window=0: it closes after the backlog)."""
    headers = {}
    if "last_event_id" in params:
        headers["Last-Event-ID"] = str(params.pop("last_event_id"))
    response = client.get("/ports/alerts/stream", params={"window": 0, **params}, headers=headers)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = []
    for frame in response.text.split("\n\n"):
        lines = dict(line.split(": ", 1) for line in frame.splitlines() if ": " in line)
        if "data" in lines:
            event = json.loads(lines["data"])
            assert lines["id"] == str(event["event_id"])
            events.append(event)
    return events


def test_alert_crosses_is_acknowledged_and_the_ack_returns(
    nodes: tuple[NodeServer, NodeServer],
) -> None:
    us, mx = nodes
    with httpx.Client(base_url=us.url) as us_web, httpx.Client(base_url=mx.url) as mx_web:
        us_csrf = log_in(us_web, us.official)
        mx_csrf = log_in(mx_web, mx.official)
        alert_id = send_from(us_web, us_csrf, nominal_plate="ABC1234")
        received = wait_for("the alert on the MX node", lambda: alerts(mx))
        assert [a.id for a in received] == [alert_id]
        alert = received[0]
        assert (alert.from_country, alert.to_country) == ("US", "MX")
        assert alert.details == {"lane": "7", "vehicle": "white pickup"}
        assert alert.nominal == {}  # not shared: the plate stayed on the US node
        assert alerts(us)[0].nominal == {"plate": "ABC1234"}
        # the MX official's stream carries it (Last-Event-ID resumes after a given event)
        events = stream_events(mx_web, after=0)
        assert [(e["kind"], e["alert"]["id"]) for e in events] == [("delivered", alert_id)]
        assert "ABC1234" not in json.dumps(events)
        assert stream_events(mx_web, last_event_id=events[-1]["event_id"]) == []
        # the US side cannot acknowledge its own alert; the MX side can, once
        refused = us_web.post(f"/ports/alerts/{alert_id}/ack", headers={"X-CSRF-Token": us_csrf})
        assert refused.status_code == 409
        ack = mx_web.post(
            f"/ports/alerts/{alert_id}/ack",
            headers={"X-CSRF-Token": mx_csrf, "Accept": "application/json"},
        )
        assert ack.status_code == 200
        assert ack.json()["acknowledged"] is True
        back = wait_for(
            "the acknowledgement on the US node",
            lambda: [a for a in alerts(us) if a.acknowledged_at is not None],
        )
        assert back[0].acknowledged_by == mx.official
        assert "Acknowledged" in us_web.get("/ports/alerts").text
        us_events = stream_events(us_web, after=0)
        # the US side shows the delivery (the MX node accepted it), then the acknowledgement
        assert [e["kind"] for e in us_events] == ["sent", "delivered", "acknowledged"]
        assert us_events[-1]["alert"]["acknowledged_by"] == mx.official
        # and the other way: MX alerts its counterpart
        mx_alert = send_from(mx_web, mx_csrf)
        wait_for("the MX alert on the US node", lambda: [a for a in alerts(us) if a.id == mx_alert])


def test_receiver_killed_between_send_and_delivery_loses_nothing(
    nodes: tuple[NodeServer, NodeServer],
) -> None:
    us, mx = nodes
    mx.kill()
    with httpx.Client(base_url=us.url) as us_web:
        alert_id = send_from(us_web, log_in(us_web, us.official))

    def failed_attempt() -> bool:
        assert us.database
        with us.database.reader() as session:
            held = session.scalars(select(OutboxMessage)).one()
            return held.attempts >= 1 and held.last_error is not None and not held.delivered_at

    wait_for("a failed delivery attempt", failed_attempt)
    assert count(mx, Alert) == 0
    mx.start()
    wait_for("the alert after the restart", lambda: alerts(mx))
    assert [a.id for a in alerts(mx)] == [alert_id]
    assert count(mx, InboxMessage) == 1
    # the same batch delivered again (a lost reply, a crash before marking): applied once
    assert us.keys
    body, headers = sign_batch(us.keys, "MX", [_outbox_payload(us)])
    again = httpx.post(mx.url + ENDPOINT, content=body, headers=headers)
    assert again.status_code == 200
    assert again.json() == {"applied": 0, "duplicates": 1}
    assert count(mx, Alert) == 1


def _outbox_payload(node: NodeServer) -> dict[str, Any]:
    assert node.database
    with node.database.reader() as session:
        return dict(session.scalars(select(OutboxMessage)).one().payload)


def test_unsigned_forged_or_misaddressed_batches_are_refused(
    nodes: tuple[NodeServer, NodeServer], tmp_path: Path
) -> None:
    us, mx = nodes
    assert us.keys
    message = {
        "kind": "alert",
        "message_id": "00000000-0000-4000-8000-000000000001",
        "alert": {
            "id": "00000000-0000-4000-8000-000000000001",
            "us_port_code": "2504",
            "from_country": "US",
            "template": "security-incident",
            "details": {"location": "lane 3"},
            "free_text": "",
            "created_at": "2026-11-28T18:00:00+00:00",
            "created_by": "x",
            "nominal": {},
        },
    }
    body, headers = sign_batch(us.keys, "MX", [message])
    target = mx.url + ENDPOINT

    def post(data: bytes, sent_headers: dict[str, str]) -> tuple[int, str]:
        response = httpx.post(target, content=data, headers=sent_headers)
        return response.status_code, response.json()["error"]["code"]

    assert post(body, {"Content-Type": "application/json"}) == (403, "unsigned")
    stranger = create_node_keys(tmp_path / "stranger", name="stranger", country="US")
    assert post(*sign_batch(stranger, "MX", [message])) == (403, "unknown-signer")
    tampered = body.replace(b"lane 3", b"lane 4")
    assert post(tampered, headers) == (403, "bad-signature")
    assert post(body, {**headers, SIGNATURE_HEADER: "not base64!"}) == (403, "bad-signature")
    assert post(*sign_batch(us.keys, "US", [message])) == (422, "wrong-destination")
    claims_mx = {**message, "alert": {**message["alert"], "from_country": "MX"}}
    assert post(*sign_batch(us.keys, "MX", [claims_mx])) == (422, "refused")
    assert SIGNER_HEADER in headers
    assert base64.b64decode(headers[SIGNATURE_HEADER])
    assert count(mx, Alert) == 0
    assert count(mx, InboxMessage) == 0
    assert httpx.post(target, content=body, headers=headers).json() == {
        "applied": 1,
        "duplicates": 0,
    }
    assert count(mx, Alert) == 1


def partner_entries(node: NodeServer) -> list[tuple[int, str, list[dict[str, str]]]]:
    """The partner's directory as this node holds it: (position, role, channels)."""
    assert node.database
    with node.database.reader() as session:
        return [
            (e.position, e.role, e.channels)
            for e in session.scalars(select(PartnerEntry).order_by(PartnerEntry.position))
        ]


def test_a_directory_change_reaches_the_partner_by_itself(
    nodes: tuple[NodeServer, NodeServer],
) -> None:
    """Issue 22: an entry added, ended or edited, or an account disabled, is published to the
    partner by the serving node's delivery loop (signed, retried like the alerts), once per
    change; `alianza ports contact publish` only forces a resend."""
    us, mx = nodes
    assert us.database
    radio = {"kind": "radio", "address": "ch 4"}
    with us.database.transaction() as session:  # as `alianza ports contact add` does
        pair = ensure_pair(session, "2504", actor=NodeSelf("us-admin"))
        supervisor = add_contact(session, pair, country="US", position=2, role="supervisor",
                                 name="Jane Roe", shift=(clock_time(6), clock_time(18)),
                                 channels=[("radio", "ch 4"), ("email", "jane@cbp.example")],
                                 actor=NodeSelf("us-admin"))  # fmt: skip
        supervisor_id = supervisor.id
    wait_for("the US entry on the MX node", lambda: partner_entries(mx))
    # the shared channels only (radio; the e-mail address stays home), no name
    assert partner_entries(mx) == [(2, "supervisor", [radio])]
    with us.database.transaction() as session:  # the supervisor left; an official joined
        end_contact(session, supervisor_id, actor=NodeSelf("us-admin"), now=datetime.now(UTC))
        add_contact(session, pair, country="US", position=1, role="duty-officer",
                    name="John Doe", shift=(clock_time(0), clock_time(0)),
                    channels=[("telephone", "+1 619 555 0100")], username=us.official,
                    actor=NodeSelf("us-admin"))  # fmt: skip
    phone = {"kind": "telephone", "address": "+1 619 555 0100"}
    wait_for("the changed directory", lambda: partner_entries(mx) == [(1, "duty-officer", [phone])])
    with us.database.transaction() as session:  # the official's account is disabled
        disable_user(session, us.official, actor=NodeSelf("us-admin"))
    wait_for("the disabled account's entry gone", lambda: partner_entries(mx) == [])

    # once per change: the directory as it is now was published once, nothing is left to send
    def settled() -> bool:
        assert us.database
        with us.database.reader() as session:
            return not session.scalars(
                select(OutboxMessage).where(OutboxMessage.delivered_at.is_(None))
            ).all()

    wait_for("the outbox empty", settled)
    assert not sync_directory(us.database, "US", DirectorySharing(), now=datetime.now(UTC))
    with us.database.reader() as session:
        publications = session.scalars(select(DirectoryPublication)).all()
    assert [(p.entries, p.forced, p.published_by) for p in publications] == [
        (1, False, "system"),
        (1, False, "system"),
        (0, False, "system"),
    ]
    assert count(mx, InboxMessage) == 3
    # a forced resend (the manual command) goes again and changes nothing over there
    with us.database.transaction() as session:
        assert publish_directory(session, "US", actor=NodeSelf("us-admin"),
                                 now=datetime.now(UTC)) == 0  # fmt: skip
    wait_for("the resend applied", lambda: count(mx, InboxMessage) == 4)
    assert partner_entries(mx) == []
