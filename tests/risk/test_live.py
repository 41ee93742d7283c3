"""Scoring a declaration as it arrives (issue 21): the node keeps the active model loaded, and
one declaration scores exactly as the batch path scores it; refused fields are named; the
explanation gives factors raising and lowering the score; rules and watchlists apply."""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from alianza.actors import NodeSelf
from alianza.audit import recent_entries, verify_chain
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.risk.book import RuleSpec, add_rule, add_watch, parse_condition
from alianza.risk.features import prepare
from alianza.risk.history import entity_keys
from alianza.risk.live import (
    Decision,
    LivePolicy,
    Refused,
    _RowKeys,
    live_scorer,
    score_arriving,
    score_declaration,
)
from alianza.risk.read import PROFILES, read_row
from alianza.risk.rules import first_time
from alianza.risk.schedule import rollback
from alianza.risk.service import explain_shipments, score_batch, store_model, train_and_store
from alianza.risk.store import import_shipments, record_outcome_rows
from alianza.risk.table import concat
from tests.risk.conftest import RISK_DATA
from tests.risk.test_store import unlabeled_copy

ACTION = "risk.score.declaration"


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
    second = live_scorer(node)
    assert second is not first
    # an outcome recorded changes the history the features count: renewed too
    outcome = {"reference": declaration()["Declaration ID"], "inspected_on": "2021-12-31"}
    report = record_outcome_rows(
        node, [{**outcome, "result": "violation"}], source="test", actor=NodeSelf("ana")
    )
    assert report.loaded == 1
    assert live_scorer(node) is not second


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


def declaration(index: int = 0) -> dict[str, str]:
    row = rows_of(RISK_DATA / "kcs-test-sample.csv")[index]
    return {k: v for k, v in row.items() if k not in ("Fraud", "Critical Fraud")}


def test_a_new_rule_or_model_applies_to_the_next_live_score(node: Database) -> None:
    """The loaded model and rules are cached: a rule added, a model stored (activated) or
    withdrawn after a score must apply to the very next one (fails if never invalidated)."""
    raw = declaration()
    first = score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana"))
    assert (first.model_id, first.hits) == (1, ())
    with node.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                code="this-importer",
                owner="intel",
                reason="test",
                valid_from=date(2021, 1, 1),
                mandatory=True,
                lane="non-intrusive",
                conditions=(parse_condition(f"importer in {raw['Importer ID']}"),),
            ),
            actor=NodeSelf("ana"),
        )
    ruled = score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana"))
    assert [h.rule for h in ruled.hits] == ["this-importer"]
    assert (ruled.lane, ruled.reason) == ("non-intrusive", "mandatory")
    model = live_scorer(node).model
    second = store_model(node, model, labeled_rows=1, seed=2, actor=NodeSelf("ana"))
    assert score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana")).model_id == second
    rollback(node, actor=NodeSelf("ana"), reason="test")
    assert score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana")).model_id == 1


def test_declarations_arriving_together_decide_as_each_alone(node: Database) -> None:
    """Concurrent callers are decided as one group (one prediction, one audit transaction):
    each gets the decision it gets alone, and each score is one audit entry of the chain."""
    raws = [declaration(i) for i in range(16)]
    alone = [score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana")) for raw in raws]
    with node.reader() as session:
        before = len([e for e in recent_entries(session, 10_000) if e.action == ACTION])
    together: list[Decision | None] = [None] * len(raws)
    start = threading.Barrier(len(raws))

    def post(i: int) -> None:
        start.wait()
        together[i] = score_declaration(node, raws[i], profile="kcs", actor=NodeSelf("ana"))

    threads = [threading.Thread(target=post, args=(i,)) for i in range(len(raws))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert together == alone
    # and one group of all of them, directly
    scorer = live_scorer(node)
    tables = [read_row(raw, PROFILES["kcs"])[0] for raw in raws]
    assert scorer.decide_each([(t, LivePolicy(), 5) for t in tables]) == alone
    with node.reader() as session:
        entries = [e for e in recent_entries(session, 10_000) if e.action == ACTION]
        assert len(entries) == before + len(raws)
        assert verify_chain(session).ok
    assert sorted(str(e.details["reference"]) for e in entries[: len(raws)]) == sorted(
        raw["Declaration ID"] for raw in raws
    )


def test_declarations_arriving_on_an_event_loop_decide_as_each_alone(node: Database) -> None:
    """The API's path: declarations arriving together on the event loop are decided as groups
    in the worker thread; each caller gets the decision it gets alone, its score one entry
    of the chain, committed when the answer comes."""
    raws = [declaration(i) for i in range(12)]
    alone = [score_declaration(node, raw, profile="kcs", actor=NodeSelf("ana")) for raw in raws]

    def entries() -> list[str]:
        with node.reader() as session:
            found = [e for e in recent_entries(session, 10_000) if e.action == ACTION]
            return [str(e.details["reference"]) for e in found]

    before = len(entries())

    async def arrive(raw: dict[str, str]) -> tuple[Decision, int]:
        decision = await score_arriving(node, raw, profile="kcs", actor=NodeSelf("ana"))
        return decision, entries().count(raw["Declaration ID"])

    async def together() -> list[tuple[Decision, int]]:
        return list(await asyncio.gather(*(arrive(raw) for raw in raws)))

    answered = asyncio.run(together())
    assert [decision for decision, _ in answered] == alone
    assert [count for _, count in answered] == [2] * len(raws)  # alone, then together
    assert len(entries()) == before + len(raws)
    with node.reader() as session:
        assert verify_chain(session).ok
    with pytest.raises(Refused):
        asyncio.run(
            score_arriving(node, {"Declaration ID": "X"}, profile="kcs", actor=NodeSelf("a"))
        )


def test_first_time_rule_looks_at_the_held_history(node: Database) -> None:
    """A first-time rule hits an importer with no held declaration before the row's day only
    (the scorer keeps each entity's first held day)."""
    with node.transaction() as session:
        add_rule(
            session,
            RuleSpec(
                code="new-importer",
                owner="intel",
                reason="test",
                valid_from=date(2021, 1, 1),
                weight=0.3,
                conditions=(parse_condition("importer first-time"),),
            ),
            actor=NodeSelf("ana"),
        )
    known = declaration()
    unknown = {**known, "Importer ID": "NEVER-SEEN-IMPORTER"}
    alone = score_declaration(node, unknown, profile="kcs", actor=NodeSelf("ana"))
    assert [h.rule for h in alone.hits] == ["new-importer"]
    assert score_declaration(node, known, profile="kcs", actor=NodeSelf("ana")).hits == ()
    # held declarations of that importer, counted as a batch would: the same answer
    rows = read_row(known, PROFILES["kcs"])[0]
    scorer = live_scorer(node)
    everything = scorer.held.take(
        np.flatnonzero(scorer.held.text["importer"] == known["Importer ID"])
    )
    expected = first_time(rows, everything.take(everything.day < rows.day[0]), "importer")
    assert not expected[0]


def test_the_caller_is_refused_on_the_event_loop_before_anything_is_read(tmp_path: Path) -> None:
    """On the API's path (:func:`score_arriving`), a user of the other government and a role
    without ``risk.read`` are refused before the database is touched: on a database holding no
    tables at all, they get their refusal, while a permitted user gets the database's error
    (it was really unreadable)."""
    from sqlalchemy.exc import OperationalError

    from alianza.accounts.permissions import Country, Role
    from alianza.accounts.principal import ForeignAccount
    from alianza.actors import NotPermitted
    from tests.test_acting import MX_ANALYST, assert_foreign, user

    empty = Database(f"sqlite:///{tmp_path / 'empty.db'}", country="US")  # never migrated
    raw = declaration(0)
    try:
        with pytest.raises(ForeignAccount) as foreign:
            asyncio.run(score_arriving(empty, raw, profile="kcs", actor=MX_ANALYST))
        assert_foreign(foreign, MX_ANALYST.username)
        viewer = user("viewer-us", Role.VIEWER, Country.US)
        with pytest.raises(NotPermitted) as refused:
            asyncio.run(score_arriving(empty, raw, profile="kcs", actor=viewer))
        assert "risk.read" in str(refused.value)
        analyst = user("analyst-us", Role.ANALYST, Country.US)
        with pytest.raises(OperationalError):
            asyncio.run(score_arriving(empty, raw, profile="kcs", actor=analyst))
    finally:
        empty.dispose()


def test_row_keys_join_as_the_batch_path_s_entity_keys(node: Database) -> None:
    """The live path joins the entity keys of a few rows in Python (issue 21): the same
    strings as :func:`entity_keys`, ``""`` where a part is missing, for every key the model
    uses (history, value and near cells)."""
    scorer = live_scorer(node)
    rows = prepare(scorer.held.take(np.arange(60)), scorer.model.spec)
    text = {name: values.copy() for name, values in rows.text.items()}
    text["importer"][::3] = ""
    text["origin"][1::4] = ""
    rows = dataclasses.replace(rows, text=text)
    assert scorer.keys  # history, value and near keys
    for key in scorer.keys:
        expected = [str(v) for v in entity_keys(rows, key).tolist()]
        assert _RowKeys(rows)(key) == expected, key
    assert "" in _RowKeys(rows)(("importer",))


def test_the_indexed_path_scores_a_set_as_the_batch_path(node: Database) -> None:
    """The live path's features come from an entity index with running sums (issue 21: a
    declaration costs a few look-ups): every declaration of the test period, decided in
    groups of several sizes, scores as :func:`score_batch` scores it (computed by the batch
    path on its own), each with the batch path's explanation figures; and for declarations
    the node does not hold (an importer never seen, a key part missing, the mass and the day
    moved) the feature matrix equals the batch featuriser's over the whole history held."""
    raws = [declaration(i) for i in range(len(rows_of(RISK_DATA / "kcs-test-sample.csv")))]
    batch = score_batch(node, start=date(2021, 4, 1), end=date(2021, 12, 31))
    index = {str(r): i for i, r in enumerate(batch.batch.table.ids)}
    scorer = live_scorer(node)
    tables = [read_row(raw, PROFILES["kcs"])[0] for raw in raws]
    assert len(tables) > 200
    for size in (1, 7, len(tables)):
        decided = []
        for first in range(0, len(tables), size):
            part = tables[first : first + size]
            decided += scorer.decide_each([(t, LivePolicy(), 5) for t in part])
        for decision in decided:
            i = index[decision.reference]
            for head, got in (("general", decision.p_violation), ("critical", decision.p_critical)):
                assert got == pytest.approx(float(batch.scores.probability[head][i]), abs=1e-9)
            assert decision.cold_start == bool(batch.scores.cold["general"][i])
    # explanations: the batch path's own (explain_shipments), figure by figure
    references = [raw["Declaration ID"] for raw in raws[:40]]
    by_reference = {
        d.reference: d for d in scorer.decide_each([(t, LivePolicy(), 5) for t in tables[:40]])
    }
    for reference, expected in explain_shipments(node, references):
        got = by_reference[reference].explanation
        assert got.raw_score == pytest.approx(expected.raw_score, abs=1e-9)
        assert [(c.feature, c.value) for c in got.top] == [
            (c.feature, c.value) for c in expected.top
        ]
        assert [(c.feature, c.value) for c in got.lowering] == [
            (c.feature, c.value) for c in expected.lowering
        ]
        for mine, theirs in zip(
            got.top + got.lowering, expected.top + expected.lowering, strict=True
        ):
            assert mine.contribution == pytest.approx(theirs.contribution, abs=1e-9)
    # declarations not held: the matrix equals the batch featuriser's
    changed = [
        {**raws[0], "Importer ID": "NEVER-SEEN-IMPORTER"},
        {**raws[1], "Declarant ID": ""},
        {**raws[2], "Net Mass": str(float(raws[2]["Net Mass"]) * 1.03 + 0.1)},
        {**raws[3], "Date": "2020-06-01"},
        {**raws[4], "HS6 Code": "999999"},
    ]
    # declarations dated on days of the labeled history, sharing their entities (labels of
    # the same day must not count)
    for held in rows_of(RISK_DATA / "kcs-train-sample.csv")[300:303]:
        unlabeled = {k: v for k, v in held.items() if k not in ("Fraud", "Critical Fraud")}
        changed.append({**unlabeled, "Declaration ID": f"NEW-{held['Declaration ID']}"})
    rows = [read_row(raw, PROFILES["kcs"])[0] for raw in changed]
    for row in rows:
        assert len(row) == 1
    live = scorer.matrix(concat(rows))
    expected = scorer.model.matrix(concat(rows), scorer.held)
    assert live.names == expected.names
    assert np.array_equal(np.isnan(live.values), np.isnan(expected.values))
    assert np.allclose(
        np.nan_to_num(live.values), np.nan_to_num(expected.values), rtol=0, atol=1e-9
    )
    # the history columns really vary among these rows (the comparison is not of constants)
    history = [j for j, name in enumerate(live.names) if name.startswith("history_")]
    assert len({tuple(np.nan_to_num(live.values[r, history])) for r in range(len(rows))}) == 8


@pytest.mark.parametrize(
    ("policy", "english", "spanish"),
    [
        (
            lambda: LivePolicy(random_share=-0.1),
            "random_share must be between 0 and 1",
            "random_share debe estar entre 0 y 1",
        ),
        (
            lambda: LivePolicy(control="x-ray"),
            "the control lane 'x-ray' is not one of the lanes",
            "el carril de control 'x-ray' no es uno de los carriles",
        ),
    ],
)
def test_a_live_policy_refusal_is_said_in_spanish(
    policy: Callable[[], LivePolicy], english: str, spanish: str
) -> None:
    with pytest.raises(ValueError, match=r"random_share|control lane") as refused:
        policy()
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish
