"""What was known on a day: rows written after it left out (``pme assess --known-on``).

A day *K* is known up to its end in UTC: a row counts when it was written before the next day
began and, for rows that get superseded, was not superseded by then.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, or_


def known_bound(known_on: date | None) -> datetime | None:
    """The first instant not known on ``known_on`` (None: everything is known)."""
    if known_on is None:
        return None
    return datetime.combine(known_on + timedelta(days=1), time.min, tzinfo=UTC)


def written_by(written: Any, bound: datetime) -> ColumnElement[bool]:
    """SQL: the row was written before ``bound``."""
    return written < bound  # type: ignore[no-any-return]


def in_force_at(written: Any, superseded: Any, bound: datetime) -> ColumnElement[bool]:
    """SQL: the row was written before ``bound`` and not superseded before it."""
    return and_(written < bound, or_(superseded.is_(None), superseded >= bound))


def utc(moment: datetime) -> datetime:
    """``moment`` as an aware UTC datetime (SQLite gives naive UTC values back)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
