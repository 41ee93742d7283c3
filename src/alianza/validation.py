"""Validation reports shared by every importer (seizures, crossings, shipments, incidents).

Data problems are values, not exceptions: each :class:`Issue` has a stable kebab-case code
(the contract, and the key of its messages: English here, Spanish in the message
catalogue), the file, the row number,
the field and the offending value. A report collects issues up to a limit and says when it
stopped early (``partial``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from alianza.catalogue import Text, declare


class Severity(StrEnum):
    ERROR = "error"  # the row is quarantined
    WARNING = "warning"  # the row loads; the issue is reported


@dataclass(frozen=True)
class IssueType:
    """One kind of data problem: stable code, English title and message template; their
    Spanish is in the message catalogue (keys ``issue.<code>.title``, ``issue.<code>.message``)."""

    code: str
    title: str
    template: str  # str.format fields: value, field and any extra detail keys
    severity: Severity = Severity.ERROR

    @property
    def title_es(self) -> str:
        return Text(f"issue.{self.code}.title", self.title)("es")

    @property
    def template_es(self) -> str:
        return Text(f"issue.{self.code}.message", self.template)("es")


ISSUE_TYPES: dict[str, IssueType] = {}


def issue_type(
    code: str,
    title: str,
    template: str,
    severity: Severity = Severity.ERROR,
) -> IssueType:
    """Declare an issue type once (at import time of the module that raises it)."""
    kind = IssueType(code, title, template, severity)
    existing = ISSUE_TYPES.get(code)
    if existing is not None and existing != kind:
        # Two modules' declarations disagree: a programmer's error, found at import.
        raise AssertionError(f"issue code {code!r} declared twice with different texts")
    declare(f"issue.{code}.title", title)
    declare(f"issue.{code}.message", template)
    ISSUE_TYPES[code] = kind
    return kind


@dataclass(frozen=True)
class Issue:
    code: str
    row: int | None  # 1-based data row, as a spreadsheet shows it (header is row 1 in CSV)
    field: str | None
    value: str | None
    message: str
    message_es: str
    severity: Severity = Severity.ERROR

    @classmethod
    def of(
        cls,
        kind: IssueType,
        *,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        **detail: object,
    ) -> Issue:
        shown = "" if value is None else str(value)
        values = {"value": shown, "field": field or "", **detail}
        return cls(
            code=kind.code,
            row=row,
            field=field,
            value=None if value is None else shown,
            message=kind.template.format(**values),
            message_es=kind.template_es.format(**values),
            severity=kind.severity,
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "field": self.field,
            "code": self.code,
            "severity": self.severity.value,
            "value": self.value,
            "message": self.message,
            "message_es": self.message_es,
        }


@dataclass
class ValidationReport:
    """What an import found: counts, and the issues up to ``limit``."""

    source: str
    limit: int = 1000
    rows: int = 0
    loaded: int = 0
    quarantined: int = 0
    unchanged: int = 0
    skipped: int = 0  # out of scope by a named policy, or an identical duplicate counted once
    issues: list[Issue] = field(default_factory=list)
    partial: bool = False
    counts_by_code: dict[str, int] = field(default_factory=dict)
    # Importer-specific figures (e.g. revised, released, duplicates), shown under stats.
    details: dict[str, Any] = field(default_factory=dict)

    def add(self, issue: Issue) -> None:
        self.counts_by_code[issue.code] = self.counts_by_code.get(issue.code, 0) + 1
        if len(self.issues) < self.limit:
            self.issues.append(issue)
        else:
            self.partial = True

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity is Severity.WARNING]

    @property
    def exit_code(self) -> int:
        """0: every row loaded (or was already held); 3: some quarantined; 2: nothing loaded."""
        if self.rows and self.loaded + self.unchanged == 0:
            return 2
        if self.quarantined:
            return 3
        return 0 if self.rows else 2

    def stats(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "rows": self.rows,
            "loaded": self.loaded,
            "unchanged": self.unchanged,
            "quarantined": self.quarantined,
            "skipped": self.skipped,
            "errors": sum(
                n for code, n in self.counts_by_code.items() if _severity(code) is Severity.ERROR
            ),
            "warnings": sum(
                n for code, n in self.counts_by_code.items() if _severity(code) is Severity.WARNING
            ),
            "partial": self.partial,
            "by_code": dict(sorted(self.counts_by_code.items())),
            **self.details,
        }

    def as_dict(self) -> dict[str, Any]:
        return {"stats": self.stats(), "errors": [i.as_dict() for i in self.issues]}

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")

    def text(self, *, language: str = "en", show: int = 50) -> str:
        """A report a person can read, in ``language``: the summary line, the issues counted by
        code (and where to read them all), then up to ``show`` issues, errors first. ``show=0``:
        the summary and the counts only."""
        summary = REPORT_SUMMARY(
            language,
            source=self.source,
            rows=f"{self.rows:,}",
            loaded=f"{self.loaded:,}",
            unchanged=f"{self.unchanged:,}",
            quarantined=f"{self.quarantined:,}",
        )
        if self.skipped:
            summary += REPORT_SKIPPED(language, skipped=f"{self.skipped:,}")
        lines = [summary]
        if self.counts_by_code:
            counted = ", ".join(
                f"{code} {n:,} ({_severity(code).value})"
                for code, n in sorted(self.counts_by_code.items(), key=lambda i: (-i[1], i[0]))
            )
            lines.append(REPORT_BY_CODE(language, counted=counted))
        if show <= 0:
            return "\n".join(lines)
        ranked = sorted(self.issues, key=lambda i: i.severity is not Severity.ERROR)
        for issue in ranked[:show]:
            where = (
                REPORT_ROW(language, row=issue.row)
                if issue.row is not None
                else REPORT_FILE(language)
            )
            if issue.field:
                where += REPORT_FIELD(language, field=repr(issue.field))
            message = issue.message_es if language == "es" else issue.message
            lines.append(f"  {self.source}, {where}: {message} [{issue.code}]")
        hidden = sum(self.counts_by_code.values()) - min(show, len(self.issues))
        if hidden > 0:
            lines.append(REPORT_MORE(language, n=hidden, hidden=f"{hidden:,}"))
        if self.partial:
            lines.append(REPORT_PARTIAL(language, limit=f"{self.limit:,}"))
        return "\n".join(lines)


# The readable report's own words (the issues' messages are declared with their types).
REPORT_SUMMARY = declare(
    "validation.report-summary",
    "{source}: {rows} rows, {loaded} loaded, {unchanged} already held, {quarantined} quarantined",
)
REPORT_SKIPPED = declare("validation.report-skipped", ", skipped {skipped}")
REPORT_BY_CODE = declare(
    "validation.report-by-code",
    "  by code: {counted}; all of them in the JSON report (--report-json FILE)",
)
REPORT_ROW = declare("validation.report-row", "row {row}")
REPORT_FILE = declare("validation.report-file", "file")
REPORT_FIELD = declare("validation.report-field", ", field {field}")
REPORT_MORE = declare(
    "validation.report-more",
    ("  … {hidden} more issue(s) (--show N)", "  … {hidden} more issue(s) (--show N)"),
)
REPORT_PARTIAL = declare(
    "validation.report-partial", "  (report is partial: stopped listing after {limit} issues)"
)


def _severity(code: str) -> Severity:
    kind = ISSUE_TYPES.get(code)
    return kind.severity if kind else Severity.ERROR
