"""The one cache helper (``alianza.db.versioned``): the data version is read with one query
and moves on every import or receipt, on SQLite and PostgreSQL; the three caches built on it
(seizure aggregates, joint analyses, PME reports) give fresh results after such a write."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event

from alianza.actors import NodeSelf
from alianza.analysis.cache import TABLES, JointAnalysisCache
from alianza.db import Database
from alianza.db.versioned import VersionedCache, data_version
from alianza.pme.document import Language
from alianza.pme.query import PlanReportCache
from alianza.pme.service import SEED_REPORT, import_report_bytes
from alianza.seizures.models import ImportBatch
from alianza.seizures.service import import_file
from tests.conftest import DATA

CBP_FILE = DATA / "seizures" / "cbp" / "nationwide-drugs-fy23-fy26-dec.csv"
# A status paragraph of action 10.4.1 in the seed report (read from the file, not the code)
STATUS_WORDS = "Border Liaison Mechanisms"


def first_rows(tmp_path: Path, rows: int) -> Path:
    lines = CBP_FILE.read_text("utf-8-sig").splitlines()
    path = tmp_path / f"first-{rows}.csv"
    path.write_text("\n".join(lines[: rows + 1]) + "\n", "utf-8")
    return path


def test_data_version_is_one_query_and_moves_on_an_import(
    fresh_db: Database, tmp_path: Path
) -> None:
    statements: list[str] = []

    def count(*args: Any) -> None:
        if args[2] != "BEGIN":  # SQLite's own, when the read transaction starts
            statements.append(args[2])

    with fresh_db.reader() as session:
        event.listen(fresh_db.read_engine, "before_cursor_execute", count)
        try:
            empty = data_version(session, TABLES)
        finally:
            event.remove(fresh_db.read_engine, "before_cursor_execute", count)
    assert len(statements) == 1
    assert empty[0] == str(fresh_db.read_engine.url)
    import_file(fresh_db, first_rows(tmp_path, 5), "cbp-nationwide", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        assert data_version(session, TABLES) != empty
        assert data_version(session, (ImportBatch,))[1:] == (1, 1)  # newest id, rows


def test_a_result_is_kept_until_an_import(fresh_db: Database, tmp_path: Path) -> None:
    cache = VersionedCache((ImportBatch,), size=4)
    computed: list[int] = []

    def compute() -> int:
        computed.append(1)
        return len(computed)

    with fresh_db.reader() as session:
        assert cache.get(session, "k", compute) == 1
        assert cache.get(session, "k", compute) == 1
        assert cache.holds(session, "k")
    import_file(fresh_db, first_rows(tmp_path, 3), "cbp-nationwide", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        assert not cache.holds(session, "k")
        assert cache.get(session, "k", compute) == 2


def test_joint_analysis_cache_gives_way_to_a_seizure_import(
    fresh_db: Database, tmp_path: Path
) -> None:
    cache = JointAnalysisCache(fresh_db)
    with fresh_db.reader() as session:
        first = cache.get(session, "2023-Q1", own_country="US")
        assert cache.get(session, "2023-Q1", own_country="US") == first
    assert cache.computed == 1
    import_file(fresh_db, first_rows(tmp_path, 20), "cbp-nationwide", actor=NodeSelf("test"))
    with fresh_db.reader() as session:
        cache.get(session, "2023-Q1", own_country="US")
    assert cache.computed == 2


def test_plan_report_cache_gives_way_to_a_report_import(seeded_db: Database) -> None:
    cache = PlanReportCache(size=4)
    with seeded_db.reader() as session:
        before = cache.get(session, language=Language.EN)
        assert cache.get(session, language=Language.EN) is before
        derived = cache.memo(session, ("words",), lambda: object())
        assert cache.memo(session, ("words",), lambda: object()) is derived
    text = SEED_REPORT.read_text("utf-8")
    assert text.count(STATUS_WORDS) >= 1
    changed = text.replace(STATUS_WORDS, "Border Liaison Mechanisms (BLMs)", 1)
    import_report_bytes(
        seeded_db, changed.encode("utf-8"), SEED_REPORT.name, actor=NodeSelf("test")
    )
    with seeded_db.reader() as session:
        after = cache.get(session, language=Language.EN)
        assert cache.memo(session, ("words",), lambda: object()) is not derived
    assert after is not before
    assert "Border Liaison Mechanisms (BLMs)" in repr(after)
    assert "Border Liaison Mechanisms (BLMs)" not in repr(before)
