"""Labels of the joint analysis: every heading, note and code in English and Spanish.

An edition is in one language (``en``, ``es``) or both (``both``: "English / Español").
Nothing here says where the figures come from: that is each package's stated provenance
(:mod:`alianza.analysis.inputs`).
"""

from __future__ import annotations

from alianza.codes import code_list

LANGUAGES = ("en", "es", "both")

HEADINGS = {
    "title": (
        "Joint analysis of seizures on the common border",
        "Análisis conjunto de aseguramientos en la frontera común",
    ),
    "quarter": ("Quarter", "Trimestre"),
    "signatures": ("Signatures of this edition", "Firmas de esta edición"),
    "signed_by": (
        "Signed by {country}: node {node}, key fingerprint {fingerprint}, {date}",
        "Firmado por {country}: nodo {node}, huella de la clave {fingerprint}, {date}",
    ),
    "not_signed": ("Not yet signed by {country}", "Aún sin la firma de {country}"),
    "signatures_note": (
        "Each signature covers the content hash above; the signatures are not part of it, so "
        "the hash is the same before and after each government signs (as this node held them "
        "when the file was written).",
        "Cada firma cubre la huella del contenido de arriba; las firmas no forman parte de ella, "
        "así que la huella es la misma antes y después de que firme cada gobierno (según las "
        "tenía este nodo al escribir el archivo).",
    ),
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
    "trend_drug": (
        "Trend by drug, last eight quarters",
        "Tendencia por droga, últimos ocho trimestres",
    ),
    "changes": (
        "Shares and change on the previous quarter and a year before",
        "Participación y cambio respecto al trimestre anterior y al de hace un año",
    ),
    "ranking": (
        "Transport methods and concealments ranked by drug (the 10.9 question)",
        "Medios de transporte y ocultamientos por droga, en orden (la pregunta de 10.9)",
    ),
    "unpaired": (
        "Locations in no corridor, and why",
        "Lugares fuera de todo corredor, y por qué",
    ),
    "inputs": ("Inputs of this edition", "Insumos de esta edición"),
    "drug": ("Drug", "Droga"),
    "corridor": ("Corridor", "Corredor"),
    "concealment_type": ("Concealment", "Ocultamiento"),
    "mode": ("Transport mode", "Medio de transporte"),
    "method": ("Method", "Método"),
    "kind": ("Kind", "Tipo"),
    "rank": ("Rank", "Lugar"),
    "seizures": ("Seizures", "Aseguramientos"),
    "kg": ("kg", "kg"),
    "units": ("units (no mass)", "unidades (sin masa)"),
    "share": ("share of country's kg", "participación en los kg del país"),
    "vs_previous": ("change on previous quarter", "cambio vs. trimestre anterior"),
    "vs_year": ("change on a year before", "cambio vs. un año antes"),
    "both_countries": ("Both", "Ambos"),
    "country": ("Country", "País"),
    "location": ("Location", "Lugar"),
    "reason": ("Reason", "Motivo"),
    "coverage": ("coverage", "cobertura"),
    "coverage_text": (
        "{country}: the field is reported for {share} of seizures",
        "{country}: el campo se reporta en {share} de los aseguramientos",
    ),
    "version": ("Version", "Versión"),
    "package": ("Package SHA-256", "SHA-256 del paquete"),
    "signer": ("Signer's key fingerprint", "Huella de la llave firmante"),
    "node": ("Node", "Nodo"),
    "source_files": ("Source files and provenance", "Archivos de origen y procedencia"),
    "content_hash": ("Content hash (SHA-256)", "Huella del contenido (SHA-256)"),
    "page": ("Page", "Página"),
    "of": ("of", "de"),
    "carries": ("Drugs carried (seizures)", "Drogas transportadas (aseguramientos)"),
    "not_reported": ("not reported", "no reportado"),
    "missing": (
        "No package held for this quarter.",
        "No hay paquete para este trimestre.",
    ),
    "no_sources": (
        "the package does not state its sources",
        "el paquete no declara sus fuentes",
    ),
    "generated": (
        "Notice — figures from {source} ({country}), as the data's stored provenance says: {text}",
        "Aviso — cifras de {source} ({country}), según la procedencia guardada con los datos: "
        "{text}",
    ),
    "notes": ("Notes", "Notas"),
    "note_counts": (
        "Seizures are counted as each source counts them: CBP publishes monthly counts per drug, "
        "so an event that seized two drugs may count under both.",
        "Los aseguramientos se cuentan como cada fuente los cuenta: CBP publica conteos mensuales "
        "por droga, por lo que un evento con dos drogas puede contarse en ambas.",
    ),
    "note_unknown": (
        "'Not reported' (—) is not zero: CBP's public files have no concealment or transport mode.",
        "'No reportado' (—) no es cero: los archivos públicos de CBP no tienen ocultamiento ni "
        "medio de transporte.",
    ),
    "note_cells": (
        "A blank cell: the country has no figure in that row (no record, or no package for the "
        "quarter). '—': the figure is not reported (no mass, or no earlier quarter to compare "
        "with), never zero. Kilograms are shown to the precision the data carry: to the gram, "
        "and below one kilogram to the milligram (the packages' precision).",
        "Celda vacía: el país no tiene cifra en esa fila (ningún registro, o ningún paquete del "
        "trimestre). '—': la cifra no se reporta (sin masa, o sin trimestre anterior con que "
        "comparar), nunca cero. Los kilogramos se muestran con la precisión de los datos: al "
        "gramo, y por debajo de un kilogramo al miligramo (la precisión de los paquetes).",
    ),
    "note_units": (
        "Tablets, doses and plants have no agreed mass: they are counted in the units column. "
        "A kilogram figure marked * leaves out records without a mass (SDMX OBS_STATUS D).",
        "Las tabletas, dosis y plantas no tienen masa acordada: se cuentan en la columna de "
        "unidades. Una cifra en kilogramos marcada con * excluye registros sin masa "
        "(OBS_STATUS D de SDMX).",
    ),
    "note_edition": (
        "Assembled only from the packages listed under Inputs: both nodes holding them produce "
        "this same content hash, which each side signs with its node key.",
        "Elaborado solo con los paquetes listados en Insumos: ambos nodos que los tienen "
        "producen esta misma huella de contenido, que cada parte firma con la llave de su nodo.",
    ),
    "note_working": (
        "Working view: this node's side is computed from its records, not from a package; it is "
        "not the joint edition both sides sign.",
        "Vista de trabajo: el lado de este nodo se calcula con sus registros, no con un paquete; "
        "no es la edición conjunta que ambas partes firman.",
    ),
}
REASONS = {
    "air-and-marine": (
        "Air and Marine Operations branch: its aircraft and vessels work across corridors "
        "(counted in the totals, in no corridor)",
        "Rama de Operaciones Aéreas y Marítimas: sus aeronaves y embarcaciones operan en varios "
        "corredores (en los totales, en ningún corredor)",
    ),
    "not-reported": ("location not reported", "lugar no reportado"),
    "state-only": (
        "a state total: the source gives no municipality",
        "total estatal: la fuente no da municipio",
    ),
    "outside-corridors": (
        "not across from a port of the four corridors",
        "no está frente a un puerto de los cuatro corredores",
    ),
}
COUNTRY = {"US": ("United States", "Estados Unidos"), "MX": ("Mexico", "México")}
SPECIAL = {"_U": ("not reported", "no reportado"), "_T": ("total", "total")}
# the releasability marking of the joint edition (BILATERAL figures, aggregates only)
MARKING = (
    "BILATERAL — releasable to the United States and Mexico only; aggregates, no records",
    "BILATERAL — divulgable solo a Estados Unidos y México; agregados, sin registros",
)


def pick(pair: tuple[str, str], language: str) -> str:
    """One of a pair (``en``, ``es``), or both joined (``both``)."""
    en, es = pair
    if language == "en":
        return en
    if language == "es":
        return es
    return en if en == es else f"{en} / {es}"


def text(key: str, language: str = "both") -> str:
    return pick(HEADINGS[key], language)


def both(key: str) -> str:
    return text(key, "both")


def code_label(list_name: str, code: str, language: str = "both") -> str:
    if code in SPECIAL:
        return pick(SPECIAL[code], language)
    codes = code_list(list_name).codes
    if code not in codes:
        return code
    entry = codes[code]
    return pick((entry.label_en, entry.label_es), language)
