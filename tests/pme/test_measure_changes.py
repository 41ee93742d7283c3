"""Issue 17: after a government submitted its measures with a cycle, a registry record changed
on its node (a deliverable completed, a meeting added) is flagged by `pme assess --as-of` the
cycle's date and `pme todo` (then and now), and a binational measure appears once in the
edition when both governments submitted the same outcome, both marked when they differ.

Two real nodes (their own databases), the real registry services and the real signed cycle
messages over HTTP (tests/pme/test_cycle_measures.py)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from click.testing import CliRunner

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.cooperation.registry import add_meeting, complete_deliverable
from alianza.pme import cycle_publish
from tests.exchange.conftest import Node
from tests.exchange.test_http import serving
from tests.pme.test_cycle_measures import AS_OF, assess_json, targets
from tests.pme.test_cycle_messages import KEY, register_urls, run_cycle_to_publication

BTA_DONE = date(2000, 2, 15)


@pytest.fixture
def us_node(facts_us: Node) -> Node:
    return facts_us


@pytest.fixture
def mx_node(facts_mx: Node) -> Node:
    return facts_mx  # the issue's `alianza coop complete bta-update 2000-02-15`


def cli_json(node: Node, *args: str) -> dict[str, Any]:
    env = {"ALIANZA_DATABASE_URL": node.database.url}
    result = CliRunner().invoke(cli, ["--home", str(node.home), "pme", *args], env=env)
    assert result.exit_code == 0, result.output
    return dict(json.loads(result.output))


def cli_text(node: Node, *args: str, language: str = "en") -> str:
    env = {"ALIANZA_DATABASE_URL": node.database.url, "ALIANZA_LANGUAGE": language}
    result = CliRunner().invoke(cli, ["--home", str(node.home), "pme", *args], env=env)
    assert result.exit_code == 0, result.output
    return result.output


def changed_items(node: Node) -> list[dict[str, Any]]:
    todo = cli_json(node, "todo", "--today", "2000-03-01", "--format", "json")
    return [i for i in todo["items"] if i["kind"] == "measure-changed"]


def published(node: Node) -> dict[str, dict[str, Any]]:
    with node.database.reader() as session:
        return targets(cycle_publish.edition_file(session, KEY)["content"]["assessment"])


def test_a_record_completed_after_the_submission_is_flagged_by_assess_and_todo(
    us_node: Node, mx_node: Node
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node)
    for node in (us_node, mx_node):  # as submitted: nothing to flag
        assert changed_items(node) == []
        assert (
            cli_json(node, "assess", "--as-of", AS_OF, "--format", "json")[
                "changed_since_submission"
            ]
            == []
        )
    with us_node.database.transaction() as session:
        complete_deliverable(session, "bta-update", BTA_DONE, actor=NodeSelf("coordinator-us"))
    # the live measure now differs from the agreed edition (the defect: said nowhere); live,
    # the US node's own outcome also differs from the one Mexico submitted
    live = [
        m
        for m in targets(assess_json(us_node))["10.1/targets/2"]["from_records"]["measures"]
        if m["measurement"] == "10.1/measurements/2"
    ]
    [agreed] = [
        m
        for m in published(us_node)["10.1/targets/2"]["from_records"]["measures"]
        if m["measurement"] == "10.1/measurements/2"
    ]
    assert (agreed["government"], agreed["state"], agreed["display"]) == (
        "binational",
        "overdue",
        "not completed",
    )
    assert [(m["government"], m["state"], m["display"], m["agreement"]) for m in live] == [
        ("MX", "overdue", "not completed", "differs"),
        ("US", "met_late", "completed on 15 Feb 2000", "differs"),
    ]

    assessed = cli_json(us_node, "assess", "--as-of", AS_OF, "--format", "json")
    # completing bta-update also records the event 10.1/targets/1 waits on: its deadline
    # (six months after the event) is now known, so that target's measure changed state too
    event, change = assessed["changed_since_submission"]
    assert (event["target"], event["changed"]) == ("10.1/targets/1", ["state"])
    assert (event["then"]["state"], event["now"]["state"]) == ("waiting_on_event", "not_due")
    assert (change["cycle"], change["target"], change["measurement"]) == (
        KEY,
        "10.1/targets/2",
        "10.1/measurements/2",
    )
    assert change["government"] == "US"
    assert change["then"]["state"] == "overdue"
    assert change["then"]["met_on"] is None
    assert change["now"]["state"] == "met_late"
    assert change["now"]["met_on"] == "2000-02-15"
    assert change["changed"] == ["state", "value", "display", "met_on"]
    assert change["submitted_by"] == "coordinator-us"
    text = cli_text(us_node, "assess", "--as-of", AS_OF)
    assert "Changed since submission: 2 measure(s)" in text
    assert "10.1/targets/2 (10.1/measurements/2, deliverable): submitted by coordinator-us" in text
    assert "as overdue (not completed, 1 record(s)); computed now for 2000-02-29: met_late" in text
    assert "Los registros cambiaron después del envío" not in text  # said in one language
    spanish = cli_text(us_node, "assess", "--as-of", AS_OF, language="es")
    assert "Changed since submission" not in spanish
    assert "Los registros cambiaron después del envío" in spanish
    # another date than the cycle's, or replayed as known on a day: nothing to compare
    other = cli_json(us_node, "assess", "--as-of", "2000-03-31", "--format", "json")
    assert other["changed_since_submission"] == []

    _event, item = changed_items(us_node)
    assert item["subject"] == f"{KEY}/10.1/targets/2"
    assert "overdue" in item["detail"]
    assert "met_late" in item["detail"]
    assert "the edition is published with the outcomes submitted" in item["detail"]
    assert "la edición está publicada" in item["detail_es"]
    # Mexico's records did not change (its copy of the deliverable is its own)
    assert changed_items(mx_node) == []


def test_a_record_added_while_the_cycle_is_returned_is_flagged_until_resubmitted(
    us_node: Node, mx_node: Node
) -> None:
    """A meeting added on the MX node after Mexico's first submission: flagged with "return
    the cycle, then submit it again"; resubmitting clears the flag."""
    from alianza.pme import cycles

    def add_hlcg_meeting() -> None:
        with mx_node.database.transaction() as session:
            add_meeting(
                session, mechanism_key="hlcg", held_on=date(2000, 1, 20), source="acta",
                topics=["threat-assessment-update"], actor=NodeSelf("coordinador-mx"),
            )  # fmt: skip

    seen: list[list[dict[str, Any]]] = []

    def add_then_look() -> None:  # the cycle is returned here: Mexico submitted once
        add_hlcg_meeting()
        seen.append(changed_items(mx_node))

    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node, before_resubmitting=add_then_look)
    [before_resubmitting] = seen
    [item] = before_resubmitting
    assert item["subject"] == f"{KEY}/10.1/targets/2"
    assert "10.1/measurements/4, meetings" in item["detail"]
    assert "as overdue (0 meetings, 0 record(s))" in item["detail"]
    assert "submit the cycle again" in item["detail"]
    assert changed_items(mx_node) == []  # resubmitted: the edition holds the meeting
    with mx_node.database.reader() as session:
        assert cycles.cycle_view(session, KEY).round == 2


def test_binational_measures_appear_once_when_both_governments_agree(
    us_node: Node, mx_node: Node
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node)
    edition = published(us_node)
    # 10.3/targets/1: the BLMs' subgroups, binational records both nodes hold alike
    [subgroups] = edition["10.3/targets/1"]["from_records"]["measures"]
    assert subgroups["government"] == "binational"
    assert subgroups["agreement"] == "same"
    assert subgroups["governments"] == ["MX", "US"]
    assert subgroups["record_count"] == 17  # 9 BLMs and the 8 subgroups, counted once
    # 10.4/targets/1: each government's liaison posts (national records): one per government
    posts = edition["10.4/targets/1"]["from_records"]["measures"]
    assert [(m["government"], m["agreement"]) for m in posts] == [("MX", None), ("US", None)]
    # no measurement is listed twice with the same outcome anywhere in the edition
    for address, target in edition.items():
        listed = [m["measurement"] for m in (target["from_records"] or {}).get("measures", [])]
        repeated = {m for m in listed if listed.count(m) > 1}
        for measurement in repeated:
            sides = [
                m for m in target["from_records"]["measures"] if m["measurement"] == measurement
            ]
            assert all(m["agreement"] == "differs" for m in sides) or all(
                m["agreement"] is None and m["government"] in ("US", "MX") for m in sides
            ), address
    for node in (us_node, mx_node):  # live assess reads them the same way
        assert targets(assess_json(node))["10.3/targets/1"] == edition["10.3/targets/1"]


def test_a_binational_measure_the_governments_disagree_on_is_shown_both_ways(
    us_node: Node, mx_node: Node
) -> None:
    """An HLCG meeting recorded on the MX node only (binational: both nodes should hold it):
    the two governments' outcomes of 10.1/measurements/4 differ, and the edition shows both,
    marked, and agrees with `pme assess` on both nodes."""

    def add_meeting_on_mx() -> None:
        with mx_node.database.transaction() as session:
            add_meeting(
                session, mechanism_key="hlcg", held_on=date(2000, 1, 20), source="acta",
                topics=["threat-assessment-update"], actor=NodeSelf("coordinador-mx"),
            )  # fmt: skip

    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node, before_resubmitting=add_meeting_on_mx)
    edition = published(us_node)
    meetings = [
        m
        for m in edition["10.1/targets/2"]["from_records"]["measures"]
        if m["measurement"] == "10.1/measurements/4"
    ]
    assert [(m["government"], m["display"], m["agreement"]) for m in meetings] == [
        ("MX", "1 meeting", "differs"),
        ("US", "0 meetings", "differs"),
    ]
    text = cli_text(us_node, "assess", "--as-of", AS_OF)
    assert "10.1/measurements/4 (MX; DIFFERS from US's outcome): 1 meeting" in text
    assert "10.1/measurements/4 (US; DIFFERS from MX's outcome): 0 meetings" in text
    for node in (us_node, mx_node):
        assert targets(assess_json(node))["10.1/targets/2"] == edition["10.1/targets/2"]
