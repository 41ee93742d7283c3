"""Deadlines read from the wording of a target, in English and Spanish.

The target's text is never replaced: :func:`parse_deadline` returns a :class:`Deadline` beside
it, with the words it was read from (``phrase``). Kinds:

- ``absolute``: "By July 31, 1999", "Para el 31 de julio de 1999" → due that day;
- ``month``: "By July 1999", "Para julio de 1999" → due the month's last day;
- ``window``: "In 1999", "En 1999", "In July 1999", "Durante 1999" → due the window's last day;
- ``relative``: "Within 6 months of the completion of …", "Dentro de los 6 meses siguientes a
  …" → no due date until the named event is recorded (:meth:`Deadline.resolve`);
- ``recurring``: "on a quarterly basis", "trimestral", "cada trimestre"; combined with a date
  ("By July 31, 1999 … begin … on a quarterly basis") the date is the start and the first due;
- ``none``: no deadline wording.

Matching works on accent-folded, lower-case text of the same length as the original, so the
phrase is always cut from the original words.
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from alianza.catalogue import declare
from alianza.pme.dates import MONTHS

NOT_A_PERIOD = declare(
    "pme.deadline.not-a-period", "{text!r} is not a period like 'P6M', 'P30D', 'P2W' or 'P1Y'"
)


class DeadlineKind(StrEnum):
    ABSOLUTE = "absolute"
    MONTH = "month"
    WINDOW = "window"
    RELATIVE = "relative"
    RECURRING = "recurring"
    NONE = "none"


class Recurrence(StrEnum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    SEMIANNUAL = "semiannual"
    ANNUAL = "annual"


class OffsetUnit(StrEnum):
    DAY = "D"
    WEEK = "W"
    MONTH = "M"
    YEAR = "Y"


@dataclass(frozen=True)
class Offset:
    """A period after an event: ``6 months`` is ``Offset(6, OffsetUnit.MONTH)`` (``P6M``)."""

    amount: int
    unit: OffsetUnit

    def __str__(self) -> str:
        return f"P{self.amount}{self.unit.value}"

    @classmethod
    def parse(cls, text: str) -> Offset:
        match = re.fullmatch(r"P(\d+)([DWMY])", text.strip().upper())
        if match is None:
            raise ValueError(NOT_A_PERIOD.said(text=text))
        return cls(int(match[1]), OffsetUnit(match[2]))

    def after(self, day: date) -> date:
        """``day`` plus this period; month ends clamp (31 Aug + 6 months = 29 Feb 2000)."""
        if self.unit is OffsetUnit.DAY:
            return day + timedelta(days=self.amount)
        if self.unit is OffsetUnit.WEEK:
            return day + timedelta(weeks=self.amount)
        months = self.amount * (12 if self.unit is OffsetUnit.YEAR else 1)
        return add_months(day, months)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due: date | None = None
    window_start: date | None = None
    event: str | None = None  # relative: the event as written ("the completion of an update …")
    offset: Offset | None = None  # relative: how long after the event
    recurrence: Recurrence | None = None
    start: date | None = None  # recurring: first period's due date, when the text gives one
    phrase: str | None = None  # the words the deadline was read from

    @property
    def event_key(self) -> str | None:
        return event_key(self.event) if self.event else None

    def resolve(self, event_on: date | None) -> date | None:
        """The due date; for a relative deadline, ``event_on`` + offset (None before that)."""
        if self.kind is DeadlineKind.RELATIVE:
            if event_on is None or self.offset is None:
                return None
            return self.offset.after(event_on)
        return self.due

    def as_dict(self, event_on: date | None = None) -> dict[str, Any]:
        """The export shape: kind, due, event, recurrence, plus the offset, start and phrase."""
        due = self.resolve(event_on)
        return {
            "kind": self.kind.value,
            "due": due.isoformat() if due else None,
            "event": self.event,
            "recurrence": self.recurrence.value if self.recurrence else None,
            "offset": str(self.offset) if self.offset else None,
            "start": self.start.isoformat() if self.start else None,
            "phrase": self.phrase,
        }


NO_DEADLINE = Deadline(DeadlineKind.NONE)

_STOP_WORDS = {
    "the", "a", "an", "of", "de", "la", "el", "los", "las", "del", "un", "una", "al",
}  # fmt: skip


def fold(text: str) -> str:
    """Lower-case, accents removed, one character for one character (same length)."""
    if text.isascii():
        return text.lower()
    out = []
    for char in text:
        base = "".join(
            c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)
        )
        out.append(base.lower() if len(base) == 1 else char.lower()[:1] or char)
    return "".join(out)


def event_key(text: str) -> str:
    """A stable key for a named event: folded words without articles, joined by ``-``."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    return "-".join(w for w in words if w not in _STOP_WORDS)


_MONTH = "(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|o)?"
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
    "un": 1, "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
    "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "dieciocho": 18,
    "veinticuatro": 24,
}  # fmt: skip
_AMOUNT = r"(?P<amount>\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_UNITS = {
    "day": OffsetUnit.DAY, "days": OffsetUnit.DAY, "dia": OffsetUnit.DAY,
    "dias": OffsetUnit.DAY, "week": OffsetUnit.WEEK, "weeks": OffsetUnit.WEEK,
    "semana": OffsetUnit.WEEK, "semanas": OffsetUnit.WEEK, "month": OffsetUnit.MONTH,
    "months": OffsetUnit.MONTH, "mes": OffsetUnit.MONTH, "meses": OffsetUnit.MONTH,
    "year": OffsetUnit.YEAR, "years": OffsetUnit.YEAR, "ano": OffsetUnit.YEAR,
    "anos": OffsetUnit.YEAR,
}  # fmt: skip
_UNIT = "(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + ")"
_EVENT = r"(?P<event>[^,;:()]+?)(?=\s*(?:[,;:()]|\.(?:\s|$)|$))"
_BY_EN = r"(?:by|no later than|not later than|on or before|before)"
_BY_ES = r"(?:para|a mas tardar|antes de|a mas tardar para)"

_RELATIVE = [
    re.compile(rf"\bwithin\s+{_AMOUNT}\s+{_UNIT}\s+(?:of|after|following|from)\s+{_EVENT}"),
    re.compile(rf"\b{_AMOUNT}\s+{_UNIT}\s+(?:after|following)\s+{_EVENT}"),
    re.compile(
        rf"\bdentro\s+de\s+(?:los\s+|las\s+)?{_AMOUNT}\s+{_UNIT}\s+"
        rf"(?:(?:siguientes|posteriores|despues)\s+)?(?:a|de)\s+{_EVENT}"
    ),
    re.compile(
        rf"\b(?:a\s+los\s+)?{_AMOUNT}\s+{_UNIT}\s+(?:despues|posteriores|siguientes)\s+"
        rf"(?:a|de)\s+{_EVENT}"
    ),
]
_ABSOLUTE = [
    re.compile(rf"\b{_BY_EN}\s+(?:the\s+end\s+of\s+)?{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_BY_EN}\s+(?:the\s+)?{_DAY}(?:\s+of)?\s+{_MONTH},?\s+{_YEAR}\b"),
    re.compile(
        rf"\b{_BY_ES}\s+(?:el\s+)?(?:dia\s+)?{_DAY}\s+de\s+{_MONTH}\s+(?:de|del)\s+{_YEAR}\b"
    ),
]
_MONTH_ONLY = [
    re.compile(rf"\b{_BY_EN}\s+(?:the\s+end\s+of\s+)?{_MONTH},?\s+(?:of\s+)?{_YEAR}\b"),
    re.compile(
        rf"\b{_BY_ES}\s+(?:(?:el\s+mes\s+de|finales\s+de|fines\s+de|el\s+fin\s+de)\s+)?"
        rf"{_MONTH}\s+(?:de|del)\s+{_YEAR}\b"
    ),
]
_WINDOW_MONTH = [
    re.compile(rf"\b(?:in|during)\s+{_MONTH},?\s+{_YEAR}\b"),
    re.compile(rf"\b(?:en|durante)\s+(?:el\s+mes\s+de\s+)?{_MONTH}\s+(?:de|del)\s+{_YEAR}\b"),
]
_WINDOW_YEAR = [
    re.compile(rf"\b(?:in|during)\s+(?:the\s+(?:calendar\s+)?year\s+)?{_YEAR}\b"),
    re.compile(rf"\b{_BY_EN}\s+(?:the\s+end\s+of\s+)?{_YEAR}\b"),
    re.compile(rf"\b(?:en|durante)\s+(?:el\s+(?:ano\s+)?)?{_YEAR}\b"),
    re.compile(rf"\b{_BY_ES}\s+(?:(?:finales|fines|el\s+fin)\s+(?:de|del)\s+)?{_YEAR}\b"),
]
_RECURRENCE_WORDS = {
    Recurrence.WEEKLY: r"weekly|every\s+week|each\s+week|semanal(?:mente)?|cada\s+semana",
    Recurrence.MONTHLY: r"monthly|every\s+month|each\s+month|mensual(?:mente)?|cada\s+mes",
    Recurrence.QUARTERLY: (
        r"quarterly|every\s+quarter|each\s+quarter|every\s+three\s+months|"
        r"trimestral(?:mente|es)?|cada\s+trimestre|cada\s+tres\s+meses"
    ),
    Recurrence.SEMIANNUAL: (
        r"semi-?annual(?:ly)?|twice\s+a\s+year|every\s+six\s+months|"
        r"semestral(?:mente|es)?|cada\s+semestre|cada\s+seis\s+meses"
    ),
    Recurrence.ANNUAL: (
        r"annual(?:ly)?|yearly|every\s+year|each\s+year|anual(?:mente|es)?|cada\s+ano"
    ),
}
_RECURRING = [
    (
        kind,
        re.compile(
            rf"\b(?:(?:on|in)\s+an?\s+(?:{words})\s+basis|(?:de\s+(?:manera|forma)\s+)?"
            rf"(?:{words}))\b"
        ),
    )
    for kind, words in _RECURRENCE_WORDS.items()
]


def _amount(text: str) -> int:
    return int(text) if text.isdigit() else _NUMBER_WORDS[text]


def _first(patterns: list[re.Pattern[str]], folded: str) -> re.Match[str] | None:
    found = [m for p in patterns if (m := p.search(folded))]
    return min(found, key=lambda m: m.start()) if found else None


def _strip_article(event: str) -> str:
    return re.sub(r"^(?:the|la|el|los|las)\s+", "", event.strip(), flags=re.I)


def _dated(folded: str, text: str) -> Deadline | None:
    """The first absolute, month or window date in the text, whichever comes first."""
    candidates: list[tuple[int, Deadline]] = []
    try:
        if m := _first(_ABSOLUTE, folded):
            due = date(int(m["year"]), MONTHS[m["month"]], int(m["day"]))
            candidates.append(
                (m.start(), Deadline(DeadlineKind.ABSOLUTE, due, phrase=_cut(text, m)))
            )
    except ValueError:
        pass  # "By February 30, 1999": not a date; the month form below may still read it
    if m := _first(_MONTH_ONLY, folded):
        year, month = int(m["year"]), MONTHS[m["month"]]
        candidates.append(
            (m.start(), Deadline(DeadlineKind.MONTH, month_end(year, month), phrase=_cut(text, m)))
        )
    if m := _first(_WINDOW_MONTH, folded):
        year, month = int(m["year"]), MONTHS[m["month"]]
        candidates.append(
            (
                m.start(),
                Deadline(
                    DeadlineKind.WINDOW,
                    month_end(year, month),
                    window_start=date(year, month, 1),
                    phrase=_cut(text, m),
                ),
            )
        )
    if m := _first(_WINDOW_YEAR, folded):
        year = int(m["year"])
        candidates.append(
            (
                m.start(),
                Deadline(
                    DeadlineKind.WINDOW,
                    date(year, 12, 31),
                    window_start=date(year, 1, 1),
                    phrase=_cut(text, m),
                ),
            )
        )
    if not candidates:
        return None
    # Earliest wins; at the same place the more precise kind (listed first) wins.
    return min(candidates, key=lambda c: c[0])[1]


def _cut(text: str, match: re.Match[str], group: str | int = 0) -> str:
    return text[match.start(group) : match.end(group)]


def parse_deadline(text: str) -> Deadline:
    """The deadline a target's text states, or :data:`NO_DEADLINE`; never raises."""
    folded = fold(text)
    if len(folded) != len(text):  # cannot happen (fold is length-preserving); be safe
        folded = text.lower()
    recurring = None
    for kind, pattern in _RECURRING:
        m = pattern.search(folded)
        if m and (recurring is None or m.start() < recurring[1].start()):
            recurring = (kind, m)
    if m := _first(_RELATIVE, folded):
        unit = _UNITS[m["unit"]]
        return Deadline(
            DeadlineKind.RELATIVE,
            event=_strip_article(_cut(text, m, "event")),
            offset=Offset(_amount(m["amount"]), unit),
            recurrence=recurring[0] if recurring else None,
            phrase=_cut(text, m),
        )
    dated = _dated(folded, text)
    if recurring is not None:
        kind, m = recurring
        phrase = _cut(text, m)
        if dated is None:
            return Deadline(DeadlineKind.RECURRING, recurrence=kind, phrase=phrase)
        start = dated.due
        return Deadline(
            DeadlineKind.RECURRING,
            due=start,
            recurrence=kind,
            start=start,
            phrase=f"{dated.phrase} … {phrase}",
        )
    return dated if dated is not None else NO_DEADLINE


# Words that introduce a deadline, followed closely by a year or a fiscal year: a target that
# has them but that :func:`parse_deadline` cannot read is listed, never taken as "no deadline".
_CUE_YEAR = (
    r"[^.;:]{0,30}?"
    r"(?:\b(?:fy|af|ejercicio\s+fiscal|fiscal\s+year)\s*'?\d{2,4}\b|\b(?:19|20)\d{2}\b)"
)
_LOOKS_DATED = [
    re.compile(
        r"\b(?:by|before|no\s+later\s+than|not\s+later\s+than|until|at\s+the\s+end\s+of|"
        r"end\s+of)\b" + _CUE_YEAR
    ),
    re.compile(
        r"\b(?:para|antes\s+de|a\s+mas\s+tardar|a\s+finales\s+de|a\s+fines\s+de|"
        r"al\s+final\s+de|hasta)\b" + _CUE_YEAR
    ),
]


def unparsed_phrase(text: str) -> str | None:
    """The words of ``text`` that look like a deadline when :func:`parse_deadline` reads none
    ("By FY2000", "A finales de 1999"); None when it reads one or nothing looks like one."""
    if parse_deadline(text).kind is not DeadlineKind.NONE:
        return None
    folded = fold(text)
    if len(folded) != len(text):
        folded = text.lower()
    found = _first(_LOOKS_DATED, folded)
    return _cut(text, found) if found else None
