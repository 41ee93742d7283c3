"""A queueing model of a crossing: M/M/c (Erlang C) per weekday-hour, calibrated on observed waits.

Model. Each lane is a server; vehicles arrive at rate λ (per minute) in a weekday-hour slot and
are inspected in a mean of ``service_minutes`` (μ = 1 / service). The mean wait in queue of an
M/M/c queue is ``Wq = C(c, λ/μ) / (cμ − λ)`` (Erlang C). The model is stationary within a slot:
it does not carry a queue over from one hour to the next.

Calibration. CBP's historical averages give the observed wait of every weekday-hour slot; for a
given number of lanes and service time, the arrival rate that yields that wait is found by
bisection (Wq grows monotonically with λ). The arrivals so implied add up to a daily volume,
which is checked against BTS's observed volume (the lanes that make the two agree are the
"effective lanes").

Validation. The month dimension is left out of the calibration: each month's waits are
predicted by scaling the calibrated arrivals by that month's BTS volume relative to the year's,
and compared with the observed monthly waits (mean absolute error, correlation).

Finding (San Ysidro): calibrated this way the queue sits at the edge of saturation in every
slot, so a few per cent more volume saturates it and a few per cent less empties it; monthly
waits are not reproduced. Long border queues carry over from hour to hour, which
:mod:`alianza.ports.fluid` models; this module stays as the stationary comparison.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from statistics import fmean

SATURATED = math.inf
_SLOTS = [(d, h) for d in range(7) for h in range(24)]


def erlang_c(servers: int, load: float) -> float:
    """Probability that an arrival waits, for ``servers`` servers and offered load λ/μ."""
    if servers < 1:
        raise ValueError("a crossing needs at least one lane")
    if load >= servers:
        return 1.0
    blocking = 1.0  # Erlang B by the stable recursion
    for k in range(1, servers + 1):
        blocking = load * blocking / (k + load * blocking)
    rho = load / servers
    return blocking / (1 - rho * (1 - blocking))


def mean_wait(arrivals: float, service_minutes: float, lanes: int) -> float:
    """Mean wait in queue (minutes) of M/M/c; ``inf`` when arrivals reach capacity."""
    if arrivals <= 0:
        return 0.0
    mu = 1 / service_minutes
    if arrivals >= lanes * mu:
        return SATURATED
    return erlang_c(lanes, arrivals / mu) / (lanes * mu - arrivals)


def arrivals_for_wait(wait: float, service_minutes: float, lanes: int) -> float:
    """The arrival rate (per minute) whose M/M/c mean wait is ``wait`` minutes."""
    if wait <= 0:
        return 0.0
    low, high = 0.0, lanes / service_minutes
    for _ in range(64):  # the bracket halves each time: far below a vehicle per year
        middle = (low + high) / 2
        if mean_wait(middle, service_minutes, lanes) < wait:
            low = middle
        else:
            high = middle
    return (low + high) / 2


@dataclass(frozen=True)
class Calibration:
    lanes: int
    service_minutes: float
    arrivals: dict[tuple[int, int], float]  # (weekday, hour) -> vehicles per minute

    @property
    def daily_volume(self) -> float:
        """Vehicles per day implied by the calibrated arrivals (mean over weekdays)."""
        per_day = [sum(self.arrivals[(d, h)] * 60 for h in range(24)) for d in range(7)]
        return fmean(per_day)


def calibrate(
    observed: Sequence[Sequence[float | None]], lanes: int, service_minutes: float
) -> Calibration:
    """Arrivals per weekday-hour that reproduce the observed 7 × 24 grid of mean waits."""
    arrivals = {}
    for d, h in _SLOTS:
        wait = observed[d][h]
        arrivals[(d, h)] = arrivals_for_wait(wait or 0.0, service_minutes, lanes)
    return Calibration(lanes, service_minutes, arrivals)


def fit_lanes(
    observed: Sequence[Sequence[float | None]],
    service_minutes: float,
    daily_volume: float,
    most: int = 200,
) -> Calibration:
    """The calibration whose implied daily volume is closest to the observed one.

    The implied volume grows with the number of lanes, so the search is a bisection.
    """
    low, high = 1, most
    while high - low > 1:
        middle = (low + high) // 2
        if calibrate(observed, middle, service_minutes).daily_volume < daily_volume:
            low = middle
        else:
            high = middle
    candidates = [calibrate(observed, lanes, service_minutes) for lanes in (low, high)]
    return min(candidates, key=lambda c: abs(c.daily_volume - daily_volume))


@dataclass(frozen=True)
class MonthCheck:
    month: int
    factor: float  # month's daily volume / year's
    observed: float  # mean observed wait over the month's slots
    predicted: float  # mean predicted wait (saturated slots counted at the cap)
    saturated_slots: int


@dataclass
class Validation:
    months: list[MonthCheck] = field(default_factory=list)
    cap_minutes: float = 240.0

    @property
    def mean_absolute_error(self) -> float:
        return fmean(abs(m.predicted - m.observed) for m in self.months)

    @property
    def correlation(self) -> float:
        return _pearson([m.observed for m in self.months], [m.predicted for m in self.months])

    @property
    def volume_wait_correlation(self) -> float:
        """Correlation of the months' volume factors with their observed waits."""
        return _pearson([m.factor for m in self.months], [m.observed for m in self.months])


def _pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = fmean(xs), fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return math.nan
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def validate_by_month(
    calibration: Calibration,
    observed_by_month: Mapping[int, Sequence[Sequence[float | None]]],
    volume_factor: dict[int, float],
    cap_minutes: float = 240.0,
) -> Validation:
    """Predict each month's waits from its volume alone and compare with what was observed."""
    result = Validation(cap_minutes=cap_minutes)
    for month in sorted(observed_by_month):
        grid = observed_by_month[month]
        factor = volume_factor[month]
        observed, predicted, saturated = [], [], 0
        for d, h in _SLOTS:
            wait = grid[d][h]
            if wait is None:
                continue
            model = mean_wait(
                calibration.arrivals[(d, h)] * factor,
                calibration.service_minutes,
                calibration.lanes,
            )
            if model > cap_minutes:
                saturated += 1
                model = cap_minutes
            observed.append(wait)
            predicted.append(model)
        result.months.append(
            MonthCheck(month, factor, fmean(observed), fmean(predicted), saturated)
        )
    return result
