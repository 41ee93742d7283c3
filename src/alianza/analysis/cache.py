"""Joint analyses already computed, reused while the data behind them have not changed.

Computing a quarter's analysis reads every seizure record of this node (a few passes), which
takes seconds on a national data set; the web pages ask for the same quarter again and again.
The key holds a *data version* read with one cheap query: the newest id and the number of
superseded rows of the seizure events, aggregate rows and exchange packages, the number of
duplicate links, and the number of import batches and packages, so any import, revision,
received or built package gives a new key, on every app server sharing the database. The
numbers of batches and packages count because on PostgreSQL two writers may commit out of id
order (the later id first): the newest id then stays the same when the earlier one commits.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza.analysis.joint import JointAnalysis, joint_analysis
from alianza.exchange.models import Package
from alianza.seizures.cache import Kept
from alianza.seizures.models import AggregateRow, DuplicateLink, Event, ImportBatch


def data_version(session: Session) -> tuple[object, ...]:
    def scalar(expression: Any) -> Any:
        return expression.scalar_subquery()

    row = session.execute(
        select(
            scalar(select(func.max(Event.id))),
            scalar(select(func.count(Event.superseded_at))),
            scalar(select(func.max(AggregateRow.id))),
            scalar(select(func.count(AggregateRow.superseded_at))),
            scalar(select(func.count(DuplicateLink.id))),
            scalar(select(func.max(Package.id))),
            scalar(select(func.count(Package.superseded_at))),
            scalar(select(func.count(ImportBatch.id))),
            scalar(select(func.count(Package.id))),
        )
    ).one()
    return tuple(row)


class JointAnalysisCache:
    """At most ``size`` analyses (least recently used dropped); safe between threads, and an
    analysis being computed in one thread is waited for in another. Callers must not change
    the analyses they get."""

    def __init__(self, size: int = 16) -> None:
        self._kept = Kept(size)

    def get(
        self, session: Session, quarter: str, *, own_country: str, inputs: str = "records"
    ) -> JointAnalysis:
        return self._kept.get(
            (quarter, own_country, inputs, *data_version(session)),
            lambda: joint_analysis(session, quarter, own_country=own_country, inputs=inputs),
        )
