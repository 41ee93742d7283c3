"""A fluid (deterministic) queue of a crossing over a repeating week, hour by hour.

Border queues at busy ports last for hours: demand exceeds capacity for long stretches and the
queue carries over from one hour to the next, which a stationary model (see
:mod:`alianza.ports.queueing`) cannot represent. Here the queue evolves as

    Q[t] = max(0, Q[t-1] + D[t] - K)        wait[t] = 60 * Q[t] / K  (minutes)

with D[t] the vehicles arriving in hour t of the week and K the vehicles the open lanes can
inspect per hour (lanes * 60 / service minutes).

Calibration. Given the observed mean wait of every weekday-hour (CBP's historical averages),
the queue is Q[t] = wait[t] * K / 60 and the demand that produced it is
D[t] = max(0, Q[t] - Q[t-1] + K). Demand is proportional to K, so K follows from BTS's observed
volume in closed form: K = daily volume * 7 / sum(D[t] / K). The BTS count is what crossed
(throughput), which equals demand over a week when the queue is periodic.

Limits: no randomness (short queues are under-estimated), no demand response (drivers who
cross at other hours or ports when waits fall), one capacity for the whole week (CBP opens
and closes lanes by hour; those lane counts are not in the files).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

HOURS = 168  # one week, CBP weekday 0 hour 0 first; weekdays assumed consecutive


def flatten(grid: Sequence[Sequence[float | None]]) -> list[float]:
    """A 7 × 24 grid of minutes as 168 values (a slot without a measurement counts as 0)."""
    return [float(grid[d][h] or 0.0) for d in range(7) for h in range(24)]


@dataclass(frozen=True)
class FluidCalibration:
    capacity: float  # vehicles per hour, all lanes
    demand: tuple[float, ...]  # vehicles arriving in each of the 168 hours
    waits: tuple[float, ...]  # observed minutes the demand was derived from
    service_minutes: float

    @property
    def lanes(self) -> float:
        """Effective lanes: capacity expressed in lanes of the given service time."""
        return self.capacity * self.service_minutes / 60

    @property
    def daily_volume(self) -> float:
        return sum(self.demand) / 7


def _demand_shape(waits: Sequence[float]) -> list[float]:
    """Demand per hour in units of K (capacity), from waits in minutes."""
    return [
        max(0.0, (waits[t] - waits[t - 1]) / 60 + 1.0) for t in range(HOURS)
    ]  # t - 1 wraps: the week repeats


def calibrate_fluid(
    grid: Sequence[Sequence[float | None]], daily_volume: float, service_minutes: float
) -> FluidCalibration:
    waits = flatten(grid)
    shape = _demand_shape(waits)
    capacity = daily_volume * 7 / sum(shape)
    return FluidCalibration(
        capacity, tuple(s * capacity for s in shape), tuple(waits), service_minutes
    )


def simulate(
    demand: Sequence[float], capacity: float, *, weeks: int = 12, start_queue: float = 0.0
) -> list[float]:
    """Minutes of wait in each hour of the last simulated week (the queue carries over)."""
    if capacity <= 0:
        raise ValueError("capacity must be positive")
    queue = start_queue
    waits: list[float] = []
    for _ in range(weeks):
        waits = []
        for arriving in demand:
            queue = max(0.0, queue + arriving - capacity)
            waits.append(60 * queue / capacity)
    return waits


@dataclass(frozen=True)
class FluidScenario:
    name: str
    name_es: str = ""
    extra_lanes: float = 0.0
    service_factor: float = 1.0  # 0.8: inspection technology 20 % faster
    commuter_share: float = 0.0  # share of demand moved to dedicated commuter lanes
    commuter_lanes: float = 0.0  # taken from the general lanes (after extra_lanes are added)
    commuter_service_factor: float = 0.5  # commuters (trusted travellers) inspected faster


@dataclass(frozen=True)
class FluidResult:
    scenario: FluidScenario
    mean_wait: float  # demand-weighted over the week, minutes
    peak_wait: float
    hourly: tuple[float, ...]  # demand-weighted wait per hour of the week


def run_scenario(calibration: FluidCalibration, scenario: FluidScenario) -> FluidResult:
    lanes = calibration.lanes + scenario.extra_lanes - scenario.commuter_lanes
    if lanes <= 0:
        raise ValueError(f"scenario {scenario.name!r} leaves no general lane")
    if scenario.commuter_share > 0 and scenario.commuter_lanes <= 0:
        raise ValueError(f"scenario {scenario.name!r}: a commuter share needs commuter lanes")
    service = calibration.service_minutes * scenario.service_factor
    general_demand = [d * (1 - scenario.commuter_share) for d in calibration.demand]
    # Start from the calibrated end-of-week queue, so that a no-change scenario reproduces it.
    start = calibration.waits[-1] * calibration.capacity / 60 * (1 - scenario.commuter_share)
    general = simulate(general_demand, lanes * 60 / service, start_queue=start)
    hourly = list(general)
    if scenario.commuter_share > 0:
        commuter_capacity = (
            scenario.commuter_lanes * 60 / (service * scenario.commuter_service_factor)
        )
        commuter = simulate(
            [d * scenario.commuter_share for d in calibration.demand], commuter_capacity
        )
        share = scenario.commuter_share
        hourly = [(1 - share) * g + share * c for g, c in zip(general, commuter, strict=True)]
        peak = max(max(general), max(commuter))
    else:
        peak = max(general)
    total = sum(calibration.demand)
    mean = sum(w * d for w, d in zip(hourly, calibration.demand, strict=True)) / total
    return FluidResult(scenario, mean, peak, tuple(hourly))


@dataclass(frozen=True)
class HoldOut:
    month: int
    observed: float  # mean observed wait of the month
    predicted: float  # model: other months' demand shape, scaled by this month's BTS volume
    baseline: float  # naive: mean of the other months' waits
    saturated: bool  # the predicted queue kept growing: the prediction is the cap


def hold_out_by_month(
    grids: Mapping[int, Sequence[Sequence[float | None]]],
    monthly_daily_volume: dict[int, float],
    service_minutes: float,
    cap_minutes: float = 240.0,
) -> list[HoldOut]:
    """Leave each month out: calibrate on the others, predict its waits from its volume."""
    results = []
    for month in sorted(grids):
        others = [m for m in grids if m != month]
        mean_grid = [
            [fmean(float(grids[m][d][h] or 0.0) for m in others) for h in range(24)]
            for d in range(7)
        ]
        volume = fmean(monthly_daily_volume[m] for m in others)
        calibration = calibrate_fluid(mean_grid, volume, service_minutes)
        factor = monthly_daily_volume[month] / volume
        waits = simulate([d * factor for d in calibration.demand], calibration.capacity)
        predicted = fmean(waits)
        observed = fmean(flatten(grids[month]))
        baseline = fmean(fmean(flatten(grids[m])) for m in others)
        saturated = predicted > cap_minutes
        results.append(HoldOut(month, observed, min(predicted, cap_minutes), baseline, saturated))
    return results


DEFAULT_FLUID_SCENARIOS = (
    FluidScenario("as observed", "como se observó"),
    FluidScenario("+1 lane", "+1 carril", extra_lanes=1),
    FluidScenario("+2 lanes", "+2 carriles", extra_lanes=2),
    FluidScenario("inspection 10% faster", "inspección 10% más rápida", service_factor=0.9),
    FluidScenario("inspection 20% faster", "inspección 20% más rápida", service_factor=0.8),
    FluidScenario(
        "+3 dedicated commuter lanes, 15% of traffic",
        "+3 carriles exclusivos para viajeros frecuentes, 15% del tránsito",
        extra_lanes=3,
        commuter_lanes=3,
        commuter_share=0.15,
    ),
)
