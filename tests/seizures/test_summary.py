"""The summary tables (issue 19): kept at import, they equal a fresh rebuild from the events
whatever the imports did (new events, re-imports, revisions that change quantities, drugs or
the number of items, a second source's duplicates), on SQLite and PostgreSQL; the migration
back-fills them on a node that held events before; and the readers that now read them give the
same figures as the Python pass over every event (``aggregate_oracle.py``) put in their place.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from benchmarks.generate_node import DRUGS, Row, _rows, _write, us_event
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import bindparam, func, select, text

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.db.migrate import downgrade, upgrade
from alianza.seizures import load, service, summary
from alianza.seizures.models import DuplicateLink, Event, SummaryEvent
from alianza.seizures.service import import_file
from tests.conftest import POSTGRES_URL
from tests.seizures.aggregate_oracle import python_aggregate
from tests.seizures.test_aggregate_sql import BACKENDS, _node

SEED = 23
POOL = 40  # events the imports draw from: small, so that imports meet earlier ones often


def _second_source(event: Row, item: Row) -> tuple[Row, Row]:
    ident = event["source_record_id"].replace("US", "EPIC")
    return {**event, "source_system": "BENCH-US-EPIC", "source_record_id": ident}, item


def _corrected(event: Row, item: Row) -> tuple[Row, Row]:
    quantity = item["quantity"]
    changed = f"{float(quantity) * 1.1:.3f}" if "." in quantity else str(int(quantity) + 1)
    return event, {**item, "quantity": changed}


def _redrugged(event: Row, item: Row) -> tuple[Row, Row]:
    """Another drug (the next of the generator's list, with its form and unit)."""
    at = next(n for n, d in enumerate(DRUGS) if (d[0], d[1]) == (item["drug"], item["form"]))
    drug, form, unit, _range, _w = DRUGS[(at + 1) % len(DRUGS)]
    quantity = "120" if unit in ("TABLET", "PLANT") else "1.500"
    return {**event, "releasability": "NATIONAL_ONLY"}, {
        "drug": drug,
        "form": form,
        "quantity": quantity,
        "unit": unit,
    }


def _moved(event: Row, item: Row) -> tuple[Row, Row]:
    """Another month and port (the event moves between summary rows)."""
    return {
        **event,
        "event_date": "2022-02-14",
        "port_code": "2504",
        "location_type": ("POE_LAND_VEHICLE"),
        "area_of_responsibility": "",
        "reporting_agency": "CBP-OFO",
    }, item


CHANGES: dict[str, Callable[[Row, Row], tuple[Row, Row]] | None] = {
    "original": None,
    "second source": _second_source,
    "corrected": _corrected,
    "other drug": _redrugged,
    "moved": _moved,
}


def _file(folder: Path, name: str, numbers: list[int], change: str, first_only: bool) -> Path:
    rows = _rows(us_event, iter(numbers), SEED, CHANGES[change])
    if first_only:  # revisions that drop items: the first item of each event only
        seen: set[str] = set()
        kept = []
        for row in rows:
            if row["source_record_id"] not in seen:
                seen.add(row["source_record_id"])
                kept.append(row)
        rows = iter(kept)
    path = folder / name
    _write(path, rows)
    return path


def _summary_equals_rebuild(database: Database) -> None:
    with database.transaction() as session:
        connection = session.connection()
        kept = summary.snapshot(connection)
        summary.rebuild(connection)
        rebuilt = summary.snapshot(connection)
        session.rollback()
    for table in rebuilt:
        assert kept[table] == rebuilt[table], table


@pytest.fixture(scope="module", params=BACKENDS)
def node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    folder = tmp_path_factory.mktemp("summary")
    yield from _node(request.param, "US", folder)


IMPORTS = st.lists(
    st.tuples(
        st.sampled_from(sorted(CHANGES)),
        st.lists(st.integers(0, POOL - 1), min_size=1, max_size=12, unique=True),
        st.booleans(),
    ),
    min_size=1,
    max_size=4,
)
_counter = itertools.count()


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(imports=IMPORTS)
def test_summary_equals_rebuild_after_any_imports(
    node: Database, tmp_path_factory: pytest.TempPathFactory, imports: list[Any]
) -> None:
    """Each example imports more files into the same node (the invariant holds after any
    history, so the node keeps growing across examples), then compares."""
    folder = tmp_path_factory.mktemp("files")
    for change, numbers, first_only in imports:
        path = _file(folder, f"f{next(_counter)}.csv", sorted(numbers), change, first_only)
        outcome = import_file(node, path, "canonical", actor=NodeSelf("test"))
        assert not outcome.report.quarantined, outcome.report.counts_by_code
    _summary_equals_rebuild(node)


def test_summary_history_covers_revisions_and_duplicates(node: Database, tmp_path: Path) -> None:
    """The history the property test relies on happens: a revision moves an event and changes
    its drugs, a second source is linked as a duplicate, and the summary follows each step
    (the event counts of the tables are those of the counted events)."""
    steps = [
        ("original", list(range(30)), False),
        ("original", list(range(30)), False),  # a re-import: nothing changes
        ("second source", [0, 1, 2, 3], False),  # duplicates, counted once
        ("moved", [4, 5], False),
        ("other drug", [5, 6, 7], True),
        ("corrected", [8, 9], False),
        ("original", [4, 5, 6, 7, 8, 9], False),  # back to the first versions
    ]
    for n, (change, numbers, first_only) in enumerate(steps):
        path = _file(tmp_path, f"s{n}.csv", numbers, change, first_only)
        import_file(node, path, "canonical", actor=NodeSelf("test"))
        with node.reader() as session:
            counted = session.scalar(
                select(func.count(func.distinct(Event.id))).where(
                    Event.superseded_at.is_(None),
                    Event.id.not_in(select(DuplicateLink.event_id)),
                )
            )
            summed = session.scalar(select(func.sum(SummaryEvent.events)))
        assert summed == counted, (n, change)
        _summary_equals_rebuild(node)
    with node.reader() as session:
        assert session.scalar(select(func.count(DuplicateLink.id)))
        assert session.scalar(select(func.count(Event.superseded_at)))


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_back_fills_the_summary(backend: str, tmp_path: Path) -> None:
    """A node whose events were imported before the summary tables existed (the tables
    dropped by a downgrade, the import's upkeep then has nothing to keep) gets them filled by
    the migration, equal to what the imports kept."""
    for database in _node(backend, "US", tmp_path):
        for n, change in enumerate(("original", "second source", "corrected")):
            path = _file(tmp_path, f"m{n}.csv", list(range(0, 60, 1 + n)), change, False)
            import_file(database, path, "canonical", actor=NodeSelf("test"))
        with database.reader() as session:
            kept = summary.snapshot(session.connection())
        assert kept["seizure_summary_event"]
        downgrade(database.engine, "seizures_0003")
        upgrade(database.engine)
        with database.reader() as session:
            assert summary.snapshot(session.connection()) == kept


# --- the readers, against the Python pass put in place of ``aggregate`` -------------------


@pytest.fixture(scope="module", params=BACKENDS)
def filled(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    from benchmarks.generate_node import fill_node

    folder = tmp_path_factory.mktemp("readers")
    for database in _node(request.param, "US", folder):
        fill_node(database, 1200, 5, folder)
        yield database


def _both(monkeypatch: pytest.MonkeyPatch, module: Any, call: Callable[[], Any]) -> tuple[Any, Any]:
    """``call()`` as the product runs it, then with the Python pass in ``module``."""
    product = call()
    with monkeypatch.context() as patched:
        patched.setattr(module, "aggregate", python_aggregate)
        oracle = call()
    return product, oracle


def test_exchange_tables_equal_python_pass(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alianza.exchange import cube

    with filled.reader() as session:
        for quarter in ("2023-Q3", "2024-Q2"):
            product, oracle = _both(
                monkeypatch,
                cube,
                lambda q=quarter: cube.quarter_tables(session, country="US", quarter=q),
            )
            assert sum(len(v) for v in product[0].values()) > 20
            assert product == oracle
        quarters = ["2023-Q4", "2024-Q1", "2024-Q2"]
        product, oracle = _both(
            monkeypatch,
            cube,
            lambda: cube.quarters_tables(session, country="US", quarters=quarters),
        )
        assert product == oracle


def test_joint_analysis_equals_python_pass(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alianza.analysis.joint import joint_analysis
    from alianza.exchange import cube

    with filled.reader() as session:
        product, oracle = _both(
            monkeypatch, cube, lambda: joint_analysis(session, "2024-Q2", own_country="US")
        )
    assert product == oracle


def test_threat_assessment_equals_python_pass(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alianza.cooperation import threat_assessment

    def draft() -> str:
        return threat_assessment.draft_threat_assessment(
            session, date(2024, 1, 1), date(2024, 12, 31)
        )

    with filled.reader() as session:
        product = draft()
        # the draft's totals are kept (cached_aggregate): the oracle goes round the keeping,
        # or it would read the product's own totals back
        with monkeypatch.context() as patched:
            patched.setattr(threat_assessment, "cached_aggregate", python_aggregate)
            oracle = draft()
    assert "| 2024-Q" in product
    _same_text(product, oracle)


def _same_text(product: str, oracle: str) -> None:
    """The same text, but that a kilogram figure on a rounding tie (``10,773.15``: the same
    kilograms summed in another order land either side of it) may differ by one in the last
    digit shown."""
    mine, theirs = product.splitlines(), oracle.splitlines()
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs, strict=True):
        if a == b:
            continue
        cells_a, cells_b = a.split("|"), b.split("|")
        assert len(cells_a) == len(cells_b), (a, b)
        for x, y in zip(cells_a, cells_b, strict=True):
            if x != y:
                shown = float(x.replace(",", "")), float(y.replace(",", ""))
                assert abs(shown[0] - shown[1]) <= 0.1 + 1e-9, (a, b)


def test_pages_totals_equal_python_pass(filled: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """The seizure pages' and the map's totals (computed afresh: the cache is keyed by data
    version, so a fresh key is used for each path)."""
    from alianza.seizures import cache, overview

    # no cache, neither in the process nor in the database (memo and cached_aggregate)
    monkeypatch.setattr(cache.records, "get", lambda _session, _key, compute, **_: compute())
    with filled.reader() as session:
        for viewer in ("US", "MX"):
            product, oracle = _both(
                monkeypatch,
                cache,
                lambda v=viewer: (
                    overview._map_places(session, {}, v),
                    cache.cached_aggregate(session, ["quarter"], {}, viewer_country=v).rows(),
                    cache.cached_aggregate(session, ["source"], {}, viewer_country=v).rows(),
                ),
            )
            assert product[0]
            _close(product, oracle)


def _close(product: Any, oracle: Any) -> None:
    """Equal, floats to 1e-9 relative (the same kilograms summed in another order)."""
    if isinstance(product, float) and isinstance(oracle, float):
        assert product == pytest.approx(oracle, rel=1e-9)
    elif isinstance(product, (list, tuple)):
        assert type(product) is type(oracle)
        assert len(product) == len(oracle)
        for a, b in zip(product, oracle, strict=True):
            _close(a, b)
    elif isinstance(product, dict):
        assert product.keys() == oracle.keys()
        for key in product:
            _close(product[key], oracle[key])
    elif hasattr(product, "__dataclass_fields__"):
        assert type(product) is type(oracle)
        for name in product.__dataclass_fields__:
            _close(getattr(product, name), getattr(oracle, name))
    else:
        assert product == oracle


def test_rebuild_command_restores_the_tables(database_url: str, tmp_path: Path) -> None:
    """``alianza seizures summary-rebuild`` recomputes tables that no longer match the
    events (rows deleted by hand here) and says how many rows each holds."""
    from click.testing import CliRunner
    from sqlalchemy import delete

    from alianza.cli import cli

    database = Database(database_url, country="US")
    database.migrate()
    import_file(
        database,
        _file(tmp_path, "c.csv", list(range(25)), "original", False),
        "canonical",
        actor=NodeSelf("test"),
    )
    with database.reader() as session:
        kept = summary.snapshot(session.connection())
    with database.transaction() as session:
        session.execute(delete(SummaryEvent))
    result = CliRunner().invoke(
        cli,
        ["seizures", "summary-rebuild"],
        env={
            "ALIANZA_DATABASE_URL": database_url,
            "ALIANZA_HOME": str(tmp_path),
            "ALIANZA_COUNTRY": "US",
        },
    )
    assert result.exit_code == 0, result.output
    rows = len(kept["seizure_summary_event"])
    assert f"seizure_summary_event: {rows:,} rows" in result.output
    with database.reader() as session:
        assert summary.snapshot(session.connection()) == kept
    database.dispose()


@pytest.mark.postgres
@pytest.mark.skipif(POSTGRES_URL is None, reason="ALIANZA_TEST_POSTGRES_URL is not set")
def test_large_import_brings_summary_statistics_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: after an import of at least ``ANALYZE_MIN_ROWS`` events the planner has
    statistics of the summary tables (``reltuples`` no longer -1, "never analyzed"), so a
    read hashes the rows instead of sorting them on disk; a smaller import leaves them be."""
    tables = [t.name for t in summary.TABLES]

    def never_analyzed(database: Database) -> set[str]:
        with database.reader() as session:
            rows = session.execute(
                select(text("relname"), text("reltuples"))
                .select_from(text("pg_class"))
                .where(text("relname IN :names").bindparams(bindparam("names", expanding=True)))
                .params(names=tables)
            )
            return {name for name, tuples in rows if tuples < 0}

    for database in _node("postgresql", "US", tmp_path):
        small = _file(tmp_path, "small.csv", list(range(10)), "original", False)
        import_file(database, small, "canonical", actor=NodeSelf("test"))
        assert never_analyzed(database) == set(tables)  # 10 events: below the threshold
        monkeypatch.setattr(load, "ANALYZE_MIN_ROWS", 10)
        large = _file(tmp_path, "large.csv", list(range(10, 30)), "original", False)
        import_file(database, large, "canonical", actor=NodeSelf("test"))
        assert never_analyzed(database) == set()


# --- the rollup tables: the summary without place and concealment ------------------------

SHARED = {"BILATERAL", "PUBLIC_AGGREGATE"}
ROLLUP_QUESTIONS: list[tuple[list[str], dict[str, set[str]], str | None]] = [
    (["quarter"], {}, "US"),
    (["source"], {}, "MX"),
    (["drug", "quarter"], {}, None),
    (["year", "drug_group"], {"country": {"US"}}, None),
    (["transport_mode"], {"quarter": {"2024-Q2", "2023-Q3"}}, "US"),
    (["fiscal_year", "agency"], {}, None),
    (["month", "conveyance"], {"drug": {"FENTANYL", "HEROIN"}}, None),
    (["location_type", "releasability"], {}, "MX"),
    (["fiscal_quarter", "component", "drug_group"], {"year": {"2024"}}, "US"),
    # the exchange's totals over eight quarters (the joint analysis' trend): its filters are
    # decided by the database on the values held (every place of this US node is on the
    # border, so the region needs no condition), so it reads no place column
    (
        ["quarter", "drug_group"],
        {"country": {"US"}, "region": {"SOUTHWEST_BORDER"}, "releasability": SHARED},
        None,
    ),
]


def test_rollup_answers_equal_the_summary(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question that reads no place or concealment column is answered from the rollup
    tables, with the same cells as from the summary tables (the rollup grain taken away); a
    question by port or with a place filter still reads the summary."""
    from alianza.seizures.aggregate import aggregate

    chosen: list[tuple[Any, ...]] = []
    real = summary._tables

    def spy(query: Any) -> tuple[Any, ...]:
        tables = real(query)
        chosen.append(tables)
        return tables

    monkeypatch.setattr(summary, "_tables", spy)
    with filled.reader() as session:
        for by, where, viewer in ROLLUP_QUESTIONS:
            chosen.clear()
            rolled = aggregate(session, by, where, viewer_country=viewer)
            assert chosen == [summary.ROLLUP_TABLES], by
            with monkeypatch.context() as patched:
                patched.setattr(summary, "LEVELS", summary.LEVELS[:1])  # the summary only
                chosen.clear()
                fine = aggregate(session, by, where, viewer_country=viewer)
                assert chosen == [summary.SUMMARY_TABLES], by
            assert rolled.cells, by
            _close(rolled.cells, fine.cells)
        for by in (["port", "quarter"], ["state"], ["region", "drug"]):
            chosen.clear()
            aggregate(session, by, {}, viewer_country="US")
            assert chosen == [summary.PLACE_TABLES], by
        for by in (["concealment"], ["location_type", "concealment"]):
            chosen.clear()
            aggregate(session, by, {}, viewer_country="US")
            assert chosen == [summary.METHOD_TABLES], by
        for by in (["port", "transport_mode"], ["state", "location_type"]):
            chosen.clear()
            aggregate(session, by, {}, viewer_country="US")
            assert chosen == [summary.SUMMARY_TABLES], by


def test_rollup_rows_are_the_summary_rows_summed(filled: Database) -> None:
    """Each rollup table holds the rows of its summary table summed over the place and
    concealment columns (computed here from the summary, not from the events)."""
    from alianza.seizures.models import ROLLUP_KEYS

    with filled.reader() as session:
        held = summary.snapshot(session.connection())
        for fine, coarse in zip(summary.SUMMARY_TABLES, summary.ROLLUP_TABLES, strict=True):
            _summed_over_dropped(session, held, fine, coarse, ROLLUP_KEYS)


def _summed_over_dropped(
    session: Any, held: dict[str, Any], fine: Any, coarse: Any, grain: tuple[str, ...]
) -> None:
    """``coarse`` holds the rows of ``fine`` summed over the key columns not in ``grain``."""
    names = [c.name for c in coarse.c if c.name != "id"]  # the snapshot's order
    keys = [n for n in names if n in grain or n in ("drugs", "drug_code", "unit")]
    by = [fine.c[n] for n in keys]
    columns = [fine.c[n] if n in keys else func.sum(fine.c[n]) for n in names]
    rows = session.execute(select(*columns).group_by(*by)).all()
    kg = names.index("kg") if "kg" in names else -1
    summed = {tuple(round(v, 6) if n == kg else v for n, v in enumerate(r)) for r in rows}
    assert len(summed) < len(held[fine.name])  # the rollup is coarser here
    assert held[coarse.name] == summed, coarse.name


# --- the place rollup tables: the summary without location type, concealment, transport --

PLACE_QUESTIONS: list[tuple[list[str], dict[str, set[str]], str | None]] = [
    (["port", "location"], {}, "US"),  # the map
    (["port", "location"], {"drug_group": {"FENTANYL", "HEROIN"}, "fiscal_year": {"FY2024"}}, "MX"),
    (["drug", "port", "quarter"], {}, None),  # aggregate --by drug,port,quarter
    (  # the exchange's location table of a quarter, common border
        ["quarter", "drug_group", "location", "municipality", "state"],
        {
            "country": {"US"},
            "quarter": {"2024-Q2"},
            "region": {"SOUTHWEST_BORDER"},
            "releasability": SHARED,
        },
        None,
    ),
    (["region", "drug"], {}, "MX"),
    (["state", "year"], {"drug": {"FENTANYL", "HEROIN"}}, "US"),
    (["corridor", "agency", "source"], {}, None),
    (["border_zone", "month"], {"year": {"2023"}}, "US"),
]


def _answered_from(
    filled: Database,
    monkeypatch: pytest.MonkeyPatch,
    questions: Any,
    tables: tuple[Any, ...],
) -> None:
    """Each question (by, where, viewer) reads ``tables`` only, and its cells are those of the
    summary tables (``LEVELS`` cut to the summary)."""
    from alianza.seizures.aggregate import aggregate

    chosen: list[tuple[Any, ...]] = []
    real = summary._tables

    def spy(query: Any) -> tuple[Any, ...]:
        found = real(query)
        chosen.append(found)
        return found

    monkeypatch.setattr(summary, "_tables", spy)
    with filled.reader() as session:
        for by, where, viewer in questions:
            chosen.clear()
            rolled = aggregate(session, by, where, viewer_country=viewer)
            assert chosen == [tables], by
            with monkeypatch.context() as patched:
                patched.setattr(summary, "LEVELS", summary.LEVELS[:1])  # the summary only
                chosen.clear()
                fine = aggregate(session, by, where, viewer_country=viewer)
                assert chosen == [summary.SUMMARY_TABLES], by
            assert rolled.cells, by
            _close(rolled.cells, fine.cells)


def test_place_rollup_answers_equal_the_summary(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question that reads places but no location type, concealment, transport mode or
    conveyance (the map, totals by port, the exchange's common-border and location tables) is
    answered from the place rollup tables, with the same cells as from the summary tables."""
    _answered_from(filled, monkeypatch, PLACE_QUESTIONS, summary.PLACE_TABLES)


def test_place_rollup_rows_are_the_summary_rows_summed(filled: Database) -> None:
    """Each place rollup table holds the rows of its summary table summed over location type,
    concealment, transport mode and conveyance (computed here from the summary)."""
    from alianza.seizures.models import PLACE_ROLLUP_KEYS

    with filled.reader() as session:
        held = summary.snapshot(session.connection())
        for fine, coarse in zip(summary.SUMMARY_TABLES, summary.PLACE_TABLES, strict=True):
            _summed_over_dropped(session, held, fine, coarse, PLACE_ROLLUP_KEYS)


def test_rebuild_gives_the_pages_a_new_data_version(database_url: str, tmp_path: Path) -> None:
    """The pages keep their totals by the data version of what they are read from; a rebuild
    of the summary tables changes the totals without an import, so the totals kept before it
    (here, from tables emptied by hand) are not served after it: the records' cache and the
    joint analysis' cache both see a new version."""
    from sqlalchemy import delete

    from alianza.analysis.cache import TABLES
    from alianza.db.versioned import Kept, data_version
    from alianza.seizures import cache
    from alianza.seizures.service import rebuild_summary

    database = Database(database_url, country="US")
    database.migrate()
    import_file(
        database,
        _file(tmp_path, "v.csv", list(range(25)), "original", False),
        "canonical",
        actor=NodeSelf("test"),
    )
    with database.reader() as session:
        right = cache.cached_aggregate(session, ["quarter"], {}, viewer_country="US").rows()
    assert right
    with database.transaction() as session:
        for table in summary.TABLES:  # a summary out of step with the events
            session.execute(delete(table))
    cache.records._kept = Kept(cache.SIZE)  # nothing kept from before the damage
    assert cache.records.shared is not None
    cache.records.shared.forget(database)  # in the database neither
    with database.reader() as session:
        assert not cache.cached_aggregate(session, ["quarter"], {}, viewer_country="US").rows()
        before = data_version(session, TABLES)
    rebuild_summary(database, actor=NodeSelf("test"))
    with database.reader() as session:
        again = cache.cached_aggregate(session, ["quarter"], {}, viewer_country="US").rows()
        assert data_version(session, TABLES) != before
    _close(again, right)  # kilograms summed in another order
    database.dispose()


@pytest.mark.parametrize("spill", [False, True])
@pytest.mark.parametrize("backend", BACKENDS)
def test_tally_of_written_rows_equals_rebuild_on_both_paths(
    backend: str, spill: bool, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On SQLite an import sums its summary change from the rows it writes (``summary.Tally``)
    instead of reading its events back: a file of events of several items (the same drug
    twice in one event, with a mass and as a count of tablets, so the unit tables fill) and
    flagged events, imported by the row path and by the columnar path, leaves tables equal
    to a rebuild from the stored events, and the same with either path; a revision of some
    of the events (superseded, taken away) and a second import keep them so. ``spill``: the
    tally writes its groups out after every chunk (a large import's bounded memory), so a
    group is on several rows of the change tables, summed by the upsert."""
    from tests.seizures.test_columnar_events import build

    if spill:
        monkeypatch.setattr(load, "TALLY_MAX_GROUPS", 1)
        monkeypatch.setattr(service, "CHUNK", 50)  # several chunks, each written out

    path = tmp_path / "multi.csv"
    built = build(path, 300, seed=5)
    snapshots = []
    for engine in ("rows", "auto"):
        folder = tmp_path / engine
        folder.mkdir()
        for database in _node(backend, "US", folder):
            outcome = import_file(database, path, "canonical", actor=NodeSelf("t"), engine=engine)
            assert outcome.report.loaded == len(built["valid"])
            _summary_equals_rebuild(database)
            with database.reader() as session:
                kept = summary.snapshot(session.connection())
            assert kept["seizure_summary_unit"], "no item counted in units: the test is void"
            assert sum(row[-1] for row in kept["seizure_summary_event"]) == len(built["events"])
            snapshots.append(kept)
            revised = tmp_path / f"revised-{engine}.csv"
            text_ = path.read_text(encoding="utf-8").replace(",12.5,", ",13.5,")
            revised.write_text(text_, encoding="utf-8")
            outcome = import_file(
                database, revised, "canonical", actor=NodeSelf("t"), engine=engine
            )
            assert outcome.report.details["revised"], "no event revised: the test is void"
            _summary_equals_rebuild(database)
    assert snapshots[0] == snapshots[1]


# --- the method rollup tables: the summary without the place columns ---------------------

METHOD_QUESTIONS: list[tuple[list[str], dict[str, set[str]], str | None]] = [
    (["concealment"], {}, "US"),
    (  # the exchange's concealment table of a quarter, common border (the joint analysis)
        ["quarter", "drug_group", "concealment"],
        {
            "country": {"US"},
            "quarter": {"2024-Q2"},
            "region": {"SOUTHWEST_BORDER"},
            "releasability": SHARED,
        },
        None,
    ),
    (["concealment", "drug"], {"location_type": {"POE_LAND_VEHICLE"}}, "MX"),
    (["fiscal_year", "concealment", "conveyance"], {"drug_group": {"FENTANYL"}}, None),
]


def test_method_rollup_answers_equal_the_summary(
    filled: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A question by concealment that reads no place column (its region, if any, decided by
    the database on the places held) is answered from the method rollup tables, with the same
    cells as from the summary tables."""
    _answered_from(filled, monkeypatch, METHOD_QUESTIONS, summary.METHOD_TABLES)


def test_method_rollup_rows_are_the_summary_rows_summed(filled: Database) -> None:
    """Each method rollup table holds the rows of its summary table summed over the place
    columns (computed here from the summary)."""
    from alianza.seizures.models import METHOD_ROLLUP_KEYS

    with filled.reader() as session:
        held = summary.snapshot(session.connection())
        for fine, coarse in zip(summary.SUMMARY_TABLES, summary.METHOD_TABLES, strict=True):
            _summed_over_dropped(session, held, fine, coarse, METHOD_ROLLUP_KEYS)


def test_method_rollup_rows_equal_the_events_counted_here(filled: Database) -> None:
    """The method rollup tables hold, for each value of their keys, the counted events (current,
    not a duplicate, with a drug item) by set of drugs, by drug (events, items, kilograms,
    items with a mass) and the counted units of items without a mass: counted here event by
    event, in Python, from the events and items."""
    from collections import Counter, defaultdict

    from alianza.seizures.models import METHOD_ROLLUP_KEYS, DrugItem

    names = [n for n in METHOD_ROLLUP_KEYS if n not in ("year", "month")]
    bits = summary.drug_bits()
    with filled.reader() as session:
        duplicates = set(session.scalars(select(DuplicateLink.event_id)))
        items: dict[int, list[Any]] = defaultdict(list)
        for item in session.execute(select(DrugItem)).scalars():
            items[item.event_id].append(item)
        events: Counter[tuple[Any, ...]] = Counter()
        by_drug: dict[tuple[Any, ...], list[Any]] = {}
        units: dict[tuple[Any, ...], list[int]] = {}
        for event in session.execute(select(Event).where(Event.superseded_at.is_(None))).scalars():
            if event.id in duplicates or not items[event.id]:
                continue
            key = (
                *(getattr(event, n) for n in names),
                event.event_date.year,
                event.event_date.month,
            )
            held = items[event.id]
            events[(*key, sum({bits.get(i.drug_code, summary.UNKNOWN_DRUG) for i in held}))] += 1
            for code in {i.drug_code for i in held}:
                mine = [i for i in held if i.drug_code == code]
                masses = [i.net_mass_kg for i in mine if i.net_mass_kg is not None]
                sums = by_drug.setdefault((*key, code), [0, 0, 0.0, 0])
                sums[0] += 1
                sums[1] += len(mine)
                sums[2] += sum(masses)
                sums[3] += len(masses)
            for i in held:
                if i.net_mass_kg is None and i.unit_count is not None:
                    counted = units.setdefault((*key, i.drug_code, i.unit), [0, 0])
                    counted[0] += i.unit_count
                    counted[1] += 1
        snapshot = summary.snapshot(session.connection())
    assert len(events) > 100  # the node has what the comparison is about
    assert units
    assert snapshot["seizure_method_event"] == {(*k, n) for k, n in events.items()}
    assert snapshot["seizure_method_item"] == {
        (*k, e, n, round(kg, 6), m) for k, (e, n, kg, m) in by_drug.items()
    }
    assert snapshot["seizure_method_unit"] == {(*k, c, n) for k, (c, n) in units.items()}
