"""The audit log: append-only in the database, hash-chained, checkpoints catch truncation."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from alianza import audit
from alianza.cli import cli
from alianza.db import Database


def write_entries(database: Database, n: int) -> None:
    with database.transaction() as session:
        for i in range(n):
            audit.record(
                session, actor="tester", action="test.write", subject=f"s{i}", details={"i": i}
            )


def drop_guards(database: Database) -> None:
    """What an intruder with DDL rights would do first."""
    with database.engine.begin() as connection:
        if database.is_sqlite:
            connection.execute(text("DROP TRIGGER audit_entry_no_update"))
            connection.execute(text("DROP TRIGGER audit_entry_no_delete"))
        else:
            connection.execute(text("DROP TRIGGER audit_entry_append_only ON audit_entry"))


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"]
)
def test_audit_entries_cannot_be_changed_or_deleted(fresh_db: Database, statement: str) -> None:
    write_entries(fresh_db, 2)
    with pytest.raises(DBAPIError, match="append-only"), fresh_db.engine.begin() as connection:
        connection.execute(text(statement))


def test_audit_verify_detects_a_changed_entry(fresh_db: Database) -> None:
    write_entries(fresh_db, 3)
    drop_guards(fresh_db)
    with fresh_db.engine.begin() as connection:
        connection.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE id = 2"))
    with fresh_db.reader() as session:
        report = audit.verify_chain(session)
    assert (report.ok, report.broken_at, report.reason) == (False, 2, "entry content changed")


def test_audit_verify_detects_a_removed_entry(fresh_db: Database) -> None:
    write_entries(fresh_db, 4)
    drop_guards(fresh_db)
    with fresh_db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    with fresh_db.reader() as session:
        report = audit.verify_chain(session)
    assert (report.ok, report.broken_at) == (False, 3)


def test_audit_checkpoint_detects_removed_newest_entries(fresh_db: Database) -> None:
    write_entries(fresh_db, 4)
    with fresh_db.reader() as session:
        head = audit.chain_head(session)
        assert head is not None
        assert audit.verify_chain(session, [head]).ok
    drop_guards(fresh_db)
    with fresh_db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = 4"))
    with fresh_db.reader() as session:
        assert audit.verify_chain(session).ok  # the shorter chain alone still verifies
        report = audit.verify_chain(session, [head])
    assert (report.ok, report.broken_at) == (False, 4)


def test_cli_audit_checkpoint_then_verify(tmp_path: Path) -> None:
    runner = CliRunner()
    home = tmp_path / "node"
    database = Database(f"sqlite:///{home / 'alianza.db'}")
    database.migrate()
    write_entries(database, 2)
    result = runner.invoke(cli, ["--home", str(home), "audit", "checkpoint"])
    assert result.exit_code == 0, result.output
    assert (home / "audit-checkpoints.jsonl").exists()
    ok = runner.invoke(cli, ["--home", str(home), "audit", "verify"])
    assert "audit log intact: 2 entries, 1 checkpoint(s) found" in ok.output
    drop_guards(database)
    with database.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    database.dispose()
    broken = runner.invoke(cli, ["--home", str(home), "audit", "verify"])
    assert broken.exit_code == 4
    assert "entries were removed" in broken.output


def test_concurrent_writers_keep_one_chain(database_url: str) -> None:
    """Writers in several threads queue up (SQLite: BEGIN IMMEDIATE; PostgreSQL: advisory
    lock); none fails with 'database is locked' and the chain does not fork."""
    import threading

    database = Database(database_url)
    database.migrate()
    failures: list[BaseException] = []

    def work(worker: int) -> None:
        try:
            for i in range(15):
                with database.transaction() as session:
                    audit.record(
                        session, actor=f"w{worker}", action="test.write", subject=str(i), details={}
                    )
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with database.reader() as session:
        report = audit.verify_chain(session)
    database.dispose()
    assert failures == []
    assert (report.ok, report.entries) == (True, 60)


def test_append_many_chains_as_record_does(fresh_db: Database) -> None:
    """The bulk path of the live scores (no entry objects): entries written in order, each
    chained to the one before, the chain verifying across record() calls before and after,
    and the details stored as given."""
    write_entries(fresh_db, 2)
    with fresh_db.transaction() as session:
        written = audit.append_many(
            session, [("ana", "test.bulk", f"item:{i}", {"i": i, "p": 0.5}) for i in range(5)]
        )
    assert written == 5
    with fresh_db.transaction() as session:
        assert audit.append_many(session, []) == 0
        audit.record(session, actor="ana", action="test.after", subject="x", details={})
    with fresh_db.reader() as session:
        assert audit.verify_chain(session).ok
        entries = sorted(audit.recent_entries(session, 100), key=lambda e: e.id)
        group = [e for e in entries if e.action == "test.bulk"]
        assert [e.subject for e in group] == [f"item:{i}" for i in range(5)]
        assert [e.details for e in group] == [{"i": i, "p": 0.5} for i in range(5)]
        position = entries.index(group[0])
        chain = entries[position - 1 : position + 6]  # the entry before, the group, the one after
        for earlier, later in pairwise(chain):
            assert later.previous_hash == earlier.hash
        assert chain[-1].action == "test.after"


def test_record_many_chains_as_record_does(fresh_db: Database) -> None:
    """A group of entries written at once (live scores) chains in order, as one call each."""
    write_entries(fresh_db, 2)
    with fresh_db.transaction() as session:
        written = audit.record_many(
            session, [("ana", "test.group", f"item:{i}", {"i": i}) for i in range(5)]
        )
        assert [e.id for e in written] == sorted(e.id for e in written)
    with fresh_db.transaction() as session:
        audit.record(session, actor="ana", action="test.after", subject="x", details={})
    with fresh_db.reader() as session:
        assert audit.verify_chain(session).ok
        entries = audit.recent_entries(session, 100)
        group = sorted((e for e in entries if e.action == "test.group"), key=lambda e: e.id)
        assert [e.subject for e in group] == [f"item:{i}" for i in range(5)]
        for earlier, later in pairwise(group):
            assert later.previous_hash == earlier.hash
