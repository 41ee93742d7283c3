"""The joint-analysis cache: reused while the data are unchanged, recomputed after a change."""

from __future__ import annotations

from datetime import UTC, datetime

from alianza.actors import NodeSelf
from alianza.analysis.cache import JointAnalysisCache
from alianza.exchange.package import build_package
from alianza.exchange.service import receive
from tests.exchange.conftest import COVERAGE, Node, sample_tables


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
