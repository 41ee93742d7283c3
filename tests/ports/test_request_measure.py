"""Issue 22, request clocks in the performance-measures scorecard: the ``port-requests``
measure (share of requests answered by their due time, median time to acknowledge), bound to
a 10.6 measurement like any other measure."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alianza.actors import NodeSelf
from alianza.cooperation.measures import bind_measure, compute_measures
from alianza.db import Database
from alianza.liaison.alerts import acknowledge, receive
from alianza.pme.service import SEED_REPORT, import_report_file

SENT = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)


def request_from_us(session: object, alert_id: str, due_after: timedelta) -> None:
    receive(
        session,  # type: ignore[arg-type]
        {"kind": "alert", "message_id": alert_id, "alert": {
            "id": alert_id, "us_port_code": "2504", "from_country": "US",
            "template": "security-incident", "details": {"location": "lane 3"},
            "free_text": "", "created_at": SENT.isoformat(), "created_by": "us-officer",
            "priority": "urgent", "due_at": (SENT + due_after).isoformat(),
        }},
        now=SENT,
        sender="US",
    )  # fmt: skip


def test_the_request_clocks_are_a_measure_of_the_scorecard(mx_db: Database) -> None:
    import_report_file(mx_db, SEED_REPORT, actor=NodeSelf("test"))
    on_time, late, unanswered = (f"00000000-0000-0000-0000-00000000000{i}" for i in (1, 2, 3))
    liaison = NodeSelf("enlace")
    with mx_db.transaction() as session:
        request_from_us(session, on_time, timedelta(hours=8))
        request_from_us(session, late, timedelta(hours=8))
        request_from_us(session, unanswered, timedelta(days=7))
        acknowledge(session, on_time, actor=liaison, now=SENT + timedelta(hours=1))
        acknowledge(session, late, actor=liaison, now=SENT + timedelta(hours=12), reason="radio")
        bind_measure(session, "10.6/measurements/2", "port-requests", actor=NodeSelf("test"),
                     params={"percent": "50", "direction": "inbound"},
                     target="10.6/targets/1")  # fmt: skip
    with mx_db.reader() as session:
        (before,) = [
            v for v in compute_measures(session, date(2026, 7, 5)) if v.measure == "port-requests"
        ]
        (after,) = [
            v for v in compute_measures(session, date(2026, 7, 10)) if v.measure == "port-requests"
        ]
    # By hand: by 5 July two clocks are decided, one answered in time (1 h; the other 12 h,
    # late): 1 of 2, 50 %, median (60 + 720) / 2 = 390 min; 50 % was first reached on 1 July.
    assert before.computed.value == 1
    assert before.computed.display == (
        "1 of 2 requests answered in time (50 %); median time to acknowledge 390 min"
    )
    assert before.computed.display_es == (
        "1 de 2 solicitudes respondidas a tiempo (50 %); mediana hasta el acuse 390 min"
    )
    assert before.computed.target == "at least 50 % answered in time"
    assert before.computed.met_on == date(2026, 7, 1)
    assert set(before.computed.records) == {
        f"ports_alert:{on_time}:in-time",
        f"ports_alert:{late}:late",
    }
    # the third fell due on 8 July unanswered: late, and counted from then
    assert after.computed.display.startswith("1 of 3 requests answered in time (33 %)")
    assert f"ports_alert:{unanswered}:late" in after.computed.records
    with mx_db.transaction() as session:  # asked of the other side: none here
        bind_measure(session, "10.6/measurements/2", "port-requests", actor=NodeSelf("test"),
                     params={"direction": "outbound"}, target="10.6/targets/1")  # fmt: skip
    with mx_db.reader() as session:
        (outbound,) = [
            v for v in compute_measures(session, date(2026, 7, 10)) if v.measure == "port-requests"
        ]
    assert outbound.computed.display.startswith("0 of 0 requests answered in time")
    assert outbound.computed.target == "at least 90 % answered in time"
    assert outbound.computed.met_on is None
