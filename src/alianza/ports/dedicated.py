"""The dedicated-lane check: do the Ready / x lanes' waits follow the model's lane-group form?

A dedicated lane group that carries a fixed share of the same hourly traffic runs, in the model
(:mod:`alianza.ports.heavy_traffic`), at a utilisation proportional to the general lanes', u ×
rho(t), with its own scale κ × A (κ < 1: faster inspection). Its hourly waits are then

    W(t) = κ × A × u rho(t) / (1 − u rho(t))

which is what the commuter-lane scenario assumes. The observed Ready and x-lane series are such
lane groups, so fitting (u, κ) to their 168 hourly waits (least squares; κ in closed form for
each u on a grid) checks the form: it is compared with the plainest alternative, waits
proportional to the general lanes' (one ratio), and with the lane's overall mean. This is a fit
of the week's shape on the same hours (two parameters against one), not a forecast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import fmean

from alianza.ports.heavy_traffic import (
    NO_LANE_WAIT,
    NO_TRAFFIC,
    SATURATED,
    HourlyModel,
    wait_minutes,
)


@dataclass(frozen=True)
class DedicatedLaneFit:
    lane: str
    utilisation_ratio: float  # u: the group's utilisation / the general lanes'
    scale_ratio: float  # κ: the group's A / the general lanes' A
    model_mae: float  # minutes, over the hours measured in both series
    proportional_ratio: float  # waits as a fixed share of the general lanes'
    proportional_mae: float
    flat_mae: float  # the lane's overall mean


def _least_squares_factor(basis: Sequence[float], observed: Sequence[float]) -> float:
    """The k minimising sum((k × basis − observed)²)."""
    denominator = sum(b * b for b in basis)
    return sum(b * o for b, o in zip(basis, observed, strict=True)) / denominator


def fit_dedicated(
    model: HourlyModel, general: Sequence[float | None], lane: str, observed: Sequence[float | None]
) -> DedicatedLaneFit:
    """Fit the lane-group form to ``observed`` hourly waits (the general lanes' model given)."""
    pairs = [
        (rho, g, o)
        for rho, g, o in zip(model.utilisation, general, observed, strict=True)
        if rho is not None and g is not None and o is not None
    ]
    if not pairs or max(o for _, _, o in pairs) <= 0:
        raise ValueError(NO_LANE_WAIT.said(lane=lane))
    rhos = [p[0] for p in pairs]
    waits = [p[2] for p in pairs]
    top = max(rhos)
    best: tuple[float, float, float] | None = None  # (squared error, u, κ)
    step = 0
    while (step + 1) / 100 * top < SATURATED:
        step += 1
        u = step / 100
        basis = [wait_minutes(u * rho, model.scale) for rho in rhos]
        if not any(basis):
            continue
        kappa = _least_squares_factor(basis, waits)
        error = sum((kappa * b - o) ** 2 for b, o in zip(basis, waits, strict=True))
        if best is None or error < best[0]:
            best = (error, u, kappa)
    if best is None:
        raise ValueError(NO_TRAFFIC.said())
    _, u, kappa = best
    fitted = [kappa * wait_minutes(u * rho, model.scale) for rho in rhos]
    ratio = _least_squares_factor([p[1] for p in pairs], waits)
    level = fmean(waits)
    return DedicatedLaneFit(
        lane=lane,
        utilisation_ratio=u,
        scale_ratio=kappa,
        model_mae=fmean(abs(f - o) for f, o in zip(fitted, waits, strict=True)),
        proportional_ratio=ratio,
        proportional_mae=fmean(abs(ratio * p[1] - p[2]) for p in pairs),
        flat_mae=fmean(abs(level - o) for o in waits),
    )
