"""Issue 17: one truth across two nodes. Each government submits the outcomes of the registry's
measures its node computes (counts and dates, never records) with the cycle; both nodes
publish the same edition, and its scorecard agrees, target by target, with `pme assess
--as-of` the cycle's date on each node."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.cooperation.registry import add_training
from alianza.pme import cycle_measures, cycle_publish, cycles
from alianza.pme.assessment import assess_plan
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycles import CycleRefused
from alianza.pme.engine_models import CycleMeasuresRow
from alianza.pme.load import DEFAULT_PLAN
from tests.exchange.conftest import Node
from tests.exchange.test_http import serving
from tests.pme.conftest import OFFICER
from tests.pme.test_cycle_messages import KEY, register_urls, run_cycle_to_publication

AS_OF = "2000-02-29"
TRAINED_ON = date(1999, 11, 20)


@pytest.fixture
def us_node(facts_us: Node) -> Node:
    return facts_us


@pytest.fixture
def mx_node(facts_mx: Node) -> Node:
    return facts_mx


def train_mexican_inspectors(mx: Node) -> None:
    """A record on the MX node that decides 10.8/targets/2 (Mexican inspectors trained)."""
    with mx.database.transaction() as session:
        add_training(
            session, subject="large-x-ray-and-ion-scanners", country="MX", agency="Aduanas",
            people=25, held_on=TRAINED_ON, source="course roster", trainer="USCS",
            actor=NodeSelf("test"),
        )  # fmt: skip


def assess_json(node: Node) -> dict[str, Any]:
    """`alianza pme assess --as-of` the cycle's date, on ``node``, as JSON."""
    args = ["--home", str(node.home), "pme", "assess", "--as-of", AS_OF, "--format", "json"]
    env = {"ALIANZA_DATABASE_URL": node.database.url}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def targets(assessment: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Address → the target's assessment, without the ids of the records behind a measure
    (node-local ids: the edition holds their count, checked separately)."""
    found = {}
    for point in assessment["alliance_points"]:
        for action in point["actions"]:
            for target in action["targets"]:
                target = json.loads(json.dumps(target))
                for measure in (target["from_records"] or {}).get("measures", []):
                    measure.pop("records")
                found[target["address"]] = target
    return found


def mx_measures(target: dict[str, Any]) -> list[dict[str, Any]]:
    return [m for m in target["from_records"]["measures"] if m["government"] == "MX"]


def test_edition_scorecard_agrees_with_assess_on_every_target_of_both_nodes(
    us_node: Node, mx_node: Node
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        # Mexico's training is recorded after its first submission, while the cycle is
        # returned: its second submission replaces the outcomes it submitted first
        run_cycle_to_publication(
            us_node, mx_node, before_resubmitting=lambda: train_mexican_inspectors(mx_node)
        )
    editions = {}
    for name, node in (("us", us_node), ("mx", mx_node)):
        with node.database.reader() as session:
            editions[name] = cycle_publish.edition_file(session, KEY)
    assert editions["us"]["sha256"] == editions["mx"]["sha256"]
    content = editions["us"]["content"]
    basis = content["assessment_basis"]
    assert "MX (submitted by coordinador-mx, round 2)" in basis
    assert "US (submitted by coordinator-us, round 2)" in basis
    published = targets(content["assessment"])
    for node in (us_node, mx_node):
        assessed = assess_json(node)
        live = targets(assessed)
        assert live.keys() == published.keys()
        for address, target in published.items():
            assert live[address] == target, f"{address} differs on the {node.database.url}"
        assert assessed["rollup"] == content["assessment"]["rollup"]
    # the target that only Mexico's records decide: met on the training day, on both nodes
    # (its text has no deadline: the state stays no_deadline)
    trained = published["10.8/targets/2"]
    [measure] = mx_measures(trained)
    assert measure["measure"] == "trained"
    assert measure["record_count"] == 1
    assert trained["from_records"]["met_on"] == TRAINED_ON.isoformat()
    # 10.4/targets/1 (a customs liaison post in each country): one measure per government;
    # Mexico's counts its three posts (two from the 1999 facts and the one added here)
    posts = published["10.4/targets/1"]["from_records"]["measures"]
    assert [(m["government"], m["record_count"]) for m in posts] == [("MX", 3), ("US", 1)]


def test_submitted_outcomes_carry_no_record_and_are_replaced_at_resubmission(
    us_node: Node, mx_node: Node
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(
            us_node, mx_node, before_resubmitting=lambda: train_mexican_inspectors(mx_node)
        )
    with mx_node.database.reader() as session:
        sent = [m.payload for m in all_messages(session) if m.kind == "submit"]
    assert [len(p["measures"]) for p in sent] == [len(sent[0]["measures"])] * 2
    wire = json.dumps(sent, ensure_ascii=False)
    assert OFFICER not in wire
    assert "liaison-post:" not in wire  # no record ids
    assert "training:" not in wire
    with us_node.database.reader() as session:
        kept = list(
            session.scalars(
                select(CycleMeasuresRow)
                .where(CycleMeasuresRow.country == "MX")
                .order_by(CycleMeasuresRow.id)
            )
        )
    assert [(k.round, k.received_from) for k in kept] == [
        (1, "Nodo MX (SRE)"),
        (2, "Nodo MX (SRE)"),
    ]
    first, second = ({m["measurement"]: m for m in k.measures} for k in kept)
    assert first["10.8/measurements/2"]["record_count"] == 0
    assert second["10.8/measurements/2"]["record_count"] == 1
    # replayed as known before the outcomes arrived, the US scorecard has no Mexican measure
    # (the bindings and facts were recorded the same day: none at all)
    received = kept[0].recorded_at.date()
    with us_node.database.reader() as session:
        for known_on, governments in (
            (received - timedelta(days=1), set()),
            (received, {"US", "MX", "binational"}),
        ):
            scorecard = assess_plan(session, date(2000, 2, 29), known_on=known_on)
            found = {
                m.government
                for t in scorecard.targets()
                if t.records is not None
                for m in t.records.measures
            }
            assert found == governments, known_on


def test_a_malformed_partner_outcome_is_refused(us_node: Node, mx_node: Node) -> None:
    with mx_node.database.reader() as session:
        [good] = [
            m
            for m in cycle_measures.measure_snapshot(session, date(2000, 2, 29))
            if m["measurement"] == "10.8/measurements/2"
        ]
    with us_node.database.transaction() as session:
        cycles.open_cycle(
            session, KEY, as_of=date(2000, 2, 29), label_en="Feb", label_es="feb",
            actor=NodeSelf("coordinator-us"),
        )  # fmt: skip
        row = cycles._cycle(session, KEY, DEFAULT_PLAN)
        for bad in (
            {**good, "records": ["training:1"]},  # a record id: not an outcome field
            {**good, "record_count": -1},
            {**good, "met_on": "last spring"},
            {**good, "target": "10.8/status/1"},
        ):
            with pytest.raises(CycleRefused, match="not valid"):
                cycle_measures.apply_partner_measures(
                    session, row, [bad], mx_node.keys.identity, "coordinador-mx"
                )


OUTCOME: dict[str, Any] = {
    "measurement": "10.8/measurements/2", "measure": "training", "target": "10.8/targets/2",
    "state": "met", "value": 25, "display": "25", "display_es": "25", "target_value": "20",
    "target_value_es": "20", "met_on": "1999-11-20", "met_on_precision": "exact",
    "approximate_dates": False, "record_count": 1, "problem": None, "scope": "national",
}  # fmt: skip


@pytest.mark.parametrize(
    ("change", "english", "spanish"),
    [
        ({"record_count": -1}, "value and record_count are whole numbers",
         "value y record_count deben ser números enteros"),
        ({"met_on": "last spring"}, "met_on 'last spring' is not a date",
         "met_on 'last spring' no es una fecha"),
        ({"target": "10.8/status/1"}, "target is not a targets paragraph",
         "target no es un párrafo de targets"),
        ({"display_es": 25}, "display_es is not text", "display_es no es texto"),
        ({"problem": 3}, "problem is not text", "problem no es texto"),
        ({"scope": "global"}, "scope is one of binational, national",
         "scope es uno de binational, national"),
        ({"met_on_precision": "week"}, "met_on_precision or approximate_dates",
         "met_on_precision o approximate_dates"),
        ({"records": ["training:1"]}, "fields ['records']", "campos ['records']"),
        ({"target": "10.8 targets 2"},
         "'10.8 targets 2' is not a paragraph address like '10.2/status/5' or '10.1/targets/1'",
         "'10.8 targets 2' no es una dirección"),
    ],
)  # fmt: skip
def test_a_malformed_partner_outcome_is_refused_in_english_and_spanish(
    change: dict[str, Any], english: str, spanish: str
) -> None:
    with pytest.raises(CycleRefused) as refused:
        cycle_measures._checked({**OUTCOME, **change}, "MX")
    where = "10.8/measurements/2"
    assert str(refused.value) == (
        f"the MX node submitted a measure outcome that is not valid ({where}: {english})"
    )
    said = in_language(message_of(refused.value), "es")
    assert said.startswith(f"el nodo de MX envió un resultado de medida no válido ({where}: ")
    assert spanish in said


def test_a_partner_outcome_that_is_not_an_object_is_refused_in_spanish() -> None:
    with pytest.raises(CycleRefused, match=r"not valid \(\?: not an object\)") as refused:
        cycle_measures._checked(["not", "a", "dict"], "MX")
    assert in_language(message_of(refused.value), "es").endswith("(?: no es un objeto)")


def test_a_well_formed_partner_outcome_is_kept() -> None:
    assert cycle_measures._checked(OUTCOME, "MX") == OUTCOME
