"""The crossing study: BTS volumes + CBP waits + the queue models, for one crossing."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import fmean

from sqlalchemy.orm import Session

from alianza.ports.analysis import NotEnoughData, WaitCell, monthly_series, wait_cells
from alianza.ports.analysis import weekday_hour_grid as grid_of
from alianza.ports.fluid import (
    DEFAULT_FLUID_SCENARIOS,
    FluidCalibration,
    FluidResult,
    FluidScenario,
    HoldOut,
    calibrate_fluid,
    hold_out_by_month,
    run_scenario,
)
from alianza.ports.queueing import Validation, fit_lanes, validate_by_month
from alianza.ports.reference import CROSSINGS, Mode

# Which BTS mode a lane type's waits are modelled with.
LANE_MODES = {"passenger": Mode.PERSONAL_VEHICLES, "pedestrian": Mode.PEDESTRIANS}


@dataclass(frozen=True)
class CrossingStudy:
    crossing: str
    port_code: str
    lane: str
    reference_year: int
    daily_volume: float  # BTS, mean per day over the reference year
    monthly_daily_volume: dict[int, float]
    fluid: FluidCalibration
    scenarios: list[FluidResult]
    hold_out: list[HoldOut]
    stationary: Validation  # the M/M/c comparison
    stationary_lanes: int
    reproduction_error: float  # largest |simulated − observed| over the week, minutes

    @property
    def hold_out_mae(self) -> float:
        return fmean(abs(h.predicted - h.observed) for h in self.hold_out)

    @property
    def baseline_mae(self) -> float:
        return fmean(abs(h.baseline - h.observed) for h in self.hold_out)


def study_crossing(
    session: Session,
    crossing: str,
    *,
    lane: str = "passenger",
    reference_year: int = 2019,
    service_minutes: float = 1.0,
    scenarios: tuple[FluidScenario, ...] = DEFAULT_FLUID_SCENARIOS,
) -> CrossingStudy:
    """Calibrate the models on the crossing's waits and ``reference_year``'s BTS volumes."""
    if lane not in LANE_MODES:
        raise ValueError(f"lane must be one of {', '.join(LANE_MODES)}")
    if crossing not in CROSSINGS:
        raise NotEnoughData(f"unknown crossing {crossing!r} (known: {', '.join(CROSSINGS)})")
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
            f"port {port_code} has {len(by_month)} of 12 months of {mode.value} in "
            f"{reference_year}; import the BTS file or choose another year"
        )
    per_day = {
        m: v / calendar.monthrange(reference_year, m)[1] for m, v in sorted(by_month.items())
    }
    daily = sum(by_month.values()) / (366 if calendar.isleap(reference_year) else 365)
    cells = wait_cells(session, crossing, lane)
    if not cells:
        raise NotEnoughData(f"no historical waits for crossing {crossing}; import them first")
    monthly: dict[int, list[WaitCell]] = defaultdict(list)
    for cell in cells:
        monthly[cell.month].append(cell)
    grids = {m: grid_of(c) for m, c in monthly.items()}
    grid = grid_of(cells)
    fluid = calibrate_fluid(grid, daily, service_minutes)
    replay = run_scenario(fluid, FluidScenario("as observed")).hourly
    reproduction = max(abs(s - o) for s, o in zip(replay, fluid.waits, strict=True))
    stationary = fit_lanes(grid, service_minutes, daily)
    factors = {m: per_day[m] / daily for m in per_day}
    return CrossingStudy(
        crossing=crossing,
        port_code=port_code,
        lane=lane,
        reference_year=reference_year,
        daily_volume=daily,
        monthly_daily_volume=per_day,
        fluid=fluid,
        scenarios=[run_scenario(fluid, s) for s in scenarios],
        hold_out=hold_out_by_month(grids, per_day, service_minutes),
        stationary=validate_by_month(stationary, grids, factors),
        stationary_lanes=stationary.lanes,
        reproduction_error=reproduction,
    )
