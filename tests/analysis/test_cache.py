"""The joint-analysis cache: reused while the data are unchanged, recomputed after a change."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alianza.actors import NodeSelf
from alianza.analysis.cache import JointAnalysisCache
from alianza.analysis.joint import joint_analysis
from alianza.exchange.package import build_package
from alianza.exchange.service import receive
from alianza.seizures.service import import_file
from tests.exchange.conftest import COVERAGE, Node, sample_tables
from tests.web.test_seizures_pages import EVENTS, write_events

QUARTER = "2024-Q2"  # the quarter of EVENTS' date


def test_cache_reuses_until_a_package_arrives(us_node: Node, mx_node: Node) -> None:
    cache = JointAnalysisCache(size=2)
    with us_node.database.reader() as session:
        first = cache.get(session, "2019-Q1", own_country="US")
        again = cache.get(session, "2019-Q1", own_country="US")
    assert again is first
    assert first.available == {"US": False, "MX": False}
    data = build_package(
        mx_node.keys,
        quarter="2019-Q1",
        tables=sample_tables("MX", "2019-Q1"),
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 4, 2, tzinfo=UTC),
    )
    receive(us_node.database, data, actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        after = cache.get(session, "2019-Q1", own_country="US")
    assert after is not first
    assert after.available == {"US": False, "MX": True}


def test_cache_recomputes_after_an_import(us_node: Node, tmp_path: Path) -> None:
    """The key follows the import batches alone (no count of every event on each view): an
    import of another event of the quarter gives a new analysis, with that event in it."""
    first = write_events(tmp_path / "a.csv", [EVENTS[1]])  # US-B: bilateral, 2024-05-02
    more = ("US-B2", "US", "CBP-OFO", "2504", "BILATERAL", "HEROIN", "2")  # the same day
    second = write_events(tmp_path / "b.csv", [more])
    cache = JointAnalysisCache(size=2)
    import_file(us_node.database, first, "canonical", actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        before = cache.get(session, QUARTER, own_country="US")
        assert cache.get(session, QUARTER, own_country="US") is before
    import_file(us_node.database, second, "canonical", actor=NodeSelf("test"))
    with us_node.database.reader() as session:
        after = cache.get(session, QUARTER, own_country="US")
        fresh = joint_analysis(session, QUARTER, own_country="US")
    assert before.available["US"]
    assert after is not before
    assert after == fresh
    assert after != before
