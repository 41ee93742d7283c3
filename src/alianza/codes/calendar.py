"""US federal fiscal years (October–September) and calendar quarters, mapped, never confused.

Fiscal year *N* runs from 1 October of *N*−1 to 30 September of *N*: OCT, NOV and DEC of FY *N*
fall in calendar year *N*−1. Fiscal quarter 1 is OCT–DEC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from alianza.catalogue import declare

MONTHS = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_FY = re.compile(r"^\s*(?:FY\s*)?(\d{4})\s*(\(\s*FYTD\s*\))?\s*$", re.IGNORECASE)


NOT_A_FISCAL_YEAR = declare("codes.not-a-fiscal-year", "not a fiscal year: {text!r}")


class BadFiscalYear(ValueError):
    """Text that is not a fiscal year such as ``2024``, ``FY2024`` or ``2026 (FYTD)``."""


@dataclass(frozen=True)
class FiscalYear:
    year: int
    to_date: bool  # "2026 (FYTD)": the year is still open, months are missing

    @classmethod
    def parse(cls, text: str) -> FiscalYear:
        match = _FY.match(text)
        if match is None:
            raise BadFiscalYear(NOT_A_FISCAL_YEAR.said(text=text))
        return cls(int(match.group(1)), match.group(2) is not None)


def month_number(abbreviation: str) -> int:
    """1–12 for ``JAN`` … ``DEC`` (any case); ValueError otherwise."""
    try:
        return MONTHS.index(abbreviation.strip().upper()[:3]) + 1
    except ValueError:
        raise ValueError(f"not a month: {abbreviation!r}") from None


def calendar_month(fiscal_year: int, month: int) -> date:
    """First day of the calendar month that is ``month`` of fiscal year ``fiscal_year``."""
    return date(fiscal_year - 1 if month >= 10 else fiscal_year, month, 1)


def fiscal_year_of(day: date) -> int:
    return day.year + 1 if day.month >= 10 else day.year


def fiscal_quarter_of(day: date) -> int:
    """1 for OCT–DEC, 2 for JAN–MAR, 3 for APR–JUN, 4 for JUL–SEP."""
    return ((day.month - 10) % 12) // 3 + 1


def calendar_quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def quarter_label(day: date) -> str:
    """Calendar quarter ``YYYY-Qn`` (the exchange's reference period)."""
    return f"{day.year}-Q{calendar_quarter_of(day)}"


def fiscal_quarter_label(day: date) -> str:
    """Fiscal quarter ``FYYYYY-Qn``, always marked as fiscal."""
    return f"FY{fiscal_year_of(day)}-Q{fiscal_quarter_of(day)}"
