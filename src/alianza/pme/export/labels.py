"""Column and heading labels of the report, in the report's language."""

from __future__ import annotations

from alianza.pme.document import Language

LABELS: dict[Language, dict[str, str]] = {
    Language.EN: {
        "alliance_point": "Alliance Point",
        "action": "ACTION",
        "baseline": "BASELINE",
        "targets": "TARGET",
        "measurements": "MEASUREMENT",
        "status": "STATUS",
        "as_of": "As of",
        "Baseline": "Baseline",
        "Targets": "Targets",
        "Measurements": "Measurements",
        "Status": "Status",
        "sub_action_of": "sub-action of",
    },
    Language.ES: {
        "alliance_point": "Punto de Alianza",
        "action": "ACCIÓN",
        "baseline": "LÍNEA BASE",
        "targets": "META",
        "measurements": "MEDICIÓN",
        "status": "ESTADO",
        "as_of": "Al",
        "Baseline": "Línea base",
        "Targets": "Metas",
        "Measurements": "Mediciones",
        "Status": "Estado",
        "sub_action_of": "subacción de",
    },
}
