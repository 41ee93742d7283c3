"""The joint analysis as plain rows (shared by every output format)."""

from __future__ import annotations

from dataclasses import dataclass

from alianza.analysis.joint import COUNTRIES, Figures, JointAnalysis
from alianza.analysis.labels import code_label
from alianza.exchange.sdmx import COUNTED_UNITS


@dataclass(frozen=True)
class Section:
    key: str  # heading key in labels.HEADINGS
    columns: tuple[str, ...]  # heading keys of the label columns
    rows: list[tuple[list[str], dict[str, Figures]]]  # labels, country → figures


def _sort_drug(drugs: list[str], drug: str) -> int:
    return drugs.index(drug) if drug in drugs else len(drugs)


def sections(analysis: JointAnalysis) -> list[Section]:
    drugs = analysis.drugs()
    totals = Section(
        "totals",
        ("drug",),
        [
            ([code_label("drug_group", key[0])], analysis.totals[key])
            for key in sorted(analysis.totals, key=lambda k: _sort_drug(drugs, k[0]))
        ],
    )
    corridors = Section(
        "corridors",
        ("corridor", "drug"),
        [
            ([key[0], code_label("drug_group", key[1])], analysis.by_corridor[key])
            for key in sorted(analysis.by_corridor, key=lambda k: (k[0], _sort_drug(drugs, k[1])))
        ],
    )
    concealment = Section(
        "concealment",
        ("concealment",),
        [
            ([code_label("concealment", key[0])], analysis.by_concealment[key])
            for key in sorted(
                analysis.by_concealment,
                key=lambda k: -sum(f.seizures for f in analysis.by_concealment[k].values()),
            )
        ],
    )
    transport = Section(
        "transport",
        ("mode", "drug"),
        [
            (
                [code_label("transport_mode", key[0]), code_label("drug_group", key[1])],
                analysis.transport[key],
            )
            for key in sorted(
                analysis.transport, key=lambda k: (k[0] == "_U", k[0], _sort_drug(drugs, k[1]))
            )
        ],
    )
    return [totals, corridors, concealment, transport]


def units_text(units: dict[str, float]) -> str:
    """``15,000 tablets / tabletas``; several units joined by ``; ``."""
    parts = []
    for unit, count in sorted(units.items()):
        en, es = COUNTED_UNITS.get(unit, (unit, unit))
        parts.append(f"{count:,.0f} {en.lower()} / {es.lower()}")
    return "; ".join(parts)


def kg_text(figures: Figures) -> str:
    """Kilograms; ``—`` not reported; ``*`` when records without a mass are left out."""
    if figures.kg is None:
        return "—"
    return f"{figures.kg:,.1f}" + ("*" if figures.kg_partial else "")


def figures_cells(by_country: dict[str, Figures]) -> list[str]:
    """Per country: seizures, kilograms, counted units."""
    cells = []
    for country in COUNTRIES:
        figures = by_country.get(country)
        if figures is None:
            cells += ["", "", ""]
            continue
        cells.append(f"{figures.seizures:,.0f}")
        cells.append(kg_text(figures))
        cells.append(units_text(figures.units))
    return cells
