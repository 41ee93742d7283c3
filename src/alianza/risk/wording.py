"""Model feature names as an officer reads them, in English and Spanish.

``feature_text("history_importer_fraud_rate", "es")`` gives "tasa de infracciones anteriores:
importador". Unknown names are returned as they are (a new feature is still shown). The words
are catalogue messages (keys ``risk.feature.…``; English here, Spanish in the catalogue).
"""

from __future__ import annotations

from alianza.catalogue import Text, declare


def _words(kind: str, english: dict[str, str]) -> dict[str, Text]:
    return {
        name: declare(f"risk.{kind}.{name.replace('_', '-')}", text)
        for name, text in english.items()
    }


COLUMNS: dict[str, Text] = _words(
    "feature",
    {
        "port": "port",
        "mode": "mode of transport",
        "process_type": "process type",
        "import_type": "import type",
        "import_use": "import use",
        "payment_type": "payment type",
        "tax_type": "tax type",
        "origin_indicator": "origin indicator",
        "departure": "country of departure",
        "origin": "country of origin",
        "hs2": "HS chapter",
        "hs4": "HS heading",
        "hs6": "HS code",
        "route": "route",
        "importer": "importer",
        "declarant": "declarant",
        "shipper": "shipper",
        "consignee": "consignee",
        "carrier": "carrier",
        "net_mass_key": "exact net mass",
        "net_mass_band": "net mass band",
        "near_mass_value": "near net mass and value",
        "tax_rate": "tax rate",
        "log_mass": "net mass (log)",
        "log_value": "declared value (log)",
        "log_unit_value": "value per kg (log)",
        "weekday": "weekday",
        "log_packages": "packages (log)",
        "log_mass_per_package": "mass per package (log)",
    },
)
# What an entity's history feature measures (history_<key>_<part>).
PARTS: dict[str, Text] = _words(
    "history",
    {
        "log_count": "earlier outcomes (count, log)",
        "fraud_rate": "earlier violation rate",
        "critical_rate": "earlier critical rate",
    },
)
# history_<key>_<column>_deviation: a value against the mean of the same key's history.
DEVIATION = declare("risk.history.deviation", "{column} against the mean of the same {key}")


def _column(name: str, language: str) -> str:
    shown = COLUMNS.get(name)
    return name if shown is None else shown(language)


def _key(key: str, language: str) -> str:
    """An entity key's columns, ``importer_x_hs6`` → "importer × HS code"."""
    return " × ".join(_column(k, language) for k in key.split("_x_"))


def feature_text(name: str, language: str = "en") -> str:
    """A readable name of model feature ``name`` in ``language`` ("en" or "es")."""
    if name in COLUMNS:
        return _column(name, language)
    if not name.startswith("history_"):
        return name
    rest = name.removeprefix("history_")
    for part, words in PARTS.items():
        if rest.endswith("_" + part):
            return f"{words(language)}: " + _key(rest.removesuffix("_" + part), language)
    if rest.endswith("_deviation"):
        body = rest.removesuffix("_deviation")
        for column in sorted(COLUMNS, key=len, reverse=True):
            if body.endswith("_" + column):
                key = _key(body.removesuffix("_" + column), language)
                return DEVIATION(language, column=_column(column, language), key=key)
    return name
