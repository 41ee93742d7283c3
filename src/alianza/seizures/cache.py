"""Aggregates kept between requests until the records change.

Seizure records change only through an import, and every import that changes anything writes
a batch (superseding, deduplicating and releasing happen in the same transaction), so the
batches held are the version of the records (:mod:`alianza.db.versioned`); the totals are
read from the summary tables, which ``alianza seizures summary-rebuild`` also recomputes,
writing a :class:`~alianza.seizures.models.SummaryRebuild` row, so those rows are part of the
version too. Results are kept
per database, version, dimensions, filters and viewer country, least recently used first out.

The totals (:func:`cached_aggregate`) are also kept in the node's database
(:mod:`alianza.db.kept`, kind ``seizure-totals``), shared by every worker: a worker's first
view of a version reads the row another worker wrote (a few milliseconds) instead of
computing the totals again; its own copy in memory comes first (a page under load pays
nothing). The key holds every argument the totals depend on: dimensions, filters, viewer
country, scope (its name and filters) and unit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import TypeVar

from sqlalchemy.orm import Session

from alianza.db.kept import keep_by_name, keep_classes
from alianza.db.versioned import VersionedCache
from alianza.seizures.aggregate import AggregateResult, Cell, aggregate
from alianza.seizures.models import ImportBatch, SummaryRebuild
from alianza.seizures.scopes import SCOPES, Scope, find_scope

T = TypeVar("T")
SIZE = 256

KIND = "seizure-totals"
SHARED = 1024  # totals kept in the database at most (every worker's SIZE, four workers)
records = VersionedCache((ImportBatch, SummaryRebuild), SIZE, shared=KIND, shared_limit=SHARED)
keep_classes(AggregateResult, Cell)
keep_by_name(Scope, lambda scope: scope.name, find_scope)


def memo(session: Session, key: Hashable, compute: Callable[[], T]) -> T:
    """``compute()`` once per records version and key."""
    return records.get(session, key, compute)


def totals_key(
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    viewer_country: str | None = None,
    scope: Scope | None = None,
    unit: str = "kg",
) -> str:
    """The key of :func:`cached_aggregate`'s totals, in this process and in the database: every
    argument they depend on (the records' version aside)."""
    shown = scope or SCOPES["all"]
    return json.dumps(
        [
            "aggregate",
            list(by),
            sorted([k, sorted(v)] for k, v in (where or {}).items()),
            viewer_country,
            shown.name,
            sorted([k, sorted(v)] for k, v in shown.where.items()),
            unit,
        ],
        separators=(",", ":"),
    )


def cached_aggregate(
    session: Session,
    by: Sequence[str],
    where: Mapping[str, set[str]] | None = None,
    *,
    viewer_country: str | None = None,
    scope: Scope | None = None,
    unit: str = "kg",
) -> AggregateResult:
    """:func:`~alianza.seizures.aggregate.aggregate`, kept until the records change (in this
    worker, and in the database for the others)."""
    return records.get(
        session,
        totals_key(by, where, viewer_country=viewer_country, scope=scope, unit=unit),
        lambda: aggregate(
            session, by, where, viewer_country=viewer_country, scope=scope, unit=unit
        ),
        share=True,
    )
