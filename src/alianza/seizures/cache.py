"""Aggregates kept between requests until the records change.

Seizure records change only through an import, and every import that changes anything writes
a batch (superseding, deduplicating and releasing happen in the same transaction), so the
newest batch id is the version of the records. Results are kept per database, version,
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

T = TypeVar("T")
SIZE = 256
_lock = threading.Lock()
_kept: OrderedDict[Hashable, Any] = OrderedDict()


def records_version(session: Session) -> tuple[str, int]:
    """(database, newest batch id): changes whenever an import changed the records."""
    newest = session.scalar(select(func.max(ImportBatch.id))) or 0
    bind = session.get_bind()
    return str(bind.engine.url), int(newest)


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per records version and key."""
    full = (records_version(session), key)
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            value: T = _kept[full]
            return value
    value = compute()
    with _lock:
        _kept[full] = value
        while len(_kept) > SIZE:
            _kept.popitem(last=False)
    return value


def cached_aggregate(
    session: Session,
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    viewer_country: str | None = None,
) -> AggregateResult:
    """:func:`~alianza.seizures.aggregate.aggregate`, kept until the records change."""
    frozen = tuple(sorted((k, tuple(sorted(v))) for k, v in (where or {}).items()))
    return memo(
        session,
        ("aggregate", tuple(by), frozen, viewer_country),
        lambda: aggregate(session, by, where, viewer_country=viewer_country),
    )
