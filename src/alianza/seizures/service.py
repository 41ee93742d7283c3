"""Importing a seizure file: read → check and normalize → load (or quarantine) → dedupe, in
one transaction, with a validation report.

- Valid rows load in one transaction; invalid rows go to quarantine with raw values and reasons.
- ``strict``: if any row is invalid nothing is written at all.
- Re-importing a file changes nothing (same records are "unchanged"; the transaction is rolled
  back when it would change nothing, so not even a batch row is added).
- A corrected file releases the quarantined rows it fixes.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from time import perf_counter
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import func, select

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.db import Database
from alianza.node import node_country
from alianza.operations.metrics import count_seizure_import
from alianza.seizures import columnar, issues, summary
from alianza.seizures.dedupe import DedupeResult, find_duplicates
from alianza.seizures.fingerprint import (
    AGGREGATE_KEY_FIELDS,
    EVENT_KEY_FIELDS,
    digest,
    raw_key,
)
from alianza.seizures.load import Loader, Rejected
from alianza.seizures.models import ImportBatch, SummaryRebuild
from alianza.seizures.normalize import (
    EVENT_FIELDS,
    Checked,
    RowChecker,
    canonical_values,
    check_event_row,
)
from alianza.seizures.profile import Profile, RecordKind, UnknownColumns, load_profile
from alianza.seizures.records import AggregateRecord, EventRecord, PreparedEvents
from alianza.tabular import (
    Progress,
    SourceRow,
    UnreadableFile,
    open_table,
    unreadable_issue,
)
from alianza.validation import Issue, ValidationReport

T = TypeVar("T")
CHUNK = 5000
BYTES_PER_ROW = 170  # about what a canonical CSV row takes: for a first guess of a file's rows
UNKNOWN_ENGINE = declare(
    "seizures.import.unknown-engine", "engine must be 'auto' or 'rows', not {engine!r}"
)


@dataclass
class ImportOutcome:
    report: ValidationReport
    batch_id: int | None  # None when nothing was written
    duplicates: DedupeResult
    engine: str = "rows"  # "columnar" when the columnar path read the file (see columnar.py)
    # Seconds spent reading the file, storing (the loader) and finding duplicates, and in all
    # (the rest of the total is checking and normalizing): for benchmarks.
    timings: dict[str, float] = field(default_factory=dict)


def _timed(items: Iterator[T], seconds: list[float]) -> Iterator[T]:
    """The items, adding the time spent making each to ``seconds[0]``."""
    while True:
        started = perf_counter()
        try:
            item = next(items)
        except StopIteration:
            seconds[0] += perf_counter() - started
            return
        seconds[0] += perf_counter() - started
        yield item


class _Discard(Exception):
    """Roll the transaction back: strict mode found errors, or nothing would change."""


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    return sha.hexdigest()


def check_header(profile: Profile, header: list[str], report: ValidationReport) -> bool:
    """File-level checks; False when the file cannot be imported with this profile."""
    ok = True
    present = set(header)
    for column in profile.required_columns:
        if column not in present:
            report.add(Issue.of(issues.MISSING_COLUMN, field=column, profile=profile.name))
            ok = False
    known = profile.known_columns
    for column in header:
        if column and column not in known:
            if profile.unknown_columns is UnknownColumns.REJECT:
                report.add(Issue.of(issues.UNKNOWN_COLUMN, field=column, profile=profile.name))
                ok = False
            elif profile.unknown_columns is UnknownColumns.IGNORE:
                report.add(
                    Issue.of(issues.UNKNOWN_COLUMN_IGNORED, field=column, profile=profile.name)
                )
    return ok


@dataclass
class _Group:
    """Rows of one event (consecutive rows with the same source system and id)."""

    key: tuple[str, str]
    rows: list[tuple[SourceRow, Checked]]


def shaped_rows(
    rows: Iterator[SourceRow], profile: Profile, report: ValidationReport
) -> Iterator[SourceRow]:
    """Rows as the profile reads them: rows its filters leave out are counted (in
    ``report.details["filtered"]``), and a wide row becomes one row per unpivoted measure
    column (same row number; ``measure`` names the column)."""
    filtered = 0
    for row in rows:
        if not all(f.passes(row.values.get(f.column, "")) for f in profile.filters):
            filtered += 1
            continue
        if profile.unpivot:
            for measure in profile.unpivot:
                yield SourceRow(row.number, row.values, measure.column)
        else:
            yield row
    if filtered:
        report.details["filtered"] = filtered
        report.add(
            Issue.of(
                issues.ROWS_FILTERED,
                count=filtered,
                filters="; ".join(
                    f"{f.column} {'in' if f.keep else 'not in'} {sorted(f.values)}"
                    for f in profile.filters
                ),
            )
        )


def _extra_cells(row: SourceRow, checked: Checked) -> None:
    """Cells past the header's last column (the reader keeps them under ``""``)."""
    if "" in row.values:
        checked.issues.append(Issue.of(issues.EXTRA_CELLS, row=row.number, value=row.values[""]))


def _event_groups(rows: Iterator[SourceRow], profile: Profile) -> Iterator[_Group]:
    current: _Group | None = None
    for row in rows:
        values = canonical_values(profile, row)
        checked = Checked(row.number, values)
        _extra_cells(row, checked)
        key = (values.get("source_system", ""), values.get("source_record_id", ""))
        if current is not None and key == current.key and all(key):
            current.rows.append((row, checked))
            continue
        if current is not None:
            yield current
        current = _Group(key, [(row, checked)])
    if current is not None:
        yield current


class _Run:
    """One import run: checks rows, buffers records, hands chunks to the loader."""

    def __init__(
        self,
        profile: Profile,
        source: str,
        report: ValidationReport,
        loader: Loader,
        node_country: str | None = None,
    ) -> None:
        self.profile = profile
        self.source = source
        self.report = report
        self.loader = loader
        self.checker = RowChecker(profile, node_country)
        self.aggregates: list[AggregateRecord] = []
        self.events: list[EventRecord | PreparedEvents] = []
        self.rejected: list[Rejected] = []
        # Release candidates, kept for the whole run (only when quarantine has open rows):
        # a quarantined row is released at the end unless this run rejected it again.
        self.track_release = loader.has_open_quarantine(profile.name)
        self.valid_raw_keys: list[str] = []
        self.valid_rows: list[int] = []
        self.rejected_hashes: set[str] = set()
        self.key_fields = (
            EVENT_KEY_FIELDS if profile.record is RecordKind.EVENT else AGGREGATE_KEY_FIELDS
        )
        self.seen: dict[Any, int] = {}
        self.buffered = 0
        self.measure_issues: dict[int, set[tuple[str, str | None, str]]] = {}

    def reject(self, row: SourceRow, values: dict[str, str], found: list[Issue]) -> None:
        if row.measure is not None:
            # a wide row is checked once per unpivoted measure: report and quarantine it once
            # (its issues about the row itself are the same each time)
            shown = self.measure_issues.setdefault(row.number, set())
            if self.measure_issues.keys() - {row.number}:
                self.measure_issues = {row.number: shown}
            found = [i for i in found if (i.code, i.field, i.message) not in shown]
            shown.update((i.code, i.field, i.message) for i in found)
            if len(shown) > len(found):  # the row is already in quarantine: add what is new
                for issue in found:
                    self.report.add(issue)
                return
        for issue in found:
            self.report.add(issue)
        raw = dict(row.values)
        rejected = Rejected(
            row=row.number,
            raw=raw,
            raw_hash=digest([self.profile.name, raw]),
            raw_key=raw_key(values, self.key_fields),
            issues=[i.as_dict() for i in found],
        )
        self.rejected.append(rejected)
        if self.track_release:
            self.rejected_hashes.add(rejected.raw_hash)
        self.report.quarantined += 1
        self.buffered += 1

    def accept(self, row: SourceRow, values: dict[str, str], warnings: list[Issue]) -> None:
        for issue in warnings:
            self.report.add(issue)
        if self.track_release:
            self.valid_raw_keys.append(raw_key(values, self.key_fields))
            self.valid_rows.append(row.number)
        self.buffered += 1

    def aggregate_row(self, row: SourceRow) -> None:
        values = canonical_values(self.profile, row)
        checked = Checked(row.number, values)
        _extra_cells(row, checked)
        record = self.checker.aggregate(checked)
        if record is not None:
            key = (
                record.period_month,
                record.reporting_agency,
                record.region,
                record.land_filter,
                (record.area or "").casefold(),
                record.drug_code,
                *(p for p in (record.state, record.municipality) if p),
            )
            first = self.seen.setdefault(key, row.number)
            if first != row.number:
                checked.issues.append(
                    Issue.of(
                        issues.DUPLICATE_KEY_IN_FILE,
                        row=row.number,
                        value=" | ".join(str(part) for part in key),
                        first_row=first,
                    )
                )
                record = None
        if record is None:
            self.reject(row, values, checked.issues)
            return
        self.accept(row, values, checked.issues)
        self.aggregates.append(record)

    def event_group(self, group: _Group) -> None:
        records: list[tuple[EventRecord | None, Any]] = []
        for _row, checked in group.rows:
            records.append(check_event_row(self.checker, checked))
        first_row, first_checked = group.rows[0]
        key_text = " / ".join(group.key)
        if all(group.key):
            first = self.seen.setdefault(group.key, first_row.number)
            if first != first_row.number:
                first_checked.issues.append(
                    Issue.of(
                        issues.REPEATED_EVENT,
                        row=first_row.number,
                        field="source_record_id",
                        value=key_text,
                        first_row=first,
                    )
                )
        for row, checked in group.rows[1:]:
            for name in EVENT_FIELDS:
                mine, theirs = checked.values.get(name, ""), first_checked.values.get(name, "")
                if mine != theirs:
                    checked.issues.append(
                        Issue.of(
                            issues.CONFLICTING_EVENT_FIELDS,
                            row=row.number,
                            field=name,
                            value=mine,
                            first=theirs,
                            first_row=first_row.number,
                        )
                    )
        bad = [checked.row for _row, checked in group.rows if not checked.ok]
        if bad:
            for row, checked in group.rows:
                found = list(checked.issues)
                if checked.ok:
                    found.append(
                        Issue.of(
                            issues.SIBLING_ROW_INVALID,
                            row=row.number,
                            value=key_text,
                            other_row=bad[0],
                        )
                    )
                self.reject(row, checked.values, found)
            return
        event = records[0][0]
        assert event is not None
        event.items = [item for _event, item in records]
        for row, checked in group.rows:
            self.accept(row, checked.values, checked.issues)
        self.events.append(event)

    def clean_events(self, prepared: PreparedEvents) -> None:
        """Events that the columnar path checked: no issue, keys not seen before."""
        if self.track_release:
            systems, idents = (
                np.repeat(prepared.event_columns[at], prepared.sizes).tolist() for at in (1, 2)
            )
            self.valid_raw_keys.extend(map(columnar.release_key, systems, idents))
            self.valid_rows.extend(prepared.item_column(0))
        self.report.rows += prepared.items
        self.buffered += prepared.items
        self.events.append(prepared)

    def flush(self) -> None:
        if self.aggregates:
            self.loader.aggregates(self.aggregates)
        if self.events:
            self.loader.events(self.events)
        if self.rejected:
            self.loader.quarantine(self.source, self.profile.name, self.rejected)
        self.aggregates, self.events, self.rejected = [], [], []
        self.buffered = 0


def import_file(
    database: Database,
    path: Path,
    profile_name: str | Path,
    *,
    strict: bool = False,
    actor: Actor,
    extraction_date: date | None = None,
    limit: int = 1000,
    progress: Progress | None = None,
    source_name: str | None = None,
    engine: str = "auto",
    provenance: str | None = None,
) -> ImportOutcome:
    """Import ``path`` with a mapping profile; see the module docstring for the guarantees.

    ``provenance``: where the data comes from (stored with the import batch, shown with
    every page and document made from it); defaults to the profile's ``provenance``.

    ``engine``: ``auto`` reads CSV event files with the columnar path
    (:mod:`alianza.seizures.columnar`) and everything else row by row; ``rows`` forces the
    row path (the reference the columnar path is tested against). Both give the same report
    and the same stored records.

    ``actor``: who imports (the audit log and the import batch record the name); a user of
    the other government is refused (:class:`~alianza.accounts.principal.ForeignAccount`),
    and one whose role does not grant seizures.import (:class:`~alianza.actors.NotPermitted`).

    Raises :class:`~alianza.seizures.profile.UnknownProfile` or ``BadProfile`` for a bad
    profile; every problem with the file itself is in the returned report.
    """
    if engine not in ("auto", "rows"):
        raise ValueError(UNKNOWN_ENGINE.said(engine=engine))
    profile = load_profile(profile_name)
    arguments: dict[str, Any] = {
        "strict": strict,
        "actor": actor,
        "extraction_date": extraction_date,
        "limit": limit,
        "progress": progress,
        "source_name": source_name,
        "provenance": provenance if provenance is not None else (profile.provenance or None),
    }
    if engine == "auto" and columnar.applies(path, profile):
        try:
            return _import(database, path, profile, columnar_path=True, **arguments)
        except columnar.Fallback:
            pass  # rolled back: nothing was written; the row path reads the file again
    return _import(database, path, profile, columnar_path=False, **arguments)


def _columnar_events(
    run: _Run, path: Path, header: list[str], progress: Progress | None, reading: list[float]
) -> None:
    """Feed the run from the columnar reader: clean events (of one row or several) as columns,
    every other group through the row path's own :meth:`_Run.event_group`, in file order.
    Chunks end where the row path's end (the first event that brings the buffered rows to
    :data:`CHUNK`), so the loader sees the same chunks."""
    profile, report = run.profile, run.report
    pending: _Group | None = None

    def slow(batch: columnar.Batch, start: int, stop: int) -> list[tuple[SourceRow, Checked]]:
        rows = [columnar.source_row(header, batch, n) for n in range(start, stop)]
        return [(row, Checked(row.number, canonical_values(profile, row))) for row in rows]

    def finish(group: _Group) -> None:
        report.rows += len(group.rows)
        run.event_group(group)

    binders = run.loader.binders()
    for batch in _timed(columnar.read_batches(path, profile, header, progress), reading):
        canonical = columnar.Canonical(profile, header, batch)
        checks = columnar.check_rows(run.checker, canonical)
        starts = columnar.group_starts(canonical)
        bounds = np.append(np.flatnonzero(starts), batch.size)
        system, ident = canonical["source_system"], canonical["source_record_id"]
        if pending is not None:
            key = (system.strings[system.index[0]], ident.strings[ident.index[0]])
            if key == pending.key and all(key):  # the pending event goes on in this batch
                pending.rows.extend(slow(batch, 0, int(bounds[1])))
                bounds = bounds[1:]
                if len(bounds) == 1:
                    continue
            finish(pending)
            pending = None
            if run.buffered >= CHUNK:
                run.flush()
        # Every event starting in this batch, in file order: whether its key was seen before
        # (what _Run.event_group asks again for the events it is given, with the same answer).
        at = bounds[:-1]
        keys = list(zip(_strings(system, at), _strings(ident, at), strict=True))
        numbers = (at + batch.first_row).tolist()
        keyed = (columnar.nonblank(system) & columnar.nonblank(ident))[at].tolist()
        seen = run.seen
        new = [
            not has_key or seen.setdefault(key, number) == number
            for key, number, has_key in zip(keys, numbers, keyed, strict=True)
        ]
        # Fast: a clean event with a key not seen before, and not the batch's last event
        # (which may go on in the next batch: it is kept pending, for the row path).
        fast = columnar.clean_events(canonical, checks.ok, bounds) & np.asarray(new, np.bool_)
        fast[-1] = False
        sizes = np.diff(bounds)
        offsets = np.zeros(int(fast.sum()) + 1, dtype=np.int64)
        np.cumsum(sizes[fast], out=offsets[1:])
        where = np.flatnonzero(np.repeat(fast, sizes)) + bounds[0]
        prepared = columnar.prepare(checks, where, offsets, batch.first_row, *binders)
        fast_before = np.zeros(len(fast) + 1, dtype=np.int64)
        np.cumsum(fast, out=fast_before[1:])
        slow_events = np.flatnonzero(~fast[:-1]).tolist()
        for low, high in _chunk_ends(run.buffered, sizes[:-1]):
            if fast_before[high] > fast_before[low]:
                run.clean_events(prepared.take(np.arange(fast_before[low], fast_before[high])))
            for n in slow_events[bisect_left(slow_events, low) : bisect_left(slow_events, high)]:
                rows = slow(batch, int(bounds[n]), int(bounds[n + 1]))
                finish(_Group(_key_of(rows[0][1]), rows))
            if run.buffered >= CHUNK:
                run.flush()
        rows = slow(batch, int(bounds[-2]), batch.size)
        pending = _Group(_key_of(rows[0][1]), rows)
    if pending is not None:
        finish(pending)


def _chunk_ends(buffered: int, sizes: np.ndarray[Any, np.dtype[np.int64]]) -> list[tuple[int, int]]:
    """The events (by position) of each chunk: a chunk ends with the first event that brings
    the rows buffered to :data:`CHUNK` (``buffered`` are buffered already); the last part may
    end short of it."""
    total = np.cumsum(sizes)
    parts: list[tuple[int, int]] = []
    low, base = 0, -buffered
    while low < len(sizes):
        high = int(np.searchsorted(total, base + CHUNK, side="left")) + 1
        high = min(high, len(sizes))
        parts.append((low, high))
        base = int(total[high - 1])
        low = high
    return parts


def _strings(column: columnar.Column, rows: np.ndarray[Any, np.dtype[np.int64]]) -> list[str]:
    return [column.strings[i] for i in column.index[rows].tolist()]


def _key_of(checked: Checked) -> tuple[str, str]:
    return (checked.values.get("source_system", ""), checked.values.get("source_record_id", ""))


def _import(
    database: Database,
    path: Path,
    profile: Profile,
    *,
    columnar_path: bool,
    strict: bool,
    actor: Actor,
    extraction_date: date | None,
    limit: int,
    progress: Progress | None,
    source_name: str | None,
    provenance: str | None,
) -> ImportOutcome:
    source = source_name or path.name
    with database.reader() as session:  # a node without a country imports nothing
        country = node_country(session).value
        by = acting(session, actor, Permission.SEIZURES_IMPORT)  # a foreign user imports nothing
    report = ValidationReport(source=source, limit=limit)
    try:
        table = open_table(path, profile, progress)
    except UnreadableFile as error:
        report.add(unreadable_issue(error))
        return ImportOutcome(report, None, DedupeResult(0, 0))
    if table.encoding is not None and profile.encoding != table.encoding:
        report.details["encoding"] = f"{table.encoding} (detected)"
    if not check_header(profile, table.header, report):
        table.close()
        return ImportOutcome(report, None, DedupeResult(0, 0))
    started = perf_counter()
    reading = [0.0]
    sha = file_sha256(path)
    reading[0] += perf_counter() - started
    batch_id: int | None = None
    duplicates = DedupeResult(0, 0)
    now = datetime.now(UTC)
    loader: Loader | None = None
    deduping = 0.0
    summing = 0.0
    try:
        with database.transaction() as session:
            batch = ImportBatch(
                source=source,
                sha256=sha,
                profile=profile.name,
                imported_at=now,
                extraction_date=extraction_date,
                actor=by,
                stats={},
                provenance=provenance,
            )
            session.add(batch)
            session.flush()
            loader = Loader(session, batch.id, now)
            run = _Run(profile, source, report, loader, country)
            try:
                rows = shaped_rows(_timed(iter(table.rows), reading), profile, report)
                if profile.record is RecordKind.AGGREGATE:
                    counted = 0
                    for row in rows:
                        report.rows += row.number != counted  # a wide row counts once
                        counted = row.number
                        run.aggregate_row(row)
                        if run.buffered >= CHUNK:
                            run.flush()
                elif columnar_path:
                    table.close()
                    loader.defer_indexes(path.stat().st_size // BYTES_PER_ROW)
                    _columnar_events(run, path, table.header, progress, reading)
                else:
                    for group in _event_groups(rows, profile):
                        report.rows += len(group.rows)
                        run.event_group(group)
                        if run.buffered >= CHUNK:
                            run.flush()
            except UnreadableFile as error:
                loader.abandon()
                report.add(unreadable_issue(error))
                report.loaded = 0
                raise _Discard from None
            except BaseException:
                loader.abandon()  # a chunk may still be being written: let it end first
                raise
            run.flush()
            loader.finish()
            if run.valid_rows:
                loader.release(
                    source, profile.name, run.valid_raw_keys, run.valid_rows, run.rejected_hashes
                )
            counts = loader.counts
            if strict and report.quarantined:
                raise _Discard
            deduping = perf_counter()
            duplicates = find_duplicates(session, batch.id)
            deduping = perf_counter() - deduping
            summing = perf_counter()
            summary.after_import(  # totals, kept
                session,
                batch.id,
                now,
                counts.loaded,
                superseded=counts.revised > 0,
                tally=loader.tally,
                linked=duplicates.total > 0,
            )
            summing = perf_counter() - summing
            report.loaded = counts.loaded
            report.unchanged = counts.unchanged
            report.details.update(
                {
                    "profile": profile.name,
                    "revised": counts.revised,
                    "released": counts.released,
                    "quarantine_new": counts.quarantined_new,
                    "duplicates": duplicates.total,
                    "sha256": sha,
                    **({"provenance": provenance} if provenance else {}),
                    **({"records_per_row": len(profile.unpivot)} if profile.unpivot else {}),
                }
            )
            changed = counts.loaded + counts.quarantined_new + counts.released + duplicates.total
            if not changed:
                raise _Discard
            batch.stats = report.stats()
            audit.record(
                session,
                actor=by,
                action="seizures.import.load",
                subject=f"seizure_import_batch:{batch.id}",
                details={
                    "source": source,
                    "sha256": sha,
                    "profile": profile.name,
                    "stats": report.stats(),
                },
            )
            batch_id = batch.id
    except _Discard:
        table.close()
        if strict and report.quarantined:
            report.loaded = 0
            report.unchanged = 0
            report.details["strict"] = "nothing written: the file has invalid rows"
    count_seizure_import(report.loaded, report.unchanged, report.quarantined)
    timings = {
        "total": perf_counter() - started,
        "reading": reading[0],
        "storing": loader.seconds - loader.hashing if loader is not None else 0.0,
        "duplicates": deduping,
        "summary": summing,
    }
    engine = "columnar" if columnar_path else "rows"
    return ImportOutcome(report, batch_id, duplicates, engine, timings)


def rebuild_summary(database: Database, *, actor: Actor) -> dict[str, int]:
    """Recompute the summary tables from the events (:func:`alianza.seizures.summary.rebuild`),
    in one transaction, by someone who may import; returns the rows of each table. Needed
    only after a change of the drug code list (the bits of ``drugs``) or to repair a node
    whose tables were edited by hand: imports keep them up to date."""
    with database.transaction() as session:
        by = acting(session, actor, Permission.SEIZURES_IMPORT)
        connection = session.connection()
        summary.rebuild(connection)
        # a new data version for the totals the pages keep (seizures.cache, analysis.cache)
        session.add(SummaryRebuild(rebuilt_at=datetime.now(UTC), actor=by))
        rows = {
            table.name: int(
                connection.execute(select(func.count()).select_from(table)).scalar_one()
            )
            for table in summary.TABLES
        }
        audit.record(
            session,
            actor=by,
            action="seizures.summary.rebuild",
            subject="seizure_summary",
            details=rows,
        )
    return rows
