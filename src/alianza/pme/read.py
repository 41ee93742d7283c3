"""Read a performance-measures report (the tab-separated table of the strategy) into a Report.

The layout, as in the 1999 tables: for each action, a title line (``Alliance Point 10: …``),
a header (``ACTION | BASELINE As of 1 Feb 98 | TARGET | MEASUREMENT | STATUS As of 31 Aug 99``),
optionally a row of dashes, and one data row of five tab-separated cells. Spanish titles and
headers (``Punto de Alianza 10: …``, ``ACCIÓN | LÍNEA BASE Al 1 feb 98 | META | MEDICIÓN |
ESTADO Al 31 ago 99``) are read the same way.

All problems are collected; any error refuses the whole file (:class:`ReportRejected`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from alianza.catalogue import Text, in_language, message_of
from alianza.pme import problems
from alianza.pme.dates import UnparseableDate, parse_as_of
from alianza.pme.document import Action, AlliancePoint, Language, Paragraph, Report, Snapshot
from alianza.pme.markup import normalize_paragraph, split_cell
from alianza.pme.problems import Problem, ReportRejected

CELLS = 5
MAX_PROBLEMS = 100

_TITLE = re.compile(
    r"^(?P<label>alliance point|punto de alianza)\s+(?P<number>\d+)\s*[:.\-–]\s*(?P<title>.+)$",
    re.IGNORECASE,
)
_ACTION_NUMBER = re.compile(r"^(?P<number>\d+(?:\.\d+)+)\.?(?:\s+|$)")
_AS_OF = {
    "baseline": re.compile(r"^(?:baseline|linea base)\s+(?:as of|al)\s+(?P<date>.+)$"),
    "status": re.compile(r"^(?:status|estado)\s+(?:as of|al)\s+(?P<date>.+)$"),
}
_HEADER_WORDS = {
    0: ("action", "accion"),
    2: ("target", "targets", "meta", "metas"),
    3: ("measurement", "measurements", "medicion", "mediciones"),
}
_SPANISH_HEADER_WORDS = {"accion", "linea", "meta", "metas", "medicion", "mediciones", "estado"}
_DASHES = re.compile(r"^[\s\-–—]*-[\s\-–—]*$")


@dataclass
class ReadResult:
    report: Report
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Header:
    language: Language
    baseline_as_of: date
    status_as_of: date


@dataclass
class _Point:
    number: str
    title: str
    actions: list[Action] = field(default_factory=list)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.points: dict[str, _Point] = {}
        self.point: _Point | None = None
        self.header: _Header | None = None
        self.language: Language | None = None
        self.seen: set[str] = set()
        # Set while the last header was refused: its rows are not reported again.
        self.header_refused = False

    def error(
        self,
        code: str,
        line: int | None,
        said: Text,
        column: str | None = None,
        /,
        **values: object,
    ) -> None:
        if len(self.errors) < MAX_PROBLEMS:
            self.errors.append(Problem.of(code, line, said, column, **values))

    def note_language(self, language: Language, line: int) -> None:
        if self.language is None:
            self.language = language
        elif language != self.language:
            self.error(
                "mixed-language",
                line,
                problems.MIXED_LANGUAGE,
                language=language.name,
                first=self.language.name,
            )

    def read_line(self, number: int, line: str) -> None:
        if not line.strip() or _DASHES.match(line):
            return
        cells = line.split("\t")
        if len(cells) == 1 and (match := _TITLE.match(line.strip())):
            self.read_title(number, match)
        elif _fold(cells[0]).startswith(("action", "accion")):
            self.read_header(number, cells)
        else:
            self.read_row(number, cells)

    def read_title(self, line: int, match: re.Match[str]) -> None:
        language = Language.EN if _fold(match["label"]).startswith("alliance") else Language.ES
        self.note_language(language, line)
        number, title = match["number"], match["title"].strip()
        point = self.points.get(number)
        if point is None:
            point = self.points[number] = _Point(number, title)
        elif point.title != title:
            self.error(
                "conflicting-title",
                line,
                problems.CONFLICTING_TITLE,
                number=number,
                title=title,
                earlier=point.title,
            )
        self.point = point
        self.header = None
        self.header_refused = False

    def read_header(self, line: int, cells: list[str]) -> None:
        self.header = None
        self.header_refused = True
        if len(cells) != CELLS:
            self.error(
                "bad-header",
                line,
                problems.HEADER_CELLS,
                expected=CELLS,
                count=len(cells),
            )
            return
        folded = [_fold(cell) for cell in cells]
        for index, words in _HEADER_WORDS.items():
            if folded[index] not in words:
                self.error(
                    "bad-header",
                    line,
                    problems.HEADER_WORD,
                    cell=index + 1,
                    text=cells[index].strip(),
                    words=", ".join(words),
                )
                return
        spanish = any(word in _SPANISH_HEADER_WORDS for cell in folded for word in cell.split())
        language = Language.ES if spanish else Language.EN
        self.note_language(language, line)
        dates: dict[str, date] = {}
        for name, index in (("baseline", 1), ("status", 4)):
            match = _AS_OF[name].match(folded[index])
            if match is None:
                self.error(
                    "bad-header",
                    line,
                    problems.HEADER_AS_OF,
                    name,
                    cell=index + 1,
                    text=cells[index].strip(),
                    name=name.upper(),
                )
                return
            try:
                dates[name] = parse_as_of(match["date"])
            except UnparseableDate as problem:
                said = message_of(problem)  # the date parser's words (pme/dates.py)
                said_es = in_language(said, "es")
                self.errors.append(Problem("bad-as-of-date", line, str(said), name, said_es))
                return
        self.header = _Header(language, dates["baseline"], dates["status"])
        self.header_refused = False

    def paragraphs(self, line: int, column: str, cell: str) -> tuple[Paragraph, ...]:
        result = []
        for raw in split_cell(cell):
            markup, dropped = normalize_paragraph(raw)
            if dropped:
                self.warnings.append(
                    Problem.of(
                        "dropped-markup",
                        line,
                        problems.DROPPED_MARKUP,
                        column,
                        tags=", ".join(dropped),
                    )
                )
            if markup:
                result.append(Paragraph(markup))
        return tuple(result)

    def read_row(self, line: int, cells: list[str]) -> None:
        if self.header_refused:
            return
        if self.point is None or self.header is None:
            self.error(
                "row-before-header",
                line,
                problems.ROW_BEFORE_HEADER,
            )
            return
        if len(cells) != CELLS:
            self.error(
                "wrong-cell-count",
                line,
                problems.WRONG_CELL_COUNT,
                expected=CELLS,
                count=len(cells),
            )
            return
        text = list(self.paragraphs(line, "action", cells[0]))
        match = _ACTION_NUMBER.match(text[0].markup) if text else None
        if match is None:
            self.error(
                "missing-action-number",
                line,
                problems.MISSING_ACTION_NUMBER,
                "action",
            )
            return
        number = match["number"]
        rest = text[0].markup[match.end() :].strip()
        text = ([Paragraph(rest)] if rest else []) + text[1:]
        if number.split(".")[0] != self.point.number:
            self.error(
                "action-outside-alliance-point",
                line,
                problems.OUTSIDE_POINT,
                "action",
                number=number,
                point=self.point.number,
            )
            return
        if number in self.seen:
            self.error("duplicate-action", line, problems.DUPLICATE_ACTION, "action", number=number)
            return
        action = Action(
            number=number,
            text=tuple(text),
            baseline=Snapshot(
                self.header.baseline_as_of, self.paragraphs(line, "baseline", cells[1])
            ),
            targets=self.paragraphs(line, "targets", cells[2]),
            measurements=self.paragraphs(line, "measurements", cells[3]),
            status=(Snapshot(self.header.status_as_of, self.paragraphs(line, "status", cells[4])),),
            line=line,
        )
        parent = action.parent_number
        if parent is not None and parent not in self.seen:
            self.error(
                "missing-parent-action",
                line,
                problems.MISSING_PARENT,
                "action",
                number=number,
                parent=parent,
            )
            return
        self.seen.add(number)
        self.point.actions.append(action)

    def result(self) -> ReadResult:
        if not self.errors and not self.seen:
            self.error("empty-report", None, problems.EMPTY)
        if self.errors:
            raise ReportRejected(self.source, self.errors)
        assert self.language is not None
        points = tuple(
            AlliancePoint(p.number, p.title, tuple(p.actions))
            for p in self.points.values()
            if p.actions
        )
        return ReadResult(Report(self.language, points), self.warnings)


def read_report_text(text: str, source: str = "<text>") -> ReadResult:
    """Read a report from text (a leading BOM and CRLF line endings are accepted)."""
    reader = _Reader(source)
    for number, line in enumerate(text.removeprefix("\ufeff").splitlines(), start=1):
        reader.read_line(number, line)
    return reader.result()


def read_report_bytes(data: bytes, source: str = "<bytes>") -> ReadResult:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReportRejected(
            source,
            [
                Problem.of(
                    "not-utf8", line, problems.NOT_UTF8, byte=error.start, reason=error.reason
                )
            ],
        ) from None
    return read_report_text(text, source)


def read_report(path: Path) -> ReadResult:
    """Read a report file; raises :class:`ReportRejected` naming the lines at fault."""
    return read_report_bytes(path.read_bytes(), str(path))
