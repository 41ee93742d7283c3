"""The ports part of ``alianza demo``: the San Ysidro analysis and a US–MX alert exchange.

The alert exchange runs between the demo's US node and its MX node (``alianza.demo.nodes``) on a
demo clock, so that escalation can be shown without waiting.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.alerts import acknowledge, escalate_due, render, send_alert
from alianza.liaison.directory import add_contact, ensure_pair
from alianza.liaison.drills import record_drill, schedule_drill
from alianza.liaison.measures import communication_measures
from alianza.liaison.models import Alert, Contact
from alianza.liaison.transport import LoopbackTransport, deliver_outbox
from alianza.ports.document import write_analysis
from alianza.ports.service import import_crossings_file, import_waits_file
from alianza.ports.study import study_crossing

DEMO_DATA = Path(__file__).parent / "data"
DEMO_BTS = DEMO_DATA / "bts-san-ysidro-2010-2024.csv"
DEMO_WAITS = DEMO_DATA / "san_ysidro_historical_hourly_avg_by_month_dow.csv"
Echo = Callable[[str], None]


def load_demo_data(database: Database, echo: Echo) -> None:
    echo(import_crossings_file(database, DEMO_BTS, actor=NodeSelf("demo")).text(show=3))
    echo(
        import_waits_file(database, DEMO_WAITS, crossing="250401", actor=NodeSelf("demo")).text(
            show=3
        )
    )


def _directory(database: Database) -> None:
    names = {
        "US": ("CBP duty officer", "CBP supervisor", "CBP liaison officer"),
        "MX": ("Oficial de guardia ANAM", "Supervisor ANAM", "Oficial de enlace"),
    }
    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("demo"))
        for side in ("US", "MX"):
            officer, supervisor, liaison = names[side]
            contacts = (
                (1, "duty-officer", officer, ("radio", "ch 4"), None),
                (2, "supervisor", supervisor, ("telephone", "+1 555 0100"), None),
                # the liaison officer signs in with the demo's account
                (9, "liaison-officer", liaison, ("messaging", "enlace@example.org"),
                 {"US": "liaison-us", "MX": "enlace-mx"}[side]),
            )  # fmt: skip
            for position, role, name, channel, username in contacts:
                add_contact(
                    session,
                    pair,
                    country=side,
                    position=position,
                    role=role,
                    name=name,
                    shift=(time(0), time(0)),
                    channels=[channel],
                    actor=NodeSelf("demo"),
                    username=username,
                )


def run_alert_exchange(us: Database, mx: Database, echo: Echo) -> None:
    """Two alerts from San Ysidro to Tijuana: one answered in 2 minutes, one escalated."""
    clock = {"now": datetime(2026, 11, 28, 20, 0, tzinfo=UTC)}

    def now() -> datetime:
        return clock["now"]

    for node in (us, mx):
        _directory(node)
    to_mx = LoopbackTransport({"MX": mx}, now)
    to_us = LoopbackTransport({"US": us}, now)
    with us.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("demo"))
        runner = send_alert(
            session,
            pair,
            from_country="US",
            template="port-runner",
            details={"lane": "12", "vehicle": "grey sedan"},
            free_text="Southbound at speed.",
            nominal={"plate": "7ABC123"},
            actor=NodeSelf("CBP duty officer"),
            now=now(),
        )
        closure = send_alert(
            session,
            pair,
            from_country="US",
            template="lane-closure",
            details={"lanes": "4", "until": "22:00"},
            actor=NodeSelf("CBP duty officer"),
            now=now(),
        )
        runner_id, closure_id = runner.id, closure.id
    echo(f"US sends: {render(runner)}")
    echo(f"US sends: {render(closure)}")
    echo(f"outbox → MX: {deliver_outbox(us, to_mx, now=now()).delivered} delivered")
    with mx.reader() as session:
        for alert_id in (runner_id, closure_id):
            alert = session.get(Alert, alert_id)
            assert alert is not None
            contact = session.get(Contact, alert.contact_id)
            who = contact.name if contact else "nobody on duty"
            echo(f"MX sees ({who}): {render(alert, 'es')}")
    clock["now"] += timedelta(minutes=2)
    with mx.transaction() as session:
        acknowledge(session, runner_id, actor=NodeSelf("Oficial de guardia ANAM"), now=now())
    echo("MX acknowledges the port runner after 2 min")
    for minutes in (5, 5):
        clock["now"] += timedelta(minutes=minutes)
        with mx.transaction() as session:
            for alert, contact in escalate_due(
                session, node_country="MX", now=now(), after=timedelta(minutes=5)
            ):
                echo(f"no acknowledgement in 5 min: alert {alert.id[:8]} → {contact.name}")
    with mx.transaction() as session:
        acknowledge(session, closure_id, actor=NodeSelf("Oficial de enlace"), now=now())
        pair = ensure_pair(session, "2504", actor=NodeSelf("demo"))
        drill = schedule_drill(session, pair, at=now(), channel="radio", actor=NodeSelf("demo"))
        record_drill(
            session, drill, held_at=now(), passed=True, seconds_to_answer=35, actor=NodeSelf("demo")
        )
    returned = deliver_outbox(mx, to_us, now=now()).delivered
    echo(f"outbox → US: {returned} message(s), the escalations, acknowledgements and the drill")
    with us.reader() as session:
        acked = [session.get(Alert, i) for i in (runner_id, closure_id)]
        echo(
            "US sees: "
            + ", ".join(
                f"{a.template} acknowledged by {a.acknowledged_by}" for a in acked if a is not None
            )
        )
    with mx.reader() as session:
        for m in communication_measures(session):
            echo(
                f"PME 10.6, pair {m.pair} {m.quarter}: median time to acknowledge "
                f"{m.median_seconds:.0f} s, p90 {m.p90_seconds:.0f} s, within 5 min "
                f"{m.share_within_5_min:.0%}, drills held {m.drills_held}, passed "
                f"{m.drills_passed}"
            )


MX_OFFICIAL = "enlace-mx"  # the MX node's liaison account (alianza.demo.nodes.ACCOUNTS)


def run_ports_demo(directory: Path, us: Database, mx: Database, echo: Echo) -> list[Path]:
    """Load the San Ysidro data into the US node, write its analysis in ``directory``, and
    exchange alerts with the MX node."""
    load_demo_data(us, echo)
    with us.reader() as session:
        study = study_crossing(session, "250401", reference_year=2019)
        written = write_analysis(session, "2504", "250401", directory / "port-services")
    check = study.validation
    echo(
        f"San Ysidro model: {study.model.lanes:.1f} effective lanes; month-left-out hourly "
        f"error {check.model_mae:.1f} min vs naive (same weekday × hour) "
        f"{check.naive_mae:.1f} min; +1 lane: mean wait "
        f"{study.scenarios[0].mean_wait:.0f} → {study.scenarios[1].mean_wait:.0f} min "
        "(no demand response)"
    )
    run_alert_exchange(us, mx, echo)
    return written
