"""Scoring a declaration as it arrives (issue 21): the node keeps the active model loaded, and
one declaration scores exactly as the batch path scores it; refused fields are named; the
explanation gives factors raising and lowering the score; rules and watchlists apply."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.risk.book import add_watch
from alianza.risk.live import LivePolicy, Refused, live_scorer, score_declaration
from alianza.risk.service import explain_shipments, score_batch, train_and_store
from alianza.risk.store import import_shipments
from tests.risk.conftest import RISK_DATA
from tests.risk.test_store import unlabeled_copy


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def node(fresh_db: Database, tmp_path: Path) -> Database:
    import_shipments(fresh_db, RISK_DATA / "kcs-train-sample.csv", actor=NodeSelf("test"))
    import_shipments(fresh_db, RISK_DATA / "kcs-valid-sample.csv", actor=NodeSelf("test"))
    import_shipments(
        fresh_db,
        unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "t.csv"),
        actor=NodeSelf("test"),
    )
    train_and_store(
        fresh_db,
        train_until=date(2020, 12, 31),
        calibrate_until=date(2021, 3, 31),
        seed=1,
        actor=NodeSelf("test"),
    )
    return fresh_db


def test_one_declaration_scores_as_the_batch_path(node: Database) -> None:
    arrivals = rows_of(RISK_DATA / "kcs-test-sample.csv")[:12]
    batch = score_batch(node, start=date(2021, 4, 1), end=date(2021, 12, 31))
    index = {str(r): i for i, r in enumerate(batch.batch.table.ids)}
    for raw in arrivals:
        raw = {k: v for k, v in raw.items() if k not in ("Fraud", "Critical Fraud")}
        decision = score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana"))
        i = index[raw["Declaration ID"]]
        assert decision.p_violation == pytest.approx(
            float(batch.scores.probability["general"][i]), abs=1e-9
        )
        assert decision.p_critical == pytest.approx(
            float(batch.scores.probability["critical"][i]), abs=1e-9
        )
    # the explanation equals the batch explanation, both directions
    reference = arrivals[0]["Declaration ID"]
    ((_ref, batch_explanation),) = explain_shipments(node, [reference])
    raw = {k: v for k, v in arrivals[0].items() if k not in ("Fraud", "Critical Fraud")}
    live = score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana")).explanation
    assert [c.feature for c in live.top] == [c.feature for c in batch_explanation.top]
    assert [c.feature for c in live.lowering] == [c.feature for c in batch_explanation.lowering]
    assert all(c.contribution > 0 for c in live.top)
    assert all(c.contribution < 0 for c in live.lowering)
    assert live.lowering  # some feature pulls the score down


def test_the_loaded_model_is_kept_until_the_data_change(node: Database) -> None:
    first = live_scorer(node)
    assert live_scorer(node) is first
    with node.transaction() as session:
        add_watch(
            session,
            watchlist="importers",
            column="importer",
            value="X",
            owner="intel",
            reason="test",
            valid_from=date(2021, 1, 1),
            actor=NodeSelf("ana"),
        )
    assert live_scorer(node) is not first


def test_watchlist_hit_and_mandatory_lane(node: Database) -> None:
    raw = {
        k: v
        for k, v in rows_of(RISK_DATA / "kcs-test-sample.csv")[0].items()
        if k not in ("Fraud", "Critical Fraud")
    }
    importer = raw["Importer ID"]
    with node.transaction() as session:
        add_watch(
            session,
            watchlist="importers",
            column="importer",
            value=importer,
            owner="intel",
            reason="test",
            valid_from=date(2021, 1, 1),
            mandatory=True,
            lane="physical",
            actor=NodeSelf("ana"),
        )
    decision = score_declaration(
        node, raw, profile="kcs", policy=LivePolicy(), actor=NodeSelf("ana")
    )
    assert (decision.lane, decision.reason) == ("physical", "mandatory")
    assert [h.rule for h in decision.hits] == [f"watchlist:importers:{importer}"]


def test_bad_declaration_refused_with_the_field(node: Database) -> None:
    raw = {
        k: v
        for k, v in rows_of(RISK_DATA / "kcs-test-sample.csv")[0].items()
        if k not in ("Fraud", "Critical Fraud")
    }
    raw["HS6 Code"] = "12AB"
    with pytest.raises(Refused) as refused:
        score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana"))
    assert [(i.field, i.row) for i in refused.value.report.issues] == [("HS6 Code", 1)]
