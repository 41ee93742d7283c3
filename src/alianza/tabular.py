"""The one tabular reader: CSV, XLSX and JSON / JSON Lines files as rows of text values by
column name, for every importer (seizure records through their profile, border incidents,
BTS crossings and CBP wait times, declarations and inspection outcomes).

Row numbers are what a person finds in the file: in CSV and XLSX the header is row 1 and the
first data row is row 2; in JSON and JSON Lines, record 1 is the first object (or line). A file
that cannot be read raises :class:`UnreadableFile` (English and Spanish, naming the file and,
where there is one, the row and column); :func:`unreadable_issue` turns it into the issue a
validation report lists.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any, Protocol, cast

from alianza.catalogue import Said, declare
from alianza.validation import Issue, issue_type

Progress = Callable[[int], None]  # called with bytes read so far

UNREADABLE_FILE = issue_type(
    "unreadable-file",
    "File cannot be read",
    "cannot read the file: {reason}",
)
BAD_ENCODING = issue_type(
    "bad-encoding",
    "Text the declared encoding cannot read",
    "row {line}, column {field!r}: byte 0x{byte} is not valid {encoding}; the file is probably "
    "in another encoding (Latin-1 / Windows-1252 for many Mexican files): save it as UTF-8, "
    "or for a seizure profile set its encoding to 'latin-1', or to 'auto' to detect it",
)

# What a file that cannot be read is refused with (English here; Spanish in the catalogue).
CANNOT_READ = declare("tabular.cannot-read", "{name}: {error}")
UNSUPPORTED_TYPE = declare(
    "tabular.unsupported-type",
    "unsupported file type {name!r}: use .csv, .xlsx, .json or .jsonl (CSV and JSON may be "
    "gzip-compressed, .csv.gz)",
)
EMPTY_FILE = declare("tabular.empty-file", "{name}: the file is empty (no header row)")
NOT_A_WORKBOOK = declare("tabular.not-a-workbook", "{name}: not a readable XLSX workbook ({error})")
NO_SUCH_SHEET = declare("tabular.no-such-sheet", "{name}: no sheet {sheet!r} (sheets: {sheets})")
EMPTY_SHEET = declare("tabular.empty-sheet", "{name}: sheet {sheet!r} is empty")
NOT_AN_OBJECT = declare("tabular.not-an-object", "{name}: record {number} is not an object")
ITEM_NOT_AN_OBJECT = declare(
    "tabular.item-not-an-object", "{name}: record {number} has a non-object item"
)
NOT_JSON = declare("tabular.not-json", "{name}: not valid JSON ({error})")
NOT_RECORDS = declare(
    "tabular.not-records", "{name}: expected a list of records or {{'records': [...]}}"
)
LINE_NOT_JSON = declare(
    "tabular.line-not-json", "{name}: line {number} is not valid JSON ({error})"
)
BYTE_NOT_DECODED = declare(
    "tabular.byte-not-decoded",
    "{name}: row {row}, column {column!r}: byte 0x{byte} is not valid {encoding}",
)


class UnreadableFile(Exception):
    """The file cannot be read at all (format, encoding, structure): what is wrong, starting
    with the file's name, as a catalogue message (``str``: the English; ``message_es``)."""

    def __init__(self, message: Said) -> None:
        super().__init__(message)
        self.message_es = message.in_language("es")


class BadEncoding(UnreadableFile):
    """Bytes that the declared encoding cannot decode, found at a row and column."""

    def __init__(self, name: str, row: int, column: str, byte: int, encoding: str) -> None:
        self.row, self.column, self.byte, self.encoding = row, column, byte, encoding
        super().__init__(
            BYTE_NOT_DECODED.said(
                name=name, row=row, column=column, byte=f"{byte:02X}", encoding=encoding
            )
        )


def unreadable_issue(error: UnreadableFile) -> Issue:
    """The issue a validation report lists for a file that cannot be read."""
    if isinstance(error, BadEncoding):
        return Issue.of(
            BAD_ENCODING,
            row=error.row,
            field=error.column,
            line=error.row,
            byte=f"{error.byte:02X}",
            encoding=error.encoding,
        )
    return Issue.of(UNREADABLE_FILE, reason=str(error), reason_es=error.message_es)


def _unreadable(path: Path, error: Exception) -> UnreadableFile:
    """A reading library's own error (English only), with the file's name."""
    return UnreadableFile(CANNOT_READ.said(name=path.name, error=str(error)))


class Layout(Protocol):
    """How a file's text is laid out (a seizure profile says it; :data:`PLAIN` otherwise)."""

    @property
    def encoding(self) -> str: ...
    @property
    def delimiter(self) -> str: ...
    @property
    def sheet(self) -> str | None: ...
    @property
    def skip_rows(self) -> int: ...
    @property
    def ignore_trailing_empty(self) -> bool: ...


@dataclass(frozen=True)
class PlainLayout:
    encoding: str = "utf-8-sig"
    delimiter: str = ","
    sheet: str | None = None
    skip_rows: int = 0
    ignore_trailing_empty: bool = False


PLAIN = PlainLayout()  # UTF-8, comma-separated, first sheet, header on the first line


# bytes a decoder could not read, kept as lone surrogates (errors="surrogateescape")
_UNDECODED = re.compile("[\udc80-\udcff]")
AUTO = "auto"
FALLBACK_ENCODINGS = ("cp1252", "latin-1")  # tried in order when a file is not UTF-8


@dataclass
class SourceRow:
    number: int
    values: dict[str, str]
    measure: str | None = None  # the unpivoted column this row stands for (wide layouts)


@dataclass
class Table:
    header: list[str]
    rows: Iterator[SourceRow]
    close: Callable[[], None] = lambda: None  # release the file early (rows not consumed)
    encoding: str | None = None  # what the text was decoded with (detected when "auto")


FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".tsv": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}


def _is_gzip(path: Path) -> bool:
    return path.suffix.lower() == ".gz"


def _suffix(path: Path) -> str:
    return (path.with_suffix("") if _is_gzip(path) else path).suffix.lower()


def file_format(path: Path) -> str:
    """``csv``, ``xlsx``, ``json`` or ``jsonl`` from the name (``.gz`` allowed but for XLSX)."""
    kind = FORMATS.get(_suffix(path))
    if kind is None or (kind == "xlsx" and _is_gzip(path)):
        raise UnreadableFile(UNSUPPORTED_TYPE.said(name=path.name))
    return kind


def open_table(path: Path, profile: Layout = PLAIN, progress: Progress | None = None) -> Table:
    """The header and a lazy iterator of rows (the file is read as the rows are consumed)."""
    kind = file_format(path)
    if kind == "csv":
        return _csv_table(path, profile, progress)
    if kind == "xlsx":
        return _xlsx_table(path, profile)
    if kind == "json":
        return _json_table(path)
    return _jsonl_table(path, progress)


class _CountingReader(io.RawIOBase):
    """A binary stream that reports how many bytes were read, for a progress bar."""

    def __init__(self, raw: IO[bytes], progress: Progress) -> None:
        self._raw = raw
        self._progress = progress
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._count += len(data)
        self._progress(self._count)
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


class _OwningGzipFile(gzip.GzipFile):
    """A GzipFile that also closes the file it reads from (GzipFile leaves it open)."""

    def __init__(self, source: IO[bytes]) -> None:
        super().__init__(fileobj=source, mode="rb")
        self._source = source

    def close(self) -> None:
        try:
            super().close()
        finally:
            self._source.close()


def _text_stream(
    path: Path, encoding: str, progress: Progress | None, errors: str = "strict"
) -> IO[str]:
    raw: IO[bytes] = path.open("rb")
    if progress is not None:
        raw = io.BufferedReader(_CountingReader(raw, progress), buffer_size=1 << 20)
    if _is_gzip(path):
        raw = cast(IO[bytes], _OwningGzipFile(raw))
    return io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline="")


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` if the whole file decodes as UTF-8, else the first of
    :data:`FALLBACK_ENCODINGS` that decodes it (``latin-1`` decodes any byte)."""
    opener = gzip.open if _is_gzip(path) else open
    for encoding in ("utf-8-sig", *FALLBACK_ENCODINGS):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with opener(path, "rb") as handle:
                while block := handle.read(1 << 20):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    return "latin-1"  # not reached: latin-1 decodes every byte


def _undecoded(name: str, number: int, header: list[str], cells: list[str], encoding: str) -> None:
    """Raise :class:`BadEncoding` naming the row and column of the first undecodable byte."""
    for at, cell in enumerate(cells):
        found = _UNDECODED.search(cell)
        if found is not None:
            column = header[at] if at < len(header) else f"#{at + 1}"
            byte = ord(found.group()) - 0xDC00
            raise BadEncoding(name, number, column or f"#{at + 1}", byte, encoding)


def _csv_table(path: Path, profile: Layout, progress: Progress | None) -> Table:
    encoding = detect_encoding(path) if profile.encoding == AUTO else profile.encoding
    stream = _text_stream(path, encoding, progress, errors="surrogateescape")
    delimiter = "\t" if _suffix(path) == ".tsv" else profile.delimiter
    reader = csv.reader(stream, delimiter=delimiter)
    try:
        for _ in range(profile.skip_rows):
            next(reader, None)
        header = next(reader, None)
    except (LookupError, UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
        stream.close()
        raise _unreadable(path, error) from None
    if header is None:
        stream.close()
        raise UnreadableFile(EMPTY_FILE.said(name=path.name))
    header_row = reader.line_num
    try:
        _undecoded(
            path.name, header_row, [f"#{n + 1}" for n in range(len(header))], header, encoding
        )
    except BadEncoding:
        stream.close()
        raise
    header = [h.strip() for h in header]
    trim = profile.ignore_trailing_empty

    def rows() -> Iterator[SourceRow]:
        width = len(header)
        try:
            for number, cells in enumerate(reader, start=header_row + 1):
                if not cells or (len(cells) == 1 and not cells[0].strip()):
                    continue  # blank line
                if _UNDECODED.search("\x00".join(cells)):
                    _undecoded(path.name, number, header, cells, encoding)
                if trim:
                    while len(cells) > width and not cells[-1].strip():
                        cells.pop()
                if len(cells) < width:
                    cells = cells + [""] * (width - len(cells))
                values = dict(zip(header, cells, strict=False))
                if len(cells) > width:
                    values[""] = ",".join(cells[width:])
                yield SourceRow(number, values)
        except (UnicodeDecodeError, csv.Error, OSError, EOFError) as error:
            raise _unreadable(path, error) from None
        finally:
            stream.close()

    return Table(header, rows(), stream.close, encoding)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _xlsx_table(path: Path, profile: Layout) -> Table:
    # python-calamine (Rust) reads a sheet several times faster than openpyxl; imported here so
    # that only XLSX imports pay for it.
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
    except Exception as error:  # calamine raises its own kinds for a broken workbook
        raise UnreadableFile(NOT_A_WORKBOOK.said(name=path.name, error=str(error))) from None
    closed = False

    def close() -> None:  # idempotent: calamine raises on a second close
        nonlocal closed
        if not closed:
            closed = True
            workbook.close()

    names = list(workbook.sheet_names)
    if profile.sheet is not None and profile.sheet not in names:
        close()
        sheets = ", ".join(names)
        raise UnreadableFile(NO_SUCH_SHEET.said(name=path.name, sheet=profile.sheet, sheets=sheets))
    title = profile.sheet if profile.sheet is not None else (names[0] if names else "")
    try:
        sheet = workbook.get_sheet_by_name(title)
        cells = iter(sheet.iter_rows())
        first = next(cells, None)
    except Exception as error:  # a sheet whose XML calamine cannot read
        close()
        raise _unreadable(path, error) from None
    # calamine starts at the first used cell: rows above it are empty, not missing
    offset = sheet.start[0] if sheet.start is not None else 0
    if first is None:
        close()
        raise UnreadableFile(EMPTY_SHEET.said(name=path.name, sheet=title))
    header = [_cell_text(h) for h in first]
    while header and not header[-1]:
        header.pop()

    def rows() -> Iterator[SourceRow]:
        try:
            for number, row in enumerate(cells, start=offset + 2):
                texts = [_cell_text(v) for v in row[: len(header)]]
                if not any(texts):
                    continue
                texts += [""] * (len(header) - len(texts))
                yield SourceRow(number, dict(zip(header, texts, strict=True)))
        finally:
            close()

    return Table(header, rows(), close)


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(_json_text(v) for v in value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _records_to_rows(records: list[Any], path: Path, start: int = 1) -> Iterator[SourceRow]:
    """Objects to rows; an object with an ``items`` list gives one row per item."""
    for number, record in enumerate(records, start=start):
        if not isinstance(record, dict):
            raise UnreadableFile(NOT_AN_OBJECT.said(name=path.name, number=number))
        items = record.get("items")
        base = {k: _json_text(v) for k, v in record.items() if k != "items"}
        if isinstance(items, list) and items:
            for item in items:
                if not isinstance(item, dict):
                    raise UnreadableFile(ITEM_NOT_AN_OBJECT.said(name=path.name, number=number))
                yield SourceRow(number, {**base, **{k: _json_text(v) for k, v in item.items()}})
        else:
            yield SourceRow(number, base)


def _header_of(records: list[Any]) -> list[str]:
    header: dict[str, None] = {}
    for record in records:
        if isinstance(record, dict):
            for key, value in record.items():
                if key == "items" and isinstance(value, list):
                    for item in value:
                        if isinstance(item, dict):
                            header.update(dict.fromkeys(item))
                else:
                    header[key] = None
    return list(header)


def _json_table(path: Path) -> Table:
    try:
        with _text_stream(path, "utf-8-sig", None) as stream:
            data = json.loads(stream.read())
    except (UnicodeDecodeError, json.JSONDecodeError, OSError, EOFError) as error:
        raise UnreadableFile(NOT_JSON.said(name=path.name, error=str(error))) from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise UnreadableFile(NOT_RECORDS.said(name=path.name))
    return Table(_header_of(data), _records_to_rows(data, path))


def _jsonl_table(path: Path, progress: Progress | None) -> Table:
    # The header is the union of keys; JSON Lines files are read twice (keys, then rows).
    stream = _text_stream(path, "utf-8-sig", None)
    header: dict[str, None] = {}
    try:
        with stream:
            for number, line in enumerate(stream, start=1):
                if line.strip():
                    header.update(dict.fromkeys(_header_of([_json_line(line, path, number)])))
    except UnicodeDecodeError as error:
        raise _unreadable(path, error) from None

    def rows() -> Iterator[SourceRow]:
        with _text_stream(path, "utf-8-sig", progress) as lines:
            for number, line in enumerate(lines, start=1):
                if line.strip():
                    yield from _records_to_rows([_json_line(line, path, number)], path, number)

    return Table(list(header), rows())


def _json_line(line: str, path: Path, number: int) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as error:
        raise UnreadableFile(
            LINE_NOT_JSON.said(name=path.name, number=number, error=str(error))
        ) from None
