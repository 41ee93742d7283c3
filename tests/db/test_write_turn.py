"""SQLite writers take turns on a lock file (issue 21, ``alianza.db.write_turn``): two processes
writing one file at once never meet SQLite's busy handler (so never "database is locked", even
with its timeout cut to 1 ms); the turn is reentrant for nested transactions, given back when a
transaction fails, and taken by no reader; PostgreSQL has none."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from alianza.db import Database
from alianza.db.write_turn import write_turn
from tests.conftest import POSTGRES_URL

WRITES = 300
WRITER = f"""
import sys, time
from pathlib import Path
import alianza.db.engine as engine
engine.SQLITE_BUSY_TIMEOUT_MS = 1  # SQLite's busy handler would give up after 1 ms
from sqlalchemy import text
from alianza.db import Database
url, name, folder = sys.argv[1], sys.argv[2], Path(sys.argv[3])
database = Database(url)
(folder / f"ready-{{name}}").touch()
while not (folder / "go").exists():
    time.sleep(0.01)
for k in range({WRITES}):
    with database.transaction() as session:
        last = session.execute(text("SELECT coalesce(max(n), 0) FROM t")).scalar_one()
        row = {{"n": last + 1, "w": name}}
        session.execute(text("INSERT INTO t (n, writer) VALUES (:n, :w)"), row)
print("done")
"""


def locked_elsewhere(path: str) -> bool:
    """Whether another open file description holds ``path`` (as another process would see)."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def sqlite_file(tmp_path: Path) -> tuple[Database, str]:
    path = tmp_path / "node.db"
    database = Database(f"sqlite:///{path}")
    with database.transaction() as session:
        session.execute(text("CREATE TABLE t (n INTEGER PRIMARY KEY, writer TEXT)"))
    return database, f"{path}.write-lock"


def test_two_processes_write_one_file_without_busy_waits(tmp_path: Path) -> None:
    database, _lock = sqlite_file(tmp_path)
    url = f"sqlite:///{tmp_path / 'node.db'}"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, url, name, str(tmp_path)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    while not all((tmp_path / f"ready-{name}").exists() for name in ("a", "b")):
        assert all(w.poll() is None for w in writers), [w.communicate() for w in writers]
        time.sleep(0.05)
    (tmp_path / "go").touch()  # both write at once
    results = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert "database is locked" not in err
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    with database.reader() as session:
        rows = session.execute(text("SELECT n, writer FROM t ORDER BY n")).all()
    assert [n for n, _ in rows] == list(range(1, 2 * WRITES + 1))  # no lost update either
    assert {w for _, w in rows} == {"a", "b"}
    database.dispose()


def test_turn_held_during_transaction_reentrant_and_given_back_on_error(tmp_path: Path) -> None:
    database, lock = sqlite_file(tmp_path)
    with database.transaction() as session:
        session.execute(text("INSERT INTO t (n, writer) VALUES (1, 'x')"))
        assert locked_elsewhere(lock)  # another process waits for this transaction
        with write_turn(str(tmp_path / "node.db")).held(timeout=1):
            pass  # nested in this thread: no second turn, no deadlock
        assert locked_elsewhere(lock)
        with database.reader() as reader:  # readers take no turn (WAL)
            assert reader.execute(text("SELECT count(*) FROM t")).scalar_one() == 0
    assert not locked_elsewhere(lock)

    def failing() -> None:
        with database.transaction() as session:
            session.execute(text("INSERT INTO t (n, writer) VALUES (2, 'x')"))
            raise ValueError("the transaction fails")

    with pytest.raises(ValueError, match="the transaction fails"):
        failing()
    assert not locked_elsewhere(lock)  # given back to the other processes
    done: list[int] = []

    def other_thread() -> None:
        with database.transaction() as session:
            session.execute(text("INSERT INTO t (n, writer) VALUES (3, 'y')"))
        done.append(3)

    thread = threading.Thread(target=other_thread)
    thread.start()
    thread.join()
    assert done == [3]  # and to this process's other threads
    with database.reader() as session:
        assert session.execute(text("SELECT n FROM t ORDER BY n")).scalars().all() == [1, 3]
    database.dispose()


def test_other_thread_waits_for_the_turn(tmp_path: Path) -> None:
    """A second thread's transaction starts only after the first one's commit."""
    database, _lock = sqlite_file(tmp_path)
    order: list[str] = []
    inside = threading.Event()
    release = threading.Event()

    def first() -> None:
        with database.transaction() as session:
            session.execute(text("INSERT INTO t (n, writer) VALUES (1, 'first')"))
            inside.set()
            release.wait()
            order.append("first commits")

    def second() -> None:
        inside.wait()
        with database.transaction() as session:
            order.append("second begins")
            session.execute(text("INSERT INTO t (n, writer) VALUES (2, 'second')"))

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait()
    time.sleep(0.2)  # lets the second thread reach its transaction (not asserted on)
    release.set()
    for thread in threads:
        thread.join()
    assert order == ["first commits", "second begins"]
    database.dispose()


def test_another_processs_turn_is_waited_for_at_most_the_timeout(tmp_path: Path) -> None:
    """A writer does not wait unbounded for another process's long write (an import): past the
    timeout it goes on without a turn (then SQLite's busy handler decides, as before); once the
    other's turn ends, the next writer takes it."""
    database, lock = sqlite_file(tmp_path)
    turn = write_turn(str(tmp_path / "node.db"))
    other = os.open(lock, os.O_RDWR | os.O_CREAT)  # as another process holding its turn
    try:
        fcntl.flock(other, fcntl.LOCK_EX)
        started = time.monotonic()
        with turn.held(timeout=0.3):
            waited = time.monotonic() - started
            assert locked_elsewhere(lock)  # still the other's: this one went on without it
        assert waited >= 0.3  # it did wait for the other's turn first
        fcntl.flock(other, fcntl.LOCK_UN)
        # this time its own turn: the other cannot take it
        with turn.held(timeout=0.3), pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        assert not locked_elsewhere(lock)
    finally:
        os.close(other)
    database.dispose()


def test_no_turn_without_a_sqlite_file(tmp_path: Path) -> None:
    memory = Database("sqlite://")
    with memory.transaction() as session:
        session.execute(text("SELECT 1"))
    memory.dispose()
    assert not list(tmp_path.glob("*.write-lock"))
    if POSTGRES_URL is not None:
        database = Database(POSTGRES_URL)
        with database.transaction() as session:
            assert session.execute(text("SELECT 1")).scalar_one() == 1
        assert database._turn_of is None
        database.dispose()
