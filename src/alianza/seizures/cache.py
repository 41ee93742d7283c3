"""Aggregates kept between requests until the records change.

Seizure records change only through an import, and every import that changes anything writes
a batch (superseding, deduplicating and releasing happen in the same transaction), so the
batches held are the version of the records: their number and the newest id, read from the
database at every use, so that every app server sharing the database sees another's import
at once. The number counts too because on PostgreSQL two imports may commit out of id order
(the later id first): the newest id then stays the same when the earlier one commits, the
number does not (batches are never deleted). Results are kept per database, version,
dimensions, filters and viewer country, least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.seizures.aggregate import AggregateResult, aggregate
from alianza.seizures.models import ImportBatch
from alianza.seizures.scopes import Scope

T = TypeVar("T")
SIZE = 256


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


_kept = Kept(SIZE)


def records_version(session: Session) -> tuple[str, int, int]:
    """(database, newest batch id, number of batches): changes whenever an import changed
    the records, whatever the order its transaction committed in."""
    newest, held = session.execute(
        select(func.max(ImportBatch.id), func.count(ImportBatch.id))
    ).one()
    bind = session.get_bind()
    return str(bind.engine.url), int(newest or 0), int(held)


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per records version and key."""
    return _kept.get((records_version(session), key), compute)


def cached_aggregate(
    session: Session,
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    viewer_country: str | None = None,
    scope: Scope | None = None,
    unit: str = "kg",
) -> AggregateResult:
    """:func:`~alianza.seizures.aggregate.aggregate`, kept until the records change."""
    frozen = tuple(sorted((k, tuple(sorted(v))) for k, v in (where or {}).items()))
    key: tuple[object, ...] = ("aggregate", tuple(by), frozen, viewer_country)
    if scope is not None or unit != "kg":  # the plain key stays as the warmer writes it
        key = (*key, scope.name if scope else "all", unit)
    return memo(
        session,
        key,
        lambda: aggregate(
            session, by, where, viewer_country=viewer_country, scope=scope, unit=unit
        ),
    )
