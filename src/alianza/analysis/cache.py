"""Joint analyses already computed, reused while the data behind them have not changed.

Computing a quarter's analysis reads every seizure record of this node (a few passes), which
takes seconds on a national data set; the web pages ask for the same quarter again and again.
The key holds the data version (:mod:`alianza.db.versioned`) of the import batches and the
exchange packages, so any import, revision, received or built package gives a new key, on
every app server sharing the database. The seizure events, aggregate rows and duplicate links
change only through an import, which writes a batch in the same transaction
(:mod:`alianza.seizures.cache` keeps its totals by the same rule): probing them too would count
every event on each view (a pass over the table, about 30 ms at 150,000 events on SQLite) for
no version the batches do not already give. The summary tables the totals are read from are
also recomputed by ``alianza seizures summary-rebuild``, which writes a
:class:`~alianza.seizures.models.SummaryRebuild` row: those rows are probed too.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from alianza.analysis.joint import JointAnalysis, joint_analysis
from alianza.db.versioned import VersionedCache
from alianza.exchange.models import Package
from alianza.seizures.models import ImportBatch, SummaryRebuild

TABLES = (Package, ImportBatch, SummaryRebuild)


class JointAnalysisCache:
    """At most ``size`` analyses (least recently used dropped); safe between threads, and an
    analysis being computed in one thread is waited for in another. Callers must not change
    the analyses they get."""

    def __init__(self, size: int = 16) -> None:
        self._kept = VersionedCache(TABLES, size)

    def get(
        self, session: Session, quarter: str, *, own_country: str, inputs: str = "records"
    ) -> JointAnalysis:
        return self._kept.get(
            session,
            (quarter, own_country, inputs),
            lambda: joint_analysis(session, quarter, own_country=own_country, inputs=inputs),
        )
