"""Charts of the joint analysis as PNG images (matplotlib's object API: no pyplot global
state, safe in a web server's threads)."""

from __future__ import annotations

import io

from matplotlib.figure import Figure

from alianza.analysis.joint import COUNTRIES, JointAnalysis

COLORS = {"US": "#0b4f6c", "MX": "#b5651d"}


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()


def totals_chart(analysis: JointAnalysis) -> bytes:
    drugs = analysis.drugs()
    figure = Figure(figsize=(8, 3.8))
    axis = figure.subplots()
    width = 0.38
    for index, country in enumerate(COUNTRIES):
        values = [
            (
                analysis.totals.get((d,), {}).get(country).seizures  # type: ignore[union-attr]
                if analysis.totals.get((d,), {}).get(country)
                else 0
            )
            for d in drugs
        ]
        positions = [i + (index - 0.5) * width for i in range(len(drugs))]
        axis.bar(positions, values, width, label=country, color=COLORS[country])
    axis.set_xticks(range(len(drugs)), [d.title() for d in drugs], rotation=20)
    axis.set_ylabel("Seizures / Aseguramientos")
    axis.set_title(f"{analysis.quarter}: seizures by drug / aseguramientos por droga")
    axis.legend()
    return _png(figure)


def trend_chart(analysis: JointAnalysis) -> bytes:
    quarters = list(analysis.trend)
    figure = Figure(figsize=(8, 3.8))
    axis = figure.subplots()
    for country in COUNTRIES:
        values = []
        for quarter in quarters:
            figures = analysis.trend[quarter].get(country, {})
            kg = [f.kg for f in figures.values() if f.kg is not None]
            values.append(sum(kg) if figures else float("nan"))
        axis.plot(quarters, values, marker="o", label=country, color=COLORS[country])
    axis.set_ylabel("kg")
    axis.set_title("Amount seized, all drugs / cantidad asegurada, todas las drogas")
    axis.tick_params(axis="x", rotation=30)
    axis.legend()
    return _png(figure)


def transport_chart(analysis: JointAnalysis) -> bytes:
    top = analysis.top_transport_modes()
    figure = Figure(figsize=(8, 3.2))
    axis = figure.subplots()
    if top:
        names = [mode.replace("_", " ").title() for mode, _count, _drugs in top]
        axis.barh(names[::-1], [count for _mode, count, _drugs in top][::-1], color="#555")
    axis.set_xlabel("Seizures / Aseguramientos")
    axis.set_title("Transport methods / medios de transporte")
    return _png(figure)


def all_charts(analysis: JointAnalysis) -> dict[str, bytes]:
    return {
        "totals": totals_chart(analysis),
        "trend": trend_chart(analysis),
        "transport": transport_chart(analysis),
    }
