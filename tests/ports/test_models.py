"""The hourly crossing model against hand-solved cases, and its month-left-out validation on
small constructed data sets whose answers are known."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from statistics import fmean

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alianza.catalogue import in_language, message_of
from alianza.ports.analysis import wait_cells
from alianza.ports.dedicated import fit_dedicated
from alianza.ports.heavy_traffic import (
    DEFAULT_SCENARIOS,
    SATURATED,
    Scenario,
    calibrate,
    commuter_ratios,
    run_scenario,
    utilisation_for,
    wait_minutes,
)
from alianza.ports.holdout import choose_peak, leave_one_month_out
from alianza.ports.reference import UnknownPort, port, ports_serving

# A hand-sized week: 24 hours at 60 min, 72 at 20 min, 72 at 0 min.
WEEK = [60.0] * 24 + [20.0] * 72 + [0.0] * 72
# With the busiest hour at 50 %: A = 60 × 0.5 / 0.5 = 60 min; rho = W / (60 + W) = 0.5, 0.25, 0.
# Sum of rho = 24 × 0.5 + 72 × 0.25 = 30; lanes = weekly volume × 1 min / (60 × 30) = 5 when the
# weekly volume is 9,000.
DAILY = 9000 / 7


def test_single_lane_poisson_is_mm1() -> None:
    # M/M/1 (Kingman with V = 1, one lane): Wq = lambda / (mu (mu - lambda)).
    arrivals, service = 0.6, 1.0  # per minute, minutes
    mu = 1 / service
    assert wait_minutes(arrivals * service, service) == pytest.approx(
        arrivals / (mu * (mu - arrivals))
    )
    assert wait_minutes(0.8, 1.0) == pytest.approx(4.0)  # 0.8 / (1 − 0.8)
    with pytest.raises(ValueError, match="outside"):
        wait_minutes(1.0, 1.0)


@settings(deadline=None)
@given(st.floats(min_value=0, max_value=1000), st.floats(min_value=0.01, max_value=500))
def test_utilisation_inverts_the_wait(wait: float, scale: float) -> None:
    rho = utilisation_for(wait, scale)
    assert 0 <= rho < 1
    assert wait_minutes(rho, scale) == pytest.approx(wait, rel=1e-9, abs=1e-9)


def test_calibration_solved_by_hand() -> None:
    model = calibrate(WEEK, DAILY, service_minutes=1.0, peak=0.5)
    assert model.scale == pytest.approx(60.0)
    assert model.lanes == pytest.approx(5.0)
    assert model.utilisation[0] == pytest.approx(0.5)
    assert model.utilisation[30] == pytest.approx(0.25)
    assert model.utilisation[100] == 0.0
    assert model.predict() == pytest.approx(WEEK)
    # 20 % more volume: rho 0.6 -> 60 × 0.6 / 0.4 = 90; rho 0.3 -> 60 × 0.3 / 0.7.
    more = model.predict(1.2)
    assert more[0] == pytest.approx(90.0)
    assert more[30] == pytest.approx(18 / 0.7)
    # 2.5 times the volume: rho 1.25 is held at the saturation cap.
    assert model.predict(2.5)[0] == pytest.approx(60 * SATURATED / (1 - SATURATED))
    with pytest.raises(ValueError, match="peak"):
        calibrate(WEEK, DAILY, 1.0, peak=1.0)
    with pytest.raises(ValueError, match="no wait"):
        calibrate([0.0] * 168, DAILY, 1.0, peak=0.5)


def weighted_mean(waits_busy: float, waits_quiet: float) -> float:
    """Traffic-weighted mean over WEEK: traffic ∝ calibrated rho (24 × 0.5 and 72 × 0.25)."""
    return (24 * 0.5 * waits_busy + 72 * 0.25 * waits_quiet) / 30


def test_scenarios_solved_by_hand() -> None:
    model = calibrate(WEEK, DAILY, service_minutes=1.0, peak=0.5)
    base = run_scenario(model, Scenario("base"))
    assert base.mean_wait == pytest.approx(weighted_mean(60, 20))
    assert base.peak_wait == pytest.approx(60)
    # +1 lane: 6 lanes instead of 5, rho × 5/6, A unchanged.
    one = run_scenario(model, Scenario("+1", extra_lanes=1))
    busy, quiet = 0.5 * 5 / 6, 0.25 * 5 / 6
    assert one.mean_wait == pytest.approx(
        weighted_mean(60 * busy / (1 - busy), 60 * quiet / (1 - quiet))
    )
    # Inspection 20 % faster: rho × 0.8 and A × 0.8.
    fast = run_scenario(model, Scenario("fast", service_factor=0.8))
    assert fast.peak_wait == pytest.approx(48 * 0.4 / 0.6)
    # One extra lane given to commuters: 20 % of traffic at half the service time.
    # General: 5 lanes, rho × 0.8. Commuter: rho × 0.2 × 5 × 0.5 / 1, A × 0.5.
    commuter = Scenario("c", extra_lanes=1, commuter_lanes=1, commuter_share=0.2)
    result = run_scenario(model, commuter)
    assert commuter_ratios(model, commuter) == pytest.approx((0.5, 0.5))
    general_busy, commuter_busy = 60 * 0.4 / 0.6, 30 * 0.25 / 0.75
    assert result.hourly[0] == pytest.approx(0.8 * general_busy + 0.2 * commuter_busy)
    general_quiet, commuter_quiet = 60 * 0.2 / 0.8, 30 * 0.125 / 0.875
    assert result.general_wait == pytest.approx(weighted_mean(general_busy, general_quiet))
    assert result.commuter_wait == pytest.approx(weighted_mean(commuter_busy, commuter_quiet))
    assert result.saturated_hours == 0
    # Inspection 2.5 times slower: the 24 busy hours reach rho 1.25, over the cap.
    slow = run_scenario(model, Scenario("slow", service_factor=2.5))
    assert slow.saturated_hours == 24
    with pytest.raises(ValueError, match="commuter lanes"):
        run_scenario(model, Scenario("bad", commuter_share=0.2))
    with pytest.raises(ValueError, match="no general lane"):
        run_scenario(model, Scenario("bad", commuter_lanes=5, commuter_share=0.2))


def test_the_default_scenarios_are_named_in_both_languages_a_new_one_as_given() -> None:
    assert [(s.name, s.named("en"), s.named("es")) for s in DEFAULT_SCENARIOS] == [
        ("as observed", "as observed", "como se observó"),
        ("+1 lane", "+1 lane", "+1 carril"),
        ("+2 lanes", "+2 lanes", "+2 carriles"),
        ("inspection 10% faster", "inspection 10% faster", "inspección 10% más rápida"),
        ("inspection 20% faster", "inspection 20% faster", "inspección 20% más rápida"),
        (
            "+3 dedicated commuter lanes, 15% of traffic",
            "+3 dedicated commuter lanes, 15% of traffic",
            "+3 carriles exclusivos para viajeros frecuentes, 15% del tránsito",
        ),
    ]
    assert Scenario("+4 lanes", extra_lanes=4).named("es") == "+4 lanes"  # no catalogue name


def generated_weeks(factors: dict[int, float], peak: float) -> dict[int, list[float | None]]:
    """Months whose waits follow the model exactly: rho(t) × the month's factor, A = 30 min,
    the busiest hour at ``peak`` utilisation when the factor is 1."""
    base = [peak * (0.4 + 0.6 * math.sin(math.pi * (t % 24) / 24) ** 2) for t in range(168)]
    return {m: [30.0 * r * f / (1 - r * f) for r in base] for m, f in factors.items()}


FACTORS = {1: 0.85, 2: 0.9, 3: 0.95, 4: 1.0, 5: 1.05, 6: 1.1, 7: 1.15}


def test_validation_naive_forecasts_computed_by_loops() -> None:
    weeks = generated_weeks(FACTORS, 0.5)
    validation = leave_one_month_out("passenger", weeks, FACTORS)
    naive, flat = [], []
    for month, observed in weeks.items():
        others = [weeks[m] for m in weeks if m != month]
        profile = [sum(w[t] or 0.0 for w in others) / len(others) for t in range(168)]
        level = sum(profile) / 168
        for t in range(168):
            naive.append(abs(profile[t] - (observed[t] or 0.0)))
            flat.append(abs(level - (observed[t] or 0.0)))
    assert validation.naive_mae == pytest.approx(sum(naive) / len(naive))
    assert validation.flat_mae == pytest.approx(sum(flat) / len(flat))
    assert [len(m.model_errors) for m in validation.months] == [168] * 7


def test_model_beats_naive_only_when_volume_drives_the_waits() -> None:
    weeks = generated_weeks(FACTORS, 0.5)
    driven = leave_one_month_out("passenger", weeks, FACTORS)
    assert driven.volume_wait_correlation > 0.99
    assert driven.model_mae < 0.5 * driven.naive_mae
    # The same waits with the volumes reversed: more traffic, shorter waits.
    reversed_volumes = {m: FACTORS[8 - m] for m in FACTORS}
    against = leave_one_month_out("passenger", weeks, reversed_volumes)
    assert against.volume_wait_correlation < -0.99
    assert against.model_mae > against.naive_mae
    # Identical months and volumes: the model is the naive forecast, and both are exact.
    flat = dict.fromkeys(FACTORS, 1.0)
    same = leave_one_month_out("passenger", dict.fromkeys(FACTORS, weeks[4]), flat)
    assert same.model_mae == pytest.approx(0.0, abs=1e-9)
    assert same.naive_mae == pytest.approx(0.0, abs=1e-9)


def test_peak_chosen_by_cross_validation_is_near_the_generating_one() -> None:
    for truth in (0.3, 0.6):
        # Within a grid step or two: the other months' mean is not exactly a model week.
        assert abs(choose_peak(generated_weeks(FACTORS, truth), FACTORS) - truth) <= 0.1
    with pytest.raises(ValueError, match="three months"):
        leave_one_month_out("passenger", {1: WEEK, 2: WEEK}, {1: 1.0, 2: 1.0})
    with pytest.raises(ValueError, match="no volume for month"):
        leave_one_month_out("passenger", {1: WEEK, 2: WEEK, 3: WEEK}, {1: 1.0, 2: 1.0})


def test_dedicated_lane_fit_recovers_a_generated_lane_group() -> None:
    model = calibrate(WEEK[:96] + [10.0] * 72, DAILY, 1.0, peak=0.5)
    general = model.predict()
    lane = [
        None if r is None else 0.5 * wait_minutes(0.6 * r, model.scale) for r in model.utilisation
    ]
    fit = fit_dedicated(model, general, "passenger_ready", lane)
    assert fit.utilisation_ratio == pytest.approx(0.6)
    assert fit.scale_ratio == pytest.approx(0.5)
    assert fit.model_mae == pytest.approx(0.0, abs=1e-9)
    assert fit.proportional_mae > 0.5
    known = [w for w in lane if w is not None]
    assert fit.flat_mae == pytest.approx(fmean(abs(w - fmean(known)) for w in known))


def _said(error: pytest.ExceptionInfo[BaseException]) -> tuple[str, str]:
    """The refusal's English (``str``) and its Spanish."""
    return str(error.value), in_language(message_of(error.value), "es")


def test_the_models_refusals_are_said_in_spanish() -> None:
    model = calibrate(WEEK, DAILY, 1.0, peak=0.5)
    cases: list[tuple[Callable[[], object], str, str]] = [
        (
            lambda: wait_minutes(1.0, 1.0),
            "utilisation 1.0 is outside [0, 1)",
            "la utilización 1.0 está fuera de [0, 1)",
        ),
        (
            lambda: calibrate(WEEK, DAILY, 1.0, peak=1.0),
            "the peak utilisation must be between 0 and 1",
            "la utilización de la hora pico debe estar entre 0 y 1",
        ),
        (
            lambda: calibrate(WEEK[:24], DAILY, 1.0, peak=0.5),
            "a week has 168 hours, not 24",
            "una semana tiene 168 horas, no 24",
        ),
        (
            lambda: run_scenario(model, Scenario("bad", commuter_lanes=5, commuter_share=0.2)),
            "scenario 'bad' leaves no general lane",
            "el escenario 'bad' no deja ningún carril general",
        ),
        (
            lambda: choose_peak({1: WEEK}, {1: 1.0}),
            "choosing the peak utilisation needs at least two months",
            "elegir la utilización de la hora pico requiere al menos dos meses",
        ),
        (
            lambda: leave_one_month_out("passenger", {1: WEEK, 2: WEEK, 3: WEEK}, {1: 1.0}),
            "no volume for month(s) 2, 3",
            "no hay volumen para el o los meses 2, 3",
        ),
        (
            lambda: fit_dedicated(model, WEEK, "passenger_ready", [0.0] * 168),
            "no wait measured in the passenger_ready lanes: nothing to fit",
            "no se midió ninguna espera en los carriles passenger_ready: no hay nada que ajustar",
        ),
    ]
    for refused, english, spanish in cases:
        with pytest.raises(ValueError, match=re.escape(english)) as error:
            refused()
        assert _said(error) == (english, spanish)


def test_an_unknown_port_city_or_lane_is_refused_in_spanish() -> None:
    with pytest.raises(UnknownPort) as error:
        port("9999")
    assert str(error.value).startswith(
        "no US–Mexico port with code '9999' (known: 2504 San Ysidro, "
    )
    assert in_language(message_of(error.value), "es").startswith(
        "no hay ningún puerto México–Estados Unidos con la clave '9999' "
        "(conocidos: 2504 San Ysidro, "
    )
    with pytest.raises(UnknownPort) as error:
        ports_serving("Atlantis")
    english, spanish = _said(error)
    assert english.startswith("no port serves 'Atlantis' (cities: ")
    assert spanish.startswith("ningún puerto atiende a 'Atlantis' (ciudades: ")
    with pytest.raises(ValueError, match="lane must be one of") as lane_error:
        wait_cells(None, "x", "bicycle")  # type: ignore[arg-type]  # refused before any query
    english, spanish = _said(lane_error)
    assert english.startswith("lane must be one of passenger, passenger_x, ")
    assert spanish.startswith("el carril debe ser uno de passenger, passenger_x, ")


waits = st.one_of(st.none(), st.floats(0, 240, allow_nan=False), st.just(0.0))
weeks_of = st.lists(waits, min_size=168, max_size=168)


@st.composite
def odd_weeks(draw: st.DrawFn) -> list[float | None]:
    """A week of waits with a few values a file should never give (negative, infinite, NaN,
    tiny, or the negative of the busiest wait: a division by zero at peak 0.5), which a loop
    over the forecasts would still answer or refuse."""
    week = draw(weeks_of)
    odd = st.one_of(
        st.floats(-20, 0), st.sampled_from([math.nan, math.inf, -0.0, 1e-300, -1e-300, "-top"])
    )
    for at, value in draw(st.lists(st.tuples(st.integers(0, 167), odd), max_size=2)):
        if value == "-top":
            value = -max((w for w in week if w is not None), default=1.0)
        week[at] = value
    return week


def loop_over_forecasts(
    cases: list[tuple[list[float | None], float, list[float | None]]], grid: list[float]
) -> list[float]:
    """The losses as choose_peak computed them before peak_losses: a forecast per case and
    peak, errors summed with Python's sum."""
    from alianza.ports.holdout import forecast

    return [
        sum(
            sum(
                abs(p - o)
                for p, o in zip(forecast(profile, factor, peak), observed, strict=True)
                if p is not None and o is not None
            )
            for profile, factor, observed in cases
        )
        for peak in grid
    ]


def outcome(compute: Callable[[], list[float]]) -> tuple[str, ...]:
    """The losses, exactly (repr: NaN equals NaN), or the refusal's type and words."""
    try:
        return tuple(repr(loss) for loss in compute())
    except (ValueError, ZeroDivisionError) as refused:
        return (type(refused).__name__, str(refused))


@settings(deadline=None)
@given(
    cases=st.lists(
        st.tuples(weeks_of, st.floats(0.05, 4, allow_nan=False), weeks_of), min_size=1, max_size=4
    ),
    grid=st.lists(st.floats(0.01, 0.99, allow_nan=False), min_size=1, max_size=6),
)
def test_peak_losses_equal_a_loop_over_forecasts_bit_for_bit(
    cases: list[tuple[list[float | None], float, list[float | None]]], grid: list[float]
) -> None:
    """The losses that choose the peak are exactly what forecasting each case at each peak
    and summing the errors in order gives (so the chosen peak, and every study, are
    unchanged), on any Python: both add with Python's own sum."""
    from alianza.ports.holdout import peak_losses

    assert outcome(lambda: peak_losses(cases, grid)) == outcome(
        lambda: loop_over_forecasts(cases, grid)
    )


@settings(deadline=None)
@given(
    cases=st.lists(
        st.tuples(odd_weeks(), st.floats(-0.2, 4, allow_nan=False), odd_weeks()),
        min_size=1,
        max_size=3,
    ),
    grid=st.lists(st.floats(0.01, 0.99), min_size=1, max_size=4).flatmap(
        lambda peaks: st.sampled_from(
            [peaks, [0.5, *peaks], [*peaks, 0.0], [*peaks, 1.0], [*peaks, 1 - 1e-16]]
        )
    ),
)
def test_peak_losses_answer_or_refuse_odd_weeks_as_the_loop_did(
    cases: list[tuple[list[float | None], float, list[float | None]]], grid: list[float]
) -> None:
    """Negative, infinite and NaN waits, negative volume factors, peaks at the edges: the same
    losses (NaN included) or the same refusal, with the same words, as the loop."""
    from alianza.ports.holdout import peak_losses

    assert outcome(lambda: peak_losses(cases, grid)) == outcome(
        lambda: loop_over_forecasts(cases, grid)
    )


def test_peak_losses_refuse_what_the_calibration_refuses() -> None:
    from alianza.ports.holdout import peak_losses

    with pytest.raises(ValueError, match="between 0 and 1"):
        peak_losses([(WEEK, 1.0, WEEK)], [0.5, 1.0])
    with pytest.raises(ValueError, match="a week has 168 hours, not 3"):
        peak_losses([(WEEK, 1.0, [1.0, 2.0, 3.0])], [0.5])
    with pytest.raises(ValueError, match="outside"):
        peak_losses([(WEEK, -1.0, WEEK)], [0.5])
    # the same answer or refusal as the loop, where hypothesis rarely goes
    negative = [-60.0, *WEEK[1:]]  # at peak 0.5 the scale is 60 minutes: 60 + (-60) = 0
    with_nan = [math.nan, *WEEK[1:]]
    for cases, grid, expected in (
        ([(negative, 1.0, WEEK)], [0.5, 0.3], "ZeroDivisionError"),
        ([(negative, 1.0, WEEK)], [0.3, 0.5], "ValueError"),  # utilisation < 0 at 0.3 first
        ([(WEEK, 1.0, with_nan)], [0.5, 0.3], "nan"),  # a NaN observed: a NaN loss
        ([(WEEK, 1.0, WEEK), (with_nan, 1.0, WEEK)], [0.5], "ValueError"),  # rho NaN
        ([(WEEK, 1.0, WEEK)], [], None),
    ):
        got = outcome(lambda: peak_losses(cases, grid))  # noqa: B023
        assert got == outcome(lambda: loop_over_forecasts(cases, grid))  # noqa: B023
        assert (expected is None and got == ()) or got[0] == expected


@settings(deadline=None)
@given(st.lists(st.lists(waits, min_size=168, max_size=168), min_size=1, max_size=5))
def test_mean_week_is_fmean_hour_by_hour(weeks: list[list[float | None]]) -> None:
    from alianza.ports.holdout import mean_week

    expected = []
    for t in range(168):
        values = [w[t] for w in weeks if w[t] is not None]
        expected.append(fmean(values) if values else None)
    assert mean_week(weeks) == expected
