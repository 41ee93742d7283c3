"""The crossing study: BTS volumes + CBP waits + the hourly queue model, for one crossing."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from statistics import fmean

from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.ports.analysis import (
    UNKNOWN_LANE,
    NotEnoughData,
    WaitCell,
    monthly_series,
    wait_cells,
)
from alianza.ports.analysis import weekday_hour_grid as grid_of
from alianza.ports.dedicated import DedicatedLaneFit, fit_dedicated
from alianza.ports.heavy_traffic import (
    DEFAULT_SCENARIOS,
    PEAK_GRID,
    HourlyModel,
    Scenario,
    ScenarioResult,
    calibrate,
    flatten,
    run_scenario,
)
from alianza.ports.holdout import Validation, choose_peak, leave_one_month_out, mean_week
from alianza.ports.reference import CROSSINGS, Mode

# Which BTS mode a lane type's waits are modelled with.
LANE_MODES = {"passenger": Mode.PERSONAL_VEHICLES, "pedestrian": Mode.PEDESTRIANS}
# The lanes of a type with their own observed series: general, Ready, x (probably SENTRI).
LANE_FAMILIES = {
    "passenger": ("passenger", "passenger_ready", "passenger_x"),
    "pedestrian": ("pedestrian", "pedestrian_ready"),
}


@dataclass(frozen=True)
class CrossingStudy:
    crossing: str
    port_code: str
    lane: str
    reference_year: int
    daily_volume: float  # BTS, mean per day over the reference year
    monthly_daily_volume: dict[int, float]
    model: HourlyModel  # calibrated on all months, peak chosen by leaving each out
    scenarios: list[ScenarioResult]
    validations: tuple[Validation, ...]  # the modelled lane first, then its Ready / x lanes
    observed_means: dict[str, float]  # mean observed wait of each lane of the family
    dedicated: tuple[DedicatedLaneFit, ...]  # the Ready / x lanes as dedicated lane groups
    reproduction_error: float  # largest |model − observed| over the week, minutes

    @property
    def validation(self) -> Validation:
        """The month-left-out validation of the modelled lane."""
        return self.validations[0]


def _weeks(cells: list[WaitCell]) -> dict[int, list[float | None]]:
    monthly: dict[int, list[WaitCell]] = defaultdict(list)
    for cell in cells:
        monthly[cell.month].append(cell)
    return {m: flatten(grid_of(c)) for m, c in sorted(monthly.items())}


# Why a crossing cannot be studied (said by ``alianza ports model`` in the user's language).
DEGENERATE = declare(
    "ports.study.degenerate",
    "port {port}, {lane} lanes, BTS {year}: the calibration is degenerate (busiest hour at "
    "{peak} utilisation, {lanes} effective lanes): that year's volumes do not explain the waits "
    "(the waits are of other years); choose another reference year",
)
UNKNOWN_CROSSING = declare(
    "ports.study.unknown-crossing", "unknown crossing {crossing} (known: {known})"
)
MONTHS_MISSING = declare(
    "ports.study.months-missing",
    "port {port} has {months} of 12 months of {mode} in {year}; import the BTS file or choose "
    "another year",
)
NO_WAITS = declare(
    "ports.study.no-waits", "no historical waits for crossing {crossing}; import them first"
)
MONTHS_OUTSIDE = declare(
    "ports.study.months-outside", "waits of crossing {crossing} name months outside 1–12"
)
FEW_MONTHS = declare(
    "ports.study.few-months",
    (
        "crossing {crossing} has waits for {n} month(s); the model's month-left-out validation "
        "needs at least 3",
        "crossing {crossing} has waits for {n} month(s); the model's month-left-out validation "
        "needs at least 3",
    ),
)
NO_YEAR_CALIBRATES = declare(
    "ports.study.no-year-calibrates",
    "no reference year among {years} calibrates crossing {crossing}",
)
NO_WAIT_ABOVE_ZERO = declare(
    "ports.study.no-wait-above-zero", "no {lane} wait above 0 minutes at crossing {crossing}"
)


class DegenerateCalibration(NotEnoughData):
    """The volumes and waits do not calibrate the model: the chosen utilisation of the busiest
    hour sits at the edge of the grid (the fit is saying volume explains nothing)."""


def check_calibration(model: HourlyModel, *, port_code: str, year: int, lane: str) -> None:
    """Refuse a calibration at the grid's edge, with the reason, instead of reporting it."""
    if model.peak <= PEAK_GRID[0] or model.peak >= PEAK_GRID[-1]:
        raise DegenerateCalibration(
            DEGENERATE.said(
                port=port_code,
                lane=lane,
                year=year,
                peak=f"{model.peak:.0%}",
                lanes=f"{model.lanes:,.0f}",
            )
        )


def study_crossing(
    session: Session,
    crossing: str,
    *,
    lane: str = "passenger",
    reference_year: int = 2019,
    service_minutes: float = 1.0,
    scenarios: tuple[Scenario, ...] = DEFAULT_SCENARIOS,
) -> CrossingStudy:
    """Calibrate and validate the model on the crossing's waits and ``reference_year``'s BTS."""
    if lane not in LANE_MODES:
        raise ValueError(UNKNOWN_LANE.said(lanes=", ".join(LANE_MODES)))
    if crossing not in CROSSINGS:
        raise NotEnoughData(
            UNKNOWN_CROSSING.said(crossing=repr(crossing), known=", ".join(CROSSINGS))
        )
    port_code = CROSSINGS[crossing].port_code
    mode = LANE_MODES[lane]
    series = monthly_series(
        session,
        [port_code],
        mode,
        start=date(reference_year, 1, 1),
        end=date(reference_year, 12, 1),
    )
    by_month = {p.month.month: p.value for p in series if p.value is not None}
    if len(by_month) < 12:
        raise NotEnoughData(
            MONTHS_MISSING.said(
                port=port_code, months=len(by_month), mode=mode.value, year=reference_year
            )
        )
    per_day = {
        m: v / calendar.monthrange(reference_year, m)[1] for m, v in sorted(by_month.items())
    }
    daily = sum(by_month.values()) / (366 if calendar.isleap(reference_year) else 365)
    weeks = _weeks(wait_cells(session, crossing, lane))
    if not weeks:
        raise NotEnoughData(NO_WAITS.said(crossing=crossing))
    if set(weeks) - set(per_day):
        raise NotEnoughData(MONTHS_OUTSIDE.said(crossing=crossing))
    if len(weeks) < 3:
        raise NotEnoughData(FEW_MONTHS.said(crossing=crossing, n=len(weeks)))
    profile = mean_week(list(weeks.values()))
    if not any(profile):
        raise NotEnoughData(NO_WAIT_ABOVE_ZERO.said(lane=lane, crossing=crossing))
    model = calibrate(profile, daily, service_minutes, choose_peak(weeks, per_day))
    check_calibration(model, port_code=port_code, year=reference_year, lane=lane)
    reproduction = max(
        abs(p - o)
        for p, o in zip(model.predict(), profile, strict=True)
        if p is not None and o is not None
    )
    validations = [leave_one_month_out(lane, weeks, per_day)]
    observed_means = {lane: fmean(w for w in profile if w is not None)}
    dedicated = []
    for other in LANE_FAMILIES[lane][1:]:
        other_weeks = _weeks(wait_cells(session, crossing, other))
        other_profile = mean_week(list(other_weeks.values()))
        if not any(other_profile):  # not measured, or never a wait: nothing to validate
            continue
        validations.append(leave_one_month_out(other, other_weeks, per_day))
        observed_means[other] = fmean(w for w in other_profile if w is not None)
        dedicated.append(fit_dedicated(model, profile, other, other_profile))
    return CrossingStudy(
        crossing=crossing,
        port_code=port_code,
        lane=lane,
        reference_year=reference_year,
        daily_volume=daily,
        monthly_daily_volume=per_day,
        model=model,
        scenarios=[run_scenario(model, s) for s in scenarios],
        validations=tuple(validations),
        observed_means=observed_means,
        dedicated=tuple(dedicated),
        reproduction_error=reproduction,
    )


@dataclass(frozen=True)
class Sensitivity:
    """What-if results over the inputs no file gives: the BTS reference year (each year that
    calibrates; degenerate ones are listed, not used) and the inspection time per vehicle."""

    years: tuple[int, ...]
    refused_years: tuple[int, ...]
    service_minutes: tuple[float, ...]
    ranges: dict[str, tuple[float, float]]  # scenario → lowest and highest mean wait, minutes
    rankings: tuple[tuple[str, ...], ...]  # each distinct order of the scenarios, best first

    @property
    def ranking_stable(self) -> bool:
        return len(self.rankings) == 1


def sensitivity(
    session: Session,
    crossing: str,
    years: Sequence[int],
    *,
    service_minutes: Sequence[float] = (0.5, 1.0, 2.0),
    lane: str = "passenger",
    scenarios: tuple[Scenario, ...] = DEFAULT_SCENARIOS,
) -> Sensitivity:
    """Run the scenarios for every reference year × inspection time. The calibration's shape
    does not depend on the inspection time (it scales the effective lanes), so each year is
    calibrated once and its lanes rescaled."""
    used, refused = [], []
    means: dict[str, list[float]] = defaultdict(list)
    orders: list[tuple[str, ...]] = []
    for year in years:
        try:
            base = study_crossing(session, crossing, lane=lane, reference_year=year)
        except DegenerateCalibration:
            refused.append(year)
            continue
        except NotEnoughData:
            continue
        used.append(year)
        for minutes in service_minutes:
            model = replace(
                base.model,
                service_minutes=minutes,
                lanes=base.model.lanes * minutes / base.model.service_minutes,
            )
            results = [run_scenario(model, s) for s in scenarios]
            for r in results:
                means[r.scenario.name].append(r.mean_wait)
            ranked = sorted(results[1:], key=lambda r: (r.mean_wait, r.scenario.name))
            order = tuple(r.scenario.name for r in ranked)
            if order not in orders:
                orders.append(order)
    if not used:
        raise NotEnoughData(
            NO_YEAR_CALIBRATES.said(years=", ".join(map(str, years)), crossing=crossing)
        )
    return Sensitivity(
        tuple(used),
        tuple(refused),
        tuple(service_minutes),
        {name: (min(v), max(v)) for name, v in means.items()},
        tuple(orders),
    )
