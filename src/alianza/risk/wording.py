"""Model feature names as an officer reads them, in English and Spanish.

``feature_text("history_importer_fraud_rate", "es")`` gives "tasa de infracciones anteriores:
importador". Unknown names are returned as they are (a new feature is still shown).
"""

from __future__ import annotations

COLUMNS: dict[str, tuple[str, str]] = {
    "port": ("port", "puerto"),
    "mode": ("mode of transport", "medio de transporte"),
    "process_type": ("process type", "tipo de trámite"),
    "import_type": ("import type", "tipo de importación"),
    "import_use": ("import use", "uso de la importación"),
    "payment_type": ("payment type", "forma de pago"),
    "tax_type": ("tax type", "tipo de impuesto"),
    "origin_indicator": ("origin indicator", "indicador de origen"),
    "departure": ("country of departure", "país de salida"),
    "origin": ("country of origin", "país de origen"),
    "hs2": ("HS chapter", "capítulo SA"),
    "hs4": ("HS heading", "partida SA"),
    "hs6": ("HS code", "subpartida SA"),
    "route": ("route", "ruta"),
    "importer": ("importer", "importador"),
    "declarant": ("declarant", "declarante"),
    "shipper": ("shipper", "remitente"),
    "consignee": ("consignee", "consignatario"),
    "carrier": ("carrier", "transportista"),
    "net_mass_key": ("exact net mass", "masa neta exacta"),
    "net_mass_band": ("net mass band", "rango de masa neta"),
    "tax_rate": ("tax rate", "tasa de impuesto"),
    "log_mass": ("net mass (log)", "masa neta (log)"),
    "log_value": ("declared value (log)", "valor declarado (log)"),
    "log_unit_value": ("value per kg (log)", "valor por kg (log)"),
    "weekday": ("weekday", "día de la semana"),
    "log_packages": ("packages (log)", "bultos (log)"),
    "log_mass_per_package": ("mass per package (log)", "masa por bulto (log)"),
}
PARTS: dict[str, tuple[str, str]] = {
    "log_count": ("earlier outcomes (count, log)", "resultados anteriores (número, log)"),
    "fraud_rate": ("earlier violation rate", "tasa de infracciones anteriores"),
    "critical_rate": ("earlier critical rate", "tasa de casos críticos anteriores"),
}


def _column(name: str, language: str) -> str:
    shown = COLUMNS.get(name)
    return name if shown is None else shown[language == "es"]


def feature_text(name: str, language: str = "en") -> str:
    """A readable name of model feature ``name`` in ``language`` ("en" or "es")."""
    if name in COLUMNS:
        return _column(name, language)
    if not name.startswith("history_"):
        return name
    rest = name.removeprefix("history_")
    for part, (en, es) in PARTS.items():
        if rest.endswith("_" + part):
            key = rest.removesuffix("_" + part).split("_x_")
            return f"{es if language == 'es' else en}: " + " × ".join(
                _column(k, language) for k in key
            )
    if rest.endswith("_deviation"):
        body = rest.removesuffix("_deviation")
        for column in sorted(COLUMNS, key=len, reverse=True):
            if body.endswith("_" + column):
                key = body.removesuffix("_" + column).split("_x_")
                joined = " × ".join(_column(k, language) for k in key)
                if language == "es":
                    return f"{_column(column, language)} frente a la media del mismo {joined}"
                return f"{_column(column, language)} against the mean of the same {joined}"
    return name
