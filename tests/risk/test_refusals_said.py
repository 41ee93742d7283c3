"""The targeting's refusals that have no test module of their own to sit in (the rule book's
condition columns, the hit-rate periods, an unknown import profile, calibration, drift and
explanations), in English and in Spanish through the message catalogue (issue 18)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.risk.book import RuleRefused, parse_condition
from alianza.risk.browse import hit_rates
from alianza.risk.calibration import IsotonicCalibrator
from alianza.risk.drift import feature_drift
from alianza.risk.explain import explain
from alianza.risk.features import Matrix
from alianza.risk.model import RiskModel
from alianza.risk.store import import_shipments
from alianza.risk.table import Declarations
from tests.risk.conftest import RISK_DATA


def said(error: pytest.ExceptionInfo[BaseException]) -> tuple[str, str]:
    return str(error.value), in_language(message_of(error.value), "es")


def test_a_condition_on_the_wrong_kind_of_column_is_said_in_spanish() -> None:
    with pytest.raises(RuleRefused, match="cannot be tested") as refused:
        parse_condition("origin above 3")
    assert said(refused) == (
        "column 'origin' cannot be tested by 'above' (one of: net_mass_kg, value, tax_rate,"
        " packages)",
        "la columna 'origin' no puede evaluarse con 'above' (una de: net_mass_kg, value,"
        " tax_rate, packages)",
    )


def test_an_unknown_period_or_profile_is_said_in_spanish(
    fresh_db: Database, tmp_path: Path
) -> None:
    with fresh_db.reader() as session, pytest.raises(ValueError, match="period") as refused:
        hit_rates(session, period="fortnight")
    assert said(refused) == (
        "period 'fortnight': one of week, month, quarter",
        "periodo 'fortnight': uno de week, month, quarter",
    )
    with pytest.raises(ValueError, match="unknown profile") as refused:
        import_shipments(
            fresh_db, RISK_DATA / "kcs-test-sample.csv", profile="sat", actor=NodeSelf("ana")
        )
    assert said(refused) == (
        "unknown profile 'sat' (known: kcs, alianza)",
        "perfil desconocido 'sat' (conocidos: kcs, alianza)",
    )


def test_calibration_and_drift_refusals_are_said_in_spanish() -> None:
    with pytest.raises(ValueError, match="calibrate") as refused:
        IsotonicCalibrator.fit([], [])
    assert said(refused) == ("cannot calibrate on no rows", "no se puede calibrar sin filas")
    one = Matrix(np.zeros((2, 1)), ["value"], [])
    other = Matrix(np.zeros((2, 1)), ["tax_rate"], [])
    with pytest.raises(ValueError, match="featurised") as refused:
        feature_drift(one, other)
    assert said(refused) == (
        "the two periods were featurised differently",
        "las características de los dos periodos se calcularon de forma distinta",
    )


def test_an_explanation_of_an_unknown_head_is_said_in_spanish(
    small_model: RiskModel, kcs_test: Declarations, kcs_train: Declarations
) -> None:
    with pytest.raises(KeyError) as refused:
        explain(small_model, kcs_test, kcs_train, [0], head="seizure")
    assert refused.value.args == ("model has no head 'seizure' (heads: general, critical)",)
    assert in_language(message_of(refused.value), "es") == (
        "el modelo no tiene la cabeza 'seizure' (cabezas: general, critical)"
    )
