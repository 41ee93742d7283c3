"""The random control slice exists in every lane, however small (issue 21): randomised
rounding keeps its expected size at the configured share; spare capacity follows a stated
policy; a batch is selected again only with --replace and a reason; a rule file applied by a
selection is stored on the node with its version; select, import and outcomes name their actor.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import select as sql_select

from alianza.audit import AuditEntry
from alianza.cli import cli
from alianza.db import Database
from alianza.risk.models import RuleHitRow, RuleVersion
from alianza.risk.selection import RANDOM, Lane, select
from tests.risk.conftest import RISK_DATA


@pytest.mark.parametrize(
    ("capacities", "share"),
    [((9,), 0.1), ((3, 1, 2), 0.1), ((5, 4), 0.05)],
)
def test_small_lanes_keep_their_control_share_in_expectation(
    capacities: tuple[int, ...], share: float
) -> None:
    """A lane of 9 slots at 10 % got no control shipment at all (floor(0.9) = 0)."""
    probability = np.linspace(0.0, 1.0, 200)
    lanes = [Lane(f"lane{i}", c) for i, c in enumerate(capacities)]
    draws = 1500
    counts = np.zeros((draws, len(lanes)))
    for seed in range(draws):
        chosen = select(probability, lanes, random_share=share, seed=seed)
        for j, lane in enumerate(lanes):
            counts[seed, j] = sum(
                1 for a in chosen.assignments if a.lane == lane.name and a.reason == RANDOM
            )
    for j, capacity in enumerate(capacities):
        expected = capacity * share  # computed from the configuration, not the code
        spread = np.sqrt(expected * (1 - expected % 1 if expected % 1 else 1.0) / draws) + 1e-9
        assert abs(counts[:, j].mean() - expected) < 5 * spread + 0.01, (capacity, share)
        assert counts[:, j].max() >= 1  # the lane does get control shipments


def test_spare_capacity_policy_is_stated_and_configurable() -> None:
    probability = np.array([0.9, 0.8, 0.01, 0.0, 0.0, 0.02])
    filled = select(probability, [Lane("physical", 4)], random_share=0.0)
    assert sorted(filled.rows_in("physical")) == [0, 1, 2, 5]
    assert filled.policy().startswith("fill")
    spare = select(probability, [Lane("physical", 4)], random_share=0.0, fill_floor=0.5)
    assert sorted(spare.rows_in("physical")) == [0, 1]
    assert spare.summary()[0]["spare"] == 2
    assert "0.5" in spare.policy()


def run(home: Path, *args: str, language: str = "en") -> tuple[int, str]:
    """``alianza risk ARGS``; its messages in ``language`` (ALIANZA_LANGUAGE, not the locale)."""
    env = {"ALIANZA_LANGUAGE": language}
    result = CliRunner().invoke(cli, ["--home", str(home), "risk", *args], env=env)
    return result.exit_code, result.output


RULES = """
[[rule]]
code = "march-origin"
owner = "targeting unit"
reason = "test"
valid_from = 2021-01-01
weight = 0.3
when = [{ kind = "in", column = "hs6", values = ["8*"] }]
"""


def test_cli_reselect_needs_replace_rules_file_stored_actors_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    node = tmp_path / "node"
    for name in ("train", "valid"):
        code, out = run(node, "import", str(RISK_DATA / f"kcs-{name}-sample.csv"), "--by", "ana")
        assert code == 0, out
    code, out = run(node, "train", "--train-until", "2020-12-31", "--seed", "2", "--by", "ana")
    assert code == 0, out
    rules = tmp_path / "rules.toml"
    rules.write_text(RULES, encoding="utf-8")
    period = ["--from", "2021-03-01", "--to", "2021-03-31", "--lane", "physical=9"]
    code, out = run(node, "select", *period, "--rules", str(rules), "--by", "ben")
    assert code == 0, out
    assert "spare capacity policy: fill" in out
    code, out = run(node, "select", *period, "--seed", "5", "--by", "ben")
    assert code != 0
    assert "already selected" in out
    assert "--replace" in out
    assert "ya fue" not in out  # one language: the user's
    code, out = run(node, "select", *period, "--seed", "5", "--by", "ben", language="es")
    assert code != 0
    said = "ya fue seleccionado (selección 1); para seleccionarlo de nuevo indique --replace"
    assert said in out
    code, out = run(node, "select", *period, "--seed", "5", "--replace", "lost", "--by", "cy")
    assert code == 0, out
    with open(RISK_DATA / "kcs-valid-sample.csv", encoding="utf-8", newline="") as handle:
        reference = next(csv.DictReader(handle))["Declaration ID"]
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text(
        f"reference,lane,exam_type,inspected_on,result\n{reference},physical,x,2021-04-01,clear\n",
        encoding="utf-8",
    )
    code, out = run(node, "outcomes", str(outcomes), "--by", "dee")
    code, rates = run(node, "hit-rates", "--json")
    assert code == 0, rates
    drawn = json.loads(rates)
    assert {r["lane"] for r in drawn} <= {"physical"}
    assert all(r["period"] == "2021-03" for r in drawn)
    database = Database(f"sqlite:///{node / 'alianza.db'}", country="US")
    try:
        with database.reader() as session:
            actors = {
                (e.action, e.actor)
                for e in session.scalars(sql_select(AuditEntry)).all()
                if e.action.startswith("risk.")
            }
            stored = session.scalars(sql_select(RuleVersion)).all()
            hits = session.scalars(sql_select(RuleHitRow).where(RuleHitRow.selection_id == 1)).all()
            replaced = session.scalars(
                sql_select(AuditEntry).where(AuditEntry.action == "risk.selection.replace")
            ).one()
    finally:
        database.dispose()
    assert ("risk.shipments.import", "ana") in actors
    assert ("risk.model.train", "ana") in actors
    assert ("risk.selection.create", "ben") in actors
    assert ("risk.selection.create", "cy") in actors
    assert ("risk.outcomes.record", "dee") in actors
    assert not any(a == "system" for _, a in actors), actors
    # the rule file applied is on the node, with the version its hits name
    assert [(r.code, r.version) for r in stored] == [("march-origin", 1)]
    assert hits
    assert {(h.rule, h.version) for h in hits} == {("march-origin", 1)}
    assert (replaced.actor, replaced.details["reason"], replaced.details["replaces"]) == (
        "cy",
        "lost",
        [1],
    )


def test_cli_rollback_refused_in_the_users_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ALIANZA_DATABASE_URL", raising=False)
    node = tmp_path / "node"
    code, out = run(node, "rollback", "--reason", "x", "--by", "ana", language="es")
    assert code != 0
    assert "no hay ningún modelo de riesgo activo que retirar" in out
    assert "no active risk model" not in out
    code, out = run(node, "rollback", "--reason", "x", "--by", "ana")
    assert code != 0
    assert "no active risk model to withdraw" in out
