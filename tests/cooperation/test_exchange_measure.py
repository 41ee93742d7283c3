"""The 10.9 "Quarterly exchange of data" measure reads the exchange log (exchange_status)."""

from __future__ import annotations

from datetime import date, timedelta

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures
from alianza.cooperation.measures import compute_measures
from alianza.exchange.service import build_and_record, receive
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.exchange.conftest import COVERAGE, Node, sample_tables


def test_exchange_quarters_counts_on_time_and_late_quarters(us_node: Node, mx_node: Node) -> None:
    # Packages are stamped now: a quarter long past arrives late, the current one on time.
    today = date.today()
    current = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    q = (today.month - 1) // 3
    next_start = date(today.year + (q == 3), (q + 1) % 4 * 3 + 1, 1)
    for quarter in ("2019-Q1", current):
        data, _ = build_and_record(
            us_node.database,
            us_node.keys,
            quarter=quarter,
            tables=sample_tables("US", quarter),
            coverage=COVERAGE,
            actor=NodeSelf("test"),
        )
        # the receipt checks refuse a quarter not yet closed: receive as if on the day after
        receive(mx_node.database, data, today=next_start, actor=NodeSelf("test"))
    import_report_file(mx_node.database, SEED_REPORT, actor=NodeSelf("test"))
    with mx_node.database.transaction() as session:
        bind_seed_measures(session, actor=NodeSelf("test"))
    # As of a day after the current quarter's due date (quarter end + 45 days).
    as_of = next_start - timedelta(days=1) + timedelta(days=46)
    with mx_node.database.reader() as session:
        values = {v.measurement: v for v in compute_measures(session, as_of)}
    value = values["10.9/measurements/2"]
    records = value.computed.records
    assert "exchange:inbound:US:2019-Q1:late" in records
    assert f"exchange:inbound:US:{current}:on-time" in records
    assert value.computed.value == 1
    assert sum(":missing" in r for r in records) == len(records) - 2  # quarters in between
