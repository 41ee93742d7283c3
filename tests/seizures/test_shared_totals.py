"""The seizure pages' totals (``cached_aggregate``) kept in the node's database as well as in
each worker: a second worker (a second Database on the same database, its own memory empty)
reads the first one's totals instead of computing them; an import gives a new data version,
so neither serves the totals from before; a viewer country, scope or unit never gets another
one's totals; the totals read back equal the ones computed. On SQLite and PostgreSQL (the
``database_url`` fixture)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.db.kept import KeptResult, decode, encode
from alianza.seizures.aggregate import AggregateResult, Cell, aggregate
from alianza.seizures.cache import KIND, cached_aggregate, records
from alianza.seizures.scopes import SCOPES, Scope
from alianza.seizures.service import import_file
from tests.web.test_seizures_pages import EVENTS, write_events

US_EVENTS = EVENTS[:2]  # US-N: NATIONAL_ONLY heroin 2 kg; US-B: BILATERAL fentanyl 1.5 kg


def _computed() -> int:
    assert records.shared is not None
    return records.shared.computed


def _rows(database: Database) -> list[tuple[list[object], list[object]]]:
    with database.reader() as session:
        found = session.execute(
            select(KeptResult.key, KeptResult.version).where(KeptResult.kind == KIND)
        )
        return [(json.loads(key), json.loads(version)) for key, version in found]


def _kg(result: AggregateResult) -> dict[tuple[str, ...], float | None]:
    return {key: cell.amount_kg for key, cell in result.cells.items()}


@pytest.fixture
def workers(fresh_db: Database, tmp_path: Path) -> Iterator[tuple[Database, Database]]:
    """Two workers of a US node holding US_EVENTS: two Database objects on one database."""
    import_file(
        fresh_db, write_events(tmp_path / "a.csv", US_EVENTS), "canonical", actor=NodeSelf("t")
    )
    other = Database(fresh_db.url, country="US")
    records.forget_here()
    yield fresh_db, other
    other.dispose()


def test_a_second_worker_reads_the_first_ones_totals(workers: tuple[Database, Database]) -> None:
    first, second = workers
    before = _computed()
    with first.reader() as session:
        computed = cached_aggregate(session, ["drug"], {}, viewer_country="US")
        again = cached_aggregate(session, ["drug"], {}, viewer_country="US")
    assert again is computed  # this worker's own copy
    assert _computed() == before + 1
    records.forget_here()  # the second worker's memory: nothing of the first one's
    with second.reader() as session:
        read = cached_aggregate(session, ["drug"], {}, viewer_country="US")
        fresh = aggregate(session, ["drug"], {}, viewer_country="US")
    assert _computed() == before + 1  # read, not computed
    assert read is not computed
    assert read == computed == fresh
    assert _kg(read) == {("HEROIN",): 2.0, ("FENTANYL",): 1.5}
    assert len(_rows(first)) == 1


def test_an_import_gives_new_totals_to_every_worker(
    workers: tuple[Database, Database], tmp_path: Path
) -> None:
    first, second = workers
    before = _computed()

    def seen() -> dict[tuple[str, ...], float | None]:
        with first.reader() as session:
            mine = cached_aggregate(session, ["drug"], {}, viewer_country="US")
        with second.reader() as session:  # memory of its own, kept between the imports
            theirs = cached_aggregate(session, ["drug"], {}, viewer_country="US")
        assert theirs == mine
        return _kg(mine)

    assert seen() == {("HEROIN",): 2.0, ("FENTANYL",): 1.5}
    assert _computed() == before + 1
    more = ("US-B2", "US", "CBP-OFO", "2504", "BILATERAL", "HEROIN", "4")
    import_file(first, write_events(tmp_path / "b.csv", [more]), "canonical", actor=NodeSelf("t"))
    assert seen() == {("HEROIN",): 6.0, ("FENTANYL",): 1.5}  # neither serves the old totals
    assert _computed() == before + 2  # computed once more, for both workers
    rows = _rows(first)
    assert len(rows) == 1  # the older version's row deleted
    with first.reader() as session:
        assert rows[0][1] == list(records.version(session)[1:])


def test_viewer_countries_scopes_and_units_are_not_mixed(
    workers: tuple[Database, Database],
) -> None:
    """US-N is NATIONAL_ONLY: a US viewer sees it, an MX viewer must not, even when the US
    viewer's totals are kept first and the MX viewer asks another worker."""
    first, second = workers
    before = _computed()
    with first.reader() as session:
        us = cached_aggregate(session, ["drug"], {}, viewer_country="US")
    records.forget_here()
    with second.reader() as session:
        mx = cached_aggregate(session, ["drug"], {}, viewer_country="MX")
        scoped = cached_aggregate(
            session, ["drug"], {}, viewer_country="US", scope=SCOPES["mx-northern-border"]
        )
        pounds = cached_aggregate(session, ["drug"], {}, viewer_country="US", unit="lb")
        filtered = cached_aggregate(session, ["drug"], {"port": {"2506"}}, viewer_country="US")
    assert _computed() == before + 5  # none of them read another one's row
    assert _kg(us) == {("HEROIN",): 2.0, ("FENTANYL",): 1.5}
    assert _kg(mx) == {("FENTANYL",): 1.5}
    assert scoped.cells == {}  # no event on Mexico's side
    assert scoped.scope is SCOPES["mx-northern-border"]
    assert pounds.unit == "lb"
    assert pounds.rows()[0]["amount_lb"] == pytest.approx(1.5 / 0.45359237)
    assert _kg(filtered) == {("FENTANYL",): 1.5}
    assert len({json.dumps(key) for key, _version in _rows(first)}) == 5
    records.forget_here()
    with first.reader() as session:  # each read back for its own key
        assert cached_aggregate(session, ["drug"], {}, viewer_country="MX") == mx
        assert cached_aggregate(session, ["drug"], {}, viewer_country="US") == us
    assert _computed() == before + 5


def test_a_write_transaction_keeps_nothing_in_the_database(
    workers: tuple[Database, Database],
) -> None:
    """Totals computed inside a write transaction may be of records rolled back: they are not
    written for the other workers."""
    first, _second = workers
    with first.transaction() as session:
        result = cached_aggregate(session, ["drug"], {}, viewer_country="US")
    assert _kg(result) == {("HEROIN",): 2.0, ("FENTANYL",): 1.5}
    assert _rows(first) == []


def test_totals_read_back_equal_the_ones_computed(workers: tuple[Database, Database]) -> None:
    first, _second = workers
    with first.reader() as session:
        result = aggregate(
            session,
            ["fiscal_year", "drug", "port", "releasability"],
            {},
            viewer_country="US",
            scope=SCOPES["southwest-border-cbp-public"],
            unit="lb",
        )
    result.to_date_years = frozenset({"2024"})
    result.cells[("2024", "TABLET", "NOT_REPORTED", "BILATERAL")] = Cell(
        seizures=1, amount_kg=None, records_without_kg=1, records=1, units={"TABLET": 15000}
    )
    assert result.cells  # the imported events are there too
    back = decode(json.loads(json.dumps(encode(result))))
    assert back == result
    assert back.scope is SCOPES["southwest-border-cbp-public"]
    assert isinstance(back.to_date_years, frozenset)
    assert back.as_json() == result.as_json()
    assert back.as_csv() == result.as_csv()


def test_a_scope_not_among_the_named_ones_is_not_kept_by_its_name() -> None:
    made_up = Scope("all", SCOPES["all"].title, {"region": frozenset({"X"})})
    with pytest.raises(TypeError):
        encode(AggregateResult(("drug",), scope=made_up))


def test_a_key_longer_than_the_column_is_kept_by_its_hash(
    workers: tuple[Database, Database],
) -> None:
    first, _second = workers
    ports = {f"{n:04d}" for n in range(200)} | {"2506"}
    with first.reader() as session:
        result = cached_aggregate(session, ["drug"], {"port": ports}, viewer_country="US")
    assert _kg(result) == {("FENTANYL",): 1.5}
    with first.reader() as session:
        (key,) = session.scalars(select(KeptResult.key).where(KeptResult.kind == KIND))
        assert key.startswith("sha256:")
        assert session.scalar(select(func.length(KeptResult.key))) <= 400


def test_the_rows_kept_are_at_most_the_limit_the_newest_kept(
    workers: tuple[Database, Database], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Filters without end (API clients) never grow the table past the limit."""
    first, _second = workers
    assert records.shared is not None
    monkeypatch.setattr(records.shared, "limit", 3)
    ports = ["2504", "2506", "2304", "2402", "2503"]
    with first.reader() as session:
        for port in ports:
            cached_aggregate(session, ["drug"], {"port": {port}}, viewer_country="US")
    kept = [key[2] for key, _version in _rows(first)]
    assert sorted(kept) == sorted([[["port", [p]]] for p in ports[-3:]])


def test_a_page_does_not_wait_for_an_import_to_keep_its_totals(
    workers: tuple[Database, Database],
) -> None:
    """While another writer holds the database (an import holds it for minutes), a page
    computes its totals, shows them and keeps them in its worker only: the shared write is
    skipped at once (counted), not waited for behind the import (before: up to the busy
    timeout and the turn's, 20 s on SQLite, then a warning). Once the writer is done, the
    next worker's view computes and keeps them as usual."""
    first, second = workers
    if not first.is_sqlite:
        pytest.skip("PostgreSQL has no single writer: the write does not queue behind an import")
    assert records.shared is not None
    skipped = records.shared.skipped
    holding, done = threading.Event(), threading.Event()

    def hold() -> None:  # another writer's long transaction, in another thread
        with second.transaction() as session:
            session.execute(select(func.count()).select_from(KeptResult))
            holding.set()
            done.wait(60)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(30)
        with first.reader() as session:
            shown = cached_aggregate(session, ["drug"], {}, viewer_country="US")
        assert records.shared.skipped == skipped + 1
    finally:
        done.set()
        holder.join(60)
    assert _kg(shown) == {("HEROIN",): 2.0, ("FENTANYL",): 1.5}
    assert _rows(first) == []
    records.forget_here()
    with second.reader() as session:
        assert cached_aggregate(session, ["drug"], {}, viewer_country="US") == shown
    assert len(_rows(first)) == 1
