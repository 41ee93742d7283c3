"""``aggregate`` sums events in SQL (issue 19): the same cells as the Python pass it replaced
(kept as the oracle in ``aggregate_oracle.py``), on real data (the CBP files and MUCD files
of ``tests/data``, the demo's MX sample) and on generated nodes, on SQLite and PostgreSQL,
for every dimension, filters, scopes and viewers of either country."""

from __future__ import annotations

import math
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from benchmarks.generate_node import fill_node
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.aggregate import DIMENSIONS, AggregateResult, aggregate
from alianza.seizures.models import DuplicateLink, Event
from alianza.seizures.mucd import import_mucd
from alianza.seizures.sample import PROVENANCE, write_mx_sample
from alianza.seizures.scopes import SCOPES
from alianza.seizures.service import import_file
from tests.conftest import DATA, POSTGRES_URL
from tests.seizures.aggregate_oracle import python_aggregate
from tests.seizures.conftest import CBP, CBP_FILES

BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(POSTGRES_URL is None, reason="ALIANZA_TEST_POSTGRES_URL is not set"),
        ],
    ),
]


def _node(backend: str, country: str, folder: Path) -> Iterator[Database]:
    if backend == "sqlite":
        database = Database(f"sqlite:///{folder / 'node.db'}", country=country)
        database.migrate()
        yield database
        database.dispose()
        return
    assert POSTGRES_URL is not None
    name = f"alianza_test_{uuid.uuid4().hex[:12]}"
    server = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    database = Database(url, country=country)
    database.migrate()
    try:
        yield database
    finally:
        database.dispose()
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        server.dispose()


@pytest.fixture(scope="module", params=BACKENDS)
def us_node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """A US node: CBP's four public files (published rows) and 1,500 generated events (with
    a second source's duplicates and corrections that supersede earlier versions)."""
    folder = tmp_path_factory.mktemp("us")
    for database in _node(request.param, "US", folder):
        for name, profile in CBP_FILES.items():
            import_file(database, CBP / name, profile, actor=NodeSelf("test"))
        fill_node(database, 1500, 19, folder)
        yield database


@pytest.fixture(scope="module", params=BACKENDS)
def mx_node(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Database]:
    """An MX node: the MUCD files of tests/data (municipality totals), the demo's generated
    MX sample and 1,500 generated events."""
    folder = tmp_path_factory.mktemp("mx")
    for database in _node(request.param, "MX", folder):
        import_mucd(database, DATA / "mx" / "mucd", actor=NodeSelf("test"))
        sample = folder / "sample.csv"
        write_mx_sample(sample, first=date(2023, 1, 1), last=date(2025, 12, 31), events=400)
        import_file(database, sample, "canonical", actor=NodeSelf("test"), provenance=PROVENANCE)
        fill_node(database, 1500, 7, folder)
        yield database


QUESTIONS: list[tuple[list[str], dict[str, set[str]], str | None]] = [
    *(([d], {}, None) for d in DIMENSIONS),
    (["drug", "port", "quarter"], {}, None),
    (["quarter", "drug_group"], {}, None),
    (["port", "location"], {}, None),
    (["drug_group", "concealment"], {"quarter": {"2024-q2"}}, None),
    (["drug_group", "transport_mode"], {"country": {"us", "MX"}, "quarter": {"2024-Q3"}}, None),
    (["drug_group", "location", "municipality", "state"], {"region": {"mx_northern_border"}}, None),
    (["fiscal_year", "drug_group"], {}, "southwest-border-cbp-public"),
    (["fiscal_quarter", "drug"], {"drug_group": {"FENTANYL", "heroin", "OTHER"}}, None),
    (["month", "component"], {"drug": {"fentanyl"}, "fiscal_year": {"FY2025"}}, None),
    (["source"], {"drug": {"FENTANYL"}, "drug_group": {"FENTANYL", "MARIJUANA"}}, None),
    (["year", "concealment"], {"concealment": {"DASHBOARD"}}, "mx-northern-border"),
    (["corridor", "border_zone"], {"releasability": {"BILATERAL", "PUBLIC_AGGREGATE"}}, None),
    (["drug"], {"month": {"1999-01"}}, None),
    # filters the database decides on the values held (see aggregate._decided_filters): the
    # joint analysis' tables, a corridor and a location type only some values pass, a filter
    # that reads no column (passing, failing)
    (
        ["drug_group", "concealment"],
        {
            "region": {"southwest_border"},
            "releasability": {"bilateral", "PUBLIC_AGGREGATE"},
            "country": {"US"},
            "quarter": {"2024-Q2"},
        },
        None,
    ),
    (
        ["agency", "quarter"],
        {
            "corridor": {"SAN_DIEGO_FIELD_OFFICE", "el_paso_field_office"},
            "location_type": {"poe_land_cargo", "CHECKPOINT_MX", "BETWEEN_POE"},
        },
        None,
    ),
    (["transport_mode", "port"], {"source": {"nothing held"}}, None),
    (["drug"], {"land_filter": {"not_reported"}}, None),
    (["drug"], {"land_filter": {"ALL"}}, None),
    (["port"], {"drug": {"NOT_A_DRUG"}}, None),
]


def _compare(expected: AggregateResult, actual: AggregateResult) -> None:
    assert actual.duplicates_excluded == expected.duplicates_excluded
    assert actual.to_date_years == expected.to_date_years
    assert sorted(actual.cells) == sorted(expected.cells)
    for key, want in expected.cells.items():
        got = actual.cells[key]
        assert (got.seizures, got.records, got.records_without_kg, got.count_not_reported) == (
            want.seizures,
            want.records,
            want.records_without_kg,
            want.count_not_reported,
        ), key
        assert got.units == want.units, key
        if want.amount_kg is None:
            assert got.amount_kg is None, key
        else:  # the same kilograms, summed in another order
            assert got.amount_kg is not None, key
            assert math.isclose(got.amount_kg, want.amount_kg, rel_tol=1e-9), key


def _check_every_question(database: Database, viewer: str | None, *, versions: bool) -> None:
    with database.reader() as session:
        held = session.scalar(select(func.count(Event.id)))
        superseded = session.scalar(select(func.count(Event.superseded_at)))
        duplicates = session.scalar(select(func.count(DuplicateLink.id)))
        assert (held or 0) > 1500  # the data the comparison is about is there
        if versions:
            assert superseded  # corrections superseded earlier versions
            assert duplicates  # a second source's events were linked
        compared = 0
        for by, where, scope in QUESTIONS:
            chosen = SCOPES[scope] if scope else None
            expected = python_aggregate(
                session, by, _copy(where), viewer_country=viewer, scope=chosen
            )
            actual = aggregate(session, by, _copy(where), viewer_country=viewer, scope=chosen)
            _compare(expected, actual)
            compared += len(expected.cells)
        assert compared > 1000


def _copy(where: dict[str, set[str]]) -> dict[str, set[str]]:
    return {k: set(v) for k, v in where.items()}


def _decided_filters_give_the_python_cells(
    node: Database, viewer: str | None, versions: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The filters a question's groups would be decided by, decided instead on the values
    held and applied by the database (``aggregate._decided_filters``), give the cells of the
    Python pass, also where every filter that some value fails is left to the groups (a long
    list of passing values) and where the GROUP BY over every event applies the conditions
    (``EventQuery.sums``, the code the benchmark times)."""
    from alianza.seizures import aggregate as module

    with monkeypatch.context() as patched:
        patched.setattr(module, "MOST_ALLOWED", 0)
        _check_every_question(node, viewer, versions=versions)
    with monkeypatch.context() as patched:
        patched.setattr(module, "EVENT_GROUPS", lambda session, query: query.sums(session))
        _check_every_question(node, viewer, versions=versions)


# One node a test: the two nodes' fixtures each take both backends, so a test of both would
# also run every mixed pair (a US node on SQLite with an MX node on PostgreSQL), twice the
# work for no other code path.
@pytest.mark.parametrize("viewer", [None, "US"])
def test_us_filters_decided_per_group_or_over_every_event_give_the_same_cells(
    us_node: Database, viewer: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _decided_filters_give_the_python_cells(us_node, viewer, True, monkeypatch)


@pytest.mark.parametrize("viewer", [None, "US"])
def test_mx_filters_decided_per_group_or_over_every_event_give_the_same_cells(
    mx_node: Database, viewer: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    _decided_filters_give_the_python_cells(mx_node, viewer, False, monkeypatch)


@pytest.mark.parametrize("viewer", [None, "US", "MX"])
def test_aggregate_us_node_cells_equal_python_pass(us_node: Database, viewer: str | None) -> None:
    _check_every_question(us_node, viewer, versions=True)


@pytest.mark.parametrize("viewer", [None, "US", "MX"])
def test_aggregate_mx_node_cells_equal_python_pass(mx_node: Database, viewer: str | None) -> None:
    _check_every_question(mx_node, viewer, versions=False)


def test_aggregate_drug_with_group_counts_each_drug_under_its_own_group(
    us_node: Database,
) -> None:
    """By drug and drug group at once, an event counts under each of its drugs with that
    drug's group only (the Python pass also counted it under its other drugs' groups, with
    no kilograms: cells such as (COCAINE_HCL, FENTANYL))."""
    with us_node.reader() as session:
        result = aggregate(session, ["drug", "drug_group"])
        by_drug = aggregate(session, ["drug"])
    groups = {key[0]: key[1] for key in result.cells}
    assert len(groups) == len(result.cells)  # one group per drug
    for (drug, _group), cell in result.cells.items():
        assert cell.seizures == by_drug.cells[(drug,)].seizures
