"""Typed bindings (issue 17, item 2): each measure declares its parameters; ``coop bind``
refuses unknown or ill-typed ones with the valid list; a binding that fails when computed
marks only its own measure "cannot compute"."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.cooperation.facts import BINDINGS_1999
from alianza.cooperation.measures import BindingRefused, bind_measure, compute_measures
from alianza.cooperation.models import MeasureBinding
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.service import SEED_REPORT

STATUS_DATE = date(1999, 8, 31)


def run(node: Path, *args: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["--home", str(node), *args],
        env={"ALIANZA_DATABASE_URL": "", "ALIANZA_COUNTRY": "US"},
        catch_exceptions=False,
    )


@pytest.mark.parametrize(
    ("param", "names"),
    [
        ("at_least=many", ["at_least", "whole number", "número entero"]),
        ("colour=blue", ["colour", "no parameter", "no tiene el parámetro"]),
        ("since=last-year", ["since", "YYYY-MM-DD"]),
        ("kind=committee", ["committee", "hlcg|blm"]),
    ],
)
def test_cli_coop_bind_refuses_bad_parameter_with_valid_list(
    tmp_path: Path, param: str, names: list[str]
) -> None:
    node = tmp_path / "node"
    assert run(node, "pme", "import", str(SEED_REPORT)).exit_code == 0
    result = run(
        node, "coop", "bind", "10.3/measurements/2", "--measure", "meetings", "--param", param
    )
    assert result.exit_code != 0
    for name in [*names, "valid", "válidos", "mechanism (text)", "at_least (count)"]:
        assert name in result.output
    assert run(node, "coop", "bindings").output.strip() == "(no bindings)"


def test_bind_measure_stores_typed_parameters(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        row = bind_measure(
            session,
            "10.3/measurements/2",
            "meetings",
            actor=NodeSelf("test"),
            params={"at_least": "2", "mechanism": "hlcg"},
            target="10.3/targets/2",
        )
        assert row.params == {"at_least": 2, "mechanism": "hlcg"}


def test_bind_deliverable_without_key_is_refused(facts_db: Database) -> None:
    with facts_db.transaction() as session, pytest.raises(BindingRefused, match="key"):
        bind_measure(session, "10.3/measurements/2", "deliverable", actor=NodeSelf("test"))


def stored_bad_binding(database: Database) -> None:
    """A binding stored before parameters were typed (as an older node holds it)."""
    with database.transaction() as session:
        session.add(
            MeasureBinding(
                plan_key=DEFAULT_PLAN,
                measurement="10.3/measurements/2",
                target="10.3/targets/2",
                measure="meetings",
                params={"at_least": "many"},
                recorded_by="older-node",
                recorded_at=datetime.now(UTC),
            )
        )


def test_compute_measures_with_one_bad_binding_computes_the_others(
    facts_db: Database,
) -> None:
    stored_bad_binding(facts_db)
    with facts_db.reader() as session:
        values = {v.measurement: v for v in compute_measures(session, STATUS_DATE)}
        target = assess_plan(session, STATUS_DATE).target("10.3/targets/2")
    bad = values["10.3/measurements/2"]
    assert bad.state == "cannot_compute"
    assert bad.problem is not None
    assert "at_least" in bad.problem
    assert bad.computed.display.startswith("cannot compute: ")
    # the seed's bindings for a US node (those of no country or of the US), still computed
    bindings = json.loads(BINDINGS_1999.read_text("utf-8"))["bindings"]
    own = [b for b in bindings if b.get("country", "US") == "US"]
    assert len(values) == len(own) + 1
    assert values["10.4.1/measurements/1"].state == "overdue"
    shown = target.as_dict()
    assert shown["from_records"]["state"] == "cannot_compute"
    assert shown["state"] == "no_deadline"  # the deadline alone; nothing guessed


def test_cli_pme_measures_with_one_bad_binding_shows_reason(tmp_path: Path) -> None:
    node = tmp_path / "node"
    assert run(node, "pme", "import", str(SEED_REPORT)).exit_code == 0
    assert run(node, "coop", "load-facts", "--by", "test").exit_code == 0
    stored_bad_binding(Database(f"sqlite:///{node / 'alianza.db'}", country="US"))
    result = run(node, "pme", "measures", "--as-of", "1999-08-31")
    assert result.exit_code == 0, result.output
    assert "cannot compute: " in result.output
    assert "8 of 9 BLMs" in result.output
