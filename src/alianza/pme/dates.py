"""As-of dates as written in report headers, in English and Spanish.

Accepted: ``1 Feb 98``, ``31 Aug 1999``, ``Feb 1, 1998``, ``1 de febrero de 1998``,
``31 ago 99``, ``1998-02-01``. Two-digit years 50–99 are 1950–1999, 00–49 are 2000–2049.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from alianza.catalogue import declare

MONTHS: dict[str, int] = {
    # English
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4,
    "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11,
    "november": 11, "dec": 12, "december": 12,
    # Spanish (accents removed before lookup)
    "ene": 1, "enero": 1, "febrero": 2, "marzo": 3, "abr": 4, "abril": 4, "mayo": 5,
    "junio": 6, "julio": 7, "ago": 8, "agosto": 8, "set": 9, "septiembre": 9,
    "setiembre": 9, "octubre": 10, "noviembre": 11, "dic": 12, "diciembre": 12,
}  # fmt: skip

# The months as dates are written (``1 Feb 98``, ``31 ago 1999``), January first.
MONTH_ABBREVIATIONS = tuple(
    declare(f"date.month.{english.lower()}", english)
    for english in (
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    )
)  # fmt: skip

_DAY_MONTH_YEAR = re.compile(
    r"^(\d{1,2})(?:\s+de)?[\s.-]+([a-z]+)\.?(?:\s+de)?[\s,.-]+(\d{2}|\d{4})$"
)
_MONTH_DAY_YEAR = re.compile(r"^([a-z]+)\.?\s+(\d{1,2}),?\s+(\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class UnparseableDate(ValueError):
    """The text is not a date in any accepted form."""


NOT_A_DATE = declare("date.not-a-date", "{text!r} is not a date like '1 Feb 98' or '31 ago 99'")
UNKNOWN_MONTH = declare("date.unknown-month", "{text!r}: unknown month {month!r}")
# ``error``: why Python's calendar refuses it (its own words, English: "day is out of range for
# month").
NOT_VALID = declare("date.not-valid", "{text!r} is not a valid date ({error})")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower().strip()


def _year(text: str) -> int:
    value = int(text)
    if len(text) == 4:
        return value
    return 1900 + value if value >= 50 else 2000 + value


def parse_as_of(text: str) -> date:
    """The date in ``text``; raises :class:`UnparseableDate` with the reason."""
    folded = _fold(text)
    try:
        if match := _ISO.match(folded):
            return date(int(match[1]), int(match[2]), int(match[3]))
        if match := _DAY_MONTH_YEAR.match(folded):
            day, month_name, year = match[1], match[2], match[3]
        elif match := _MONTH_DAY_YEAR.match(folded):
            month_name, day, year = match[1], match[2], match[3]
        else:
            raise UnparseableDate(NOT_A_DATE.said(text=text))
        if month_name not in MONTHS:
            raise UnparseableDate(UNKNOWN_MONTH.said(text=text, month=month_name))
        return date(_year(year), MONTHS[month_name], int(day))
    except ValueError as error:
        if isinstance(error, UnparseableDate):
            raise
        raise UnparseableDate(NOT_VALID.said(text=text, error=str(error))) from None


def month_abbreviations(language: str) -> list[str]:
    """The twelve months' abbreviations in ``language``, January first."""
    return [month(language) for month in MONTH_ABBREVIATIONS]


def format_as_of(value: date, language: str) -> str:
    """The header form of a date, as the source writes it: ``1 Feb 98`` / ``1 feb 98``."""
    month = MONTH_ABBREVIATIONS[value.month - 1](language)
    year = f"{value.year % 100:02d}" if 1950 <= value.year <= 2049 else str(value.year)
    return f"{value.day} {month} {year}"
