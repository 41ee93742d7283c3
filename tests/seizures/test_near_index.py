"""The near-match search by index (issue 19, migration ``seizures_0008``): every item carries
its event's port and day, written by both import paths and back-filled by the migration, and
the search by seeking finds exactly the pairs a brute-force comparison of every event with
every other finds, on SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest
from benchmarks.generate_node import Row, _rows, _write, us_event
from sqlalchemy import select, text

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.db.migrate import downgrade, upgrade
from alianza.seizures import dedupe
from alianza.seizures.models import DrugItem, DuplicateLink, Event
from alianza.seizures.service import import_file
from tests.seizures.test_aggregate_sql import BACKENDS, _node

SEED = 31
EVENTS = 400


def _jittered(event: Row, item: Row) -> tuple[Row, Row]:
    """Another source's report of the event: a day earlier or later now and then, and a
    quantity changed by up to 4 % (so some stay within the tolerance and some do not)."""
    rng = random.Random(f"{event['source_record_id']}-{item['drug']}")
    day = date.fromisoformat(event["event_date"]) + timedelta(days=rng.choice((-2, -1, 0, 0, 1)))
    quantity = item["quantity"]
    factor = 1 + rng.uniform(-0.04, 0.04)
    changed = f"{float(quantity) * factor:.3f}" if "." in quantity else quantity
    ident = event["source_record_id"].replace("US", "OTHER")
    return (
        {
            **event,
            "source_system": "BENCH-OTHER",
            "source_record_id": ident,
            "event_date": str(day),
        },
        {**item, "quantity": changed},
    )


def _files(folder: Path) -> tuple[Path, Path]:
    first, second = folder / "first.csv", folder / "second.csv"
    _write(first, _rows(us_event, iter(range(EVENTS)), SEED))
    _write(second, _rows(us_event, iter(range(0, EVENTS, 3)), SEED, _jittered))
    return first, second


def _items_against_events(database: Database) -> tuple[int, list[tuple[object, ...]]]:
    """The number of items, and those whose port or day differ from their event's."""
    with database.reader() as session:
        items = session.execute(
            select(DrugItem.event_id, DrugItem.port_code, DrugItem.event_day)
        ).all()
        events = {
            e.id: (e.port_code, e.event_day)
            for e in session.execute(select(Event.id, Event.port_code, Event.event_day))
        }
    return len(items), [i for i in items if (i.port_code, i.event_day) != events[i.event_id]]


def _brute_force(database: Database, batch_id: int) -> set[tuple[int, int]]:
    """Every (new, earlier) pair the near-match rule accepts, by comparing each current event
    of the batch with every current event of the node in Python."""
    with database.reader() as session:
        events = session.execute(
            select(
                Event.id, Event.batch_id, Event.source_system, Event.port_code, Event.event_date
            ).where(Event.superseded_at.is_(None))
        ).all()
        items: dict[int, list[tuple[str, float]]] = {}
        for event_id, drug, kg in session.execute(
            select(DrugItem.event_id, DrugItem.drug_code, DrugItem.net_mass_kg)
        ):
            if kg is not None:
                items.setdefault(event_id, []).append((drug, kg))
    pairs = set()
    for new in events:
        if new.batch_id != batch_id or new.port_code is None:
            continue
        for old in events:
            if (
                old.id >= new.id
                or old.source_system == new.source_system
                or old.port_code != new.port_code
                or abs((old.event_date - new.event_date).days) > 1
            ):
                continue
            for drug, kg in items.get(new.id, []):
                for other_drug, other_kg in items.get(old.id, []):
                    larger = max(kg, other_kg)
                    tolerance = max(dedupe.ABS_TOLERANCE_KG, dedupe.REL_TOLERANCE * larger)
                    if drug == other_drug and abs(kg - other_kg) <= tolerance:
                        pairs.add((new.id, old.id))
    return pairs


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("engine", ["auto", "rows"])
def test_search_by_index_finds_what_brute_force_finds(
    backend: str, engine: str, tmp_path: Path
) -> None:
    """Both import paths write each item's port and day, and the pairs the search returns
    and that pass the exact test are those of the brute-force comparison (some hundred of
    the jittered reports are within the tolerance, some are not; events without a port have
    none)."""
    first, second = _files(tmp_path)
    for database in _node(backend, "US", tmp_path):
        import_file(database, first, "canonical", actor=NodeSelf("test"), engine=engine)
        outcome = import_file(database, second, "canonical", actor=NodeSelf("test"), engine=engine)
        assert outcome.batch_id is not None
        count, wrong = _items_against_events(database)
        assert count > EVENTS
        assert wrong == []
        expected = _brute_force(database, outcome.batch_id)
        with database.reader() as session:
            rows = session.execute(dedupe.near_candidates(outcome.batch_id)).all()
            linked = set(session.execute(select(DuplicateLink.event_id, DuplicateLink.method)))
        found = {
            (new, old)
            for new, old, _drug, kg, other in rows
            if abs(kg - other)
            <= max(dedupe.ABS_TOLERANCE_KG, dedupe.REL_TOLERANCE * max(kg, other))
        }
        assert len(expected) > 20  # the file gives the rule something to find and to refuse
        assert found == expected
        near_linked = {event for event, method in linked if method == "near-match"}
        assert near_linked <= {new for new, _old in expected}


@pytest.mark.parametrize("backend", BACKENDS)
def test_migration_back_fills_each_items_port_and_day(backend: str, tmp_path: Path) -> None:
    """A node whose items were imported before seizures_0008 (the columns dropped by a
    downgrade) gets each item's port and day from its event, and the search by index then
    finds the same pairs as before the downgrade."""
    first, second = _files(tmp_path)
    for database in _node(backend, "US", tmp_path):
        import_file(database, first, "canonical", actor=NodeSelf("test"))
        outcome = import_file(database, second, "canonical", actor=NodeSelf("test"))
        assert outcome.batch_id is not None
        with database.reader() as session:
            before = session.execute(dedupe.near_candidates(outcome.batch_id)).all()
        downgrade(database.engine, "seizures_0007")
        with database.engine.connect() as connection:
            columns = connection.execute(text("SELECT * FROM seizure_drug_item")).keys()
        assert "port_code" not in columns
        upgrade(database.engine)
        count, wrong = _items_against_events(database)
        assert count > EVENTS
        assert wrong == []
        with database.reader() as session:
            assert session.execute(dedupe.near_candidates(outcome.batch_id)).all() == before
        assert before
