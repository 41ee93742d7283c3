"""The joint analysis as blocks of text and tables in one language (``en``, ``es``) or both,
shared by the Markdown, HTML, XLSX and DOCX renderers."""

from __future__ import annotations

from dataclasses import dataclass, field

from alianza.analysis.joint import COUNTRIES, Figures, JointAnalysis
from alianza.analysis.labels import code_label, label, pick, text
from alianza.analysis.measures import (
    BOTH,
    changes,
    kg_of,
    kg_text,
    partial_of,
    percent_text,
    rankings,
    seizures_of,
    trend_drugs,
)
from alianza.exchange.sdmx import COUNTED_UNITS


@dataclass
class Block:
    key: str  # a heading key of labels.HEADINGS (also the XLSX sheet name)
    heading: str
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # paragraphs after the table
    chart: str | None = None  # the chart drawn above the table, if any
    # columns that hold names, codes or hashes, the same in every language ("McAllen Air And
    # Marine Branch", a file name): the HTML marks their cells translate="no"
    verbatim: frozenset[int] = frozenset()


def side_name(side: str, language: str) -> str:
    return text("both_countries", language) if side == BOTH else side


def units_text(units: dict[str, float], language: str = "both") -> str:
    """``15,000 tablets / tabletas``; several units joined by ``; ``."""
    parts = []
    for unit, count in sorted(units.items()):
        en, es = COUNTED_UNITS.get(unit, (unit, unit))
        parts.append(f"{count:,.0f} {pick((en.lower(), es.lower()), language)}")
    return "; ".join(parts)


def figures_cells(by_country: dict[str, Figures], language: str = "both") -> list[str]:
    """Per country: seizures, kilograms, counted units (blank: no figure for the country)."""
    cells = []
    for country in COUNTRIES:
        figures = by_country.get(country)
        if figures is None:
            cells += ["", "", ""]
            continue
        cells.append(f"{figures.seizures:,.0f}")
        cells.append(kg_text(figures.kg, figures.kg_partial))
        cells.append(units_text(figures.units, language))
    return cells


def _figures_header(labels: list[str], language: str) -> list[str]:
    header = [text(k, language) for k in labels]
    for country in COUNTRIES:
        header += [
            f"{country} {text('seizures', language)}",
            f"{country} kg",
            f"{country} {text('units', language)}",
        ]
    return header


def _sort_drug(drugs: list[str], drug: str) -> int:
    return drugs.index(drug) if drug in drugs else len(drugs)


def _availability(analysis: JointAnalysis, language: str) -> list[str]:
    lines = []
    for country in COUNTRIES:
        state = "✓" if analysis.available.get(country) else text("missing", language)
        lines.append(f"{label(f'analysis.country.{country}', language)}: {state}")
    return lines


def provenance_notices(analysis: JointAnalysis, language: str) -> list[str]:
    """One notice per source whose stored provenance marks it a generated sample, for the
    countries whose figures of the quarter come from it (nothing when the data say nothing of
    the kind)."""
    return [f"{lead} {words}" for lead, words in provenance_notice_parts(analysis, language)]


def provenance_notice_parts(analysis: JointAnalysis, language: str) -> list[tuple[str, str]]:
    """The notices of :func:`provenance_notices` as (lead in ``language``, the provenance in
    the source's own words), for pages that mark the quoted words as such."""
    parts = []
    for country in COUNTRIES:
        for source in analysis.sources.get(country) or ():
            if source.generated:
                lead = text("generated", language).format(
                    source=source.system, country=country, text=""
                )
                parts.append((lead.rstrip(), " ".join(source.provenance)))
    return parts


def _totals(analysis: JointAnalysis, language: str) -> Block:
    drugs = analysis.drugs()
    rows = [
        [code_label("drug_group", key[0], language), *figures_cells(analysis.totals[key], language)]
        for key in sorted(analysis.totals, key=lambda k: _sort_drug(drugs, k[0]))
    ]
    return Block(
        "totals",
        text("totals", language),
        _figures_header(["drug"], language),
        rows,
        chart="totals",
    )


def _trend(analysis: JointAnalysis, language: str) -> Block:
    quarters = list(analysis.trend)
    header = [text("drug", language), text("country", language), *quarters]
    rows = []
    for drug in trend_drugs(analysis):
        for side in (*COUNTRIES, BOTH):
            kg = [
                kg_text(kg_of(analysis, q, side, drug), partial_of(analysis, q, side, drug))
                for q in quarters
            ]
            events = [seizures_of(analysis, q, side, drug) for q in quarters]
            rows.append(
                [code_label("drug_group", drug, language), f"{side_name(side, language)} kg", *kg]
            )
            rows.append(
                [
                    "",
                    f"{side_name(side, language)} {text('seizures', language).lower()}",
                    *("—" if e is None else f"{e:,.0f}" for e in events),
                ]
            )
    return Block("trend_drug", text("trend_drug", language), header, rows, chart="trend")


def _changes(analysis: JointAnalysis, language: str) -> Block:
    header = [
        text(k, language) for k in ("drug", "country", "kg", "share", "vs_previous", "vs_year")
    ]
    rows = [
        [
            code_label("drug_group", c.drug, language),
            side_name(c.side, language),
            kg_text(c.kg),
            percent_text(c.share),
            percent_text(c.vs_previous, signed=True),
            percent_text(c.vs_year, signed=True),
        ]
        for c in changes(analysis)
    ]
    return Block("changes", text("changes", language), header, rows)


def _corridors(analysis: JointAnalysis, language: str) -> Block:
    drugs = analysis.drugs()
    rows = [
        [
            key[0],
            code_label("drug_group", key[1], language),
            *figures_cells(analysis.by_corridor[key], language),
        ]
        for key in sorted(analysis.by_corridor, key=lambda k: (k[0], _sort_drug(drugs, k[1])))
    ]
    header = _figures_header(["corridor", "drug"], language)
    return Block("corridors", text("corridors", language), header, rows, verbatim=frozenset({0}))


def _unpaired(analysis: JointAnalysis, language: str) -> Block:
    header = [text(k, language) for k in ("country", "location", "reason", "seizures")] + ["kg"]
    rows = []
    for (country, location), (reason, figures) in sorted(analysis.unpaired.items()):
        name = analysis.location_names.get(location, location)
        rows.append(
            [
                country,
                name,
                label(f"analysis.reason.{reason}", language),
                f"{figures.seizures:,.0f}",
                kg_text(figures.kg, figures.kg_partial),
            ]
        )
    return Block("unpaired", text("unpaired", language), header, rows, verbatim=frozenset({1}))


def _ranking(analysis: JointAnalysis, language: str) -> Block:
    header = [text(k, language) for k in ("kind", "drug", "country", "method", "coverage")]
    rows = []
    for r in rankings(analysis):
        list_name = "transport_mode" if r.kind == "transport" else "concealment"
        kind = text("mode" if r.kind == "transport" else "concealment_type", language)
        methods = "; ".join(
            f"{i}. {code_label(list_name, m, language)} ({n:,.0f})"
            for i, (m, n) in enumerate(r.methods, 1)
        )
        rows.append(
            [
                kind,
                code_label("drug_group", r.drug, language),
                side_name(r.side, language),
                methods or "—",
                percent_text(r.coverage),
            ]
        )
    return Block("ranking", text("ranking", language), header, rows, chart="transport")


def _inputs(analysis: JointAnalysis, language: str) -> Block:
    if analysis.inputs is None:
        return Block("inputs", text("inputs", language), notes=[text("note_working", language)])
    header = [
        text(k, language)
        for k in ("country", "quarter", "version", "package", "signer", "source_files")
    ]
    rows = []
    for p in analysis.inputs.listed():
        if p.sources is None:
            stated = text("no_sources", language)
        else:
            stated = " · ".join(
                f"{s.system}: {', '.join(s.files) or '—'}"
                + (f" — {' '.join(s.provenance)}" if s.provenance else "")
                for s in p.sources
            )
        rows.append([p.country, p.quarter, str(p.version), p.sha256, p.fingerprint, stated])
    return Block(
        "inputs",
        text("inputs", language),
        header,
        rows,
        notes=[text("note_edition", language)],
        verbatim=frozenset({1, 3, 4, 5}),
    )


def blocks(analysis: JointAnalysis, language: str = "both") -> list[Block]:
    """The edition's content in reading order."""
    intro = Block(
        "sources",
        f"{text('quarter', language)}: {analysis.quarter}",
        notes=[*_availability(analysis, language), *provenance_notices(analysis, language)],
    )
    notes = Block(
        "notes",
        text("notes", language),
        notes=[
            text(k, language) for k in ("note_cells", "note_counts", "note_unknown", "note_units")
        ],
    )
    return [
        intro,
        _totals(analysis, language),
        _trend(analysis, language),
        _changes(analysis, language),
        _ranking(analysis, language),
        _corridors(analysis, language),
        _unpaired(analysis, language),
        _inputs(analysis, language),
        notes,
    ]
