"""A queueing model of a crossing: one stationary queue per hour of the week (heavy traffic).

Model. In each of the 168 hours of the week the crossing is a G/G/c queue in its stationary
state. Kingman's heavy-traffic approximation gives its mean wait in minutes as

    W = A * rho / (1 - rho)        A = V * s / c

with rho the utilisation of the lanes (arrivals × service time / lanes), s the mean service
(inspection) time in minutes, c the lanes and V = (ca² + cs²) / 2 the variability of arrivals
and service. For one lane this is Kingman's formula (exact for M/M/1: V = 1); for c lanes it is
the heavy-traffic limit. Border queues are far more variable than Poisson (platoons, lanes
opened and closed within the hour), so V is large and is calibrated, not assumed.

Calibration. The one free parameter is the utilisation of the busiest hour, ``peak``: it fixes
A from the peak observed wait, and then every hour's utilisation from its observed wait,
rho = W / (A + W). Arrivals per hour are proportional to rho (one lane count for the week), so
BTS's weekly volume gives the effective lanes c = volume × s / (60 × sum(rho)). ``peak`` itself
is chosen by cross-validation on the months held (:mod:`alianza.ports.holdout`): a low peak
makes waits react little to volume, a high one a lot.

Prediction. A month whose daily volume is f times the calibration's has rho' = f × rho in every
hour. Utilisations at or above :data:`SATURATED` are held there and the hour is counted as
saturated: a stationary queue cannot say how long an over-full queue grows.

Scenarios change the utilisation: more lanes c' give rho × c / c'; inspection faster by a
factor k gives rho × k and A × k; dedicated commuter lanes carry a share of the traffic at a
shorter service time, each lane group with its own utilisation. A is kept independent of the
number of lanes in a group: more lanes are credited through lower utilisation only, not through
Kingman's 1 / c pooling term, which with the large calibrated V would make a small group of
lanes explode (V here stands mostly for the hour-to-hour build-up of the queue, not for
randomness). This understates the gain of more lanes and overstates how well a small group of
dedicated lanes copes.

Limits: no carry-over of the queue from one hour to the next (the hour's mean wait stands for
it); one lane count for the whole week (CBP opens and closes lanes by hour, which the files do
not give), so the night hours' utilisation is over-stated; no demand response.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from alianza.catalogue import Text, declare

HOURS = 168  # one week, CBP weekday 0 hour 0 first
SATURATED = 0.99  # the highest utilisation the model evaluates
PEAK_GRID = tuple(round(0.05 * k, 2) for k in range(1, 20))  # 0.05 … 0.95

# Why the model cannot be calibrated or run (said by the command or the page that asked).
UTILISATION_OUTSIDE = declare(
    "ports.model.utilisation-outside", "utilisation {utilisation} is outside [0, 1)"
)
PEAK_RANGE = declare("ports.model.peak-range", "the peak utilisation must be between 0 and 1")
WEEK_HOURS = declare("ports.model.week-hours", "a week has {hours} hours, not {n}")
NO_WAIT = declare("ports.model.no-wait", "no wait was measured: nothing to calibrate on")
NO_GENERAL_LANE = declare("ports.model.no-general-lane", "scenario {name!r} leaves no general lane")
COMMUTER_NEEDS_LANES = declare(
    "ports.model.commuter-needs-lanes", "scenario {name!r}: a commuter share needs commuter lanes"
)
# The month-left-out validation's (ports/holdout.py) and the dedicated lanes' fit's
# (ports/dedicated.py), declared here with the model's: this module is in the catalogue's list.
TWO_MONTHS = declare(
    "ports.model.two-months", "choosing the peak utilisation needs at least two months"
)
THREE_MONTHS = declare(
    "ports.model.three-months", "a month-left-out validation needs at least three months"
)
NO_VOLUME = declare("ports.model.no-volume", "no volume for month(s) {months}")
NO_LANE_WAIT = declare(
    "ports.model.no-lane-wait", "no wait measured in the {lane} lanes: nothing to fit"
)
NO_TRAFFIC = declare(
    "ports.model.no-traffic", "the general lanes carry no traffic: nothing to fit against"
)


def flatten(grid: Sequence[Sequence[float | None]]) -> list[float | None]:
    """A 7 × 24 grid of minutes as 168 values, weekday by weekday (None: not measured)."""
    return [grid[d][h] for d in range(7) for h in range(24)]


def wait_minutes(utilisation: float, scale: float) -> float:
    """Kingman's heavy-traffic mean wait, ``scale * rho / (1 - rho)``."""
    if not 0 <= utilisation < 1:
        raise ValueError(UTILISATION_OUTSIDE.said(utilisation=utilisation))
    return scale * utilisation / (1 - utilisation)


def utilisation_for(wait: float, scale: float) -> float:
    """The utilisation whose heavy-traffic wait is ``wait`` minutes (the inverse)."""
    return wait / (scale + wait)


@dataclass(frozen=True)
class HourlyModel:
    peak: float  # utilisation of the busiest hour
    scale: float  # A, minutes of wait per unit of rho / (1 - rho)
    utilisation: tuple[float | None, ...]  # per hour of the week; None: no wait measured
    service_minutes: float
    lanes: float  # effective lanes: weekly volume × service / (60 × sum of utilisations)

    def predict(self, volume_factor: float = 1.0) -> list[float | None]:
        """Mean wait in every hour when the volume is ``volume_factor`` times the calibration's."""
        return [
            None if rho is None else wait_minutes(min(rho * volume_factor, SATURATED), self.scale)
            for rho in self.utilisation
        ]


def calibrate(
    waits: Sequence[float | None], daily_volume: float, service_minutes: float, peak: float
) -> HourlyModel:
    """The model whose busiest hour runs at ``peak`` utilisation and reproduces ``waits``."""
    if not 0 < peak < 1:
        raise ValueError(PEAK_RANGE.said())
    if len(waits) != HOURS:
        raise ValueError(WEEK_HOURS.said(hours=HOURS, n=len(waits)))
    measured = [w for w in waits if w is not None]
    if not measured or max(measured) <= 0:
        raise ValueError(NO_WAIT.said())
    scale = max(measured) * (1 - peak) / peak
    utilisation = tuple(None if w is None else utilisation_for(w, scale) for w in waits)
    busy = sum(rho for rho in utilisation if rho is not None)
    lanes = daily_volume * 7 * service_minutes / (60 * busy) if busy else 0.0
    return HourlyModel(peak, scale, utilisation, service_minutes, lanes)


@dataclass(frozen=True)
class Scenario:
    name: str  # in English: what a study's results and the command line name it by
    extra_lanes: float = 0.0
    service_factor: float = 1.0  # 0.8: inspection technology 20 % faster
    commuter_share: float = 0.0  # share of the traffic moved to dedicated commuter lanes
    commuter_lanes: float = 0.0  # taken from the general lanes (after extra_lanes are added)
    commuter_service_factor: float = 0.5  # commuters (trusted travellers) inspected faster
    label: Text | None = None  # a catalogue message that names it (the default scenarios)

    def named(self, language: str = "en") -> str:
        """Its name in ``language``: a default scenario's from the catalogue, another's as
        given."""
        return self.name if self.label is None else self.label(language)


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    mean_wait: float  # traffic-weighted over the week, minutes, all lanes
    peak_wait: float
    general_wait: float  # traffic-weighted, general lanes
    commuter_wait: float | None  # traffic-weighted, commuter lanes (None: no commuter lane)
    saturated_hours: int  # hours where a lane group reached the saturation cap
    hourly: tuple[float | None, ...]  # traffic-weighted wait per hour of the week


def group_ratios(
    model: HourlyModel, share: float, lanes: float, service_factor: float
) -> tuple[float, float]:
    """(u, κ) of a lane group carrying ``share`` of the traffic on ``lanes`` lanes, inspected in
    ``service_factor`` × the calibrated time: its utilisation is u × rho and its scale κ × A."""
    return share * model.lanes * service_factor / lanes, service_factor


def _group(
    model: HourlyModel, rho: float, share: float, lanes: float, service_factor: float
) -> tuple[float, bool]:
    """Wait of a lane group in an hour where the calibrated utilisation is ``rho``."""
    # A scales with the service time only (see the module's docstring).
    u, kappa = group_ratios(model, share, lanes, service_factor)
    load = u * rho
    return wait_minutes(min(load, SATURATED), model.scale * kappa), load >= SATURATED


def run_scenario(model: HourlyModel, scenario: Scenario) -> ScenarioResult:
    """Waits with more lanes, faster inspection or dedicated commuter lanes (same demand)."""
    general_lanes = model.lanes + scenario.extra_lanes - scenario.commuter_lanes
    if general_lanes <= 0:
        raise ValueError(NO_GENERAL_LANE.said(name=scenario.name))
    if scenario.commuter_share > 0 and scenario.commuter_lanes <= 0:
        raise ValueError(COMMUTER_NEEDS_LANES.said(name=scenario.name))
    share = scenario.commuter_share
    hourly: list[float | None] = []
    general_sum = commuter_sum = traffic = peak = 0.0
    saturated = 0
    for rho in model.utilisation:
        if rho is None:
            hourly.append(None)
            continue
        general, full = _group(model, rho, 1 - share, general_lanes, scenario.service_factor)
        commuter = 0.0
        if share > 0:
            factor = scenario.service_factor * scenario.commuter_service_factor
            commuter, commuter_full = _group(model, rho, share, scenario.commuter_lanes, factor)
            full = full or commuter_full
        saturated += full
        hourly.append((1 - share) * general + share * commuter)
        peak = max(peak, general, commuter)
        general_sum += rho * general  # arrivals are proportional to the utilisation
        commuter_sum += rho * commuter
        traffic += rho
    general_mean = general_sum / traffic
    commuter_mean = commuter_sum / traffic if share > 0 else None
    mean = (1 - share) * general_mean + share * (commuter_mean or 0.0)
    return ScenarioResult(
        scenario, mean, peak, general_mean, commuter_mean, saturated, tuple(hourly)
    )


def _named(key: str, english: str, **change: float) -> Scenario:
    """A default scenario, named by the catalogue message ``ports.scenario.<key>``."""
    label = declare(f"ports.scenario.{key}", english)
    return Scenario(english, label=label, **change)


DEFAULT_SCENARIOS = (
    _named("as-observed", "as observed"),
    _named("one-lane", "+1 lane", extra_lanes=1),
    _named("two-lanes", "+2 lanes", extra_lanes=2),
    _named("faster-10", "inspection 10% faster", service_factor=0.9),
    _named("faster-20", "inspection 20% faster", service_factor=0.8),
    _named(
        "commuter-lanes",
        "+3 dedicated commuter lanes, 15% of traffic",
        extra_lanes=3,
        commuter_lanes=3,
        commuter_share=0.15,
    ),
)


def commuter_ratios(model: HourlyModel, scenario: Scenario) -> tuple[float, float]:
    """(u, κ) of a scenario's commuter lanes, comparable with :mod:`alianza.ports.dedicated`."""
    factor = scenario.service_factor * scenario.commuter_service_factor
    return group_ratios(model, scenario.commuter_share, scenario.commuter_lanes, factor)
