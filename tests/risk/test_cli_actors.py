"""Every write of ``alianza risk`` records who acts (issue 18, item 2): each audit entry a
command writes names the user given with ``--by`` (your login name by default), never
"system", "cli" or a fixed "officer"; the demo's risk scenario writes as the node, "demo"."""

from __future__ import annotations

import getpass
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select as sql_select

from alianza.audit import AuditEntry
from alianza.cli import cli
from alianza.db import Database
from alianza.risk.models import Assignment, Shipment
from tests.risk.conftest import RISK_DATA
from tests.risk.test_book import unlabeled_copy
from tests.risk.test_schedule import outcomes_file

RULES = """
[[rule]]
code = "from-file"
owner = "targeting unit"
reason = "test"
valid_from = 2021-01-01
weight = 0.2
when = [{ kind = "in", column = "origin", values = ["CN"] }]
"""


class Node:
    def __init__(self, home: Path) -> None:
        self.home = home
        self.seen = 0

    def database(self) -> Database:
        return Database(f"sqlite:///{self.home / 'alianza.db'}", country="US")

    def writes(self, *args: str) -> set[tuple[str, str]]:
        """Run ``alianza risk ARGS``; the (action, actor) of the audit entries it wrote."""
        result = CliRunner().invoke(cli, ["--home", str(self.home), "risk", *args])
        assert result.exit_code == 0, result.output
        database = self.database()
        try:
            with database.reader() as session:
                entries = session.scalars(
                    sql_select(AuditEntry).where(AuditEntry.id > self.seen)
                ).all()
        finally:
            database.dispose()
        if entries:
            self.seen = max(e.id for e in entries)
        return {(e.action, e.actor) for e in entries}

    def assigned(self, selection_id: int, lane: str) -> str:
        database = self.database()
        try:
            with database.reader() as session:
                return (
                    session.scalars(
                        sql_select(Shipment.reference)
                        .join(Assignment, Assignment.shipment_id == Shipment.id)
                        .where(Assignment.selection_id == selection_id, Assignment.lane == lane)
                        .order_by(Shipment.reference)
                    ).first()
                    or ""
                )
        finally:
            database.dispose()


def test_every_risk_write_records_the_acting_user(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    node = Node(tmp_path / "node")
    train, valid = (str(RISK_DATA / f"kcs-{n}-sample.csv") for n in ("train", "valid"))
    assert node.writes("import", train, "--by", "ana") == {("risk.shipments.import", "ana")}
    assert node.writes("import", valid, "--by", "ana") == {("risk.shipments.import", "ana")}
    rule = ["--owner", "unit", "--reason", "test", "--valid-from", "2021-01-01"]
    assert node.writes("rules", "add", "andean", *rule, "--when", "origin in CO,PE",
                       "--by", "rui") == {("risk.rule.add", "rui")}  # fmt: skip
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    assert node.writes("rules", "import", str(rules), "--by", "rosa") == {("risk.rule.add", "rosa")}
    assert node.writes("rules", "retire", "andean", "--reason", "over", "--by", "rita") == {
        ("risk.rule.retire", "rita")
    }
    assert node.writes("watchlist", "add", "shippers", "S1", "--column", "shipper", *rule,
                       "--by", "walt") == {("risk.watchlist.add", "walt")}  # fmt: skip
    assert node.writes("watchlist", "retire", "shippers", "S1", "--reason", "x", "--by", "wes") == {
        ("risk.watchlist.retire", "wes")
    }
    assert node.writes("schedule", "--every", "14", "--by", "sam") == {("risk.schedule.set", "sam")}
    assert node.writes("train", "--train-until", "2020-12-31", "--seed", "2", "--by", "tom") == {
        ("risk.model.train", "tom"),
        ("risk.model.evaluate", "tom"),
    }
    period = ["--from", "2021-03-01", "--to", "2021-03-31"]
    # scores asked for are audited: under the user, not "cli"
    assert node.writes("score", *period, "--by", "sofia") == {("risk.score", "sofia")}
    assert node.writes("score", *period) == {("risk.score", getpass.getuser())}
    assert node.writes("select", *period, "--lane", "physical=5", "--by", "ben") == {
        ("risk.selection.create", "ben")
    }
    inspected = node.assigned(1, "physical")
    # an override is the user's, not a fixed "officer"
    assert node.writes("override", "1", inspected, "release", "--reason", "x", "--by", "olga") == {
        ("risk.selection.override", "olga")
    }
    assert node.writes("override", "1", inspected, "physical", "--reason", "y") == {
        ("risk.selection.override", getpass.getuser())
    }
    assert node.writes("override", "1", inspected, "release", "--reason", "z", "--actor", "al") == {
        ("risk.selection.override", "al")
    }
    test = RISK_DATA / "kcs-test-sample.csv"
    arrivals = str(unlabeled_copy(test, tmp_path / "arrivals.csv"))
    assert node.writes("import", arrivals, "--by", "ana") == {("risk.shipments.import", "ana")}
    outcomes = str(outcomes_file(test, tmp_path / "outcomes.csv"))
    assert node.writes("outcomes", outcomes, "--by", "dee") == {("risk.outcomes.record", "dee")}
    assert node.writes("retrain", "--by", "rex") == {
        ("risk.model.train", "rex"),
        ("risk.model.evaluate", "rex"),
    }
    assert node.writes("rollback", "--reason", "worse", "--by", "roy") == {
        ("risk.model.rollback", "roy")
    }


def test_the_demo_risk_scenario_writes_as_the_demo_node(fresh_db: Database, tmp_path: Path) -> None:
    from alianza.demo.risk import run_risk_demo

    said: list[str] = []
    run_risk_demo(fresh_db, tmp_path, say=said.append)
    with fresh_db.reader() as session:
        actors = {
            (e.action, e.actor)
            for e in session.scalars(sql_select(AuditEntry)).all()
            if e.action.startswith("risk.")
        }
    assert {action for action, _ in actors} >= {
        "risk.shipments.import",
        "risk.rule.add",
        "risk.watchlist.add",
        "risk.schedule.set",
        "risk.model.train",
        "risk.model.evaluate",
        "risk.selection.create",
        "risk.outcomes.record",
    }
    assert {actor for _, actor in actors} == {"demo"}, actors
    assert said[2].startswith("  trained risk model 1 ")
    assert said[-1].startswith("  every arrival's outcome: ")
