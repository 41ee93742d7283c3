"""The near feature set (issue 21, Track R): what a declarant controls (the declared mass and
value within a few per cent, the HS code within its heading, one shipment split in two lines)
moves no identity the model reads, where the shipped exact (HS6, net mass) key is lost."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from alianza.risk.features import (
    MASS_CELLS,
    NEAR,
    NEAR_SPEC,
    NEAR_WIDTH,
    SHIPMENT_SPEC,
    VALUE_CELLS,
    FeatureSpec,
    consolidate,
    near_name,
    prepare,
)
from alianza.risk.live import LiveScorer
from alianza.risk.model import (
    DEFAULT_FEATURES,
    FEATURE_SETS,
    NEAR_HEADS,
    RiskModel,
    history_of,
    train_model,
)
from alianza.risk.rules import RuleBook
from alianza.risk.table import Declarations, concat
from tests.risk.conftest import SMALL_HEADS

SMALL_NEAR_HEADS = (replace(SMALL_HEADS[0], cold_key=("hs4", "origin", NEAR)), SMALL_HEADS[1])


@pytest.fixture(scope="module")
def near_model(kcs_train: Declarations, kcs_valid: Declarations) -> RiskModel:
    return train_model(kcs_train, kcs_valid, spec=NEAR_SPEC, heads=SMALL_NEAR_HEADS, seed=7)


def with_numbers(rows: Declarations, **number: np.ndarray) -> Declarations:
    return Declarations(
        rows.ids, rows.day, dict(rows.text), {**rows.number, **number}, rows.fraud, rows.critical
    )


def with_text(rows: Declarations, **text: np.ndarray) -> Declarations:
    return Declarations(
        rows.ids, rows.day, {**rows.text, **text}, dict(rows.number), rows.fraud, rows.critical
    )


def test_the_near_set_is_the_default_and_the_exact_set_is_selectable() -> None:
    assert DEFAULT_FEATURES == "near"
    assert FEATURE_SETS["exact"][0] is SHIPMENT_SPEC
    assert FEATURE_SETS["near"] == (NEAR_SPEC, NEAR_HEADS)
    assert ("hs6", "net_mass_key") not in NEAR_SPEC.history_keys
    assert not any("hs6" in key for key in NEAR_SPEC.history_keys + NEAR_SPEC.value_keys)
    assert "hs6" not in NEAR_SPEC.categorical
    # a model without near keys saves its spec exactly as before
    assert set(SHIPMENT_SPEC.as_dict()) == {
        "categorical",
        "numeric",
        "history_keys",
        "history_lag_days",
        "value_keys",
        "value_columns",
    }
    assert FeatureSpec.from_dict(NEAR_SPEC.as_dict()) == NEAR_SPEC


def test_five_per_cent_keeps_a_shared_cell_on_one_grid(kcs_test: Declarations) -> None:
    rng = np.random.default_rng(3)
    amounts = np.exp(rng.uniform(-3, 15, 2000))
    factors = rng.uniform(0.95, 1.05, 2000)
    spec = replace(SHIPMENT_SPEC, near_keys=(("hs4",),))
    n = len(amounts)
    rows = kcs_test.take(np.zeros(n, dtype=np.int64))
    before = prepare(with_numbers(rows, net_mass_kg=amounts, value=amounts), spec)
    after = prepare(with_numbers(rows, net_mass_kg=amounts * factors, value=amounts), spec)
    for cells in (MASS_CELLS, VALUE_CELLS):
        for i in range(2):
            expected = [
                str(math.floor(math.log(a) / NEAR_WIDTH + i / 2)) for a in before.number["value"]
            ]
            assert before.text[cells[i]].tolist() == expected
    shared = (before.text[MASS_CELLS[0]] == after.text[MASS_CELLS[0]]) | (
        before.text[MASS_CELLS[1]] == after.text[MASS_CELLS[1]]
    )
    assert shared.all()
    # the exact mass key is lost by nearly every one of them
    assert np.mean(before.text["net_mass_key"] != after.text["net_mass_key"]) > 0.99


def test_consolidate_sums_the_lines_of_one_importer_code_and_day(kcs_test: Declarations) -> None:
    rows = kcs_test.take(np.array([0, 0, 0, 1]))
    importer = np.array(["I1", "I1", "I1", "I1"], dtype=object)
    hs6 = np.array(["010101", "010101", "010101", "010101"], dtype=object)
    rows = with_text(rows, importer=importer, hs6=hs6)
    day = np.array([100, 100, 101, 100], dtype=np.int64)
    rows = Declarations(rows.ids, day, rows.text, rows.number, rows.fraud, rows.critical)
    mass = np.array([1.0, 2.0, 4.0, 8.0])
    value = np.array([10.0, 20.0, 40.0, np.nan])
    got = consolidate(with_numbers(rows, net_mass_kg=mass, value=value), ("importer", "hs6"))
    # lines 0, 1 and 3 share importer, code and day; line 2 is a day later
    assert got.number["net_mass_kg"].tolist() == [11.0, 11.0, 4.0, 11.0]
    # a group with a missing value keeps each line's own value
    assert got.number["value"][:3].tolist() == [10.0, 20.0, 40.0]
    assert np.isnan(got.number["value"][3])
    assert consolidate(rows, ()) is rows


def test_a_near_mass_and_value_keeps_the_history_the_exact_key_loses(
    kcs_train: Declarations, kcs_valid: Declarations, near_model: RiskModel
) -> None:
    known = history_of(kcs_train, kcs_valid)
    rows = kcs_valid.take(np.arange(200))
    rng = np.random.default_rng(5)
    moved = with_numbers(
        rows,
        net_mass_kg=rows.number["net_mass_kg"] * rng.uniform(0.95, 1.05, len(rows)),
        value=rows.number["value"] * rng.uniform(0.95, 1.05, len(rows)),
    )
    near = near_model.matrix(rows, known)
    near_moved = near_model.matrix(moved, known)
    count = near.names.index(f"history_{near_name(('hs4', 'origin'))}_log_count")
    # expected independently: labeled rows dated before with the same heading, origin, mass
    # and value (an exact duplicate lies in the cell the moved row shares)
    hs4 = np.array([h[:4] for h in known.text["hs6"]])
    for r in range(len(rows)):
        if np.isnan(near.values[r, count]):  # a key part missing: no history either way
            mass, value = rows.number["net_mass_kg"][r], rows.number["value"][r]
            assert rows.text["origin"][r] == "" or not (mass > 0 and value > 0)
            assert np.isnan(near_moved.values[r, count])
            continue
        same = (
            (hs4 == rows.text["hs6"][r][:4])
            & (known.text["origin"] == rows.text["origin"][r])
            & (known.number["net_mass_kg"] == rows.number["net_mass_kg"][r])
            & (known.number["value"] == rows.number["value"][r])
            & (known.day < rows.day[r])
        ).sum()
        assert near.values[r, count] >= math.log1p(same)
        assert near_moved.values[r, count] >= math.log1p(same)
    duplicated = near.values[:, count] > 0
    assert duplicated.sum() > 20
    # the shipped exact key: the moved rows lose their pair's history
    shipped = train_model(kcs_train, kcs_valid, heads=SMALL_HEADS, seed=7)
    pair = shipped.matrix(rows, known).names.index("history_hs6_x_net_mass_key_log_count")
    before = shipped.matrix(rows, known).values[:, pair]
    after = shipped.matrix(moved, known).values[:, pair]
    assert (before > 0).sum() > 20
    assert np.all(after[before > 0] == 0)


def test_a_sibling_code_or_a_split_leaves_the_near_score_as_it_was(
    kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations, near_model: RiskModel
) -> None:
    known = history_of(kcs_train, kcs_valid)
    rows = kcs_test.take(np.arange(60))
    base = near_model.score(rows, known).probability["general"]
    sibling = np.array([h[:4] + "99" for h in rows.text["hs6"]], dtype=object)
    moved = near_model.score(with_text(rows, hs6=sibling), known).probability["general"]
    assert np.array_equal(moved, base)
    half = with_numbers(
        rows, net_mass_kg=rows.number["net_mass_kg"] / 2, value=rows.number["value"] / 2
    )
    split = near_model.score(concat([half, half]), known).probability["general"]
    assert np.allclose(split[: len(rows)], base, rtol=0, atol=1e-12)
    assert np.allclose(split[len(rows) :], base, rtol=0, atol=1e-12)
    # scored apart, the halves are another shipment: consolidation is what keeps the score
    alone = near_model.score(half, known).probability["general"]
    assert not np.allclose(alone, base)


def test_the_live_path_computes_the_near_features_as_the_batch_path(
    kcs_train: Declarations, kcs_valid: Declarations, kcs_test: Declarations, near_model: RiskModel
) -> None:
    held = prepare(concat([kcs_train, kcs_valid]), near_model.spec)
    labeled = held.take(held.labeled)
    scorer = LiveScorer(0, near_model, held, labeled, RuleBook(), (0,))
    rows = kcs_test.take(np.arange(120))
    live = scorer.matrix(rows)
    expected = near_model.matrix(rows, held)
    assert live.names == expected.names
    assert any(NEAR in name for name in live.names)
    assert np.array_equal(np.isnan(live.values), np.isnan(expected.values))
    assert np.allclose(
        np.nan_to_num(live.values), np.nan_to_num(expected.values), rtol=0, atol=1e-9
    )


def test_the_near_features_read_as_words_in_both_languages() -> None:
    from alianza.risk.wording import feature_text

    name = f"history_{near_name(('hs4', 'origin'))}_fraud_rate"
    assert feature_text(name, "en") == (
        "earlier violation rate: HS heading × country of origin × near net mass and value"
    )
    assert feature_text(name, "es") == (
        "tasa de infracciones anteriores: partida SA × país de origen × masa neta y valor cercanos"
    )
