"""Port operations analysis (10.7): volumes by mode over time, seasonality, trend, wait profiles.

Series keep "not reported" apart from zero: a month with no BTS row for any of the mode's
measures at any of the ports asked for is ``None``, never 0. A year whose every reported
month is 0 is flagged missing (:attr:`YearTotal.zero_only`) and left out of trends.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.ports.models import CrossingCount, WaitProfile
from alianza.ports.reference import MODE_MEASURES, Mode

LANES = (
    "passenger",
    "passenger_x",
    "passenger_ready",
    "pedestrian",
    "pedestrian_ready",
    "commercial",
    "commercial_x",
)

# Why a computation was refused (said to the user by the command or the page that asked).
NO_COMPLETE_YEAR = declare(
    "ports.seasonality-no-complete-year",
    "seasonality needs at least one complete year with traffic",
)
TOO_FEW_YEARS = declare("ports.trend-too-few-years", "a trend needs at least two complete years")
UNKNOWN_LANE = declare("ports.unknown-lane", "lane must be one of {lanes}")


@dataclass(frozen=True)
class MonthValue:
    month: date
    value: int | None  # None: not reported (no row), which is not 0


@dataclass(frozen=True)
class YearTotal:
    year: int
    total: int
    months: int  # months reported; a total over fewer than 12 is partial

    @property
    def zero_only(self) -> bool:
        """Every reported month is 0: BTS's placeholder for a year it has no counts of (San
        Ysidro 1996, the busiest port, "0" vehicles), flagged missing, never data."""
        return self.months > 0 and self.total == 0

    @property
    def complete(self) -> bool:
        return self.months == 12 and not self.zero_only


@dataclass(frozen=True)
class Trend:
    first_year: int
    last_year: int
    slope_per_year: float  # least squares over complete years
    mean: float
    change_per_year_pct: float  # slope as a share of the mean

    @property
    def years(self) -> int:
        return self.last_year - self.first_year + 1


def monthly_series(
    session: Session,
    port_codes: Sequence[str],
    mode: Mode,
    *,
    start: date | None = None,
    end: date | None = None,
) -> list[MonthValue]:
    """Monthly totals of a mode at the given ports (summed), every month from first to last."""
    query = select(CrossingCount.month, CrossingCount.value).where(
        CrossingCount.port_code.in_(list(port_codes)),
        CrossingCount.measure.in_(MODE_MEASURES[mode]),
    )
    if start is not None:
        query = query.where(CrossingCount.month >= start)
    if end is not None:
        query = query.where(CrossingCount.month <= end)
    totals: dict[date, int] = defaultdict(int)
    for month, value in session.execute(query):
        totals[month] += value
    first = start or (min(totals) if totals else None)
    last = end or (max(totals) if totals else None)
    if first is None or last is None:
        return []
    months = _months(first, last)
    return [MonthValue(m, totals.get(m)) for m in months]


def last_complete_month(as_of: date) -> date:
    """The last month wholly before or on ``as_of``: a measure "as of 1 Feb 1998" uses months
    up to January 1998; "as of 31 Aug 1999" includes August 1999."""
    following = date(as_of.year + (as_of.month == 12), as_of.month % 12 + 1, 1)
    if (following - as_of).days == 1:  # as_of is the month's last day
        return date(as_of.year, as_of.month, 1)
    return date(as_of.year - (as_of.month == 1), (as_of.month - 2) % 12 + 1, 1)


def _months(first: date, last: date) -> list[date]:
    found, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        found.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return found


def annual_totals(series: Sequence[MonthValue]) -> list[YearTotal]:
    totals: dict[int, list[int]] = defaultdict(list)
    for point in series:
        if point.value is not None:
            totals[point.month.year].append(point.value)
    return [YearTotal(y, sum(v), len(v)) for y, v in sorted(totals.items())]


def seasonality(series: Sequence[MonthValue], years: Sequence[int] | None = None) -> list[float]:
    """Index per calendar month (1.0 = the year's monthly mean), averaged over complete years."""
    by_year: dict[int, dict[int, int]] = defaultdict(dict)
    for point in series:
        if point.value is not None:
            by_year[point.month.year][point.month.month] = point.value
    chosen = [
        y for y, months in by_year.items() if len(months) == 12 and (years is None or y in years)
    ]
    chosen = [y for y in chosen if sum(by_year[y].values()) > 0]
    if not chosen:
        raise NotEnoughData(NO_COMPLETE_YEAR.said())
    indices = []
    for month in range(1, 13):
        ratios = [by_year[y][month] / fmean(by_year[y].values()) for y in chosen]
        indices.append(fmean(ratios))
    return indices


def trend(totals: Sequence[YearTotal], first: int | None = None, last: int | None = None) -> Trend:
    """Least-squares linear trend of complete annual totals between ``first`` and ``last``
    (a zero-only year is not complete: it is missing, not a collapse of traffic)."""
    points = [
        (t.year, t.total)
        for t in totals
        if t.complete and (first is None or t.year >= first) and (last is None or t.year <= last)
    ]
    if len(points) < 2:
        raise NotEnoughData(TOO_FEW_YEARS.said())
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    mx, my = fmean(xs), fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in points) / sum((x - mx) ** 2 for x in xs)
    return Trend(xs[0], xs[-1], slope, my, 100 * slope / my if my else 0.0)


class NotEnoughData(ValueError):
    """The data held do not support the computation asked for."""


@dataclass(frozen=True)
class WaitCell:
    month: int
    weekday: int
    hour: int
    minutes: int | None


def wait_cells(session: Session, crossing: str, lane: str) -> list[WaitCell]:
    if lane not in LANES:
        raise ValueError(UNKNOWN_LANE.said(lanes=", ".join(LANES)))
    column = getattr(WaitProfile, lane)
    query = (
        select(WaitProfile.month, WaitProfile.weekday, WaitProfile.hour, column)
        .where(WaitProfile.crossing == crossing)
        .order_by(WaitProfile.month, WaitProfile.weekday, WaitProfile.hour)
    )
    return [WaitCell(*row) for row in session.execute(query)]


def mean_by(cells: Sequence[WaitCell], key: str) -> dict[int, float | None]:
    """Mean minutes by ``hour``, ``weekday`` or ``month`` (None where nothing was measured)."""
    groups: dict[int, list[int]] = defaultdict(list)
    keys: set[int] = set()
    for cell in cells:
        k = getattr(cell, key)
        keys.add(k)
        if cell.minutes is not None:
            groups[k].append(cell.minutes)
    return {k: (fmean(groups[k]) if groups[k] else None) for k in sorted(keys)}


def weekday_hour_grid(cells: Sequence[WaitCell]) -> list[list[float | None]]:
    """7 × 24 mean minutes over months (rows: CBP weekday 0–6, columns: hour)."""
    groups: dict[tuple[int, int], list[int]] = defaultdict(list)
    for cell in cells:
        if cell.minutes is not None:
            groups[(cell.weekday, cell.hour)].append(cell.minutes)
    return [
        [fmean(groups[(d, h)]) if groups[(d, h)] else None for h in range(24)] for d in range(7)
    ]
