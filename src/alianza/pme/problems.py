"""Problems found in a report file: values with a stable code, a line and a message."""

from __future__ import annotations

from dataclasses import dataclass

from alianza.catalogue import Text, declare

# Stable codes (the contract) with their English titles; the Spanish is in the message catalogue
# (keys ``pme.problem.<code>.title``).
CODES: dict[str, str] = {
    "not-utf8": "File is not UTF-8 text",
    "empty-report": "No table rows found",
    "bad-title": "Unreadable Alliance Point title",
    "conflicting-title": "Alliance Point titled differently in one file",
    "bad-header": "Unreadable table header",
    "mixed-language": "English and Spanish mixed",
    "bad-as-of-date": "Unparseable as-of date",
    "row-before-header": "Data row before any title and header",
    "wrong-cell-count": "Wrong number of cells",
    "missing-action-number": "Action cell without a number",
    "action-outside-alliance-point": "Action number does not belong to its Alliance Point",
    "duplicate-action": "Action appears twice",
    "missing-parent-action": "Sub-action without its parent",
    "dropped-markup": "Unsupported markup removed",
}
TITLES = {code: declare(f"pme.problem.{code}.title", title) for code, title in CODES.items()}

# The messages, one per way a problem is found (keys ``pme.problem.<code>.<how>``).
NOT_UTF8 = declare("pme.problem.not-utf8.byte", "byte {byte} is not UTF-8 ({reason})")
EMPTY = declare("pme.problem.empty-report.message", "no action rows were found")
CONFLICTING_TITLE = declare(
    "pme.problem.conflicting-title.message",
    "Alliance Point {number} is titled {title!r} here but {earlier!r} earlier",
)
HEADER_CELLS = declare(
    "pme.problem.bad-header.cells",
    "a header has {expected} tab-separated cells; this one has {count}",
)
HEADER_WORD = declare(
    "pme.problem.bad-header.word", "header cell {cell} is {text!r}; expected one of {words}"
)
HEADER_AS_OF = declare(
    "pme.problem.bad-header.as-of", "header cell {cell} is {text!r}; expected '{name} As of <date>'"
)
MIXED_LANGUAGE = declare(
    "pme.problem.mixed-language.message",
    "this line is in {language} but the report began in {first}",
)
ROW_BEFORE_HEADER = declare(
    "pme.problem.row-before-header.message",
    "a data row must follow an 'Alliance Point N: title' line and a header",
)
WRONG_CELL_COUNT = declare(
    "pme.problem.wrong-cell-count.message",
    "a data row has {expected} tab-separated cells (action, baseline, target, measurement, "
    "status); this one has {count}",
)
MISSING_ACTION_NUMBER = declare(
    "pme.problem.missing-action-number.message",
    "the action cell must start with the action's number, such as '10.4.1'",
)
OUTSIDE_POINT = declare(
    "pme.problem.action-outside-alliance-point.message",
    "action {number} is under Alliance Point {point}",
)
DUPLICATE_ACTION = declare("pme.problem.duplicate-action.message", "action {number} appears twice")
MISSING_PARENT = declare(
    "pme.problem.missing-parent-action.message",
    "sub-action {number} comes before (or without) its parent action {parent}",
)
DROPPED_MARKUP = declare(
    "pme.problem.dropped-markup.message", "tags {tags} removed, their text kept"
)

# Where a problem is, as ``Problem.describe`` says it.
AT_LINE = declare("pme.problem.at-line", "{source}, line {line}")
AT_COLUMN = declare("pme.problem.at-column", ", column {column}")


@dataclass(frozen=True)
class Problem:
    code: str
    line: int | None
    message: str
    column: str | None = None
    message_es: str | None = None  # None: a text only English gives (a date parser's)

    @classmethod
    def of(
        cls,
        code: str,
        line: int | None,
        said: Text,
        column: str | None = None,
        /,
        **values: object,
    ) -> Problem:
        """A problem whose message is the catalogue's ``said`` with ``values``."""
        english, spanish = said.both(**values)
        return cls(code, line, english, column, spanish)

    @property
    def title(self) -> str:
        return CODES[self.code]

    @property
    def title_es(self) -> str:
        return TITLES[self.code]("es")

    def message_in(self, language: str) -> str:
        return (self.message_es or self.message) if language == "es" else self.message

    def describe(self, source: str, language: str = "en") -> str:
        """Where and what, in ``language`` (a message without its Spanish stays English)."""
        where = AT_LINE(language, source=source, line=self.line) if self.line else source
        column = AT_COLUMN(language, column=self.column) if self.column else ""
        return f"{where}{column}: {self.message_in(language)} [{self.code}]"


class ReportRejected(Exception):
    """The report file cannot be imported; nothing was written."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        self.source = source
        self.problems = problems
        lines = [p.describe(source) for p in problems]
        super().__init__(
            f"{source}: refused, {len(problems)} problem(s), nothing was written:\n  "
            + "\n  ".join(lines)
        )
