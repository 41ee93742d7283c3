"""Joint analyses already computed, shared by every worker of the node while the data behind
them have not changed.

Computing a quarter's analysis reads this node's seizure tables for nine quarters (about
0.5–0.7 s at a million events on SQLite, more than a page may take), and the web pages ask for
the same quarter again and again, from every worker. So the result is kept in the node's
database (:class:`~alianza.analysis.models.KeptResult`), as JSON, under its key (the quarter,
the node's own country, the inputs: exactly what the computation depends on besides the data)
and the *data version* (:mod:`alianza.db.versioned`) of the import batches, the summary
rebuilds and the exchange packages: any import, revision, rebuild, received or built package
gives a new version, read at every use, so a kept result is never shown for data that
changed. Whichever worker asks first computes and writes it; every other worker and app
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

import dataclasses
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from alianza.analysis.inputs import EditionInputs, PackageInput, Source
from alianza.analysis.joint import Figures, JointAnalysis, joint_analysis
from alianza.analysis.models import KeptResult
from alianza.db import Database
from alianza.db.versioned import Kept, data_version
from alianza.exchange.models import Package
from alianza.exchange.sdmx import Observation
from alianza.seizures.models import ImportBatch, SummaryRebuild

TABLES = (Package, ImportBatch, SummaryRebuild)
KIND = "joint-analysis"
CLASSES: dict[str, type[Any]] = {
    c.__name__: c
    for c in (JointAnalysis, Figures, EditionInputs, PackageInput, Source, Observation)
}


def encode(value: Any) -> Any:
    """``value`` as JSON data: dicts (any keys), tuples, sets and the analysis's dataclasses
    tagged so that :func:`decode` gives them back equal."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if CLASSES.get(name) is not type(value):
            raise TypeError(f"not a kept class: {name}")
        fields = {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"@c": name, "f": fields}
    if isinstance(value, dict):
        return {"@d": [[encode(k), encode(v)] for k, v in value.items()]}
    if isinstance(value, tuple):
        return {"@t": [encode(v) for v in value]}
    if isinstance(value, set | frozenset):
        return {"@s": [encode(v) for v in sorted(value)]}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if value is None or isinstance(value, str | int | float):
        return value
    raise TypeError(f"cannot keep a {type(value).__name__}")


def decode(data: Any) -> Any:
    """The value :func:`encode` was given (only the classes of :data:`CLASSES` are made)."""
    if isinstance(data, list):
        return [decode(v) for v in data]
    if not isinstance(data, dict):
        return data
    if "@c" in data:
        return CLASSES[data["@c"]](**{k: decode(v) for k, v in data["f"].items()})
    if "@d" in data:
        return {decode(k): decode(v) for k, v in data["@d"]}
    if "@t" in data:
        return tuple(decode(v) for v in data["@t"])
    return {decode(v) for v in data["@s"]}


def _dominated(older: list[Any], newer: list[Any]) -> bool:
    """Whether data version ``older`` came before ``newer`` (no number of it is greater;
    None: an empty table)."""
    return len(older) == len(newer) and all(
        (o if o is not None else -1) <= (n if n is not None else -1)
        for o, n in zip(older, newer, strict=True)
    )


def forget(database: Database) -> None:
    """Delete every kept analysis (benchmarks: a computation from nothing)."""
    with database.transaction() as session:
        session.execute(delete(KeptResult).where(KeptResult.kind == KIND))


class JointAnalysisCache:
    """The node's joint analyses, kept in its database by key and data version; safe between
    threads. ``memo_size`` > 0 also keeps that many in this process (least recently used
    dropped). Callers must not change the analyses they get."""

    def __init__(self, database: Database, memo_size: int = 0) -> None:
        self.database = database
        self._kept = Kept(memo_size)  # memo_size 0: one computation at a time per key, kept none
        self.computed = 0  # analyses computed here (not read): for tests and benchmarks

    def get(
        self, session: Session, quarter: str, *, own_country: str, inputs: str = "records"
    ) -> JointAnalysis:
        version = list(data_version(session, TABLES)[1:])  # the URL aside: one database
        key = json.dumps([quarter, own_country, inputs])
        found: JointAnalysis = self._kept.get(
            (json.dumps(version), key),
            lambda: self._read_or_compute(session, key, version, quarter, own_country, inputs),
        )
        return found

    def _read_or_compute(
        self,
        session: Session,
        key: str,
        version: list[Any],
        quarter: str,
        own_country: str,
        inputs: str,
    ) -> JointAnalysis:
        stamp = json.dumps(version)
        # Read in a session of its own: the caller's may hold a snapshot from before another
        # worker's (or its own) write. A row of this version is right whenever it was written.
        with self.database.reader() as own:
            row = own.scalar(
                select(KeptResult.value).where(
                    KeptResult.kind == KIND, KeptResult.key == key, KeptResult.version == stamp
                )
            )
        if row is not None:
            kept: JointAnalysis = decode(json.loads(row))
            return kept
        analysis = joint_analysis(session, quarter, own_country=own_country, inputs=inputs)
        self.computed += 1
        self._write(key, version, json.dumps(encode(analysis), separators=(",", ":")))
        return analysis

    def _write(self, key: str, version: list[Any], value: str) -> None:
        stamp = json.dumps(version)
        try:
            with self.database.transaction() as session:
                session.add(
                    KeptResult(kind=KIND, key=key, version=stamp, value=value, at=datetime.now(UTC))
                )
                session.flush()
                others = session.execute(
                    select(KeptResult.id, KeptResult.version).where(
                        KeptResult.kind == KIND, KeptResult.version != stamp
                    )
                ).all()
                old = [i for i, v in others if _dominated(json.loads(v), version)]
                if old:
                    session.execute(delete(KeptResult).where(KeptResult.id.in_(old)))
        except IntegrityError:
            pass  # another worker wrote the same result first
