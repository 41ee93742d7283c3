"""Calendar quarters as the exchange names them (``2019-Q1``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from alianza.exchange.messages import NOT_A_QUARTER

_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def parse_quarter(text: str) -> tuple[int, int]:
    match = _QUARTER.match(text.strip().upper())
    if match is None:
        raise ValueError(NOT_A_QUARTER.said(text=text))
    return int(match[1]), int(match[2])


def quarter_start(text: str) -> date:
    year, quarter = parse_quarter(text)
    return date(year, 3 * quarter - 2, 1)


def quarter_end(text: str) -> date:
    year, quarter = parse_quarter(text)
    if quarter == 4:
        return date(year, 12, 31)
    return date(year, 3 * quarter + 1, 1) - timedelta(days=1)


def quarter_of(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def next_quarter(text: str) -> str:
    year, quarter = parse_quarter(text)
    return f"{year + 1}-Q1" if quarter == 4 else f"{year}-Q{quarter + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    result = []
    current = first
    while parse_quarter(current) <= parse_quarter(last):
        result.append(current)
        current = next_quarter(current)
    return result


def calendar_of_fiscal(text: str) -> str:
    """The calendar quarter of a US fiscal quarter (the fiscal year starts on 1 October):
    FY2026-Q1 (``2026-Q1`` fiscal) is October–December 2025, ``2025-Q4``."""
    year, quarter = parse_quarter(text)
    return f"{year - 1}-Q4" if quarter == 1 else f"{year}-Q{quarter - 1}"


def time_period(quarter: str, period_kind: str) -> str:
    """The SDMX TIME_PERIOD of a package's quarter: always the calendar quarter."""
    return calendar_of_fiscal(quarter) if period_kind == "fiscal" else quarter
