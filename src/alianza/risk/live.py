"""Scoring declarations one at a time, as they arrive (``POST /api/v1/risk/declarations``,
``alianza risk score-one``).

A running node keeps the active model loaded (:func:`live_scorer`), with the held declarations
indexed by entity: the entity-history features of one declaration need only the labeled rows
sharing one of its keys (its importer, its HS code, ...) plus the overall prior rates before its
day, so scoring one costs a dictionary look-up and a few small arrays instead of reading and
featurising the whole history. The figures equal the batch path's (tests/risk/test_live.py).
The cache is renewed when the active model, the outcomes or declarations held, or the rules
and watchlists change (one query on indexed maxima, :func:`_stamp`). On the API's event loop,
declarations arriving together are decided as one group (:class:`_Batcher`: one cache check,
one prediction and explanation pass, one audit transaction, in one worker thread).

A declaration is checked by the importer's rules (the same checks and messages as a file row),
scored by both heads, and run through the rules and watchlists held in the database. Its lane
follows a stated policy (:class:`LivePolicy`): a mandatory hit goes to its rule's lane; else a
random control draw (``random_share``, decided by a hash of the reference, so a declaration
sent twice gets the same answer) sends it to the control lane; else the first lane whose
threshold its priority (probability plus the weights of non-mandatory hits) reaches; else
release. Nothing is stored but the audit entry of the score.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
import weakref
from bisect import bisect_left
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
from sqlalchemy import Select, func
from sqlalchemy import select as sql_select

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting_on
from alianza.db import Database
from alianza.db.engine import fetch_one_on_driver
from alianza.risk import messages as words
from alianza.risk.book import load_rule_book
from alianza.risk.explain import Explanation, explain_matrix
from alianza.risk.features import Matrix, consolidate, near_history, near_keys, prepare
from alianza.risk.history import SEPARATOR, HistoryColumns, entity_keys
from alianza.risk.model import RiskModel
from alianza.risk.models import Inspection, RuleVersion, Shipment, WatchlistEntry
from alianza.risk.read import ALIANZA, PROFILES, read_row
from alianza.risk.rules import Hit, RuleBook
from alianza.risk.selection import MANDATORY, RANDOM, RELEASE, SCORE
from alianza.risk.table import UNKNOWN, Declarations, Floats, concat
from alianza.validation import ValidationReport

ENTITIES = ("importer", "shipper", "declarant", "carrier", "consignee")


@dataclass(frozen=True)
class LivePolicy:
    """How one declaration gets a lane without a batch: ``lanes`` are (name, threshold), most
    intrusive first; ``control`` is the lane of the random control draw."""

    lanes: tuple[tuple[str, float], ...] = (("physical", 0.5), ("non-intrusive", 0.2))
    random_share: float = 0.02
    control: str = "physical"
    seed: int = 0

    def __post_init__(self) -> None:
        if not 0 <= self.random_share <= 1:
            raise ValueError(words.RANDOM_SHARE.said())
        if self.control not in {name for name, _ in self.lanes}:
            raise ValueError(words.CONTROL_LANE.said(lane=self.control))

    def as_dict(self) -> dict[str, Any]:
        return {
            "lanes": [{"name": n, "threshold": t} for n, t in self.lanes],
            "random_share": self.random_share,
            "control": self.control,
        }


@dataclass(frozen=True)
class Decision:
    reference: str
    model_id: int
    p_violation: float
    p_critical: float
    cold_start: bool
    lane: str
    reason: str  # mandatory / random-control / score / release
    priority: float
    hits: tuple[Hit, ...]
    explanation: Explanation

    def as_dict(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "model": self.model_id,
            "p_violation": round(self.p_violation, 6),
            "p_critical": round(self.p_critical, 6),
            "cold_start": self.cold_start,
            "lane": self.lane,
            "reason": self.reason,
            "priority": round(self.priority, 6),
            "hits": [{k: v for k, v in h.as_dict().items() if k != "row"} for h in self.hits],
            "explanation": {
                "raw_score": self.explanation.raw_score,
                "raising": [c.as_dict() for c in self.explanation.top],
                "lowering": [c.as_dict() for c in self.explanation.lowering],
            },
        }


class Refused(ValueError):
    """The declaration failed the importer's checks; ``report`` names every field."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report.text())
        self.report = report


@dataclass(frozen=True)
class _KeyIndex:
    """The labeled rows of one entity key (an importer, HS code × origin, ...), grouped by
    entity and in day order within each group, with running sums: the labeled rows of entity
    ``e`` dated before day ``d`` are the positions ``bounds[g]`` up to the bisection of ``d``
    in ``days`` within the group ``g = code[e]``, and their violations (values) are the
    difference of two running sums."""

    code: dict[str, int]  # entity -> its group
    bounds: list[int]  # group g holds the positions bounds[g] .. bounds[g + 1] - 1
    days: list[int]  # label day + lag of each position (ascending within a group)
    fraud: Floats  # running sums, one more than positions: labels before each position
    critical: Floats
    sums: dict[str, Floats]  # value column -> running sum of its present values
    present: dict[str, Floats]  # value column -> running count of its present values

    @classmethod
    def build(
        cls, labeled: Declarations, key: tuple[str, ...], lag: int, value_columns: tuple[str, ...]
    ) -> _KeyIndex:
        keys = entity_keys(labeled, key)
        held = np.flatnonzero(keys != "")
        entities, group = np.unique(keys[held].astype(str), return_inverse=True)
        group = group.reshape(-1)
        order = held[np.lexsort((labeled.day[held], group))]  # by group, then by day
        sizes = np.bincount(group, minlength=len(entities))
        bounds = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)

        def running(values: Floats) -> Floats:
            return np.concatenate([[0.0], np.cumsum(values, dtype=np.float64)])

        sums: dict[str, Floats] = {}
        present: dict[str, Floats] = {}
        for column in value_columns:
            values = labeled.number[column][order]
            here = ~np.isnan(values)
            sums[column] = running(np.where(here, values, 0.0))
            present[column] = running(here.astype(np.float64))
        return cls(
            {str(e): g for g, e in enumerate(entities.tolist())},
            bounds.tolist(),
            (labeled.day[order] + lag).tolist(),
            running(labeled.fraud[order].astype(np.float64)),
            running(labeled.critical[order].astype(np.float64)),
            sums,
            present,
        )

    def locate(self, keys: list[str], days: list[int]) -> tuple[list[int], list[int]]:
        """For rows of these entity ``keys`` and ``days``: the first position of each row's
        entity and the position of its day (labels before it lie between); both 0 for a row
        without an entity (a part of the key missing) or of an entity without labels."""
        start = [0] * len(keys)
        position = [0] * len(keys)
        for r, (value, day) in enumerate(zip(keys, days, strict=True)):
            group = self.code.get(value) if value else None
            if group is not None:
                low = self.bounds[group]
                start[r] = low
                position[r] = bisect_left(self.days, day, low, self.bounds[group + 1])
        return start, position


class _RowKeys:
    """The entity keys of a few rows as Python strings (what :func:`entity_keys` gives: the
    parts joined by its separator, ``""`` when a part is missing), each text column read
    once for all the keys of a feature matrix."""

    def __init__(self, rows: Declarations) -> None:
        self.rows = rows
        self.texts: dict[str, list[str]] = {}

    def __call__(self, key: tuple[str, ...]) -> list[str]:
        parts = []
        for column in key:
            found = self.texts.get(column)
            if found is None:
                found = self.texts[column] = [str(v) for v in self.rows.column(column).tolist()]
            parts.append(found)
        if len(parts) == 1:
            return parts[0]
        joined = zip(*parts, strict=True)
        return ["" if "" in values else SEPARATOR.join(values) for values in joined]


@dataclass
class LiveScorer:
    """The active model with the held declarations indexed for one-at-a-time scoring."""

    model_id: int
    model: RiskModel
    held: Declarations  # every declaration held, derived
    labeled: Declarations  # those with an outcome, derived
    rules: RuleBook
    stamp: tuple[int, ...]
    keys: dict[tuple[str, ...], _KeyIndex] = field(default_factory=dict)
    shifted_days: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    cumulative: dict[str, Floats] = field(default_factory=dict)
    row_of: dict[str, int] = field(default_factory=dict)
    codes: dict[str, dict[str, float]] = field(default_factory=dict)
    # entity column -> value -> the held row of that value dated first (what first-time needs)
    first_of: dict[str, dict[str, int]] = field(default_factory=dict)
    # label -> the running sums of every key's index end to end; key -> where its own begin
    running: dict[str, Floats] = field(default_factory=dict)
    offset: dict[tuple[str, ...], int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        spec = self.model.spec
        self.row_of = {str(r): i for i, r in enumerate(self.held.ids.tolist())}
        self.codes = {
            name: {value: float(code) for code, value in enumerate(values)}
            for name, values in self.model.encoder.categories.items()
        }
        for key in {*spec.history_keys, *spec.value_keys}:
            columns = spec.value_columns if key in spec.value_keys else ()
            self.keys[key] = _KeyIndex.build(self.labeled, key, spec.history_lag_days, columns)
        if spec.near_keys:  # the mass and value cells of the labeled rows
            celled = prepare(self.labeled, spec)
            for key in (k for near in spec.near_keys for k in near_keys(near)):
                self.keys[key] = _KeyIndex.build(celled, key, spec.history_lag_days, ())
        at = 0
        for key, index in self.keys.items():
            self.offset[key] = at
            at += len(index.fraud)
        for label_name in ("fraud", "critical"):
            self.running[label_name] = np.concatenate(
                [getattr(index, label_name) for index in self.keys.values()] or [np.zeros(0)]
            )
        for column in ENTITIES:
            if column in self.held.text:
                days = self.held.day
                self.first_of[column] = {
                    value: int(idx[np.argmin(days[idx])])
                    for value, idx in _index(self.held.text[column]).items()
                }
        order = np.argsort(self.labeled.day, kind="stable")
        self.shifted_days = self.labeled.day[order] + spec.history_lag_days
        for name, label in (("fraud", self.labeled.fraud), ("critical", self.labeled.critical)):
            self.cumulative[name] = np.concatenate([[0.0], np.cumsum(label[order], dtype=float)])

    def matrix(self, rows: Declarations) -> Matrix:
        """The model's feature matrix of ``rows`` with the whole labeled history held, as
        :func:`alianza.risk.features.build_matrix` computes it, from the entity index
        (:class:`_KeyIndex`): for each key, the position of the row's day among the labeled
        rows of its entity (a bisection) gives the count before it, and running sums give
        the violations and values before it; so one declaration costs a few look-ups and no
        pass over the history, and a group of them a few array operations."""
        spec = self.model.spec
        rows = prepare(consolidate(rows, spec.consolidate_by), spec)
        n_rows = len(rows)
        smoothing = 5.0  # as history_features
        base = self.base(rows)
        days = rows.day.tolist()
        names: list[str] = []
        columns: list[Floats] = []
        for name in spec.categorical:
            lookup = self.codes[name]
            names.append(name)
            columns.append(np.array([lookup.get(v, np.nan) for v in rows.column(name)]))
        for name in spec.numeric:
            names.append(name)
            columns.append(rows.number[name])

        row_keys = _RowKeys(rows)

        def histories(keys: list[tuple[str, ...]]) -> None:
            """Each key's log count and fraud and critical rates, every key in one pass: the
            running sums of all the keys are one array (:attr:`running`), each key's from its
            offset."""
            if not keys:
                return
            starts: list[list[int]] = []
            positions: list[list[int]] = []
            gone: list[list[bool]] = []
            for key in keys:
                entities = row_keys(key)
                first, at = self.keys[key].locate(entities, days)
                offset = self.offset[key]
                starts.append([offset + s for s in first])
                positions.append([offset + p for p in at])
                gone.append([not entity for entity in entities])
            start, position = np.array(starts, np.int64), np.array(positions, np.int64)
            missing = np.array(gone, dtype=bool)
            n = (position - start).astype(np.float64)
            count = np.log1p(n)
            count[missing] = np.nan
            rates = []
            for label_name in ("fraud", "critical"):
                running = self.running[label_name]
                y = running[position] - running[start]
                rate = (y + smoothing * base[label_name]) / (n + smoothing)
                rate[missing] = np.nan
                rates.append(rate)
            for i, key in enumerate(keys):
                name = "_x_".join(key)
                names.append(f"history_{name}_log_count")
                columns.append(count[i])
                for label_name, rate in zip(("fraud", "critical"), rates, strict=True):
                    names.append(f"history_{name}_{label_name}_rate")
                    columns.append(rate[i])

        histories(list(spec.history_keys))
        for key in spec.value_keys:
            name = "_x_".join(key)
            index = self.keys[key]
            entities = row_keys(key)
            found = index.locate(entities, days)
            start, position = np.array(found[0], np.int64), np.array(found[1], np.int64)
            missing = np.array([not entity for entity in entities], dtype=bool)
            for column in spec.value_columns:
                total = index.sums[column][position] - index.sums[column][start]
                present = index.present[column][position] - index.present[column][start]
                deviation = np.full(n_rows, np.nan)
                ok = (present > 0) & ~missing
                deviation[ok] = rows.number[column][ok] - total[ok] / present[ok]
                names.append(f"history_{name}_{column}_deviation")
                columns.append(deviation)
        if spec.near_keys:  # as build_matrix: the four cells' histories, then the fullest cell
            held = len(names)
            histories([k for near in spec.near_keys for k in near_keys(near)])
            expanded = HistoryColumns(names[held:], columns[held:])
            del names[held:], columns[held:]
            for name_group, column_group in near_history(expanded, spec.near_keys):
                names.extend(name_group)
                columns.extend(column_group)
        values = np.column_stack(columns) if columns else np.zeros((n_rows, 0))
        return Matrix(
            np.ascontiguousarray(values, dtype=np.float64),
            names,
            list(range(len(spec.categorical))),
        )

    def base(self, rows: Declarations) -> dict[str, Floats]:
        """The overall prior rates of both labels before each row's day."""
        n = np.searchsorted(self.shifted_days, rows.day, side="left")
        return {
            name: np.where(n > 0, (cum[n] + 1.0) / (n + 2.0), 0.5)
            for name, cum in self.cumulative.items()
        }

    def seen(self, rows: Declarations) -> Declarations:
        """For each entity of ``rows``, the held declaration of that entity dated first, when
        it is dated before every row: what "first-time" looks at (the earliest day of each
        entity), as if every held declaration sharing an entity were given, in a few rows."""
        picked = sorted(
            {
                index[value]
                for column, index in self.first_of.items()
                if column in rows.text  # an arrival of a profile without it (KCS: consignee)
                for value in rows.column(column).tolist()
                if value and value in index
            }
        )
        chosen = np.array(picked, np.int64)
        older = chosen[self.held.day[chosen] < int(rows.day.min())] if len(chosen) else chosen
        return self.held.take(older)

    def explain_held(
        self, reference: str, *, heads: tuple[str, ...] = ("general", "critical"), top: int = 5
    ) -> dict[str, Explanation]:
        """Explanations of a held shipment (the same figures as
        :func:`alianza.risk.service.explain_shipments`, from the loaded model); KeyError when
        the shipment is not held."""
        row = self.held.take(np.array([self.row_of[reference]], np.int64))
        matrix = self.matrix(row)
        return {
            head: explain_matrix(self.model, matrix, np.zeros(1, np.int64), head=head, top=top)[0]
            for head in heads
        }

    def decide(self, rows: Declarations, policy: LivePolicy, *, top: int = 5) -> list[Decision]:
        """A decision for each of ``rows``, each checked against the rules alone (as if it
        arrived by itself)."""
        singles = [rows.take(np.array([i], np.int64)) for i in range(len(rows))]
        return self.decide_each([(row, policy, top) for row in singles])

    def decide_each(self, arrivals: list[tuple[Declarations, LivePolicy, int]]) -> list[Decision]:
        """Decisions for declarations arrived one by one (each a table of one row, with its
        policy and number of factors), scored together: one feature matrix, one prediction
        and one explanation pass for all; the rules see each declaration alone."""
        try:
            rows = concat([row for row, _policy, _top in arrivals])
        except ValueError:  # different profiles' columns: score them apart
            return [d for arrival in arrivals for d in self.decide_each([arrival])]
        matrix = self.matrix(rows)
        general, critical = self.model.heads["general"], self.model.heads["critical"]
        _raw, p_general, cold = general.predict(matrix)
        _raw, p_critical, _cold = critical.predict(matrix)
        found: dict[int, Explanation] = {}
        for top in sorted({top for _row, _policy, top in arrivals}):
            wanted = np.array([i for i, a in enumerate(arrivals) if a[2] == top], np.int64)
            part = Matrix(matrix.values[wanted], matrix.names, matrix.categorical)
            alone = np.zeros(len(wanted), np.int64)  # each the row 0 of its own declaration
            for i, explanation in zip(
                wanted.tolist(), explain_matrix(self.model, part, alone, top=top), strict=True
            ):
                found[i] = explanation
        out = []
        for i, (row, policy, _top) in enumerate(arrivals):
            hits = tuple(self.rules.evaluate(row, self.seen(row)))  # each row 0
            p = float(p_general[i])
            priority = p + sum(h.weight for h in hits if not h.mandatory)
            reference = str(row.ids[0])
            lanes = [name for name, _ in policy.lanes]
            lane, reason = _lane(reference, priority, hits, lanes, policy)
            out.append(
                Decision(
                    reference,
                    self.model_id,
                    p,
                    float(p_critical[i]),
                    bool(cold[i]),
                    lane,
                    reason,
                    priority,
                    hits,
                    found[i],
                )
            )
        return out


def _index(values: npt.NDArray[np.object_]) -> dict[str, npt.NDArray[np.int64]]:
    out: dict[str, list[int]] = {}
    for i, value in enumerate(values.tolist()):
        if value:
            out.setdefault(str(value), []).append(i)
    return {k: np.array(v, np.int64) for k, v in out.items()}


def _lane(
    reference: str, priority: float, hits: tuple[Hit, ...], lanes: list[str], policy: LivePolicy
) -> tuple[str, str]:
    mandatory = [h for h in hits if h.mandatory and h.lane is not None]
    if mandatory:
        known = [h for h in mandatory if h.lane in lanes]
        chosen = min(known, key=lambda h: lanes.index(str(h.lane))) if known else mandatory[0]
        return str(chosen.lane), MANDATORY
    digest = hashlib.sha256(f"{policy.seed}:{reference}".encode()).digest()
    if int.from_bytes(digest[:8], "big") / 2**64 < policy.random_share:
        return policy.control, RANDOM
    for name, threshold in policy.lanes:
        if priority >= threshold:
            return name, SCORE
    return RELEASE, RELEASE


# id(database) -> (a weak reference to that database, its scorer): a later Database object
# given the same id after the first is gone never gets the first one's scorer
_CACHE: dict[int, tuple[weakref.ref[Database], LiveScorer]] = {}
_LOCK = threading.Lock()


def _cached(database: Database, stamp: tuple[int, ...]) -> LiveScorer | None:
    found = _CACHE.get(id(database))
    if found is None or found[0]() is not database or found[1].stamp != stamp:
        return None
    return found[1]


def _stamp(database: Database) -> tuple[int, ...]:
    """What the cache depends on, in one query on indexed maxima (a few microseconds on
    SQLite): the active model, the last outcome and declaration held (both tables only grow:
    an outcome is never changed nor removed), rule and watchlist versions (added or retired).
    The statement is compiled once per dialect. On SQLite it runs on the driver's connection
    (:func:`alianza.db.engine.fetch_one_on_driver`, once per group of declarations, issue 21),
    as the API token is looked up."""
    engine = database.read_engine
    sql = _STAMP_SQL.get(engine.dialect.name)
    if sql is None:
        sql = _STAMP_SQL[engine.dialect.name] = str(_stamp_query().compile(dialect=engine.dialect))
    if engine.dialect.name == "sqlite":
        found = fetch_one_on_driver(engine, sql)
        assert found is not None  # one row of maxima and counts
    else:
        with engine.connect() as connection:
            found = connection.exec_driver_sql(sql).one()
    return tuple(int(v or 0) for v in found)


_STAMP_SQL: dict[str, str] = {}


def _stamp_query() -> Select[Any]:
    from alianza.risk.models import StoredModel
    from alianza.risk.schedule import _active

    return sql_select(
        _active(sql_select(func.max(StoredModel.id))).scalar_subquery(),
        sql_select(func.max(Inspection.id)).scalar_subquery(),
        sql_select(func.max(Shipment.id)).scalar_subquery(),
        sql_select(func.max(RuleVersion.id)).scalar_subquery(),
        sql_select(func.count(RuleVersion.retired_at)).scalar_subquery(),
        sql_select(func.max(WatchlistEntry.id)).scalar_subquery(),
        sql_select(func.count(WatchlistEntry.retired_at)).scalar_subquery(),
    )


def live_scorer(database: Database) -> LiveScorer:
    """The node's scorer, loaded once and kept while the model and the data held are the
    same (raises NoModel before the first training)."""
    from alianza.risk.service import load_model
    from alianza.risk.store import declarations_between

    stamp = _stamp(database)
    cached = _cached(database, stamp)
    if cached is not None:
        return cached
    with _LOCK:
        cached = _cached(database, stamp)
        if cached is not None:
            return cached
        with database.reader() as session:
            model_id, model = load_model(session)
            held = prepare(declarations_between(session).table, model.spec)
            rules = load_rule_book(session)
        labeled = held.take(held.fraud != UNKNOWN)
        scorer = LiveScorer(model_id, model, held, labeled, rules, stamp)
        _CACHE[id(database)] = (weakref.ref(database), scorer)
        return scorer


def forget(database: Database) -> None:
    """Drop the node's cached scorer (rules changed, tests)."""
    _CACHE.pop(id(database), None)


def score_declaration(
    database: Database,
    raw: dict[str, Any],
    *,
    profile: str = "alianza",
    policy: LivePolicy | None = None,
    actor: Actor,
    top: int = 5,
) -> Decision:
    """Check one declaration (columns of ``profile``), score it, apply the rules and
    watchlists held, and give it a lane under ``policy``; the score is audited (committed
    before this returns). A running node's API uses :func:`score_arriving`, which decides
    declarations arriving together as one group."""
    arrival = _arrival(database, raw, profile, policy, top, actor)
    _decide_group([arrival])
    return arrival.result()


async def score_arriving(
    database: Database,
    raw: dict[str, Any],
    *,
    profile: str = "alianza",
    policy: LivePolicy | None = None,
    actor: Actor,
    top: int = 5,
) -> Decision:
    """:func:`score_declaration` on an event loop (the API): the caller and the declaration
    are checked here, neither reading the database (a user of the other government or a role
    without ``risk.read`` is refused at once), then the declaration is decided with those
    arriving together (:class:`_Batcher`); the answer comes once its audit entry is
    committed."""
    return await _batcher().submit(_arrival(database, raw, profile, policy, top, actor))


def _arrival(
    database: Database,
    raw: dict[str, Any],
    profile: str,
    policy: LivePolicy | None,
    top: int,
    actor: Actor,
) -> _Arrival:
    # refused before anything is read; the check opens no session (it runs on the event loop)
    by = acting_on(database, actor, Permission.RISK_READ)
    rows, report = read_row(
        {k: None if v is None else str(v) for k, v in raw.items()}, PROFILES.get(profile, ALIANZA)
    )
    if report.issues and len(rows) == 0:
        raise Refused(report)
    return _Arrival(database, rows, policy or LivePolicy(), top, by)


@dataclass(eq=False)
class _Arrival:
    database: Database
    rows: Declarations
    policy: LivePolicy
    top: int
    actor: str
    decision: Decision | None = None
    error: BaseException | None = None

    def result(self) -> Decision:
        if self.error is not None:
            raise self.error
        assert self.decision is not None
        return self.decision


class _Batcher:
    """Declarations arriving together on one event loop are decided as one group (group
    commit): while a group is decided, in one worker thread (:data:`_WORKER`), those arriving
    wait; then they all form the next group, which checks once that the cached model and
    rules are current (:func:`live_scorer`, after each of them arrived, so a model activated
    or a rule changed before a declaration arrived always applies to it), scores them in one
    pass and writes their audit entries in one transaction. Alone, a declaration is its own
    group at once: nothing waits for a timer. The event loop keeps reading requests meanwhile,
    and no thread is woken per declaration."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        self._waiting: list[tuple[_Arrival, asyncio.Future[None]]] = []
        self._busy = False

    async def submit(self, arrival: _Arrival) -> Decision:
        done: asyncio.Future[None] = self._loop.create_future()
        self._waiting.append((arrival, done))
        if not self._busy:
            self._busy = True
            self._loop.call_soon(self._next)  # those read in this turn of the loop join
        await asyncio.shield(done)  # a client gone does not cancel its group
        return arrival.result()

    def _next(self) -> None:
        group, self._waiting = self._waiting, []
        if not group:
            self._busy = False
            return
        deciding = self._loop.run_in_executor(_WORKER, _decide_group, [a for a, _ in group])
        deciding.add_done_callback(lambda _: self._finish(group))

    def _finish(self, group: list[tuple[_Arrival, asyncio.Future[None]]]) -> None:
        for _arrival, done in group:
            done.set_result(None)
        self._next()


_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="risk-live")
_BATCHERS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _Batcher] = (
    weakref.WeakKeyDictionary()
)


def _batcher() -> _Batcher:
    loop = asyncio.get_running_loop()
    found = _BATCHERS.get(loop)
    if found is None:
        found = _BATCHERS[loop] = _Batcher(loop)
    return found


def _decide_group(group: list[_Arrival]) -> None:
    by_database: dict[int, list[_Arrival]] = {}
    for arrival in group:
        by_database.setdefault(id(arrival.database), []).append(arrival)
    for members in by_database.values():
        try:
            database = members[0].database
            scorer = live_scorer(database)
            decisions = scorer.decide_each([(a.rows, a.policy, a.top) for a in members])
            with database.transaction() as session:
                audit.append_many(
                    session,
                    [
                        (
                            arrival.actor,
                            "risk.score.declaration",
                            f"risk_model:{decision.model_id}",
                            {
                                "reference": decision.reference,
                                "p_violation": round(decision.p_violation, 6),
                                "p_critical": round(decision.p_critical, 6),
                                "lane": decision.lane,
                                "reason": decision.reason,
                                "rules": [f"{h.rule}@{h.version}" for h in decision.hits],
                            },
                        )
                        for arrival, decision in zip(members, decisions, strict=True)
                    ],
                )
            for arrival, decision in zip(members, decisions, strict=True):
                arrival.decision = decision
        except Exception as error:  # each caller of the group gets it
            for arrival in members:
                arrival.error = error
