"""Measures computed from registry records (issue 7's required tests), SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.catalogue import in_language, message_of
from alianza.cooperation import registry
from alianza.cooperation.facts import BINDINGS_1999, FACTS_1999, NATIONAL_FACTS_1999
from alianza.cooperation.measures import (
    BindingRefused,
    MeasureValue,
    bind_measure,
    compute_measures,
)
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.events import recorded_events

STATUS_DATE = date(1999, 8, 31)


def measure(database: Database, address: str, as_of: date) -> MeasureValue:
    with database.reader() as session:
        values = {v.measurement: v for v in compute_measures(session, as_of)}
    return values[address]


def facts(country: str = "US") -> dict[str, list[dict[str, str]]]:
    """The 1999 facts a node of ``country`` holds: the binational ones and its own."""
    binational = json.loads(FACTS_1999.read_text("utf-8"))
    national = json.loads(NATIONAL_FACTS_1999[country].read_text("utf-8"))
    return {k: v + national[k] for k, v in binational.items() if isinstance(v, list)}


def test_compute_subgroups_as_of_status_date_is_eight_of_nine_and_overdue(
    facts_db: Database,
) -> None:
    # Independently of the code: BLMs and border-public-safety subgroups in the facts file.
    mechanisms = facts()["mechanisms"]
    blms = {m["key"] for m in mechanisms if m["kind"] == "blm"}
    with_subgroup = {
        m["parent"]
        for m in mechanisms
        if m["kind"] == "subgroup" and m["topic"] == "border-public-safety"
    }
    assert (len(blms), len(with_subgroup & blms)) == (9, 8)  # what 10.2/status/5 says

    value = measure(facts_db, "10.4.1/measurements/1", STATUS_DATE)
    assert value.computed.value == 8
    assert value.computed.display.startswith("8 of 9")
    assert value.computed.target == "9 of 9"
    assert value.target == "10.4.1/targets/1"
    assert value.due == date(1999, 7, 31)
    assert value.state == "overdue"
    assert value.computed.met_on is None


def test_compute_subgroups_after_ninth_subgroup_is_met_late_from_its_date(
    facts_db: Database,
) -> None:
    ninth = date(1999, 10, 15)
    with facts_db.transaction() as session:
        row = registry.add_mechanism(
            session,
            key="bps-del-rio-ciudad-acuna",
            kind="subgroup",
            parent="blm-del-rio-ciudad-acuna",
            topic="border-public-safety",
            name="Border Public Safety subgroup, Del Rio-Ciudad Acuña",
            formed_on=ninth,
            source="test",
            actor=NodeSelf("test"),
        )
        ninth_id = registry.record_id(row)
    before = measure(facts_db, "10.4.1/measurements/1", date(1999, 10, 14))
    assert (before.computed.value, before.state) == (8, "overdue")
    after = measure(facts_db, "10.4.1/measurements/1", ninth)
    assert after.computed.value == 9
    assert after.computed.met_on == ninth
    assert after.state == "met_late"
    assert not after.computed.approximate  # met_on rests on the ninth's exact date
    assert ninth_id in after.computed.records


def test_compute_subgroups_ignores_subgroup_ended_before_as_of(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        registry.add_mechanism(
            session,
            key="bps-del-rio-short-lived",
            kind="subgroup",
            parent="blm-del-rio-ciudad-acuna",
            topic="border-public-safety",
            name="short-lived",
            formed_on=date(1999, 7, 1),
            ended_on=date(1999, 7, 20),
            source="test",
            actor=NodeSelf("test"),
        )
    assert measure(facts_db, "10.4.1/measurements/1", STATUS_DATE).computed.value == 8


def test_compute_measures_every_value_lists_its_source_records(facts_db: Database) -> None:
    with facts_db.reader() as session:
        values = compute_measures(session, STATUS_DATE)
    bound = json.loads(BINDINGS_1999.read_text("utf-8"))["bindings"]
    # The US node binds the binational measurements and its own (not 10.8/measurements/2,
    # which rests on the training of Mexican officials, Mexico's records).
    ours = [b["measurement"] for b in bound if b.get("country", "US") == "US"]
    assert "10.8/measurements/2" not in ours
    assert [v.measurement for v in values] == ours
    kinds = set(registry.RECORD_KINDS.values()) | {"exchange"}
    for value in values:
        if value.computed.value:
            assert value.computed.records, value.measurement
        for record in value.computed.records:
            assert record.split(":")[0] in kinds
    # A deliverable's value cites the deliverable even when it is not done.
    analysis = next(v for v in values if v.measurement == "10.7/measurements/3")
    assert len(analysis.computed.records) == 1
    assert (analysis.computed.value, analysis.state) == (0, "overdue")


def test_compute_liaison_posts_counts_the_nodes_own_side_from_facts(facts_db: Database) -> None:
    """The US node holds the US posts only (Mexico's are on the MX node): it measures its own
    side of "at least one in each country"."""
    posts = [p for p in facts()["liaison_posts"] if p["role"] == "customs-liaison"]
    assert {p["country"] for p in posts} == {"US"}
    value = measure(facts_db, "10.4/measurements/1", STATUS_DATE)
    assert value.computed.value == len(posts) == 1
    assert f"(US {len(posts)}; MX's posts are held on the MX node)" in value.computed.display
    assert value.computed.target == "at least 1 of US (this node's side)"
    assert value.computed.approximate  # the report gives no appointment dates
    # Met on or before 31 Aug 1999, due 31 Jul: the records cannot say whether on time.
    assert value.state == "met_timing_unknown"
    before = measure(facts_db, "10.4/measurements/1", date(1999, 8, 30))
    assert before.computed.value == 0


def test_complete_deliverable_records_the_event_a_relative_deadline_waits_on(
    facts_db: Database,
) -> None:
    waiting = measure(facts_db, "10.1/measurements/1", date(2000, 3, 1))
    assert waiting.state == "waiting_on_event"
    with facts_db.transaction() as session:
        registry.complete_deliverable(
            session, "bta-update", date(2000, 2, 15), actor=NodeSelf("test")
        )
    with facts_db.reader() as session:
        events = recorded_events(session)
        assessment = assess_plan(session, date(2000, 3, 1))
    assert events["completion-update-binational-threat-assessment"].occurred_on == date(2000, 2, 15)
    # 6 months after 15 Feb 2000, counted by hand.
    assert assessment.target("10.1/targets/1").due == date(2000, 8, 15)
    counted = measure(facts_db, "10.1/measurements/1", date(2000, 3, 1))
    assert (counted.state, counted.due) == ("not_due", date(2000, 8, 15))
    update = measure(facts_db, "10.1/measurements/2", date(2000, 3, 1))
    assert (update.computed.value, update.state) == (1, "met_late")


def test_record_meeting_counts_in_period_and_is_audited(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        meeting = registry.add_meeting(
            session,
            mechanism_key="hlcg",
            held_on=date(1999, 11, 10),
            topics=["threat-assessment-update"],
            participants=[
                {"country": "US", "level": "federal", "agency": "ONDCP"},
                {"country": "MX", "level": "federal", "agency": "PGR"},
            ],
            source="minutes of 10 Nov 1999",
            actor=NodeSelf("coordinator"),
        )
        meeting_id = registry.record_id(meeting)
    before = measure(facts_db, "10.1/measurements/4", date(1999, 11, 9))
    after = measure(facts_db, "10.1/measurements/4", date(1999, 11, 10))
    assert (before.computed.value, after.computed.value) == (0, 1)
    assert after.computed.records == (meeting_id,)
    assert after.state == "met_on_time"  # due 31 Dec 1999 ("In 1999")
    with facts_db.reader() as session:
        entries = session.scalars(select(AuditEntry).where(AuditEntry.subject == meeting_id)).all()
    assert [(e.actor, e.action) for e in entries] == [("coordinator", "cooperation.meeting.record")]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "club"}, "unknown mechanism kind"),
        ({"formed_precision": "roughly"}, "unknown date precision"),
        ({"kind": "subgroup"}, "needs the mechanism it belongs to"),
        ({"parent": "no-such-blm", "kind": "subgroup"}, "no mechanism 'no-such-blm'"),
        ({"key": "hlcg"}, "already recorded"),
    ],
)
def test_add_mechanism_refuses_bad_input(
    facts_db: Database, fields: dict[str, str], message: str
) -> None:
    values = {"key": "new", "kind": "working-group", "name": "x", "source": "t", "actor": "t"}
    with (
        pytest.raises(registry.RegistryRefused, match=message),
        facts_db.transaction() as session,
    ):
        registry.add_mechanism(session, **(values | fields))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("fields", "spanish"),
    [
        (
            {"kind": "club"},
            "valor desconocido de tipo de mecanismo: 'club' (uno de: ",
        ),
        (
            {"parent": "no-such-blm", "kind": "subgroup"},
            "no existe el mecanismo 'no-such-blm' (véase: alianza coop mechanisms)",
        ),
        ({"key": "hlcg"}, "el mecanismo 'hlcg' ya está registrado"),
    ],
)
def test_a_registry_refusal_is_said_in_spanish(
    facts_db: Database, fields: dict[str, str], spanish: str
) -> None:
    from alianza.catalogue import in_language, message_of

    values = {"key": "new", "kind": "working-group", "name": "x", "source": "t", "actor": "t"}
    with (
        pytest.raises(registry.RegistryRefused) as refused,
        facts_db.transaction() as session,
    ):
        registry.add_mechanism(session, **(values | fields))  # type: ignore[arg-type]
    assert in_language(message_of(refused.value), "es").startswith(spanish)


def test_add_technology_refuses_unknown_port_code(facts_db: Database) -> None:
    with (
        pytest.raises(registry.RegistryRefused, match="unknown land port code"),
        facts_db.transaction() as session,
    ):
        registry.add_technology(
            session,
            kind="x-ray",
            country="US",
            place="nowhere",
            port_code="9999",
            deployed_on=date(1999, 1, 1),
            source="t",
            actor=NodeSelf("t"),
        )


@pytest.mark.parametrize(
    ("measurement", "measure", "target", "message"),
    [
        ("10.4.1/targets/1", "subgroups", None, "is not a measurements paragraph"),
        ("10.4.1/measurements/9", "subgroups", None, "has 1 paragraph"),
        ("10.4.1/measurements/1", "votes", None, "unknown measure"),
        ("10.4.1/measurements/1", "subgroups", "10.4.1/status/1", "is not a targets paragraph"),
    ],
)
def test_bind_measure_refuses_wrong_addresses(
    facts_db: Database, measurement: str, measure: str, target: str | None, message: str
) -> None:
    with pytest.raises(BindingRefused, match=message), facts_db.transaction() as session:
        bind_measure(session, measurement, measure, actor=NodeSelf("t"), target=target)


def test_end_liaison_post_removes_it_from_later_counts(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        dallas = next(  # the US node's post: the USCS attaché in Mexico City
            r for r in registry.list_records(session, "liaison-post") if r["city"] == "Mexico City"
        )
        registry.end_record(session, dallas["record"], date(2000, 6, 30), actor=NodeSelf("test"))
    assert measure(facts_db, "10.4/measurements/1", date(2000, 6, 29)).computed.value == 1
    later = measure(facts_db, "10.4/measurements/1", date(2000, 6, 30))
    assert later.computed.value == 0
    assert dallas["record"] not in later.computed.records
    with (
        pytest.raises(registry.RegistryRefused, match="before it starts"),
        facts_db.transaction() as session,
    ):
        registry.end_record(session, dallas["record"], date(1990, 1, 1), actor=NodeSelf("test"))


@pytest.mark.parametrize(
    ("measurement", "measure", "target", "english", "spanish"),
    [
        (
            "10.4.1/targets/1",
            "subgroups",
            None,
            "10.4.1/targets/1 is not a measurements paragraph",
            "10.4.1/targets/1 no es un párrafo de measurements",
        ),
        (
            "10.4.1/measurements/1",
            "votes",
            None,
            "unknown measure 'votes' (one of: ",
            "medida desconocida 'votes' (una de: ",
        ),
    ],
)
def test_bind_measure_refusals_are_said_in_spanish(
    facts_db: Database,
    measurement: str,
    measure: str,
    target: str | None,
    english: str,
    spanish: str,
) -> None:
    with pytest.raises(BindingRefused) as refused, facts_db.transaction() as session:
        bind_measure(session, measurement, measure, actor=NodeSelf("t"), target=target)
    assert str(refused.value).startswith(english)
    said = in_language(message_of(refused.value), "es")
    assert said.startswith(spanish)
    assert said.removeprefix(spanish) == str(refused.value).removeprefix(english)
