"""The model features' names as an officer reads them: catalogue messages (risk.feature.*,
risk.history.*), in English and Spanish, put together for the history features."""

from __future__ import annotations

import pytest

from alianza.risk.wording import feature_text


@pytest.mark.parametrize(
    ("name", "english", "spanish"),
    [
        ("hs6", "HS code", "subpartida SA"),
        ("log_unit_value", "value per kg (log)", "valor por kg (log)"),
        (
            "history_importer_fraud_rate",
            "earlier violation rate: importer",
            "tasa de infracciones anteriores: importador",
        ),
        (
            "history_hs6_x_origin_critical_rate",
            "earlier critical rate: HS code × country of origin",
            "tasa de casos críticos anteriores: subpartida SA × país de origen",
        ),
        (
            "history_shipper_log_count",
            "earlier outcomes (count, log): shipper",
            "resultados anteriores (número, log): remitente",
        ),
        (
            "history_hs6_log_unit_value_deviation",
            "value per kg (log) against the mean of the same HS code",
            "valor por kg (log) frente a la media del mismo subpartida SA",
        ),
        # names the wording does not know are shown as they are, in both languages
        ("brand_new_feature", "brand_new_feature", "brand_new_feature"),
        ("history_importer_something", "history_importer_something", "history_importer_something"),
    ],
)
def test_feature_names_in_english_and_spanish(name: str, english: str, spanish: str) -> None:
    assert feature_text(name) == english
    assert feature_text(name, "en") == english
    assert feature_text(name, "es") == spanish
