"""Aggregates kept between requests until the records change.

Seizure records change only through an import, and every import that changes anything writes
a batch (superseding, deduplicating and releasing happen in the same transaction), so the
batches held are the version of the records (:mod:`alianza.db.versioned`); the totals are
read from the summary tables, which ``alianza seizures summary-rebuild`` also recomputes,
writing a :class:`~alianza.seizures.models.SummaryRebuild` row, so those rows are part of the
version too. Results are kept
per database, version, dimensions, filters and viewer country, least recently used first out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from alianza.db.versioned import VersionedCache
from alianza.seizures.aggregate import AggregateResult, aggregate
from alianza.seizures.models import ImportBatch, SummaryRebuild
from alianza.seizures.scopes import Scope

T = TypeVar("T")
SIZE = 256

records = VersionedCache((ImportBatch, SummaryRebuild), SIZE)


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per records version and key."""
    return records.get(session, key, compute)


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
