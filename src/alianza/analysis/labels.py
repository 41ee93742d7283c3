"""Labels of the joint analysis: every heading, note and code, in English here and in Spanish in
the message catalogue (:mod:`alianza.catalogue`, keys ``analysis.…``).

An edition is in one language (``en``, ``es``) or both (``both``: "English / Español").
Nothing here says where the figures come from: that is each package's stated provenance
(:mod:`alianza.analysis.inputs`).
"""

from __future__ import annotations

from alianza.catalogue import text_of
from alianza.codes import code_list

LANGUAGES = ("en", "es", "both")

HEADINGS: dict[str, str] = {
    "title": "Joint analysis of seizures on the common border",
    "quarter": "Quarter",
    "sources": "Sources",
    "totals": "Totals by drug and country",
    "corridors": "By border corridor (paired ports side by side)",
    "concealment": "By concealment type",
    "transport": "Transport methods most used and the drugs they carry",
    "trend": "Trend over the last eight quarters (kg)",
    "trend_drug": "Trend by drug, last eight quarters",
    "changes": "Shares and change on the previous quarter and a year before",
    "ranking": "Transport methods and concealments ranked by drug (the 10.9 question)",
    "unpaired": "Locations in no corridor, and why",
    "inputs": "Inputs of this edition",
    "drug": "Drug",
    "corridor": "Corridor",
    "concealment_type": "Concealment",
    "mode": "Transport mode",
    "method": "Method",
    "kind": "Kind",
    "rank": "Rank",
    "seizures": "Seizures",
    "kg": "kg",
    "units": "units (no mass)",
    "share": "share of country's kg",
    "vs_previous": "change on previous quarter",
    "vs_year": "change on a year before",
    "both_countries": "Both",
    "country": "Country",
    "location": "Location",
    "reason": "Reason",
    "coverage": "coverage",
    "coverage_text": "{country}: the field is reported for {share} of seizures",
    "version": "Version",
    "package": "Package SHA-256",
    "signer": "Signer's key fingerprint",
    "node": "Node",
    "source_files": "Source files and provenance",
    "content_hash": "Content hash (SHA-256)",
    "page": "Page",
    "of": "of",
    "carries": "Drugs carried (seizures)",
    "not_reported": "not reported",
    "missing": "No package held for this quarter.",
    "no_sources": "the package does not state its sources",
    "generated": (
        "Notice — figures from {source} ({country}), as the data's stored provenance says: {text}"
    ),
    "notes": "Notes",
    "note_counts": (
        "Seizures are counted as each source counts them: CBP publishes monthly counts per drug, "
        "so an event that seized two drugs may count under both."
    ),
    "note_unknown": (
        "'Not reported' (—) is not zero: CBP's public files have no concealment or transport mode."
    ),
    "note_cells": (
        "A blank cell: the country has no figure in that row (no record, or no package for the "
        "quarter). '—': the figure is not reported (no mass, or no earlier quarter to compare "
        "with), never zero. Kilograms are shown to the precision the data carry: to the gram, and "
        "below one kilogram to the milligram (the packages' precision)."
    ),
    "note_units": (
        "Tablets, doses and plants have no agreed mass: they are counted in the units column. A "
        "kilogram figure marked * leaves out records without a mass (SDMX OBS_STATUS D)."
    ),
    "note_edition": (
        "Assembled only from the packages listed under Inputs: both nodes holding them produce "
        "this same content hash, which each side signs with its node key."
    ),
    "note_working": (
        "Working view: this node's side is computed from its records, not from a package; it is "
        "not the joint edition both sides sign."
    ),
    "signatures": "Signatures of this edition",
    "signed_by": "Signed by {country}: node {node}, key fingerprint {fingerprint}, {date}",
    "not_signed": "Not yet signed by {country}",
    "signatures_note": (
        "Each signature covers the content hash above; the signatures are not part of it, so the "
        "hash is the same before and after each government signs (as this node held them when the "
        "file was written)."
    ),
}
REASONS: dict[str, str] = {
    "air-and-marine": (
        "Air and Marine Operations branch: its aircraft and vessels work across corridors (counted "
        "in the totals, in no corridor)"
    ),
    "not-reported": "location not reported",
    "state-only": "a state total: the source gives no municipality",
    "outside-corridors": "not across from a port of the four corridors",
}
COUNTRY: dict[str, str] = {"US": "United States", "MX": "Mexico"}
SPECIAL: dict[str, str] = {"_U": "not reported", "_T": "total"}
# the releasability marking of the joint edition (BILATERAL figures, aggregates only)
MARKING = "BILATERAL — releasable to the United States and Mexico only; aggregates, no records"


# every label as the catalogue knows it
MESSAGES: dict[str, str] = {
    **{f"analysis.{key}": english for key, english in HEADINGS.items()},
    **{f"analysis.reason.{key}": english for key, english in REASONS.items()},
    **{f"analysis.country.{key}": english for key, english in COUNTRY.items()},
    **{f"analysis.special.{key}": english for key, english in SPECIAL.items()},
    "analysis.marking": MARKING,
}


def pick(pair: tuple[str, str], language: str) -> str:
    """One of a pair (``en``, ``es``), or both joined (``both``)."""
    en, es = pair
    if language == "en":
        return en
    if language == "es":
        return es
    return en if en == es else f"{en} / {es}"


def label(key: str, language: str = "both") -> str:
    """A label of :data:`MESSAGES` in ``language`` (``both``: "English / Español")."""
    english = MESSAGES[key]
    spanish = text_of(key, english, "es") if language != "en" else english
    assert isinstance(spanish, str)  # no label is counted
    return pick((english, spanish), language)


def text(key: str, language: str = "both") -> str:
    return label(f"analysis.{key}", language)


def both(key: str) -> str:
    return text(key, "both")


def code_label(list_name: str, code: str, language: str = "both") -> str:
    if code in SPECIAL:
        return label(f"analysis.special.{code}", language)
    codes = code_list(list_name).codes
    if code not in codes:
        return code
    entry = codes[code]
    return pick((entry.label_en, entry.label_es), language)
