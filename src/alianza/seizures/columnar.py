"""The columnar import path for CSV event files: the same checks, run per distinct value.

A CSV file is read by pyarrow in record batches, every column as text. Within a batch each
column is dictionary-encoded, and every check of the row path (:mod:`alianza.seizures.normalize`)
runs once per *distinct* value (or distinct combination, for checks that read two or three
fields: "Other" and its specification, a port and its location type and country), by calling
the row path's own :class:`~alianza.seizures.normalize.RowChecker` methods; the verdicts are
then taken for every row by index.

A row whose every check passed with no issue at all, and that is an event of its own (its key
is not shared with the rows beside it and not seen earlier in the file), is a *clean* row: its
record is built from the per-value results. Every other row (any issue, an event of several
rows) goes through the row path's own code for its group, in file order, so reports,
quarantine entries and records are those of the row path: the equivalence tests in
``tests/seizures/test_columnar.py`` compare both paths on SQLite and PostgreSQL.

A file the columnar reader cannot take exactly as the row path would (blank lines, rows with a
wrong number of cells, a header with duplicate or empty names, text that is not UTF-8, any
parse error) raises :class:`Fallback` before anything is committed; the caller then imports
it with the row path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from alianza.codes.units import normalize_quantity
from alianza.seizures import issues
from alianza.seizures.fingerprint import EVENT_KEY_FIELDS, raw_key
from alianza.seizures.normalize import REQUIRED_EVENT_FIELDS, Checked, RowChecker
from alianza.seizures.profile import Profile, RecordKind
from alianza.seizures.read import Progress, SourceRow, _is_gzip, _suffix, file_format
from alianza.seizures.records import DrugItemRecord, EventRecord
from alianza.validation import Issue

BLOCK_BYTES = 1 << 22  # pyarrow block size: about 25,000 canonical rows a batch
UTF8 = frozenset({"utf-8", "utf-8-sig", "utf8", "utf_8", "utf_8_sig"})
IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


class Fallback(Exception):
    """The file needs the row path (its shape or encoding is not one the reader takes as is)."""


def applies(path: Path, profile: Profile) -> bool:
    """Whether the columnar path is tried for this file and profile."""
    try:
        kind = file_format(path)
    except Exception:
        return False
    return (
        kind == "csv"
        and profile.record is RecordKind.EVENT
        and profile.encoding.lower() in UTF8
        and len(profile.delimiter) == 1
    )


@dataclass
class Column:
    """One canonical field over a batch: distinct strings and each row's index into them."""

    strings: list[str]
    index: IntArray


@dataclass
class Batch:
    first_row: int  # file row number of the batch's first row
    raw: list[Column]  # by header position, values as read
    size: int


def _encode(array: pa.Array | pa.ChunkedArray) -> Column:
    encoded = pc.dictionary_encode(array)
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    strings = encoded.dictionary.to_pylist()
    index = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return Column(strings, index)


def _unique(strings: list[str], index: IntArray) -> Column:
    """Equal strings get one index (distinct raw values can map to one canonical value)."""
    position: dict[str, int] = {}
    remap = np.fromiter(
        (position.setdefault(s, len(position)) for s in strings), np.int64, len(strings)
    )
    return Column(list(position), remap[index] if len(strings) else index)


def read_batches(
    path: Path, profile: Profile, header: list[str], progress: Progress | None
) -> Iterator[Batch]:
    """Record batches of the file (all text), numbered as the row path numbers rows."""
    width = len(header)
    if len(set(header)) != width or not all(header):
        raise Fallback("header with duplicate or empty column names")
    delimiter = "\t" if _suffix(path) == ".tsv" else profile.delimiter
    irregular: list[str] = []

    def invalid(row: Any) -> str:
        irregular.append(f"row with {row.actual_columns} cells")
        return "skip"

    names = [f"c{i}" for i in range(width)]
    raw = pa.OSFile(str(path), "rb")
    stream: Any = pa.CompressedInputStream(raw, "gzip") if _is_gzip(path) else raw
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                skip_rows=1, column_names=names, block_size=BLOCK_BYTES, use_threads=False
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter,
                newlines_in_values=True,
                ignore_empty_lines=False,
                invalid_row_handler=invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False
            ),
        )
        number = 2
        while True:
            try:
                batch = reader.read_next_batch()
            except StopIteration:
                break
            if irregular:
                raise Fallback(irregular[0])
            if progress is not None:
                progress(raw.tell())
            columns = [_encode(batch.column(i)) for i in range(width)]
            empty = np.ones(batch.num_rows, dtype=np.bool_)
            for column in columns:
                empty &= _blank(column)
            if empty.any():  # a blank line, or a row of empty cells: pyarrow reads both alike
                raise Fallback("a blank line or a row of empty cells")
            yield Batch(number, columns, batch.num_rows)
            number += batch.num_rows
        if irregular:
            raise Fallback(irregular[0])
    except (pa.ArrowException, UnicodeDecodeError, OSError) as error:
        raise Fallback(str(error)) from None
    finally:
        stream.close()
        raw.close()


class Canonical:
    """A batch's canonical fields (profile mapping, value maps, constants, defaults) as columns:
    what :func:`~alianza.seizures.normalize.canonical_values` gives, per distinct value."""

    def __init__(self, profile: Profile, header: list[str], batch: Batch) -> None:
        position = {name: i for i, name in enumerate(header)}
        blank = Column([""], np.zeros(batch.size, np.int64))
        fields: dict[str, Column] = {}
        for column, name in profile.columns.items():
            at = position.get(column)
            source = blank if at is None else batch.raw[at]
            fields[name] = _unique([_value(profile, name, s) for s in source.strings], source.index)
        for name, constant in profile.constants.items():
            fields[name] = Column([constant], blank.index)
        for name, default in profile.defaults.items():
            column_ = fields.get(name, blank)
            fields[name] = _unique([s or default for s in column_.strings], column_.index)
        self.fields = fields
        self.blank = blank
        self.size = batch.size

    def __getitem__(self, name: str) -> Column:
        return self.fields.get(name, self.blank)

    def values(self, row: int) -> dict[str, str]:
        """One row's canonical values, as the row path's dict (for a row sent to it)."""
        return {name: c.strings[c.index[row]] for name, c in self.fields.items()}


def _value(profile: Profile, name: str, raw: str) -> str:
    if raw:
        raw = raw.strip()
        if raw and name in profile.values:
            raw = profile.value_for(name, raw)
    return raw


Check = Callable[[Checked], Any]


def evaluate(
    canonical: Canonical, names: Sequence[str], check: Check
) -> tuple[list[Any], BoolArray]:
    """Run ``check`` once per distinct combination of ``names``; per-row results and whether
    the row's combination passed with no issue."""
    columns = [canonical[name] for name in names]
    key = columns[0].index
    for column in columns[1:]:
        key = key * len(column.strings) + column.index
    combos, inverse = np.unique(key, return_inverse=True)
    results = np.empty(len(combos), dtype=object)
    clean = np.empty(len(combos), dtype=np.bool_)
    for n, combo in enumerate(combos.tolist()):
        values: dict[str, str] = {}
        for name, column in zip(reversed(names), reversed(columns), strict=True):
            combo, at = divmod(combo, len(column.strings))
            values[name] = column.strings[at]
        checked = Checked(0, values)
        results[n] = check(checked)
        clean[n] = not checked.issues
    return results[inverse].tolist(), clean[inverse]


@dataclass
class CleanRows:
    """The batch rows that take the columnar path, with everything their records need."""

    mask: BoolArray
    event: Callable[[int, int], EventRecord]  # (row in batch, file row number) → record


def clean_rows(checker: RowChecker, canonical: Canonical) -> CleanRows:
    """Every check of :func:`~alianza.seizures.normalize.check_event_row`, per distinct value."""
    ok = np.ones(canonical.size, dtype=np.bool_)

    def run(names: Sequence[str], check: Check) -> list[Any]:
        nonlocal ok
        results, clean = evaluate(canonical, names, check)
        ok &= clean
        return results

    def code(name: str, list_name: str, specify: str | None = None) -> list[Any]:
        names = (name,) if specify is None else (name, specify)
        return run(names, lambda c: checker.code(c, name, list_name, specify=specify))

    def codes(name: str, list_name: str, specify: str | None) -> list[Any]:
        names = (name,) if specify is None else (name, specify)
        return run(names, lambda c: checker.codes(c, name, list_name, specify))

    for name in REQUIRED_EVENT_FIELDS:

        def required(c: Checked, name: str = name) -> None:
            checker.required(c, (name,))

        run((name,), required)
    country = code("reporting_country", "country")
    agency = code("reporting_agency", "agency")
    participating = codes("participating_agencies", "agency", None)
    dates = run(("event_date",), checker.event_date)
    location_type = code("location_type", "location_type")

    def port(c: Checked) -> str | None:
        kind = checker.code(c, "location_type", "location_type")
        nation = checker.code(c, "reporting_country", "country")
        c.issues.clear()  # those two are checked above; only the port's own issues count
        return checker.port(c, kind, nation)

    ports = run(("port_code", "location_type", "reporting_country"), port)
    latitude = run(("latitude",), lambda c: checker.coordinate(c, "latitude", 90.0))
    longitude = run(("longitude",), lambda c: checker.coordinate(c, "longitude", 180.0))
    direction = code("direction", "direction")
    mode = code("transport_mode", "transport_mode")
    conveyance = code("conveyance", "conveyance", "conveyance_other")
    concealment = codes("concealment", "concealment", "concealment_other")
    detection = codes("detection", "detection", None)
    status = code("record_status", "record_status")
    releasability = code("releasability", "releasability")

    def drug(c: Checked) -> str:
        found = checker.code(c, "drug", "drug", specify="drug_other")
        if found and checker.lists["drug"][found].aggregate_only:
            c.issues.append(
                Issue.of(
                    issues.AGGREGATE_ONLY_CODE, field="drug", value=c.values["drug"], code=found
                )
            )
        return found

    drugs = run(("drug", "drug_other"), drug)
    form = code("form", "form")
    unit = code("unit", "unit")
    quantity = run(("quantity",), lambda c: checker.decimal(c, "quantity"))
    packages = run(("package_count",), lambda c: checker.integer(c, "package_count"))

    # Row-level: a zero quantity is an issue unless counted in plants.
    zero = np.fromiter((q is not None and q == 0 for q in quantity), np.bool_, canonical.size)
    plant = np.fromiter((u == "PLANT" for u in unit), np.bool_, canonical.size)
    ok &= ~(zero & ~plant)

    text = {
        name: canonical[name]
        for name in (
            "source_system",
            "source_record_id",
            "area",
            "admin_area",
            "municipality",
            "conveyance_other",
            "concealment_other",
            "drug",
            "drug_other",
        )
    }

    def value(name: str, row: int) -> str:
        column = text[name]
        return str(column.strings[column.index[row]])

    def event(row: int, number: int) -> EventRecord:
        day, precision = dates[row]
        admin = value("admin_area", row) or None
        municipality = value("municipality", row)
        if municipality:
            admin = f"{admin or ''} / {municipality}".strip(" /")
        reported, unit_code = quantity[row], unit[row]
        normalized = normalize_quantity(reported, unit_code)
        item = DrugItemRecord(
            source_row=number,
            drug_code=drugs[row],
            drug_reported=value("drug", row),
            drug_other=value("drug_other", row) or None,
            form=form[row] or "NOT_REPORTED",
            quantity=normalized,
            package_count=packages[row],
        )
        return EventRecord(
            source_row=number,
            source_system=value("source_system", row),
            source_record_id=value("source_record_id", row),
            reporting_country=country[row],
            reporting_agency=agency[row],
            participating_agencies=participating[row],
            event_date=day,
            date_precision=precision,
            location_type=location_type[row],
            port_code=ports[row],
            area=value("area", row) or None,
            admin_area=admin,
            latitude=latitude[row],
            longitude=longitude[row],
            direction=direction[row] or "NOT_REPORTED",
            transport_mode=mode[row] or "NOT_REPORTED",
            conveyance=conveyance[row] or "NOT_REPORTED",
            conveyance_other=value("conveyance_other", row) or None,
            concealment=concealment[row] or ("NOT_REPORTED",),
            concealment_other=value("concealment_other", row) or None,
            detection=detection[row] or ("NOT_REPORTED",),
            record_status=status[row],
            releasability=releasability[row],
            items=[item],
        )

    return CleanRows(ok, event)


def group_starts(canonical: Canonical) -> BoolArray:
    """Where a new event starts: the row path groups consecutive rows with the same source
    system and id (both not blank)."""
    system, ident = canonical["source_system"], canonical["source_record_id"]
    keyed = (_nonblank(system) & _nonblank(ident))[: canonical.size]
    starts = np.ones(canonical.size, dtype=np.bool_)
    if canonical.size > 1:
        same = (
            (system.index[1:] == system.index[:-1])
            & (ident.index[1:] == ident.index[:-1])
            & keyed[1:]
            & keyed[:-1]
        )
        starts[1:] = ~same
    return starts


def _blank(column: Column) -> BoolArray:
    blank = np.fromiter((not s for s in column.strings), np.bool_, len(column.strings))
    return blank[column.index]


def _nonblank(column: Column) -> BoolArray:
    return ~_blank(column)


def raw_row(header: list[str], batch: Batch, row: int) -> dict[str, str]:
    """The row as the row path's reader gives it (header → cell text)."""
    return {name: c.strings[c.index[row]] for name, c in zip(header, batch.raw, strict=True)}


def release_key(system: str, ident: str) -> str:
    return raw_key({"source_system": system, "source_record_id": ident}, EVENT_KEY_FIELDS)


def source_row(header: list[str], batch: Batch, row: int) -> SourceRow:
    return SourceRow(batch.first_row + row, raw_row(header, batch, row))
