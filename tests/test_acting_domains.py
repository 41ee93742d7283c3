"""The domain services check who writes themselves (issue 14, defence in depth): risk
targeting, the ports' directory, drills and alerts, the performance-measure engine (events,
judgements, deadlines, translations) and the joint analysis' signatures each call
:func:`alianza.actors.acting` with the permission their shells check. Called directly, not
through a shell: a signed-in user of the other government is refused (``ForeignAccount``,
English and Spanish), a user whose role does not grant the write is refused
(``NotPermitted``, naming the permission), and nothing is written (every table's row count is
the same); a user who may write it does, under their own name in the audit log, and the node
itself (``NodeSelf``: the CLI, a partner's message) keeps working."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import ForeignAccount, Principal
from alianza.actors import Actor, NodeSelf, NotPermitted
from alianza.audit import AuditEntry
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.db.base import Base
from tests.test_acting import assert_foreign, user

US_ADMIN = user("admin-us", Role.ADMIN, Country.US)
US_ANALYST = user("analyst-us", Role.ANALYST, Country.US)
US_COORDINATOR = user("coordinator-us", Role.COORDINATOR, Country.US)
US_LIAISON = user("liaison-us", Role.LIAISON, Country.US)
US_VIEWER = user("viewer-us", Role.VIEWER, Country.US)
SETUP = NodeSelf("setup")
NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)
Context = dict[str, Any]


def import_every_model() -> None:
    """Every storage model, so that :data:`Base.metadata` lists every table."""
    import importlib
    import pkgutil

    import alianza

    for info in pkgutil.walk_packages(alianza.__path__, prefix="alianza."):
        if info.name.rsplit(".", 1)[-1].endswith("models"):
            importlib.import_module(info.name)


import_every_model()


def rows_held(database: Database) -> dict[str, int]:
    """Every table's row count: a refused write leaves them all as they were."""
    with database.reader() as session:
        return {
            name: int(session.scalar(select(func.count()).select_from(table)) or 0)
            for name, table in Base.metadata.tables.items()
        }


def audited_by(database: Database, username: str) -> int:
    with database.reader() as session:
        query = select(func.count()).where(AuditEntry.actor == username)
        return int(session.scalar(query.select_from(AuditEntry)) or 0)


def in_session(write: Callable[[Any, Actor, Context], object]) -> Callable[..., object]:
    """A write that takes a session: run it in one transaction of its own."""

    def run(database: Database, actor: Actor, ctx: Context) -> object:
        with database.transaction() as session:
            return write(session, actor, ctx)

    return run


def nothing(_database: Database, _tmp_path: Path) -> Context:
    return {}


@dataclass(frozen=True)
class Write:
    """One service write: the permission it needs, a role of this node without it, and one
    with it (None: the write needs more setup than this table gives; refusals only)."""

    write: Callable[[Database, Actor, Context], object]
    permission: str
    without: Principal
    allowed: Principal | None
    setup: Callable[[Database, Path], Context] = nothing
    seeded: bool = False  # needs the 1999 plan loaded


# --- risk ---------------------------------------------------------------------------------


def rule_spec(code: str = "acting-rule") -> Any:
    from alianza.risk.book import RuleSpec
    from alianza.risk.rules import Condition

    return RuleSpec(
        code=code,
        owner="targeting",
        reason="defence in depth",
        valid_from=date(2020, 1, 1),
        weight=0.5,
        conditions=(Condition("in", "origin", ("CO",)),),
    )


def with_rule(database: Database, _tmp: Path) -> Context:
    from alianza.risk.book import add_rule, add_watch

    with database.transaction() as session:
        add_rule(session, rule_spec("held-rule"), actor=SETUP)
        add_watch(
            session, watchlist="w", column="importer", value="IMP-1", owner="o", reason="r",
            valid_from=date(2020, 1, 1), actor=SETUP,
        )  # fmt: skip
    return {}


def rule_file(_database: Database, tmp: Path) -> Context:
    path = tmp / "rules.toml"
    path.write_text(
        '[[rule]]\ncode = "from-file"\nowner = "o"\nreason = "r"\nvalid_from = 2020-01-01\n'
        'weight = 0.5\nwhen = [{ kind = "in", column = "origin", values = ["CO"] }]\n',
        encoding="utf-8",
    )
    return {"path": path}


def shipment_file(_database: Database, tmp: Path) -> Context:
    path = tmp / "shipments.csv"
    row = {
        "reference": "ACT-1", "declared_on": "2021-03-01", "port": "laredo", "mode": "truck",
        "declarant": "B", "importer": "I", "shipper": "S", "consignee": "C", "carrier": "K",
        "hs6": "070200", "departure": "MX", "origin": "MX", "route": "MX-US",
        "conveyance_id": "T", "net_mass_kg": "10", "value": "20", "packages": "1",
    }  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow(row)
    outcomes = tmp / "outcomes.csv"
    outcomes.write_text(
        "reference,lane,exam_type,inspected_on,result\nACT-1,physical,x-ray,2021-03-02,clear\n",
        encoding="utf-8",
    )
    return {"path": path, "outcomes": outcomes}


def with_shipment(database: Database, tmp: Path) -> Context:
    from alianza.risk.store import import_shipments

    ctx = shipment_file(database, tmp)
    import_shipments(database, ctx["path"], profile="alianza", actor=SETUP)
    return ctx


def with_model(database: Database, _tmp: Path) -> Context:
    """The KCS validation sample and a small model (trained once per session)."""
    from alianza.risk.service import score_batch, store_model
    from alianza.risk.store import import_shipments
    from tests.risk.conftest import RISK_DATA
    from tests.web.permission_rows.risk import model_body

    import_shipments(database, RISK_DATA / "kcs-valid-sample.csv", actor=SETUP)
    model_id = store_model(database, model_body(), labeled_rows=0, seed=7, actor=SETUP)
    scored = score_batch(database, start=date(2021, 3, 1), end=date(2021, 3, 31))
    return {"model": model_id, "scored": scored}


def with_selection(database: Database, tmp: Path) -> Context:
    from alianza.risk.models import Assignment, Shipment
    from alianza.risk.selection import Lane
    from alianza.risk.service import select_and_store

    ctx = with_model(database, tmp)
    selection, _ = select_and_store(
        database, ctx["scored"], [Lane("physical", 3)], seed=1, batch_label="b", actor=SETUP
    )
    with database.reader() as session:
        reference = session.scalars(
            select(Shipment.reference)
            .join(Assignment, Assignment.shipment_id == Shipment.id)
            .where(Assignment.selection_id == selection, Assignment.lane == "physical")
        ).first()
    return {**ctx, "selection": selection, "reference": reference}


def risk_writes() -> dict[str, Write]:
    from alianza.risk import book, live, overrides, schedule, service, store
    from alianza.risk.selection import Lane
    from tests.web.permission_rows.risk import declaration, model_body

    manage = "risk.manage"
    return {
        "risk add rule": Write(
            in_session(lambda s, a, _c: book.add_rule(s, rule_spec(), actor=a)),
            manage, US_COORDINATOR, US_ANALYST,
        ),
        "risk add watch": Write(
            in_session(lambda s, a, _c: book.add_watch(
                s, watchlist="w2", column="importer", value="IMP-2", owner="o", reason="r",
                valid_from=date(2020, 1, 1), actor=a,
            )),
            manage, US_VIEWER, US_ANALYST,
        ),
        "risk retire rule": Write(
            in_session(lambda s, a, _c: book.retire_rule(s, "held-rule", actor=a, reason="r")),
            manage, US_COORDINATOR, US_ANALYST, with_rule,
        ),
        "risk retire watch": Write(
            in_session(lambda s, a, _c: book.retire_watch(s, "w", "IMP-1", actor=a, reason="r")),
            manage, US_COORDINATOR, US_ADMIN, with_rule,
        ),
        "risk import rule file": Write(
            in_session(lambda s, a, c: book.import_rule_file(s, c["path"], actor=a)),
            manage, US_COORDINATOR, US_ANALYST, rule_file,
        ),
        "risk rule book from file": Write(
            lambda d, a, c: book.rule_book_from_file(d, c["path"], actor=a),
            manage, US_VIEWER, US_ANALYST, rule_file,
        ),
        "risk set schedule": Write(
            lambda d, a, _c: schedule.set_schedule(d, schedule.DEFAULT_SCHEDULE, actor=a),
            manage, US_COORDINATOR, US_ANALYST,
        ),
        "risk rollback": Write(
            lambda d, a, _c: schedule.rollback(d, actor=a, reason="r"),
            manage, US_COORDINATOR, None,
        ),
        "risk import shipments": Write(
            lambda d, a, c: store.import_shipments(d, c["path"], profile="alianza", actor=a),
            manage, US_COORDINATOR, US_ANALYST, shipment_file,
        ),
        "risk record outcomes": Write(
            lambda d, a, c: store.record_outcomes(d, c["outcomes"], actor=a),
            manage, US_COORDINATOR, US_ANALYST, with_shipment,
        ),
        "risk record outcome rows": Write(
            lambda d, a, _c: store.record_outcome_rows(
                d, [{"reference": "ACT-1", "inspected_on": "2021-03-02", "result": "clear"}],
                source="api", actor=a,
            ),
            manage, US_VIEWER, US_ANALYST, with_shipment,
        ),
        "risk train": Write(
            lambda d, a, _c: service.train_and_store(d, actor=a), manage, US_COORDINATOR, None
        ),
        "risk train and record": Write(
            lambda d, a, _c: service.train_and_record(d, actor=a), manage, US_VIEWER, None
        ),
        "risk retrain when due": Write(
            lambda d, a, _c: service.retrain_when_due(d, force=True, actor=a),
            manage, US_COORDINATOR, None,
        ),
        "risk store model": Write(
            lambda d, a, _c: service.store_model(
                d, model_body(), labeled_rows=0, seed=7, actor=a
            ),
            manage, US_COORDINATOR, US_ANALYST,
        ),
        "risk record model": Write(
            lambda d, a, c: service.record_model(
                d, c["model"], trigger="manual", previous=None, labels=0, actor=a
            ),
            manage, US_COORDINATOR, US_ANALYST, with_model,
        ),
        "risk audit scores": Write(
            lambda d, a, c: service.audit_scores(d, c["scored"], actor=a),
            "risk.read", US_LIAISON, US_COORDINATOR, with_model,
        ),
        "risk select": Write(
            lambda d, a, c: service.select_and_store(
                d, c["scored"], [Lane("physical", 2)], batch_label="acting", actor=a
            ),
            manage, US_COORDINATOR, US_ANALYST, with_model,
        ),
        "risk override": Write(
            lambda d, a, c: overrides.override(
                d, c["selection"], c["reference"], "release", actor=a, reason="r"
            ),
            manage, US_COORDINATOR, US_ANALYST, with_selection,
        ),
        "risk score declaration": Write(
            lambda d, a, _c: live.score_declaration(d, declaration(), profile="kcs", actor=a),
            "risk.read", US_VIEWER, US_COORDINATOR, with_model,
        ),
    }  # fmt: skip


# --- ports --------------------------------------------------------------------------------


def with_pair(database: Database, _tmp: Path) -> Context:
    from alianza.liaison.alerts import send_alert
    from alianza.liaison.directory import add_contact, ensure_pair
    from alianza.liaison.drills import schedule_drill

    with database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=SETUP)
        contact = add_contact(
            session, pair, country="US", position=1, role="duty-officer", name="Officer",
            shift=(time(0), time(0)), channels=[("radio", "ch 1")], actor=SETUP,
        )  # fmt: skip
        drill = schedule_drill(session, pair, at=NOW, channel="radio", actor=SETUP)
        received = send_alert(  # an alert of the MX side, received by this (US) node
            session, pair, from_country="MX", template="security-incident",
            details={"location": "carril 3"}, actor=SETUP, now=NOW, request=True,
        )  # fmt: skip
        return {"pair": pair.id, "contact": contact.id, "drill": drill.id, "alert": received.id}


def ports_writes() -> dict[str, Write]:
    from alianza.liaison import alerts, directory, drills
    from alianza.liaison.models import Drill, PortPair

    alert = "ports.alert"

    def pair(session: Any, ctx: Context) -> PortPair:
        found = session.get(PortPair, ctx["pair"])
        assert found is not None
        return found

    def drill(session: Any, ctx: Context) -> Drill:
        found = session.get(Drill, ctx["drill"])
        assert found is not None
        return found

    return {
        "ports ensure pair": Write(
            in_session(lambda s, a, _c: directory.ensure_pair(s, "2506", actor=a)),
            alert, US_ANALYST, US_LIAISON,
        ),
        "ports add contact": Write(
            in_session(lambda s, a, c: directory.add_contact(
                s, pair(s, c), country="US", position=2, role="supervisor", name="Sup",
                shift=(time(8), time(16)), channels=[("telephone", "+1 555 0100")], actor=a,
            )),
            alert, US_VIEWER, US_LIAISON, with_pair,
        ),
        "ports end contact": Write(
            in_session(lambda s, a, c: directory.end_contact(s, c["contact"], actor=a, now=NOW)),
            alert, US_COORDINATOR, US_LIAISON, with_pair,
        ),
        "ports schedule drill": Write(
            in_session(lambda s, a, c: drills.schedule_drill(
                s, pair(s, c), at=NOW, channel="telephone", actor=a
            )),
            alert, US_ANALYST, US_LIAISON, with_pair,
        ),
        "ports record drill": Write(
            in_session(lambda s, a, c: drills.record_drill(
                s, drill(s, c), held_at=NOW, passed=True, seconds_to_answer=30, actor=a
            )),
            alert, US_VIEWER, US_LIAISON, with_pair,
        ),
        "ports apply partner drill": Write(
            in_session(lambda s, a, c: drills.apply_partner_drill(
                s, {"channel": "radio", "scheduled_for": NOW.isoformat(), "country": "MX",
                    "us_port_code": "2504", "held_at": NOW.isoformat(), "passed": True},
                pair(s, c), actor=a,
            )),
            alert, US_VIEWER, US_ADMIN, with_pair,
        ),
        "ports send alert": Write(
            in_session(lambda s, a, c: alerts.send_alert(
                s, pair(s, c), from_country="US", template="security-incident",
                details={"location": "lane 2"}, actor=a, now=NOW,
            )),
            alert, US_ANALYST, US_LIAISON, with_pair,
        ),
        "ports give delay reason": Write(
            in_session(lambda s, a, c: alerts.give_delay_reason(
                s, c["alert"], "radio down", actor=a, now=NOW
            )),
            alert, US_COORDINATOR, US_LIAISON, with_pair,
        ),
        "ports publish directory": Write(
            in_session(lambda s, a, _c: alerts.publish_directory(s, "US", actor=a, now=NOW)),
            alert, US_VIEWER, US_LIAISON, with_pair,
        ),
        "ports acknowledge": Write(
            in_session(lambda s, a, c: alerts.acknowledge(s, c["alert"], actor=a, now=NOW)),
            alert, US_VIEWER, US_LIAISON, with_pair,
        ),
    }  # fmt: skip


# --- performance measures, joint analysis -------------------------------------------------

EVENT = "completion-update-binational-threat-assessment"


def keys(_database: Database, tmp: Path) -> Context:
    from alianza.exchange.keys import create_node_keys

    return {"keys": create_node_keys(tmp / "node", name="US node (CBP)", country="US")}


def pme_writes() -> dict[str, Write]:
    from alianza.analysis import cosign
    from alianza.pme.deadline_store import correct_deadline, sync_deadlines
    from alianza.pme.deadlines import Deadline, DeadlineKind
    from alianza.pme.events import record_event
    from alianza.pme.judgements import Completion, record_judgement
    from alianza.pme.translations import approve_translation

    pme = "pme.import"
    return {
        "pme record event": Write(
            in_session(lambda s, a, _c: record_event(s, EVENT, date(2000, 3, 15), actor=a)),
            pme, US_ANALYST, US_COORDINATOR, seeded=True,
        ),
        "pme record judgement": Write(
            in_session(lambda s, a, _c: record_judgement(
                s, "10.4.1/targets/1", as_of=date(1999, 8, 31), completion=Completion.DONE,
                completed_on=date(1999, 8, 20), justification="minutes", actor=a,
            )),
            pme, US_LIAISON, US_COORDINATOR, seeded=True,
        ),
        "pme correct deadline": Write(
            in_session(lambda s, a, _c: correct_deadline(
                s, "10.2/targets/2", Deadline(DeadlineKind.ABSOLUTE, due=date(1999, 12, 31)),
                actor=a, reason="agreed",
            )),
            pme, US_VIEWER, US_COORDINATOR, seeded=True,
        ),
        "pme sync deadlines": Write(
            in_session(lambda s, a, _c: sync_deadlines(s, actor=a)),
            pme, US_ANALYST, None, seeded=True,
        ),
        "pme approve translation": Write(
            in_session(lambda s, a, _c: approve_translation(
                s, "10.4/targets", government="US", actor=a
            )),
            "pme.approve", US_ANALYST, None, seeded=True,
        ),
        "analysis sign edition": Write(
            in_session(lambda s, a, c: cosign.sign_and_send(
                s, c["keys"], quarter="2025-Q4", content_hash="0" * 64, actor=a
            )),
            "exchange.manage", US_COORDINATOR, US_ANALYST, keys,
        ),
        "analysis keep signature": Write(
            in_session(lambda s, a, _c: cosign.keep_verified(
                s, {}, {}, content_hash="0" * 64, actor=a
            )),
            "exchange.manage", US_VIEWER, None,
        ),
    }  # fmt: skip


WRITES = {**risk_writes(), **ports_writes(), **pme_writes()}


@pytest.fixture
def node_db(request: pytest.FixtureRequest, fresh_db: Database) -> Database:
    """The US node's database (with the 1999 plan where the write needs it)."""
    if WRITES[request.param].seeded:
        from alianza.pme.service import SEED_REPORT, import_report_file

        import_report_file(fresh_db, SEED_REPORT, actor=SETUP)
    return fresh_db


@pytest.mark.parametrize(("node_db", "name"), [(n, n) for n in WRITES], indirect=["node_db"])
def test_a_service_write_refuses_the_other_government_and_roles_without_it(
    node_db: Database, name: str, tmp_path: Path
) -> None:
    write = WRITES[name]
    ctx = write.setup(node_db, tmp_path)
    before = rows_held(node_db)
    foreign = user(f"{(write.allowed or US_ADMIN).username}-mx", Role.ADMIN, Country.MX)
    with pytest.raises(ForeignAccount) as error:
        write.write(node_db, foreign, ctx)
    assert_foreign(error, foreign.username)
    assert rows_held(node_db) == before, name  # nothing written
    with pytest.raises(NotPermitted) as refused:
        write.write(node_db, write.without, ctx)
    message = str(refused.value)
    assert f"it needs {write.permission}" in message, message
    spanish = in_language(message_of(refused.value), "es")  # the catalogue's Spanish
    assert f"requiere {write.permission}" in spanish, spanish
    assert rows_held(node_db) == before, name
    if write.allowed is not None:  # the refusals were not of the setup: a role with it writes
        write.write(node_db, write.allowed, ctx)
        after = rows_held(node_db)
        assert after != before, name
        if after[AuditEntry.__tablename__] != before[AuditEntry.__tablename__]:
            assert audited_by(node_db, write.allowed.username) >= 1, name


# --- the paths that must keep working ------------------------------------------------------


def test_an_official_listed_at_the_pair_acknowledges_without_ports_alert(
    fresh_db: Database, tmp_path: Path
) -> None:
    """``ports.alert`` or the directory: an official (here a viewer) listed at the pair
    acknowledges what their side received there; the same viewer not listed may not."""
    from alianza.liaison.alerts import acknowledge
    from alianza.liaison.directory import add_contact
    from alianza.liaison.models import Alert, PortPair

    ctx = with_pair(fresh_db, tmp_path)
    with pytest.raises(NotPermitted), fresh_db.transaction() as session:
        acknowledge(session, ctx["alert"], actor=US_VIEWER, now=NOW, reason="late")
    with fresh_db.transaction() as session:
        pair = session.get(PortPair, ctx["pair"])
        assert pair is not None
        add_contact(
            session, pair, country="US", position=3, role="duty-officer", name="Viewer",
            shift=(time(0), time(0)), channels=[("radio", "ch 3")], actor=SETUP,
            username=US_VIEWER.username,
        )  # fmt: skip
    with fresh_db.transaction() as session:
        assert acknowledge(session, ctx["alert"], actor=US_VIEWER, now=NOW, reason="late")
    with fresh_db.reader() as session:
        alert = session.get(Alert, ctx["alert"])
        assert alert is not None
        assert alert.acknowledged_at is not None
    assert audited_by(fresh_db, US_VIEWER.username) == 1


def test_a_liaison_completing_a_deliverable_records_the_event_it_means(
    seeded_db: Database,
) -> None:
    """Completing a deliverable needs coop.manage; the plan's event it completes is recorded
    with it (by the node, under the liaison's name), though a liaison has no pme.import."""
    from alianza.cooperation import registry
    from alianza.pme.events import record_event, recorded_events

    with seeded_db.transaction() as session:
        registry.add_deliverable(
            session, key="bta", title="Threat assessment update", owner="joint",
            source="test", event=EVENT, actor=SETUP,
        )  # fmt: skip
    with seeded_db.transaction() as session:
        registry.complete_deliverable(session, "bta", date(2000, 2, 15), actor=US_LIAISON)
    with seeded_db.reader() as session:
        event = recorded_events(session)[EVENT]
    assert (event.occurred_on, event.recorded_by) == (date(2000, 2, 15), "liaison-us")
    with pytest.raises(NotPermitted), seeded_db.transaction() as session:  # not on its own
        record_event(session, EVENT, date(2000, 2, 16), actor=US_LIAISON)


def test_the_node_itself_still_writes_what_a_partner_sent(fresh_db: Database) -> None:
    """A partner's drill arrives as the node (``NodeSelf``): no user's permission applies."""
    from alianza.liaison.alerts import PARTNER_NODE
    from alianza.liaison.directory import ensure_pair
    from alianza.liaison.drills import apply_partner_drill

    with fresh_db.transaction() as session:
        pair = ensure_pair(session, "2504", actor=PARTNER_NODE)
        body = {"channel": "radio", "scheduled_for": NOW.isoformat(), "country": "MX",
                "us_port_code": "2504", "held_at": NOW.isoformat(), "passed": True}  # fmt: skip
        drill = apply_partner_drill(session, body, pair, actor=PARTNER_NODE)
    assert drill.recorded_by == "(MX)"
    assert audited_by(fresh_db, "partner-node") == 2  # the pair, the drill


def test_an_official_sends_alerts_from_their_own_countrys_port_only(fresh_db: Database) -> None:
    """A US liaison on the US node cannot send an alert as if from the Mexican side of the pair
    (before, ``from_country`` was taken as given); nothing is written."""
    from alianza.liaison.alerts import AlertRefused, send_alert
    from alianza.liaison.directory import ensure_pair

    with fresh_db.transaction() as session:
        pair = ensure_pair(session, "2504", actor=SETUP)
    before = rows_held(fresh_db)
    with pytest.raises(AlertRefused) as refused, fresh_db.transaction() as session:
        send_alert(
            session, session.merge(pair), from_country="MX", template="security-incident",
            details={"location": "garita"}, actor=US_LIAISON, now=NOW,
        )  # fmt: skip
    assert "sends alerts from the US port only, not from MX" in str(refused.value)
    said = in_language(message_of(refused.value), "es")  # the Spanish: the catalogue's
    assert said == "un funcionario de US solo envía alertas desde el puerto de US, no desde MX"
    assert rows_held(fresh_db) == before
    with fresh_db.transaction() as session:  # from its own side, the same official sends
        send_alert(
            session, session.merge(pair), from_country="US", template="security-incident",
            details={"location": "lane 2"}, actor=US_LIAISON, now=NOW,
        )  # fmt: skip
    assert rows_held(fresh_db) != before
