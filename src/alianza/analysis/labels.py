"""Bilingual labels of the joint analysis: every heading and code in English and Spanish."""

from __future__ import annotations

from alianza.codes import code_list

HEADINGS = {
    "title": (
        "Joint analysis of seizures on the common border",
        "Análisis conjunto de aseguramientos en la frontera común",
    ),
    "quarter": ("Quarter", "Trimestre"),
    "sources": ("Sources", "Fuentes"),
    "totals": ("Totals by drug and country", "Totales por droga y país"),
    "corridors": (
        "By border corridor (paired ports side by side)",
        "Por corredor fronterizo (puertos pareados lado a lado)",
    ),
    "concealment": ("By concealment type", "Por tipo de ocultamiento"),
    "transport": (
        "Transport methods most used and the drugs they carry",
        "Medios de transporte más usados y las drogas que transportan",
    ),
    "trend": (
        "Trend over the last eight quarters (kg)",
        "Tendencia de los últimos ocho trimestres (kg)",
    ),
    "drug": ("Drug", "Droga"),
    "corridor": ("Corridor", "Corredor"),
    "concealment_type": ("Concealment", "Ocultamiento"),
    "mode": ("Transport mode", "Medio de transporte"),
    "seizures": ("Seizures", "Aseguramientos"),
    "kg": ("kg", "kg"),
    "units": ("units (no mass)", "unidades (sin masa)"),
    "carries": ("Drugs carried (seizures)", "Drogas transportadas (aseguramientos)"),
    "not_reported": ("not reported", "no reportado"),
    "missing": (
        "No package received for this quarter.",
        "No se recibió paquete para este trimestre.",
    ),
    "notes": ("Notes", "Notas"),
    "note_counts": (
        "Seizures are counted as each source counts them: CBP publishes monthly counts per drug, "
        "so an event that seized two drugs may count under both; Mexico's figures here are a "
        "GENERATED SAMPLE in the demo.",
        "Los aseguramientos se cuentan como cada fuente los cuenta: CBP publica conteos mensuales "
        "por droga, por lo que un evento con dos drogas puede contarse en ambas; en la "
        "demostración, las cifras de México son una MUESTRA GENERADA.",
    ),
    "note_unknown": (
        "'Not reported' (—) is not zero: CBP's public files have no concealment or transport mode.",
        "'No reportado' (—) no es cero: los archivos públicos de CBP no tienen ocultamiento ni "
        "medio de transporte.",
    ),
}
HEADINGS["note_units"] = (
    "Tablets, doses and plants have no agreed mass: they are counted in the units column. "
    "A kilogram figure marked * leaves out records without a mass (SDMX OBS_STATUS D).",
    "Las tabletas, dosis y plantas no tienen masa acordada: se cuentan en la columna de "
    "unidades. Una cifra en kilogramos marcada con * excluye registros sin masa "
    "(OBS_STATUS D de SDMX).",
)
COUNTRY = {"US": ("United States", "Estados Unidos"), "MX": ("Mexico", "México")}
SPECIAL = {"_U": ("not reported", "no reportado"), "_T": ("total", "total")}


def both(key: str) -> str:
    en, es = HEADINGS[key]
    return en if en == es else f"{en} / {es}"


def code_label(list_name: str, code: str) -> str:
    if code in SPECIAL:
        en, es = SPECIAL[code]
        return f"{en} / {es}"
    codes = code_list(list_name).codes
    if code not in codes:
        return code
    entry = codes[code]
    return (
        entry.label_en
        if entry.label_en == entry.label_es
        else f"{entry.label_en} / {entry.label_es}"
    )
