"""The in-memory shape of a performance-measures report, shared by reader, store and exports."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from alianza.pme.markup import plain_text

# The plan every command reads unless told (its key and title). Here, not in the loader, so
# that reading a report (``alianza pme show``) does not import the loader and the audit log.
DEFAULT_PLAN = "binational-drug-strategy"
DEFAULT_PLAN_TITLE = "U.S.–Mexico Bi-National Drug Strategy: Performance Measures of Effectiveness"


class Column(StrEnum):
    """The columns of a report table. ``action`` is the action's own text."""

    ACTION = "action"
    BASELINE = "baseline"
    TARGETS = "targets"
    MEASUREMENTS = "measurements"
    STATUS = "status"


class Language(StrEnum):
    EN = "en"
    ES = "es"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: normalized safe inline markup (only emphasis tags, text escaped)."""

    markup: str

    @property
    def text(self) -> str:
        return plain_text(self.markup)


@dataclass(frozen=True)
class Snapshot:
    """A dated cell: the baseline as of its date, or the status as of a reporting date."""

    as_of: date
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class Action:
    number: str
    text: tuple[Paragraph, ...]
    baseline: Snapshot
    targets: tuple[Paragraph, ...]
    measurements: tuple[Paragraph, ...]
    status: tuple[Snapshot, ...]  # oldest first
    # Where the row came from (file line); not part of the data.
    line: int | None = field(default=None, compare=False)

    @property
    def parent_number(self) -> str | None:
        parts = self.number.split(".")
        return ".".join(parts[:-1]) if len(parts) > 2 else None

    @property
    def plain_text(self) -> str:
        return " ".join(p.text for p in self.text)

    def latest_status(self) -> Snapshot | None:
        return self.status[-1] if self.status else None


@dataclass(frozen=True)
class AlliancePoint:
    number: str
    title: str
    actions: tuple[Action, ...]

    def action(self, number: str) -> Action | None:
        return next((a for a in self.actions if a.number == number), None)


@dataclass(frozen=True)
class Report:
    language: Language
    alliance_points: tuple[AlliancePoint, ...]

    def actions(self) -> list[Action]:
        return [a for ap in self.alliance_points for a in ap.actions]

    def action(self, number: str) -> Action | None:
        return next((a for a in self.actions() if a.number == number), None)
