"""A reader session reads one snapshot, on both backends: what another transaction commits
after the reader's first statement is not seen by its later statements (before, PostgreSQL's
READ COMMITTED took a new snapshot each statement, so a page's total and its filters' values,
read by two statements, could disagree while an import committed)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from alianza.db import Database
from alianza.seizures.models import ImportBatch


def _batch(n: int) -> ImportBatch:
    return ImportBatch(
        source=f"f{n}.csv",
        sha256=f"{n:064d}",
        profile="canonical",
        imported_at=datetime.now(UTC),
        actor="test",
        stats={},
    )


def test_a_reader_does_not_see_what_commits_after_its_first_statement(
    fresh_db: Database,
) -> None:
    with fresh_db.transaction() as session:
        session.add(_batch(1))
    count = select(func.count()).select_from(ImportBatch)
    with fresh_db.reader() as reader:
        assert reader.scalar(count) == 1
        with fresh_db.transaction() as session:  # another writer commits meanwhile
            session.add(_batch(2))
        assert reader.scalar(count) == 1  # the reader's snapshot
        names = sorted(reader.scalars(select(ImportBatch.source)))
        assert names == ["f1.csv"]
    with fresh_db.reader() as later:  # a new reader sees it
        assert later.scalar(count) == 2
