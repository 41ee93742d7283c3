"""Charts of the joint analysis as PNG images (matplotlib's object API: no pyplot global
state, safe in a web server's threads)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from alianza.analysis.joint import COUNTRIES, JointAnalysis
from alianza.analysis.labels import code_label, text
from alianza.analysis.measures import kg_of, trend_drugs

COLORS = {"US": "#0b4f6c", "MX": "#b5651d"}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()


def totals_chart(analysis: JointAnalysis, language: str = "both") -> bytes:
    drugs = analysis.drugs()
    figure = Figure(figsize=(8, 3.8))
    axis = figure.subplots()
    width = 0.38
    for index, country in enumerate(COUNTRIES):
        values = []
        for drug in drugs:
            figures = analysis.totals.get((drug,), {}).get(country)
            values.append(figures.seizures if figures else 0)
        positions = [i + (index - 0.5) * width for i in range(len(drugs))]
        axis.bar(positions, values, width, label=country, color=COLORS[country])
    axis.set_xticks(
        range(len(drugs)), [code_label("drug_group", d, language) for d in drugs], rotation=20
    )
    axis.set_ylabel(text("seizures", language))
    axis.set_title(f"{analysis.quarter}: {text('totals', language)}")
    axis.legend()
    return _png(figure)


def trend_chart(analysis: JointAnalysis, language: str = "both") -> bytes:
    """One small chart per drug (its own scale: marijuana's tonnes never flatten fentanyl's
    kilograms), a line per country; a gap where a quarter has no package."""
    quarters = list(analysis.trend)
    drugs = trend_drugs(analysis) or ["OTHER"]
    columns = 3
    rows = (len(drugs) + columns - 1) // columns
    figure = Figure(figsize=(10, 2.6 * rows))
    axes = figure.subplots(rows, columns, squeeze=False)
    for index, drug in enumerate(drugs):
        axis = axes[index // columns][index % columns]
        for country in COUNTRIES:
            values = [kg_of(analysis, q, country, drug) for q in quarters]
            axis.plot(
                range(len(quarters)),
                [float("nan") if v is None else v for v in values],
                marker="o",
                label=country,
                color=COLORS[country],
            )
        axis.set_title(f"{code_label('drug_group', drug, language)} (kg)", fontsize=9)
        axis.set_xticks(range(len(quarters)), [q.replace("-", "\n") for q in quarters], fontsize=7)
        axis.tick_params(axis="y", labelsize=7)
    for index in range(len(drugs), rows * columns):
        axes[index // columns][index % columns].set_visible(False)
    axes[0][0].legend(fontsize=7)
    figure.suptitle(text("trend_drug", language), fontsize=10)
    return _png(figure)


def transport_chart(analysis: JointAnalysis, language: str = "both") -> bytes:
    top = analysis.top_transport_modes()
    figure = Figure(figsize=(8, 3.2))
    axis = figure.subplots()
    if top:
        names = [code_label("transport_mode", mode, language) for mode, _count, _drugs in top]
        axis.barh(names[::-1], [count for _mode, count, _drugs in top][::-1], color="#555")
    axis.set_xlabel(text("seizures", language))
    axis.set_title(text("transport", language))
    return _png(figure)


def all_charts(analysis: JointAnalysis, language: str = "both") -> dict[str, bytes]:
    return {
        "totals": totals_chart(analysis, language),
        "trend": trend_chart(analysis, language),
        "transport": transport_chart(analysis, language),
    }
