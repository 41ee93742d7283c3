"""Selection: precedence mandatory -> random slice -> scores, capacity, unbiased estimate."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alianza.catalogue import in_language, message_of
from alianza.risk.rules import Hit
from alianza.risk.selection import Lane, estimate_hit_rate, select

LANES = (Lane("physical", 2), Lane("non-intrusive", 3), Lane("documentary", 4))


def mandatory(row: int, lane: str = "physical") -> Hit:
    return Hit(row, f"m{row}", 1, "rule", 0.0, True, lane)


def test_select_without_random_slice_fills_lanes_by_score() -> None:
    p = [0.1, 0.9, 0.5, 0.8, 0.3, 0.7, 0.2, 0.6, 0.4, 0.05, 0.01]
    selection = select(p, LANES, random_share=0.0)
    by_lane = {lane.name: sorted(selection.rows_in(lane.name)) for lane in LANES}
    assert by_lane == {"physical": [1, 3], "non-intrusive": [2, 5, 7], "documentary": [0, 4, 6, 8]}
    assert selection.used("release") == 2


def test_select_mandatory_hits_come_first_even_over_capacity() -> None:
    p = [0.9, 0.8, 0.7, 0.0, 0.0, 0.0]
    hits = [mandatory(3), mandatory(4), mandatory(5)]
    selection = select(p, LANES, hits, random_share=0.0)
    assert sorted(selection.rows("mandatory")) == [3, 4, 5]
    assert selection.over_capacity("physical") == 1
    assert {a.lane for a in selection.assignments if a.row in (0, 1, 2)} == {"non-intrusive"}


def test_select_weighted_rule_raises_priority() -> None:
    p = [0.5, 0.4]
    hit = Hit(1, "watch", 1, "watchlist:x", 0.2, False, None)
    selection = select(p, (Lane("physical", 1),), [hit], random_share=0.0)
    assert selection.assignments[1].lane == "physical"
    assert selection.assignments[1].rules == ("watch",)


@given(
    st.lists(st.floats(0, 1), min_size=0, max_size=60),
    st.lists(st.integers(0, 5), min_size=1, max_size=4),
    st.floats(0, 1),
    st.integers(0, 10_000),
)
def test_select_never_exceeds_capacity_without_mandatory_hits(
    p: list[float], capacities: list[int], share: float, seed: int
) -> None:
    lanes = tuple(Lane(f"lane{i}", c) for i, c in enumerate(capacities))
    selection = select(p, lanes, random_share=share, seed=seed)
    assert len(selection.assignments) == len(p)
    inspected = 0
    for lane in lanes:
        assert selection.used(lane.name) <= lane.capacity
        inspected += selection.used(lane.name)
    assert inspected == min(len(p), sum(capacities))


def test_select_random_slice_size_and_reproducible() -> None:
    p = np.linspace(0, 1, 200)
    lanes = (Lane("physical", 20), Lane("documentary", 30))
    a = select(p, lanes, random_share=0.1, seed=5)
    b = select(p, lanes, random_share=0.1, seed=5)
    assert a.rows("random-control") == b.rows("random-control")
    assert len(a.rows("random-control")) == 2 + 3


def test_select_random_slice_estimate_is_unbiased() -> None:
    """Over many batches, the random slice's hit rate matches the true rate, while the
    targeted rows' hit rate does not (computed here from the labels, not by the module)."""
    rng = np.random.default_rng(11)
    slice_hits = slice_n = target_hits = target_n = 0
    truth = []
    for batch in range(300):
        labels = (rng.random(100) < 0.2).astype(int)
        p = np.clip(labels * 0.3 + rng.random(100) * 0.7, 0, 1)  # informative scores
        selection = select(p, (Lane("physical", 20),), random_share=0.25, seed=batch)
        control = selection.rows("random-control")
        targeted = selection.rows("score")
        slice_hits += int(labels[control].sum())
        slice_n += len(control)
        target_hits += int(labels[targeted].sum())
        target_n += len(targeted)
        truth.append(labels.mean())
    true_rate = float(np.mean(truth))
    estimate = estimate_hit_rate([1] * slice_hits + [0] * (slice_n - slice_hits))
    assert estimate.low <= true_rate <= estimate.high
    assert target_hits / target_n > estimate.high


def test_estimate_hit_rate_wilson_interval() -> None:
    estimate = estimate_hit_rate([1] * 8 + [0] * 32)
    n, p, z = 40, 0.2, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert (estimate.rate, estimate.low, estimate.high) == pytest.approx(
        (0.2, centre - half, centre + half)
    )
    assert math.isnan(estimate_hit_rate([]).rate)


def test_select_unknown_mandatory_lane_refused() -> None:
    with pytest.raises(ValueError, match="unknown lane"):
        select([0.5], LANES, [mandatory(0, "x-ray")])


def test_select_critical_budget_takes_top_critical_after_random_slice() -> None:
    general = [0.9, 0.8, 0.7, 0.1, 0.2, 0.3]
    critical = [0.0, 0.0, 0.0, 0.5, 0.01, 0.4]
    selection = select(
        general,
        (Lane("physical", 3),),
        critical=critical,
        critical_budget={"physical": 2},
        random_share=0.0,
    )
    assert sorted(selection.rows("critical-score")) == [3, 5]
    assert selection.rows("score") == [0]
    assert selection.summary()[0]["critical_score"] == 2


def test_select_critical_budget_needs_probabilities() -> None:
    with pytest.raises(ValueError, match="critical head"):
        select([0.5], LANES, critical_budget={"physical": 1})


REFUSED: list[tuple[Callable[[], object], str, str]] = [
    (
        lambda: Lane("physical", -1),
        "lane 'physical' has a negative capacity",
        "el carril 'physical' tiene una capacidad negativa",
    ),
    (
        lambda: Lane("release", 3),
        "'release' is implicit and unlimited; do not list it as a lane",
        "'release' es implícito e ilimitado; no lo incluya como carril",
    ),
    (
        lambda: select([0.5], LANES, random_share=1.5),
        "random_share must be between 0 and 1",
        "random_share debe estar entre 0 y 1",
    ),
    (
        lambda: select([0.5], (Lane("physical", 1), Lane("physical", 2))),
        "lane names must be unique",
        "los nombres de los carriles deben ser únicos",
    ),
    (
        lambda: select([0.5, 0.4], LANES, [mandatory(2)]),
        "rule hit for row 2 outside the batch of 2",
        "coincidencia de regla en la fila 2, fuera del lote de 2",
    ),
    (
        lambda: select([0.5], LANES, [mandatory(0, "x-ray")]),
        "rule 'm0' sends to unknown lane 'x-ray'",
        "la regla 'm0' envía a un carril desconocido 'x-ray'",
    ),
    (
        lambda: select([0.5], LANES, critical_budget={"physical": 1}),
        "a critical budget needs the critical head's probabilities",
        "un cupo crítico necesita las probabilidades de la cabeza crítica",
    ),
    (
        lambda: select([0.5], LANES, critical=[0.1, 0.2], critical_budget={"physical": 1}),
        "one critical probability per row is needed",
        "se necesita una probabilidad crítica por fila",
    ),
    (
        lambda: select([0.5], LANES, critical=[0.1], critical_budget={"x-ray": 1, "dogs": 1}),
        "critical budget for unknown lane(s): dogs, x-ray",
        "cupo crítico para carriles desconocidos: dogs, x-ray",
    ),
]


@pytest.mark.parametrize(("refused", "english", "spanish"), REFUSED)
def test_a_selection_refusal_is_said_in_spanish_through_the_catalogue(
    refused: Callable[[], object], english: str, spanish: str
) -> None:
    with pytest.raises((ValueError, IndexError)) as error:
        refused()
    assert str(error.value) == english
    assert in_language(message_of(error.value), "es") == spanish
