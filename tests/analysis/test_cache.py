"""The joint-analysis cache: kept in the node's database, shared by every worker (a second
Database and cache on the same database reads it, not recomputing), recomputed after any
change of the data (import, rebuild, package), never given to a key of another country or
inputs. On SQLite and PostgreSQL (the ``database_url`` fixture)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.analysis.cache import KIND, JointAnalysisCache, decode, encode
from alianza.analysis.joint import joint_analysis
from alianza.analysis.models import KeptResult
from alianza.db import Database
from alianza.exchange.package import build_package
from alianza.exchange.service import receive
from alianza.seizures.service import import_file, rebuild_summary
from tests.exchange.conftest import COVERAGE, Node, sample_tables
from tests.web.test_seizures_pages import EVENTS, write_events

QUARTER = "2024-Q2"  # the quarter of EVENTS' date


def _rows(database: Database) -> list[tuple[str, str]]:
    with database.reader() as session:
        found = session.execute(
            select(KeptResult.key, KeptResult.version).where(KeptResult.kind == KIND)
        )
        return [(key, version) for key, version in found]


def _mx_package(mx_node: Node, quarter: str) -> bytes:
    return build_package(
        mx_node.keys,
        quarter=quarter,
        tables=sample_tables("MX", quarter),
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 4, 2, tzinfo=UTC),
    )


def test_a_second_worker_reads_the_first_ones_analysis(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """Two workers: two Database objects and two caches on the same database. The second
    gets the first one's analysis (equal, every figure) without computing it."""
    import_file(
        us_node.database, write_events(tmp_path / "a.csv", EVENTS[:2]), "canonical",
        actor=NodeSelf("test"),
    )  # fmt: skip
    receive(us_node.database, _mx_package(mx_node, QUARTER), actor=NodeSelf("test"))
    first = JointAnalysisCache(us_node.database)
    other = Database(us_node.database.url, country="US")
    second = JointAnalysisCache(other)
    try:
        for inputs in ("records", "packages"):
            with us_node.database.reader() as session:
                computed = first.get(session, QUARTER, own_country="US", inputs=inputs)
                fresh = joint_analysis(session, QUARTER, own_country="US", inputs=inputs)
            with other.reader() as session:
                read = second.get(session, QUARTER, own_country="US", inputs=inputs)
            assert computed == fresh
            assert read == fresh
            assert read is not computed
        assert fresh.available["MX"]  # the partner's package read
        assert first.computed == 2
        assert second.computed == 0
        assert len(_rows(us_node.database)) == 2  # one row per inputs
    finally:
        other.dispose()


def test_an_import_a_rebuild_and_a_package_give_a_new_analysis(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """Each change gives a new data version: the analysis is computed again (once, for every
    worker), shows the change, and the rows of the versions before are deleted."""
    first = write_events(tmp_path / "a.csv", [EVENTS[1]])  # US-B: bilateral, 2024-05-02
    more = ("US-B2", "US", "CBP-OFO", "2504", "BILATERAL", "HEROIN", "2")  # the same day
    second = write_events(tmp_path / "b.csv", [more])
    cache = JointAnalysisCache(us_node.database)
    reader = JointAnalysisCache(us_node.database)  # another worker

    def seen() -> tuple[object, object]:
        with us_node.database.reader() as session:
            mine = cache.get(session, QUARTER, own_country="US")
            assert mine == joint_analysis(session, QUARTER, own_country="US")
        with us_node.database.reader() as session:  # the other worker's next request
            theirs = reader.get(session, QUARTER, own_country="US")
        assert theirs == mine
        return mine.totals, mine.available

    import_file(us_node.database, first, "canonical", actor=NodeSelf("test"))
    before = seen()
    assert (cache.computed, reader.computed) == (1, 0)
    import_file(us_node.database, second, "canonical", actor=NodeSelf("test"))
    after_import = seen()
    assert after_import != before
    assert (cache.computed, reader.computed) == (2, 0)
    rebuild_summary(us_node.database, actor=NodeSelf("test"))
    assert seen() == after_import  # the same figures, computed again for the new version
    assert (cache.computed, reader.computed) == (3, 0)
    receive(us_node.database, _mx_package(mx_node, QUARTER), actor=NodeSelf("test"))
    after_package = seen()
    assert after_package[1] == {"US": True, "MX": True}
    assert after_import[1] == {"US": True, "MX": False}
    assert (cache.computed, reader.computed) == (4, 0)
    assert len(_rows(us_node.database)) == 1  # the older versions' rows are gone


def test_another_country_or_inputs_never_gets_this_ones_analysis(us_node: Node) -> None:
    """The key holds the country the analysis is computed for and its inputs, as the cache
    kept in each worker did: an analysis kept for the US is not given to an MX viewer (nor
    the working view's to the edition's), each is computed for its own key."""
    cache = JointAnalysisCache(us_node.database)
    with us_node.database.reader() as session:
        us = cache.get(session, "2019-Q1", own_country="US")
        mx = cache.get(session, "2019-Q1", own_country="MX")
        edition = cache.get(session, "2019-Q1", own_country="US", inputs="packages")
        assert mx == joint_analysis(session, "2019-Q1", own_country="MX")
    assert (us.own_country, mx.own_country) == ("US", "MX")
    assert edition.inputs is not None
    assert us.inputs is None
    assert cache.computed == 3
    keys = sorted(json.loads(key)[1:] for key, _version in _rows(us_node.database))
    assert keys == [["MX", "records"], ["US", "packages"], ["US", "records"]]


def test_the_codec_gives_back_equal_values_and_makes_no_other_class() -> None:
    value = {("a", "b"): {"US": (1, 2.5, None)}, "s": {"x", "y"}, "l": [{"k": "v"}]}
    assert decode(json.loads(json.dumps(encode(value)))) == value
    with pytest.raises(TypeError):
        encode(NodeSelf("x"))
    with pytest.raises(KeyError):
        decode({"@c": "NodeSelf", "f": {}})


def test_a_memo_in_the_worker_reads_the_database_once(us_node: Node) -> None:
    """``memo_size``: the worker also keeps the analyses it got (the same object again)."""
    cache = JointAnalysisCache(us_node.database, memo_size=2)
    with us_node.database.reader() as session:
        first = cache.get(session, "2019-Q1", own_country="US")
        assert cache.get(session, "2019-Q1", own_country="US") is first
    assert cache.computed == 1
