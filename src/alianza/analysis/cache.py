"""Joint analyses already computed, shared by every worker of the node while the data behind
them have not changed.

Computing a quarter's analysis reads this node's seizure tables for nine quarters (about
0.5–0.7 s at a million events on SQLite, more than a page may take), and the web pages ask for
the same quarter again and again, from every worker. So the result is kept in the node's
database (:mod:`alianza.db.kept`, the store the seizure totals use too), as JSON, under its
key (the quarter, the node's own country, the inputs: exactly what the computation depends on
besides the data) and the *data version* (:mod:`alianza.db.versioned`) of the import batches,
the summary rebuilds and the exchange packages: any import, revision, rebuild, received or
built package gives a new version, read at every use, so a kept result is never shown for data
that changed. Whichever worker asks first computes and writes it; every other worker and app
server sharing the database reads it (a row and a JSON decode, a few milliseconds). Writing a
newer version's result deletes the rows of the versions it supersedes (every number of a data
version only grows). The seizure events, aggregate rows and duplicate links change only
through an import, which writes a batch in the same transaction: probing them too would count
every event on each view for no version the batches do not already give.

Within a worker, threads asking for the same analysis at once wait for one computation. No
copy is kept in the worker's memory unless ``memo_size`` is given: the shared read costs a few
milliseconds (benchmarks/README.md, "Caches only where they pay").
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from alianza.analysis.inputs import EditionInputs, PackageInput, Source
from alianza.analysis.joint import Figures, JointAnalysis, joint_analysis
from alianza.db import Database
from alianza.db.kept import SharedResults, decode, encode, keep_classes
from alianza.db.versioned import Kept, data_version
from alianza.exchange.models import Package
from alianza.exchange.sdmx import Observation
from alianza.seizures.models import ImportBatch, SummaryRebuild

__all__ = ["KIND", "TABLES", "JointAnalysisCache", "decode", "encode", "forget"]

TABLES = (Package, ImportBatch, SummaryRebuild)
KIND = "joint-analysis"
keep_classes(JointAnalysis, Figures, EditionInputs, PackageInput, Source, Observation)


def forget(database: Database) -> None:
    """Delete every kept analysis (benchmarks: a computation from nothing)."""
    SharedResults(KIND).forget(database)


class JointAnalysisCache:
    """The node's joint analyses, kept in its database by key and data version; safe between
    threads. ``memo_size`` > 0 also keeps that many in this process (least recently used
    dropped). Callers must not change the analyses they get."""

    def __init__(self, database: Database, memo_size: int = 0) -> None:
        self.database = database
        self._kept = Kept(memo_size)  # memo_size 0: one computation at a time per key, kept none
        self._shared = SharedResults(KIND)

    @property
    def computed(self) -> int:
        """Analyses computed here (not read): for tests and benchmarks."""
        return self._shared.computed

    def get(
        self, session: Session, quarter: str, *, own_country: str, inputs: str = "records"
    ) -> JointAnalysis:
        version = list(data_version(session, TABLES)[1:])  # the URL aside: one database
        key = json.dumps([quarter, own_country, inputs])
        found: JointAnalysis = self._kept.get(
            (json.dumps(version), key),
            lambda: self._shared.get(
                self.database,
                key,
                version,
                lambda: joint_analysis(session, quarter, own_country=own_country, inputs=inputs),
            ),
        )
        return found
