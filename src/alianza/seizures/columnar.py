"""The columnar import path for CSV event files: the same checks, run per distinct value.

A CSV file is read by pyarrow in record batches, every column as text. Within a batch each
column is dictionary-encoded, and every check of the row path (:mod:`alianza.seizures.normalize`)
runs once per *distinct* value (or distinct combination, for checks that read two or three
fields: "Other" and its specification, a port and its location type and country), by calling
the row path's own :class:`~alianza.seizures.normalize.RowChecker` methods; the verdicts are
then taken for every row by index.

An event (consecutive rows sharing a key) whose rows all passed every check with no issue, that
agree with its first row on the event-level fields, and whose key was not seen earlier in the
file, is a *clean* event: its key, content hash and fingerprint are hashed from columns of JSON
pieces (each event's items joined by Arrow), and its event and item values are kept as columns
(:class:`~alianza.seizures.records.PreparedEvents`), taken from the per-value results; the
loader zips them into the driver's rows. Every other event (any issue on any row, a conflicting
field, a repeated key, the last event of a batch) goes through the row path's own code for its
group, in file order, so reports, quarantine entries and records are those of the row path: the
equivalence tests in ``tests/seizures/test_columnar.py`` and ``test_columnar_events.py``
compare both paths on SQLite and PostgreSQL.

A file the columnar reader cannot take exactly as the row path would (blank lines, rows with a
wrong number of cells, a header with duplicate or empty names, text that is not UTF-8, any
parse error) raises :class:`Fallback` before anything is committed; the caller then imports
it with the row path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from hashlib import sha256
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv

from alianza.catalogue import declare
from alianza.codes.units import NO_CONVERSION, NoConversion, conversions
from alianza.seizures import issues
from alianza.seizures.fingerprint import EVENT_KEY_FIELDS, piece, raw_key, text_piece
from alianza.seizures.normalize import EVENT_FIELDS, REQUIRED_EVENT_FIELDS, Checked, RowChecker
from alianza.seizures.profile import Profile, RecordKind
from alianza.seizures.records import ObjectArray, PreparedEvents
from alianza.tabular import Progress, SourceRow, _is_gzip, _suffix, file_format
from alianza.validation import Issue

BLOCK_BYTES = 1 << 22  # pyarrow block size: about 25,000 canonical rows a batch
UTF8 = frozenset({"utf-8", "utf-8-sig", "utf8", "utf_8", "utf_8_sig"})
IntArray = np.ndarray[Any, np.dtype[np.int64]]
BoolArray = np.ndarray[Any, np.dtype[np.bool_]]


class Fallback(Exception):
    """The file needs the row path (its shape or encoding is not one the reader takes as is)."""


# Why the columnar reader hands a file to the row path (the import goes on; nothing shows it).
HEADER_NAMES = declare(
    "seizures.columnar.header-names", "header with duplicate or empty column names"
)
HEADER_MARKS = declare(
    "seizures.columnar.header-marks", "header with quotes or line breaks in names"
)
BLANK_ROW = declare("seizures.columnar.blank-row", "a blank line or a row of empty cells")
NULL_TEXT = declare("seizures.columnar.null-text", "a null text has no hash")


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
        and not profile.reshapes
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
    indices = encoded.indices  # int32, no nulls; read from its buffer (to_numpy imports pandas)
    data = np.frombuffer(indices.buffers()[1], dtype=np.int32)
    index = data[indices.offset : indices.offset + len(indices)].astype(np.int64)
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
        raise Fallback(HEADER_NAMES.said())
    if any(mark in name for name in header for mark in ('"', "\n", "\r")):
        raise Fallback(HEADER_MARKS.said())  # skip_rows counts lines
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
            if not batch.num_rows:
                continue
            columns = [_encode(batch.column(i)) for i in range(width)]
            empty = np.ones(batch.num_rows, dtype=np.bool_)
            for column in columns:
                empty &= _blank(column)
            if empty.any():  # a blank line, or a row of empty cells: pyarrow reads both alike
                raise Fallback(BLANK_ROW.said())
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
            if name in profile.values:
                values = [_value(profile, name, s) for s in source.strings]
            else:
                values = [s.strip() for s in source.strings]
            # distinct raw values stay distinct unless stripping or a value map joined them
            same = values == source.strings
            fields[name] = Column(values, source.index) if same else _unique(values, source.index)
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


def _value(profile: Profile, name: str, raw: str) -> str:
    if raw:
        raw = raw.strip()
        if raw and name in profile.values:
            raw = profile.value_for(name, raw)
    return raw


Check = Callable[[Checked], Any]


@dataclass
class Values:
    """One result per distinct combination of a batch's fields, and each row's combination."""

    results: np.ndarray[Any, np.dtype[np.object_]]
    inverse: IntArray

    def map(self, convert: Callable[[Any], Any]) -> Values:
        mapped = np.empty(len(self.results), dtype=object)
        for n, result in enumerate(self.results.tolist()):
            mapped[n] = convert(result)
        return Values(mapped, self.inverse)

    def pieces(self, rows: IntArray, encode: Callable[[Any], str] = piece) -> pa.Array:
        """The value of each of these rows as JSON text (made once per distinct value)."""
        table = text_array([encode(r) for r in self.results.tolist()])
        return table.take(_indices(self.inverse[rows]))

    @classmethod
    def of(cls, column: Column) -> Values:
        results = np.empty(len(column.strings), dtype=object)
        results[:] = column.strings
        return cls(results, column.index)


def evaluate(canonical: Canonical, names: Sequence[str], check: Check) -> tuple[Values, BoolArray]:
    """Run ``check`` once per distinct combination of ``names``: its results, and whether each
    row's combination passed with no issue."""
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
    inverse = inverse.reshape(-1)
    return Values(results, inverse), clean[inverse]


@dataclass
class RowChecks:
    """Every check of :func:`~alianza.seizures.normalize.check_event_row` over a batch: the
    per-value results, and which rows passed them all with no issue (``ok``)."""

    ok: BoolArray
    results: dict[str, Values]
    size: int


def _hashes(*parts: pa.Array | str) -> list[str]:
    """The SHA-256 of each row's JSON text, joined from columns of pieces."""
    return sha256_each(_joined(*parts))


_SCALARS: dict[str, pa.Scalar] = {}


def _scalar(text: str) -> pa.Scalar:
    """A constant text as an Arrow scalar (taken from an array: ``pa.scalar``, or a ``str``
    handed to a compute function, imports pandas)."""
    found = _SCALARS.get(text)
    if found is None:
        found = _SCALARS[text] = text_array([text])[0]
    return found


def _joined(*parts: pa.Array | str) -> pa.Array:
    """Each row's parts (columns, or the same text for every row) joined."""
    given = [_scalar(part) if isinstance(part, str) else part for part in parts]
    return pc.binary_join_element_wise(*given, _scalar(""))


def sha256_each(texts: pa.Array) -> list[str]:
    """The SHA-256 (hex) of each text's UTF-8 bytes, hashed from slices of the array's own
    buffer: no Python string a row (what ``sha256_hex`` of each text gives)."""
    binary = texts.cast(pa.large_binary())
    validity, offsets, data = binary.buffers()
    if validity is not None and binary.null_count:
        raise ValueError(NULL_TEXT.said())
    start = binary.offset
    bounds = np.frombuffer(offsets, dtype=np.int64)[start : start + len(binary) + 1].tolist()
    view = memoryview(data if data is not None else b"")
    return [sha256(view[i:j]).hexdigest() for i, j in pairwise(bounds)]


def text_array(texts: list[str]) -> pa.Array:
    """An Arrow string array of ``texts``, built from its buffers (``pa.array`` of a list
    imports pandas, a second and a half, to check what it was given)."""
    encoded = [text.encode("utf-8") for text in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum(np.fromiter(map(len, encoded), np.int64, len(encoded)), out=offsets[1:])
    data = pa.py_buffer(b"".join(encoded))
    array = pa.Array.from_buffers(
        pa.large_string(), len(encoded), [None, pa.py_buffer(offsets), data]
    )
    return array.cast(pa.string()) if offsets[-1] < 2**31 else array


def _indices(positions: IntArray) -> pa.Array:
    """An Arrow array of positions, for ``take`` (``pa.array`` of a numpy array would import
    pandas, half a second, to check what it was given)."""
    values = np.ascontiguousarray(positions, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def check_rows(checker: RowChecker, canonical: Canonical) -> RowChecks:
    """Every check of :func:`~alianza.seizures.normalize.check_event_row`, per distinct value
    (or combination), each row's verdict taken by index."""
    ok = np.ones(canonical.size, dtype=np.bool_)

    def run(names: Sequence[str], check: Check) -> Values:
        nonlocal ok
        results, clean = evaluate(canonical, names, check)
        ok &= clean
        return results

    def code(name: str, list_name: str, specify: str | None = None) -> Values:
        names = (name,) if specify is None else (name, specify)
        return run(names, lambda c: checker.code(c, name, list_name, specify=specify))

    def codes(name: str, list_name: str, specify: str | None) -> Values:
        names = (name,) if specify is None else (name, specify)
        return run(names, lambda c: checker.codes(c, name, list_name, specify))

    for name in REQUIRED_EVENT_FIELDS:  # RowChecker.required: an empty value is an issue
        ok &= nonblank(canonical[name])
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
    direction = code("direction", "direction").map(_or_not_reported)
    mode = code("transport_mode", "transport_mode").map(_or_not_reported)
    conveyance = code("conveyance", "conveyance", "conveyance_other").map(_or_not_reported)
    concealment = codes("concealment", "concealment", "concealment_other").map(_or_none_listed)
    detection = codes("detection", "detection", None).map(_or_none_listed)
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
    form = code("form", "form").map(_or_not_reported)
    unit = code("unit", "unit")
    quantity = _decimals(checker, canonical, "quantity")
    ok &= quantity.clean
    packages = run(("package_count",), lambda c: checker.integer(c, "package_count"))

    # Row-level: a zero quantity is an issue unless counted in plants.
    zero = _flags(quantity, lambda q: q is not None and q == 0)
    plant = _flags(unit, lambda u: u == "PLANT")
    ok &= ~(zero & ~plant)

    def admin_area(c: Checked) -> str | None:
        admin = c.values["admin_area"] or None
        if c.values["municipality"]:
            admin = f"{admin or ''} / {c.values['municipality']}".strip(" /")
        nation = checker.code(c, "reporting_country", "country")
        c.issues.clear()  # checked above; only the place's own issue counts
        if admin and nation == "MX":
            checker.place_text(c, admin)  # a place not in the catalogue: the row path says so
        return admin

    admin = run(("admin_area", "municipality", "reporting_country"), admin_area)
    systems, idents = (
        Values.of(canonical["source_system"]),
        Values.of(canonical["source_record_id"]),
    )
    areas = Values.of(canonical["area"]).map(_or_none)
    conveyance_others = Values.of(canonical["conveyance_other"]).map(_or_none)
    concealment_others = Values.of(canonical["concealment_other"]).map(_or_none)
    reported_drugs = Values.of(canonical["drug"])
    drug_others = Values.of(canonical["drug_other"]).map(_or_none)

    return RowChecks(
        ok,
        {
            "country": country, "agency": agency, "participating": participating,
            "dates": dates, "location_type": location_type, "ports": ports,
            "latitude": latitude, "longitude": longitude, "direction": direction,
            "mode": mode, "conveyance": conveyance, "concealment": concealment,
            "detection": detection, "status": status, "releasability": releasability,
            "drugs": drugs, "form": form, "unit": unit, "quantity": quantity,
            "packages": packages, "admin": admin, "systems": systems, "idents": idents,
            "areas": areas, "conveyance_others": conveyance_others,
            "concealment_others": concealment_others, "reported_drugs": reported_drugs,
            "drug_others": drug_others,
        },
        canonical.size,
    )  # fmt: skip


def _flags(values: Values, test: Callable[[Any], bool]) -> BoolArray:
    """``test`` of each row's value, asked once per distinct value."""
    results = values.results.tolist()
    return np.fromiter(map(test, results), np.bool_, len(results))[values.inverse]


def _lists(texts: pa.Array, offsets: IntArray) -> pa.Array:
    """Each event's texts (``offsets`` into ``texts``) joined with commas."""
    listed = pa.ListArray.from_arrays(_indices(offsets).cast(pa.int32()), texts)
    return pc.binary_join(listed, _scalar(","))


def prepare(
    checks: RowChecks,
    where: IntArray,
    offsets: IntArray,
    first_row: int,
    bind_date: Callable[[Any], Any],
    bind_bool: Callable[[bool], Any],
) -> PreparedEvents:
    """The records of clean events: ``where`` are their rows in the batch (each clean), in
    file order, and event ``n`` is rows ``where[offsets[n]:offsets[n + 1]]`` (its first row
    gives the event's fields, each row one item). Keys, content hashes and fingerprints are
    made from columns of JSON pieces (the same text :mod:`~alianza.seizures.fingerprint`
    hashes), items joined per event in Arrow."""
    r = checks.results
    (country, agency, participating, dates, location_type, ports, latitude, longitude) = (
        r[name]
        for name in (
            "country", "agency", "participating", "dates", "location_type", "ports",
            "latitude", "longitude",
        )
    )  # fmt: skip
    direction, mode, conveyance, concealment = (
        r["direction"], r["mode"], r["conveyance"], r["concealment"]
    )  # fmt: skip
    detection, status, releasability, drugs, form = (
        r["detection"], r["status"], r["releasability"], r["drugs"], r["form"]
    )  # fmt: skip
    unit, quantity, packages, admin, systems, idents, areas = (
        r["unit"], r["quantity"], r["packages"], r["admin"], r["systems"], r["idents"],
        r["areas"],
    )  # fmt: skip
    conveyance_others, concealment_others = r["conveyance_others"], r["concealment_others"]
    reported_drugs, drug_others = r["reported_drugs"], r["drug_others"]
    heads = where[offsets[:-1]]  # each event's first row
    quantities = convert_quantities(
        quantity.results[quantity.inverse[where]], unit.results[unit.inverse[where]], bind_bool
    )
    made: dict[tuple[int, Callable[[Any], str], bool], pa.Array] = {}

    def p(values: Values, encode: Callable[[Any], str] = piece, items: bool = False) -> pa.Array:
        """The JSON pieces of ``values``: of each event's first row, or of every item row."""
        key = (id(values), encode, items)
        if key not in made:
            made[key] = values.pieces(where if items else heads, encode)
        return made[key]

    def i(values: Values, encode: Callable[[Any], str] = piece) -> pa.Array:
        return p(values, encode, items=True)

    keys = _hashes("[", p(systems), ",", p(idents, text_piece), "]")
    items = _lists(
        _joined(
            "[", i(drugs), ",", i(drug_others), ",", i(form), ",", i(quantity, _reported), ",",
            i(unit), ",", i(packages), "]",
        ),
        offsets,
    )  # fmt: skip
    day = p(dates, _day)
    contents = _hashes(
        '{"admin_area":', p(admin), ',"area":', p(areas),
        ',"concealment":', p(concealment), ',"concealment_other":', p(concealment_others),
        ',"conveyance":', p(conveyance), ',"conveyance_other":', p(conveyance_others),
        ',"date_precision":', p(dates, _precision),
        ',"detection":', p(detection), ',"direction":', p(direction),
        ',"event_date":', day, ',"items":[', items, '],"latitude":', p(latitude),
        ',"location_type":', p(location_type), ',"longitude":', p(longitude),
        ',"participating_agencies":', p(participating), ',"port_code":', p(ports),
        ',"record_status":', p(status), ',"releasability":', p(releasability),
        ',"reporting_agency":', p(agency), ',"reporting_country":', p(country),
        ',"source_record_id":', p(idents, text_piece), ',"source_system":', p(systems),
        ',"transport_mode":', p(mode), "}",
    )  # fmt: skip
    fingerprints = _hashes(
        "[", p(country), ",", day, ",", p(location_type), ",", p(ports), ",",
        p(areas, _folded), ",[", _fingerprint_items(drugs, where, offsets, quantities), "]]",
    )  # fmt: skip

    def event(values: Values) -> ObjectArray:
        return values.results[values.inverse[heads]]

    def item(values: Values) -> ObjectArray:
        return values.results[values.inverse[where]]

    event_columns = (
        _objects((heads + first_row).tolist()),
        event(systems),
        event(idents),
        _objects(keys),
        _objects(contents),
        _objects(fingerprints),
        event(country),
        event(agency),
        event(participating.map(";".join)),
        event(dates.map(lambda d: None if d[0] is None else bind_date(d[0]))),
        event(dates.map(lambda d: None if d[0] is None else d[0].toordinal())),
        event(dates.map(lambda d: d[1])),
        event(location_type),
        event(ports),
        event(areas),
        event(admin),
        event(latitude),
        event(longitude),
        event(direction),
        event(mode),
        event(conveyance),
        event(conveyance_others),
        event(concealment.map(";".join)),
        event(concealment_others),
        event(detection.map(";".join)),
        event(status),
        event(releasability),
    )
    item_columns = (
        _objects((where + first_row).tolist()),
        item(drugs),
        item(reported_drugs),
        item(drug_others),
        item(form),
        item(quantity.map(str)),
        quantities.units,
        quantities.kilograms,
        quantities.methods,
        quantities.factors,
        quantities.estimated,
        quantities.counts,
        item(packages),
    )
    return PreparedEvents(event_columns, item_columns, offsets - offsets[0])


def _fingerprint_items(
    drugs: Values, where: IntArray, offsets: IntArray, quantities: Quantities
) -> pa.Array:
    """Each event's ``[drug, kg to 3 decimals, count]`` items in the fingerprint's order
    (:func:`~alianza.seizures.fingerprint.event_fingerprint`: by drug code, then by kg and
    count with no value first), joined with commas."""
    rounded = [None if kg is None else round(kg, 3) for kg in quantities.kilograms.tolist()]
    kilograms = text_array(["null" if kg is None else repr(kg) for kg in rounded])
    counts = text_array([piece(n) for n in quantities.counts.tolist()])
    texts = _joined("[", drugs.pieces(where), ",", kilograms, ",", counts, "]")
    if len(offsets) - 1 == len(where):  # one item an event: nothing to order
        return texts
    # ranks of the codes as text (distinct combinations of drug and "other" can share one)
    codes = [str(code) for code in drugs.results.tolist()]
    ordered = sorted(set(codes))
    rank = np.fromiter((ordered.index(c) for c in codes), np.int64, len(codes))
    counted = quantities.counts.tolist()
    order = np.lexsort(
        (
            np.fromiter((n or 0 for n in counted), np.float64, len(counted)),
            np.fromiter((n is not None for n in counted), np.bool_, len(counted)),
            np.fromiter((kg or 0 for kg in rounded), np.float64, len(rounded)),
            np.fromiter((kg is not None for kg in rounded), np.bool_, len(rounded)),
            rank[drugs.inverse[where]],
            np.repeat(np.arange(len(offsets) - 1), np.diff(offsets)),
        )
    )
    return _lists(texts.take(_indices(order)), offsets - offsets[0])


@dataclass
class Quantities:
    """What :func:`~alianza.codes.units.normalize_quantity` gives for each row, as columns."""

    units: ObjectArray
    kilograms: ObjectArray  # float or None
    counts: ObjectArray  # int or None
    methods: ObjectArray  # str or None
    factors: ObjectArray  # the factor as text, as the loader stores it, or None
    estimated: ObjectArray  # as the driver takes a boolean


def convert_quantities(
    values: ObjectArray, units: ObjectArray, bind_bool: Callable[[bool], Any]
) -> Quantities:
    """``normalize_quantity(value, unit)`` for every row, one unit at a time: the conversion
    is looked up once per unit, and only the arithmetic (the same ``Decimal`` product, then
    ``float``) is done per row."""
    size = len(values)
    kilograms = np.full(size, None, dtype=object)
    counts = np.full(size, None, dtype=object)
    methods = np.full(size, None, dtype=object)
    factors = np.full(size, None, dtype=object)
    estimated = np.full(size, bind_bool(False), dtype=object)
    for code in set(units.tolist()):
        conversion = conversions().get(code)
        if conversion is None:
            raise NoConversion(NO_CONVERSION.said(unit=code))
        at = np.flatnonzero(units == code)
        decimals: list[Decimal] = values[at].tolist()
        factor = conversion.factor_to_kg
        if factor is None:
            found = [int(q) if q == q.to_integral_value() else None for q in decimals]
            counts[at] = _objects(found)
            continue
        kilograms[at] = _objects([float(q * factor) for q in decimals])
        methods[at] = conversion.method
        factors[at] = str(factor)
        estimated[at] = bind_bool(conversion.is_estimated)
    return Quantities(units, kilograms, counts, methods, factors, estimated)


def _objects(values: list[Any]) -> ObjectArray:
    """A one-dimensional object array of ``values`` as they are (no conversion by numpy)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


PLAIN_DECIMAL = re.compile(r"[0-9]+(?:\.[0-9]+)?")


@dataclass
class Decimals(Values):
    clean: BoolArray


def _decimals(checker: RowChecker, canonical: Canonical, name: str) -> Decimals:
    """``RowChecker.decimal`` per distinct value; plain digits (nearly every value, and nearly
    every one distinct) are read directly: the checker would read them the same, with no
    issue."""
    column = canonical[name]
    plain = PLAIN_DECIMAL.fullmatch if not checker.profile.decimal_comma else None
    results = np.empty(len(column.strings), dtype=object)
    clean = np.empty(len(column.strings), dtype=np.bool_)
    for n, text in enumerate(column.strings):
        if plain is not None and plain(text):
            results[n], clean[n] = Decimal(text), True
        else:
            checked = Checked(0, {name: text})
            results[n] = checker.decimal(checked, name)
            clean[n] = not checked.issues
    return Decimals(results, column.index, clean[column.index])


def _or_not_reported(code: str) -> str:
    return code or "NOT_REPORTED"


def _or_none_listed(codes: tuple[str, ...]) -> tuple[str, ...]:
    return codes or ("NOT_REPORTED",)


def _or_none(text: str) -> str | None:
    return text or None


def _reported(value: Any) -> str:
    return "null" if value is None else text_piece(str(value))


def _precision(value: tuple[Any, str]) -> str:
    return piece(value[1])


def _folded(area: str | None) -> str:
    return piece((area or "").casefold())


def _day(value: tuple[Any, str]) -> str:
    return "null" if value[0] is None else f'"{value[0].isoformat()}"'


def group_starts(canonical: Canonical) -> BoolArray:
    """Where a new event starts: the row path groups consecutive rows with the same source
    system and id (both not blank)."""
    system, ident = canonical["source_system"], canonical["source_record_id"]
    keyed = (nonblank(system) & nonblank(ident))[: canonical.size]
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


def clean_events(canonical: Canonical, ok: BoolArray, bounds: IntArray) -> BoolArray:
    """Whether each event (rows ``bounds[n]:bounds[n + 1]``) is clean: every row passed every
    check, and every row after the first agrees with it on the event-level fields (what
    :meth:`~alianza.seizures.service._Run.event_group` reports as conflicting otherwise)."""
    first, stop = int(bounds[0]), int(bounds[-1])
    sizes = np.diff(bounds)
    heads = np.repeat(bounds[:-1], sizes)  # each row's event's first row
    bad = ~ok[first:stop]
    if len(heads) > len(sizes):  # some event has several rows
        for name in EVENT_FIELDS:
            index = canonical[name].index
            bad |= index[first:stop] != index[heads]
    if not len(sizes):
        return np.zeros(0, dtype=np.bool_)
    return ~np.logical_or.reduceat(bad, bounds[:-1] - first)


def _blank(column: Column) -> BoolArray:
    filled = np.fromiter(map(bool, column.strings), np.bool_, len(column.strings))
    return ~filled[column.index]


def nonblank(column: Column) -> BoolArray:
    return ~_blank(column)


def raw_row(header: list[str], batch: Batch, row: int) -> dict[str, str]:
    """The row as the row path's reader gives it (header → cell text)."""
    return {name: c.strings[c.index[row]] for name, c in zip(header, batch.raw, strict=True)}


def release_key(system: str, ident: str) -> str:
    return raw_key({"source_system": system, "source_record_id": ident}, EVENT_KEY_FIELDS)


def source_row(header: list[str], batch: Batch, row: int) -> SourceRow:
    return SourceRow(batch.first_row + row, raw_row(header, batch, row))
