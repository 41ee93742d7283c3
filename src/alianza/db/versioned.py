"""Results kept until the data behind them change: one cache helper, one data-version rule.

The *data version* of a set of tables is read with one query: per table, the newest id, the
number of rows and, where the table has a ``superseded_at`` column, the number of superseded
rows; with the database's URL in front, so that one cache serves several databases. Rows are
only added or superseded (an import writes a batch, a received package a row, a revision
supersedes its predecessor), so any such write gives a new version, on every app server
sharing the database. The row count matters because on PostgreSQL two writers may commit out
of id order (the later id first): the newest id then stays the same when the earlier one
commits, the count does not. A write that only updates rows in place must also add a row to
one of the tables listed (the PME's Alliance Point titles: a report import).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Select, Table, func, select
from sqlalchemy.orm import Session

from alianza.db.base import Base
from alianza.db.database import database_of_reader
from alianza.db.kept import SharedResults, key_text

T = TypeVar("T")


class Kept:
    """At most ``size`` results by key (least recently used dropped), safe between threads.
    A result asked for while another thread computes it is waited for, not computed twice
    (a page's first view arriving while the background warmer computes the same totals)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._lock = threading.Lock()
        self._kept: OrderedDict[Hashable, Any] = OrderedDict()
        self._computing: dict[Hashable, threading.Event] = {}

    def __contains__(self, key: Hashable) -> bool:
        with self._lock:
            return key in self._kept

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept under ``key``, else ``compute()`` (kept, unless it raised)."""
        while True:
            with self._lock:
                if key in self._kept:
                    self._kept.move_to_end(key)
                    found: T = self._kept[key]
                    return found
                running = self._computing.get(key)
                if running is None:
                    self._computing[key] = threading.Event()
                    break
            running.wait()  # then found, or computed here if that thread's compute raised
        try:
            value = compute()
            with self._lock:
                self._kept[key] = value
                while len(self._kept) > self.size:
                    self._kept.popitem(last=False)
        finally:
            with self._lock:
                self._computing.pop(key).set()
        return value


@cache
def _version_query(tables: tuple[type[Base], ...]) -> Select[Any]:
    probes = []
    for model in tables:
        table = cast(Table, model.__table__)
        (key,) = table.primary_key.columns
        probes += [select(func.max(key)), select(func.count(key))]
        if "superseded_at" in table.columns:
            probes.append(select(func.count(table.columns["superseded_at"])))
    return select(*(probe.scalar_subquery() for probe in probes))


def data_version(session: Session, tables: Sequence[type[Base]]) -> tuple[object, ...]:
    """The version of ``tables`` (see the module's text), read with one query."""
    row = session.execute(_version_query(tuple(tables))).one()
    return (str(session.get_bind().engine.url), *row)


class VersionedCache:
    """Results kept by key and by the data version of ``tables``, at most ``size`` of them in
    this process; safe between threads. With ``shared`` (a kind of :mod:`alianza.db.kept`),
    results asked for with ``share`` are also kept (at most ``shared_limit`` rows) in the
    database, for every worker: this process's copy first, then the database's row for the
    current version, then ``compute()`` (written there). Callers must not change the results
    they get."""

    def __init__(
        self,
        tables: Sequence[type[Base]],
        size: int,
        shared: str | None = None,
        shared_limit: int | None = None,
    ) -> None:
        self.tables = tuple(tables)
        self._kept = Kept(size)
        self.shared = SharedResults(shared, shared_limit) if shared is not None else None

    def version(self, session: Session) -> tuple[object, ...]:
        return data_version(session, self.tables)

    def get(
        self,
        session: Session,
        key: Hashable,
        compute: Callable[[], T],
        *,
        share: bool = False,
    ) -> T:
        """``compute()`` once per data version and key (in this process; with ``share``,
        once for every worker of a database read through :meth:`Database.reader`: ``key``
        must then be text, JSON say, that names everything the result depends on)."""
        version = self.version(session)
        shared, database = self.shared, database_of_reader(session)
        if shared is None or not share or database is None:
            return self._kept.get((version, key), compute)
        assert isinstance(key, str), "a shared result's key is text"
        stored, numbers = key_text(key), list(version[1:])  # the URL aside: one database
        return self._kept.get(
            (version, key), lambda: shared.get(database, stored, numbers, compute)
        )

    def forget_here(self) -> None:
        """Drop what this process keeps (tests and benchmarks: another worker's memory)."""
        self._kept = Kept(self._kept.size)

    def holds(self, session: Session, key: Hashable) -> bool:
        """Whether a result for ``key`` is kept for the data as they are now."""
        return (self.version(session), key) in self._kept
