"""The parts of the columnar import that replaced work a row: hashing from Arrow buffers,
quantities converted a unit at a time, event ids from one range query; and an import that
fails halfway commits nothing."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pytest
from sqlalchemy import event, func, select

from alianza.audit import AuditEntry
from alianza.codes.units import NoConversion, normalize_quantity
from alianza.db import Database
from alianza.seizures import columnar, service
from alianza.seizures.load import Loader
from alianza.seizures.models import DrugItem, Event, ImportBatch, QuarantinedRow
from alianza.seizures.service import import_file
from tests.seizures.test_columnar import generate


def test_hashes_from_buffers_are_the_sha256_of_each_text() -> None:
    texts = ["", "a", '{"x":"Ciudad Juárez"}', "ñ" * 300, "end"]
    array = pa.array(["skipped", *texts], pa.string()).slice(1)  # an offset into the buffers
    expected = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts]
    assert columnar.sha256_each(array) == expected
    assert columnar.sha256_each(pa.array([], pa.string())) == []
    with pytest.raises(ValueError, match="null"):
        columnar.sha256_each(pa.array(["a", None], pa.string()))


def test_quantities_converted_per_unit_as_row_by_row() -> None:
    values = ["1", "2.5", "0.001", "3", "7.25", "12", "0", "1E+2", "1000000.125"]
    units = ["KG", "LB", "G", "PLANT", "PLANT", "L", "PLANT", "KG", "LB"]

    def bind(flag: bool) -> str:
        return f"bound {flag}"

    decimals = np.empty(len(values), dtype=object)
    decimals[:] = [Decimal(v) for v in values]
    found = columnar.convert_quantities(decimals, np.array(units, dtype=object), bind)
    for n, (value, unit) in enumerate(zip(values, units, strict=True)):
        q = normalize_quantity(Decimal(value), unit)
        assert found.units[n] == q.unit
        assert found.kilograms[n] == q.net_mass_kg
        assert found.counts[n] == q.unit_count
        assert found.methods[n] == q.method
        assert found.factors[n] == (None if q.factor is None else str(q.factor))
        assert found.estimated[n] == bind(q.is_estimated)
    assert found.counts.tolist()[3:5] == [3, None]  # 7.25 plants is no count
    with pytest.raises(NoConversion, match="BUSHEL"):
        columnar.convert_quantities(decimals[:1], np.array(["BUSHEL"], dtype=object), bind)


def _event(ident: int, batch: int, key: str) -> Event:
    return Event(
        id=ident,
        batch_id=batch,
        source_row=ident,
        source_system="T",
        source_record_id=key,
        record_key=key,
        content_hash="c",
        fingerprint="f",
        version=1,
        reporting_country="US",
        reporting_agency="CBP-OFO",
        participating_agencies="",
        event_date=date(2024, 1, 1),
        event_day=date(2024, 1, 1).toordinal(),
        date_precision="day",
        location_type="POE_LAND_VEHICLE",
        direction="NOT_REPORTED",
        transport_mode="NOT_REPORTED",
        conveyance="NOT_REPORTED",
        concealment="NOT_REPORTED",
        detection="NOT_REPORTED",
        record_status="VALIDATED",
        releasability="BILATERAL",
        created_at=datetime.now(UTC),
    )


def test_new_event_ids_by_range_and_by_key(fresh_db: Database) -> None:
    """Ids without a gap are the range in insertion order; with a gap (rows of another session
    in between) each is looked up by its key."""
    with fresh_db.transaction() as session:
        batch = ImportBatch(
            source="t",
            sha256="0",
            profile="canonical",
            imported_at=datetime.now(UTC),
            actor="test",
            stats={},
        )
        session.add(batch)
        session.flush()
        loader = Loader(session, batch.id)
        loader.binders()  # the highest id held before: none
        session.add_all([_event(n, batch.id, f"k{n}") for n in (7, 8, 9)])
        session.flush()
        assert loader.new_ids(session.connection(), ["k7", "k8", "k9"]) == [7, 8, 9]
        session.add_all([_event(n, batch.id, f"k{n}") for n in (20, 25)])
        session.flush()
        assert loader.new_ids(session.connection(), ["k25", "k20"]) == [25, 20]


def test_failure_halfway_commits_nothing(
    fresh_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import stopped after some batches were loaded (here by its progress callback)
    leaves no event, item, quarantine entry, batch or audit entry behind."""
    monkeypatch.setattr(columnar, "BLOCK_BYTES", 4096)  # batches of a few dozen rows
    monkeypatch.setattr(service, "CHUNK", 50)  # loaded every 50 rows
    path = tmp_path / "generated.csv"
    generate(path, 600, 21)
    calls: list[int] = []
    loads: list[str] = []  # after each chunk of events loaded, their new ids are asked for

    def statement(_connection: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        if sql.startswith("SELECT min(seizure_event.id)"):
            loads.append(sql)

    event.listen(fresh_db.engine, "before_cursor_execute", statement)

    def progress(done: int) -> None:
        calls.append(done)
        if len(calls) == 8:
            assert loads  # some events were written in the import's transaction
            with fresh_db.reader() as session:  # a second connection sees nothing yet
                assert session.scalar(select(func.count()).select_from(Event)) == 0
            raise KeyboardInterrupt

    def counts() -> dict[str, Any]:
        with fresh_db.reader() as session:
            return {
                model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (Event, DrugItem, QuarantinedRow, ImportBatch, AuditEntry)
            }

    before = counts()
    with pytest.raises(KeyboardInterrupt):
        import_file(fresh_db, path, "canonical", progress=progress)
    assert len(calls) == 8
    assert counts() == before
    outcome = import_file(fresh_db, path, "canonical")  # the whole file, afterwards
    assert outcome.engine == "columnar"
    assert counts()["Event"] > 0
