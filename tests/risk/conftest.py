"""Fixtures for the risk tests: small samples of the KCS declarations (see PROVENANCE.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alianza.risk.model import HeadConfig, RiskModel, train_model
from alianza.risk.read import read_declarations
from alianza.risk.table import Declarations
from tests.conftest import DATA

RISK_DATA: Path = DATA / "risk"
SMALL_HEADS = (
    HeadConfig(
        "general",
        "fraud",
        {"num_leaves": 7},
        max_rounds=60,
        patience=20,
        cold_key=("hs6", "net_mass_key"),
        cold_params={"num_leaves": 3},
        cold_min_rows=20,
    ),
    HeadConfig("critical", "critical", {"num_leaves": 3}, max_rounds=30, patience=10),
)


def sample(name: str) -> Declarations:
    table, report = read_declarations(RISK_DATA / f"kcs-{name}-sample.csv")
    assert report.quarantined == 0
    return table


@pytest.fixture(scope="session")
def kcs_train() -> Declarations:
    return sample("train")


@pytest.fixture(scope="session")
def kcs_valid() -> Declarations:
    return sample("valid")


@pytest.fixture(scope="session")
def kcs_test() -> Declarations:
    return sample("test")


@pytest.fixture(scope="session")
def small_model(kcs_train: Declarations, kcs_valid: Declarations) -> RiskModel:
    """A small two-head model trained on the 2020 sample, calibrated on the 2021-Q1 sample."""
    return train_model(kcs_train, kcs_valid, heads=SMALL_HEADS, seed=7)
