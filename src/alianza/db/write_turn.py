"""SQLite writers that take turns on a lock file instead of SQLite's busy handler (issue 21).

A SQLite database has one writer at a time. A second writer's ``BEGIN IMMEDIATE`` fails at
once with SQLITE_BUSY, and SQLite's busy handler (``PRAGMA busy_timeout``) retries after 1, 2,
5, 10, 15, 20, 25, 25, 25, 50, 50, 100 … ms: a writer may sleep for many milliseconds after
the other has committed, while that one starts its next transaction. With several
``alianza serve`` workers writing the audit chain, the worker with fewer requests waited longer
for the lock than its whole service.

Here, each write transaction of :meth:`alianza.db.Database.transaction` on a SQLite file is
held within a *turn*: a per-process lock (threads of one process) and an exclusive
``flock`` on ``<database>.write-lock`` (processes), taken before ``BEGIN IMMEDIATE`` and given
back after ``COMMIT`` or ``ROLLBACK``. A waiting writer sleeps in the kernel and wakes the
moment the other releases its turn. The kernel releases a dead process's ``flock``.

- **Nested transactions** in one thread (a ``transaction()`` opened inside another) take no
  second turn: the turn is reentrant for its thread, and the inner ``BEGIN IMMEDIATE`` waits in
  SQLite's busy handler for the outer one as before (and fails after the busy timeout).
- **Another thread of the same process** waits for the turn at most the busy timeout; past it,
  it goes on without a turn and SQLite's busy handler decides, as before this module. So a
  transaction that waits for another thread's transaction cannot hang forever.
- **Another process's** turn is waited for at most the busy timeout too: the lock file is
  tried every ``POLL`` seconds (half a millisecond: a waiter starts within that of the other's
  commit). Past the timeout the writer goes on without a turn and SQLite's busy handler
  decides, so a long write of another process (an import, a migration through
  ``transaction()``) makes a writer fail with "database is locked" after at most twice the
  busy timeout, as it failed after once that before, instead of waiting for it unbounded.
  Writes that do not go through ``transaction()`` (the migrations' own engine) take no turn; a
  writer holding a turn then waits for them in SQLite's busy handler, as before.
- Readers (:meth:`~alianza.db.Database.reader`) take no turn: WAL lets them read while a
  writer writes. PostgreSQL and in-memory SQLite databases have no turn.

One :class:`WriteTurn` per database file per process (:func:`write_turn`), shared by every
:class:`~alianza.db.Database` of the process on that file. A child process made by ``fork``
gets its own (the lock file is opened again: an inherited descriptor would share the parent's
lock).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

POLL = 0.0005  # seconds between tries of another process's lock file


class TurnBusy(Exception):
    """Another writer held the turn for longer than a write that may be skipped waits
    (:meth:`WriteTurn.held` with ``required``): the write did not start."""


class WriteTurn:
    """The turn to write one SQLite database file (see the module's docstring)."""

    def __init__(self, database: str) -> None:
        self.path = f"{database}.write-lock"
        self._lock = threading.RLock()
        self._depth = 0  # turns held by the thread that holds _lock (nesting)
        self._fd: int | None = None

    @contextmanager
    def held(self, timeout: float, *, required: bool = False) -> Iterator[None]:
        """Within this process's and the other processes' turn; reentrant for a thread. After
        ``timeout`` seconds waiting for another thread or process, without a turn; or, if
        ``required``, :class:`TurnBusy` is raised (a write that is skipped rather than
        waited for: the kept results of the pages, :mod:`alianza.db.kept`)."""
        deadline = time.monotonic() + timeout
        if not self._lock.acquire(timeout=timeout):
            if required:
                raise TurnBusy(self.path)
            yield
            return
        try:
            locked = self._depth > 0 or self._flock(deadline)
            if required and not locked:
                raise TurnBusy(self.path)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0 and locked and self._fd is not None:
                    fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()

    def _flock(self, deadline: float) -> bool:
        """Take the lock file, waiting for another process's turn until ``deadline``
        (``time.monotonic()``); False past it, or where the file cannot be opened (a read-only
        folder): then SQLite's busy handler alone orders the writers."""
        try:
            if self._fd is None:
                self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        except OSError:
            return False
        while True:
            try:
                fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(POLL)
            except OSError:
                return False


_turns: dict[tuple[int, str], WriteTurn] = {}
_turns_lock = threading.Lock()


def write_turn(database: str) -> WriteTurn:
    """The turn of the SQLite file ``database`` in this process (one per file and process)."""
    key = (os.getpid(), os.path.abspath(database))
    with _turns_lock:
        turn = _turns.get(key)
        if turn is None:
            turn = _turns[key] = WriteTurn(key[1])
        return turn
