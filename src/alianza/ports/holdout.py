"""Leave-one-month-out validation of the hourly crossing model against observed waits.

Each month is held out in turn. The model is calibrated on the other months only: their mean
wait in each of the 168 hours of the week, and its one parameter (the peak utilisation) chosen
by leaving each of those months out in turn (nested cross-validation). It then predicts the held
month's 168 hourly waits from that month's BTS volume relative to the other months'.

Two naive forecasts are scored on the same hours: the other months' mean at the same weekday
and hour (the model with the volume ignored, so the model beats it only if volume carries
information), and the other months' overall mean (the level only, no weekly shape).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean
from typing import Any

import numpy as np

from alianza.ports.heavy_traffic import (
    HOURS,
    NO_VOLUME,
    NO_WAIT,
    PEAK_GRID,
    PEAK_RANGE,
    SATURATED,
    THREE_MONTHS,
    TWO_MONTHS,
    UTILISATION_OUTSIDE,
    WEEK_HOURS,
    calibrate,
    utilisation_for,
)

Week = Sequence[float | None]  # 168 hourly mean waits, None: not measured


def mean_week(weeks: Sequence[Week]) -> list[float | None]:
    """Hour by hour mean of several weeks (None where no week has a measurement)."""
    profile: list[float | None] = []
    for t in range(HOURS):
        values = [value for w in weeks if (value := w[t]) is not None]
        # what fmean gives (the exactly rounded sum over the count), without its counting
        # wrapper around a generator: this runs 80,000 times for a crossing's page
        profile.append(math.fsum(values) / len(values) if values else None)
    return profile


def forecast(profile: Week, volume_factor: float, peak: float) -> list[float | None]:
    """The held month's waits: the profile's utilisations scaled by the volume factor."""
    # Lanes and service time cancel out of a ratio of volumes: any volume and service will do.
    return calibrate(profile, 1.0, 1.0, peak).predict(volume_factor)


def _errors(predicted: Week, observed: Week) -> list[float]:
    """Predicted − observed over the hours both have."""
    return [
        p - o for p, o in zip(predicted, observed, strict=True) if p is not None and o is not None
    ]


def choose_peak(
    weeks: Mapping[int, Week], volumes: Mapping[int, float], grid: Sequence[float] = PEAK_GRID
) -> float:
    """The peak utilisation with the least absolute error, each month predicted from the others.

    Ties go to the lowest peak (the least reaction to volume).
    """
    if len(weeks) < 2:
        raise ValueError(TWO_MONTHS.said())
    cases = []
    for month in weeks:
        others = [m for m in weeks if m != month]
        factor = volumes[month] / fmean(volumes[m] for m in others)
        cases.append((mean_week([weeks[m] for m in others]), factor, weeks[month]))
    losses = peak_losses(cases, grid)
    return grid[min(range(len(grid)), key=lambda k: (losses[k], grid[k]))]


def peak_losses(cases: Sequence[tuple[Week, float, Week]], grid: Sequence[float]) -> list[float]:
    """For each peak of ``grid``: ``sum`` over ``cases`` (profile, volume factor, observed
    week), in order, of the ``sum`` of the absolute errors of :func:`forecast` against the
    observed hours, hour by hour: what a loop over :func:`forecast` gives, bit for bit on any
    Python (the additions are Python's own ``sum``, over the same values in the same order;
    only the arithmetic of each hour, the very operations of :func:`forecast`, is done by
    numpy for every peak at once). The choice of a study's peak, nested in its month-left-out
    validation, made about 2,500 calibrations a lane: most of a crossing page's first view.

    Refuses what such a loop refuses, in the same order (peak by peak, then case by case):
    a peak outside (0, 1), a profile that is not a week, no wait above zero, a utilisation
    outside [0, 1) (NaN included); a division by zero as Python raises it. An observed week that is
    not a week is refused in the model's words (the loop's ``zip`` said it in its own)."""
    peaks = np.asarray(grid, dtype=np.float64)
    prepared = [
        _CaseErrors.of(profile, factor, observed, peaks) for profile, factor, observed in cases
    ]
    for k, peak in enumerate(grid):
        for case in prepared:
            refusal = case.refusal(k, peak)
            if refusal is not None:
                raise refusal
    return [sum(sum(case.errors[k]) for case in prepared) for k in range(len(grid))]


@dataclass
class _CaseErrors:
    """One case of :func:`peak_losses`, worked out for every peak: what the loop would refuse
    at each peak, and otherwise the absolute errors of each peak's forecast, hour by hour."""

    before: Exception | None  # refused whatever the peak, before any forecast
    after: Exception | None  # refused once the forecast is made
    divides_by_zero: list[tuple[float, float] | None]  # by peak: the scale and wait that do
    outside: list[float | None]  # by peak: the first utilisation outside [0, 1), if any
    errors: list[list[float]]  # by peak

    @classmethod
    def of(
        cls, profile: Week, factor: float, observed: Week, peaks: np.ndarray[Any, Any]
    ) -> _CaseErrors:
        refused = cls(None, None, [], [], [])
        if len(observed) != HOURS:
            refused.after = ValueError(WEEK_HOURS.said(hours=HOURS, n=len(observed)))
        if len(profile) != HOURS:
            refused.before = ValueError(WEEK_HOURS.said(hours=HOURS, n=len(profile)))
            return refused
        measured = [w for w in profile if w is not None]
        if not measured or max(measured) <= 0:
            refused.before = ValueError(NO_WAIT.said())
            return refused
        held = np.array([w is not None for w in profile])
        waits = np.array([0.0 if w is None else w for w in profile], dtype=np.float64)[held]
        with np.errstate(all="ignore"):  # what Python would refuse is found below
            scale = max(measured) * (1 - peaks) / peaks
            below = scale[:, None] + waits
            rho = waits / below
            load = np.minimum(rho * factor, SATURATED)
            predicted = scale[:, None] * load / (1 - load)
        zero = below == 0
        refused.divides_by_zero = [
            (float(scale[k]), float(waits[row][0])) if row.any() else None
            for k, row in enumerate(zero)
        ]
        outside = ~((load >= 0) & (load < 1))  # NaN too
        refused.outside = [
            float(row[wrong][0]) if wrong.any() else None
            for row, wrong in zip(load, outside, strict=True)
        ]
        if refused.after is not None:
            return refused
        seen = [o for o, h in zip(observed, held.tolist(), strict=True) if h]
        both = np.array([o is not None for o in seen], dtype=bool)
        values = np.array([o for o in seen if o is not None], dtype=np.float64)
        with np.errstate(all="ignore"):
            refused.errors = np.abs(predicted[:, both] - values).tolist()
        return refused

    def refusal(self, k: int, peak: float) -> Exception | None:
        """What the loop refuses at the ``k``-th peak (the order of ``calibrate``, ``predict``
        and the comparison with the observed week)."""
        if not 0 < peak < 1:
            return ValueError(PEAK_RANGE.said())
        if self.before is not None:
            return self.before
        zero = self.divides_by_zero[k]
        if zero is not None:
            scale, wait = zero
            try:  # Python's own refusal, raised by the very division
                utilisation_for(wait, scale)
            except ZeroDivisionError as refused:
                return refused
        if self.outside[k] is not None:
            return ValueError(UTILISATION_OUTSIDE.said(utilisation=self.outside[k]))
        return self.after


@dataclass(frozen=True)
class MonthCheck:
    month: int
    volume_factor: float  # month's daily volume / the other months' mean
    peak: float  # chosen on the other months
    observed: float  # mean over the month's measured hours, minutes
    predicted: float
    naive: float  # the other months' mean, same hours
    model_errors: tuple[float, ...]  # predicted − observed, hour by hour
    naive_errors: tuple[float, ...]  # same weekday × hour mean of the other months − observed
    flat_errors: tuple[float, ...]  # overall mean of the other months − observed


@dataclass(frozen=True)
class Validation:
    lane: str
    months: tuple[MonthCheck, ...]

    def _all(self, kind: str) -> list[float]:
        return [e for m in self.months for e in getattr(m, f"{kind}_errors")]

    @property
    def model_mae(self) -> float:
        return fmean(abs(e) for e in self._all("model"))

    @property
    def model_bias(self) -> float:
        return fmean(self._all("model"))

    @property
    def naive_mae(self) -> float:
        return fmean(abs(e) for e in self._all("naive"))

    @property
    def naive_bias(self) -> float:
        return fmean(self._all("naive"))

    @property
    def flat_mae(self) -> float:
        return fmean(abs(e) for e in self._all("flat"))

    @property
    def monthly_model_mae(self) -> float:
        """Error of the month's mean wait (the measure earlier monthly models were scored on)."""
        return fmean(abs(m.predicted - m.observed) for m in self.months)

    @property
    def monthly_naive_mae(self) -> float:
        return fmean(abs(m.naive - m.observed) for m in self.months)

    @property
    def volume_wait_correlation(self) -> float:
        """Correlation of the months' volume factors with their observed mean waits."""
        return pearson([m.volume_factor for m in self.months], [m.observed for m in self.months])


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float:
    mx, my = fmean(xs), fmean(ys)
    sx = math.sqrt(sum((x - mx) ** 2 for x in xs))
    sy = math.sqrt(sum((y - my) ** 2 for y in ys))
    if sx == 0 or sy == 0:
        return math.nan
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / (sx * sy)


def leave_one_month_out(
    lane: str,
    weeks: Mapping[int, Week],
    volumes: Mapping[int, float],
    grid: Sequence[float] = PEAK_GRID,
) -> Validation:
    """Hold each month out; calibrate on the others (nested choice of the peak); score it."""
    if len(weeks) < 3:
        raise ValueError(THREE_MONTHS.said())
    missing = sorted(set(weeks) - set(volumes))
    if missing:
        raise ValueError(NO_VOLUME.said(months=", ".join(map(str, missing))))
    checks = []
    for month in sorted(weeks):
        others = {m: weeks[m] for m in weeks if m != month}
        factor = volumes[month] / fmean(volumes[m] for m in others)
        peak = choose_peak(others, volumes, grid)
        profile = mean_week(list(others.values()))
        predicted = forecast(profile, factor, peak)
        observed = weeks[month]
        level = fmean(w for w in profile if w is not None)
        flat = [None if w is None else level for w in profile]
        hours = [t for t in range(HOURS) if observed[t] is not None and profile[t] is not None]
        checks.append(
            MonthCheck(
                month=month,
                volume_factor=factor,
                peak=peak,
                observed=fmean(observed[t] or 0.0 for t in hours),
                predicted=fmean(predicted[t] or 0.0 for t in hours),
                naive=fmean(profile[t] or 0.0 for t in hours),
                model_errors=tuple(_errors(predicted, observed)),
                naive_errors=tuple(_errors(profile, observed)),
                flat_errors=tuple(_errors(flat, observed)),
            )
        )
    return Validation(lane, tuple(checks))


@dataclass(frozen=True)
class Comparison:
    """The model against a naive forecast over the held-out months: the difference of their
    mean absolute errors per hour (naive − model, minutes; positive: the model is closer) and
    its bootstrap interval (months resampled with replacement, percentile interval)."""

    against: str  # "naive" (same weekday and hour) or "flat" (overall mean)
    difference: float
    low: float
    high: float
    level: float
    draws: int

    @property
    def distinguishable(self) -> bool:
        """The stated test: the interval excludes zero."""
        return self.low > 0 or self.high < 0


def bootstrap_comparison(
    validation: Validation,
    against: str = "naive",
    *,
    draws: int = 2000,
    level: float = 0.95,
    seed: int = 22,
) -> Comparison:
    """Resample the held-out months (each with all its hours) ``draws`` times; the interval
    of naive MAE − model MAE at ``level``. A fixed seed: the report is reproducible."""
    import random

    months = validation.months

    def difference(chosen: Sequence[MonthCheck]) -> float:
        model = [abs(e) for m in chosen for e in m.model_errors]
        other = [abs(e) for m in chosen for e in getattr(m, f"{against}_errors")]
        return fmean(other) - fmean(model)

    rng = random.Random(seed)
    values = sorted(difference(rng.choices(months, k=len(months))) for _ in range(draws))
    tail = (1 - level) / 2
    low = values[math.floor(tail * (draws - 1))]
    high = values[math.ceil((1 - tail) * (draws - 1))]
    return Comparison(against, difference(months), low, high, level, draws)
