"""The duplicate links every total leaves out are counted once per reader session (issue 19):
the joint analysis asks five questions of one snapshot, and counted the whole link table for
each (about 13 ms a count on PostgreSQL at ten million events). A write transaction still
counts each time: it may link or unlink events between two questions."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from benchmarks.generate_node import fill_node
from sqlalchemy import delete, event, select

from alianza.db import Database
from alianza.seizures.aggregate import aggregate
from alianza.seizures.event_sums import duplicates_held
from alianza.seizures.models import DuplicateLink


def _link_counts(database: Database, engine: Any) -> list[str]:
    """The statements ``engine`` runs that count the link table (appended as they run)."""
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _seen(_c: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if "count" in statement and "FROM seizure_duplicate_link" in statement:
            seen.append(statement)

    return seen


def test_a_reader_counts_the_links_once_and_a_writer_each_time(
    fresh_db: Database, tmp_path: Path
) -> None:
    fill_node(fresh_db, 300, 19, tmp_path)  # a second source re-reports 2 %: linked
    with fresh_db.reader() as session:
        links = len(session.scalars(select(DuplicateLink.id)).all())
    assert links > 0

    counted = _link_counts(fresh_db, fresh_db.read_engine)
    with fresh_db.reader() as session:
        first = aggregate(session, ["drug"], viewer_country="US")
        second = aggregate(session, ["quarter"], viewer_country="US")
    assert first.duplicates_excluded == second.duplicates_excluded == links
    assert len(counted) == 1, counted  # two questions, one count (two before)

    with fresh_db.reader() as session:  # a new snapshot counts again
        assert aggregate(session, ["port"], viewer_country="US").duplicates_excluded == links
    assert len(counted) == 2, counted

    with fresh_db.transaction() as session:
        assert duplicates_held(session) == links
        first_link = session.scalars(select(DuplicateLink.id).limit(1)).one()
        session.execute(delete(DuplicateLink).where(DuplicateLink.id == first_link))
        assert duplicates_held(session) == links - 1  # not the count from before the delete
        session.rollback()
