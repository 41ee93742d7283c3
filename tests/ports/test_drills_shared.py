"""A drill is held by both sides of a pair: the node that records its result shares it, so both
nodes' 10.6 measures count it (issue 23: the US node said "Drills held 0" while the MX node
had recorded one)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.liaison.alerts import AlertRefused, receive
from alianza.liaison.directory import DirectoryError, ensure_pair
from alianza.liaison.drills import record_drill, schedule_drill
from alianza.liaison.measures import communication_measures
from alianza.liaison.models import Drill
from alianza.liaison.transport import LoopbackTransport, deliver_outbox

HELD = datetime(2026, 11, 28, 20, 12, tzinfo=UTC)


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    us = Database(f"sqlite:///{tmp_path / 'us.db'}", country="US")
    mx = Database(f"sqlite:///{tmp_path / 'mx.db'}", country="MX")
    for node in (us, mx):
        node.migrate()
    yield us, mx
    us.dispose()
    mx.dispose()


def held(database: Database) -> list[tuple[str, str, int, int]]:
    with database.reader() as session:
        return [
            (m.pair, m.quarter, m.drills_held, m.drills_passed)
            for m in communication_measures(session)
        ]


def test_a_drill_recorded_on_one_node_is_counted_on_both(
    nodes: tuple[Database, Database],
) -> None:
    us, mx = nodes
    with mx.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("enlace-mx"))
        drill = schedule_drill(session, pair, at=HELD, channel="radio", actor=NodeSelf("enlace-mx"))
        record_drill(session, drill, held_at=HELD, passed=True, seconds_to_answer=35,
                     notes="canal 4", actor=NodeSelf("enlace-mx"))  # fmt: skip
    assert held(us) == []
    sent = deliver_outbox(mx, LoopbackTransport({"US": us}, lambda: HELD), now=HELD)
    assert sent.delivered == 1
    # the figure on each node is the number of drills recorded: one, in 2026-Q4, passed
    assert held(mx) == [("2504", "2026-Q4", 1, 1)]
    assert held(us) == held(mx)
    with us.reader() as session:
        (copy,) = session.scalars(select(Drill))
        assert (copy.channel, copy.seconds_to_answer, copy.notes) == ("radio", 35, "canal 4")
        assert copy.recorded_by == "enlace-mx (MX)"


def test_a_node_refuses_a_drill_claiming_the_other_side(nodes: tuple[Database, Database]) -> None:
    us, _mx = nodes
    body = {
        "country": "US", "us_port_code": "2504", "scheduled_for": HELD.isoformat(),
        "channel": "radio", "held_at": HELD.isoformat(), "passed": True,
        "seconds_to_answer": 10, "notes": "", "recorded_by": "x",
    }  # fmt: skip
    with us.transaction() as session, pytest.raises(AlertRefused, match="another side's drill"):
        receive(session, {"kind": "drill", "message_id": "m1", "drill": body}, now=HELD,
                sender="MX")  # fmt: skip


def test_a_refused_drill_says_why_in_both_languages(nodes: tuple[Database, Database]) -> None:
    us, _mx = nodes
    actor = NodeSelf("enlace-us")
    with us.transaction() as session:
        pair = ensure_pair(session, "2504", actor=actor)
        with pytest.raises(DirectoryError) as channel:
            schedule_drill(session, pair, at=HELD, channel="pigeon", actor=actor)
        drill = schedule_drill(session, pair, at=HELD, channel="radio", actor=actor)
        record_drill(session, drill, held_at=HELD, passed=True, seconds_to_answer=35, actor=actor)
        with pytest.raises(DirectoryError) as twice:
            record_drill(session, drill, held_at=HELD, passed=False, seconds_to_answer=None,
                         actor=actor)  # fmt: skip
    said = [(str(e.value), in_language(message_of(e.value), "es")) for e in (channel, twice)]
    assert said == [
        (
            "channel must be one of radio, telephone, messaging",
            "el canal debe ser uno de radio, telephone, messaging",
        ),
        (
            f"drill {drill.id} already has a result",
            f"el simulacro {drill.id} ya tiene un resultado",
        ),
    ]
    body = {
        "country": "MX", "us_port_code": "2504", "scheduled_for": HELD.isoformat(),
        "channel": "pigeon", "held_at": HELD.isoformat(), "passed": True,
        "seconds_to_answer": 10, "notes": "", "recorded_by": "x",
    }  # fmt: skip
    with us.transaction() as session, pytest.raises(AlertRefused) as refused:
        receive(session, {"kind": "drill", "message_id": "m1", "drill": body}, now=HELD,
                sender="MX")  # fmt: skip
    assert (str(refused.value), in_language(message_of(refused.value), "es")) == (
        "message m1: channel must be one of radio, telephone, messaging",
        "mensaje m1: el canal debe ser uno de radio, telephone, messaging",
    )
