"""Queue models: Erlang C against textbook formulas, the fluid queue against hand sums."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alianza.ports.fluid import (
    FluidScenario,
    calibrate_fluid,
    flatten,
    run_scenario,
    simulate,
)
from alianza.ports.queueing import arrivals_for_wait, erlang_c, mean_wait


def erlang_c_by_sum(c: int, a: float) -> float:
    """The textbook closed form with factorials (independent of the recursion under test)."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


@pytest.mark.parametrize(("servers", "load"), [(1, 0.5), (2, 1.5), (5, 4.2), (12, 10.0)])
def test_erlang_c_matches_textbook_formula(servers: int, load: float) -> None:
    assert erlang_c(servers, load) == pytest.approx(erlang_c_by_sum(servers, load), rel=1e-9)


def test_mean_wait_single_lane_is_mm1() -> None:
    arrivals, service = 0.8, 1.0  # per minute, minutes
    rho = arrivals * service
    assert mean_wait(arrivals, service, 1) == pytest.approx(rho / (1 / service - arrivals))
    assert math.isinf(mean_wait(1.0, 1.0, 1))


@given(st.integers(min_value=1, max_value=40), st.floats(min_value=0.1, max_value=300))
def test_arrivals_for_wait_inverts_mean_wait(lanes: int, wait: float) -> None:
    rate = arrivals_for_wait(wait, 1.0, lanes)
    assert mean_wait(rate, 1.0, lanes) == pytest.approx(wait, rel=1e-6)


def test_simulate_fluid_queue_by_hand() -> None:
    demand = [3.0, 1.0, 0.0] + [0.0] * 165
    # capacity 2/h: queue 1 after hour 0, 0 after hour 1; waits 60*Q/2 minutes.
    waits = simulate(demand, 2.0, weeks=1)
    assert waits[:3] == [30.0, 0.0, 0.0]


@given(
    st.lists(st.integers(min_value=5, max_value=120), min_size=24, max_size=24),
    st.floats(min_value=1000, max_value=100000),
)
def test_fluid_calibration_reproduces_observed_waits(day: list[int], volume: float) -> None:
    # A gently varying week (steps under 60 min/h, so no demand is clipped at 0).
    grid = [[float(day[h]) / 2 + d for h in range(24)] for d in range(7)]
    calibration = calibrate_fluid(grid, volume, service_minutes=1.0)
    assert calibration.daily_volume == pytest.approx(volume)
    result = run_scenario(calibration, FluidScenario("as observed"))
    assert result.hourly == pytest.approx(flatten(grid), abs=1e-6)


def test_fluid_scenarios_more_capacity_never_waits_longer() -> None:
    grid = [[20.0 + 30 * math.sin(h / 24 * math.pi) for h in range(24)] for _ in range(7)]
    calibration = calibrate_fluid(grid, 40000, service_minutes=1.0)
    base = run_scenario(calibration, FluidScenario("base")).mean_wait
    one = run_scenario(calibration, FluidScenario("+1", extra_lanes=1)).mean_wait
    two = run_scenario(calibration, FluidScenario("+2", extra_lanes=2)).mean_wait
    faster = run_scenario(calibration, FluidScenario("fast", service_factor=0.9)).mean_wait
    assert base > one > two >= 0
    assert faster < base
    with pytest.raises(ValueError, match="commuter lanes"):
        run_scenario(calibration, FluidScenario("bad", commuter_share=0.2))
