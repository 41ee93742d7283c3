"""The kept results behind the seizure and analysis caches: one computation per key even
when two threads ask at once (a first view arriving while the warmer computes the same)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from alianza.db import Database
from alianza.db.versioned import Kept


def test_a_result_being_computed_is_waited_for_not_computed_again() -> None:
    kept = Kept(4)
    entered, release = threading.Event(), threading.Event()
    calls: list[str] = []
    got: dict[str, int] = {}

    def first() -> int:
        calls.append("first")
        entered.set()
        release.wait()
        return 1

    def second() -> int:
        calls.append("second")
        return 2

    a = threading.Thread(target=lambda: got.__setitem__("a", kept.get("k", first)))
    a.start()
    entered.wait()
    b = threading.Thread(target=lambda: got.__setitem__("b", kept.get("k", second)))
    b.start()
    b.join(timeout=0.2)  # without the wait, b would compute and end here
    assert b.is_alive()
    release.set()
    a.join()
    b.join()
    assert calls == ["first"]
    assert got == {"a": 1, "b": 1}


def test_a_failed_computation_is_not_kept_and_the_next_asker_computes() -> None:
    kept = Kept(4)

    def broken() -> int:
        raise RuntimeError("no database")

    with pytest.raises(RuntimeError):
        kept.get("k", broken)
    assert "k" not in kept
    assert kept.get("k", lambda: 3) == 3
    assert "k" in kept


def test_least_recently_used_goes_first() -> None:
    kept = Kept(2)
    for key in ("a", "b"):
        kept.get(key, lambda: 0)
    kept.get("a", lambda: 1)  # kept: used again, not recomputed
    kept.get("c", lambda: 0)
    assert "a" in kept
    assert "b" not in kept
    assert "c" in kept
    assert kept.get("a", lambda: 9) == 0


def test_the_version_changes_when_an_earlier_import_commits_last(fresh_db: Database) -> None:
    """PostgreSQL: import A draws its batch id, import B (a later id) commits first, then A.
    The records changed at A's commit, so the version read between the two commits must not
    be the version after. Before, the version was the newest batch id alone: the same both
    times, and every app server kept serving the totals from before A's records."""
    if fresh_db.is_sqlite:
        pytest.skip("SQLite's writers hold the database in turn: no commit out of id order")
    from datetime import UTC, datetime

    from alianza.analysis.cache import TABLES
    from alianza.db.versioned import data_version
    from alianza.seizures.cache import records
    from alianza.seizures.models import ImportBatch

    def batch(name: str) -> ImportBatch:
        now = datetime.now(UTC)
        return ImportBatch(
            source=name, sha256="0" * 64, profile="canonical", imported_at=now, actor="t", stats={}
        )

    with fresh_db.transaction() as first:
        first.add(batch("a"))
        first.flush()  # A's id is drawn, A stays open
        with fresh_db.transaction() as second:
            second.add(batch("b"))
            second.flush()
            with fresh_db.reader() as session:
                assert session.scalar(select(func.max(ImportBatch.id))) is None  # none yet
        with fresh_db.reader() as session:
            between = (records.version(session), data_version(session, TABLES))
    with fresh_db.reader() as session:
        after = (records.version(session), data_version(session, TABLES))
        assert session.scalar(select(func.count(ImportBatch.id))) == 2
    assert between[0] != after[0]
    assert between[1] != after[1]
