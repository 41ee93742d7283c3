"""PNG charts of the port-services analysis (matplotlib, no display needed)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from sqlalchemy.orm import Session

from alianza.ports import analysis
from alianza.ports.reference import MODE_LABELS, WEEKDAYS, Mode
from alianza.ports.study import CrossingStudy

MONTHS = ["J", "F", "M", "A", "M", "J", "J", "A", "S", "O", "N", "D"]


def _label(mode: Mode) -> str:
    en, es = MODE_LABELS[mode].both()
    return f"{en} / {es}"


def _save(figure: Figure, path: Path) -> str:
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path.name


def volumes_chart(volumes: dict[Mode, list[analysis.YearTotal]], path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 4.2))
    for mode, totals in volumes.items():
        complete = [t for t in totals if t.complete and t.total > 0]
        if complete:
            axes.plot(
                [t.year for t in complete],
                [t.total for t in complete],
                marker=".",
                label=_label(mode),
            )
    axes.set_yscale("log")
    axes.set_title("Inbound crossings per year (complete years) / Cruces de entrada por año")
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return _save(figure, path)


def seasonality_chart(seasons: dict[Mode, list[float]], path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 3.6))
    for mode, index in seasons.items():
        axes.plot(range(1, 13), index, marker=".", label=_label(mode))
    axes.axhline(1.0, color="grey", lw=0.8)
    axes.set_xticks(range(1, 13), MONTHS)
    axes.set_title("Seasonal index (1 = monthly mean) / Índice estacional (1 = media mensual)")
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return _save(figure, path)


def heatmap_chart(grid: list[list[float | None]], path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 3.2))
    values = [[float("nan") if v is None else v for v in row] for row in grid]
    image = axes.imshow(values, aspect="auto", cmap="viridis")
    axes.set_xlabel("hour / hora")
    axes.set_ylabel("weekday / día")
    # CBP's days 0–6 by name, 0 = Monday (inferred: the document's text says why)
    axes.set_yticks(
        range(7), [f"{en[:3]} / {es[:3]}" for en, es in (day.both() for day in WEEKDAYS)]
    )
    axes.set_xticks(range(0, 24, 3))
    axes.set_title("Mean wait, passenger vehicles (min) / Espera media, vehículos (min)")
    figure.colorbar(image, ax=axes, label="min")
    return _save(figure, path)


def profile_chart(session: Session, crossing: str, path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 3.6))
    labels = {
        "passenger": "Vehicles, standard / Vehículos, estándar",
        "passenger_x": "Vehicles, x (SENTRI?) / Vehículos, x",
        "passenger_ready": "Vehicles, Ready / Vehículos, Ready",
        "pedestrian": "Pedestrians / Peatones",
    }
    for lane, label in labels.items():
        by_hour = analysis.mean_by(analysis.wait_cells(session, crossing, lane), "hour")
        hours = [h for h, v in by_hour.items() if v is not None]
        if hours:
            axes.plot(hours, [by_hour[h] or 0.0 for h in hours], marker=".", label=label)
    axes.set_xlabel("hour / hora")
    axes.set_ylabel("min")
    axes.set_title("Mean wait by hour and lane / Espera media por hora y carril")
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return _save(figure, path)


def validation_chart(study: CrossingStudy, path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 3.6))
    checks = study.validation.months
    months = [m.month for m in checks]
    axes.plot(months, [m.observed for m in checks], "o-", label="observed / observada")
    axes.plot(
        months,
        [m.predicted for m in checks],
        "s--",
        label="model, month left out / modelo, mes excluido",
    )
    axes.plot(
        months,
        [m.naive for m in checks],
        "x-.",
        label="naive, same weekday × hour / ingenuo, mismo día × hora",
    )
    axes.set_xticks(range(1, 13), MONTHS)
    axes.set_ylabel("min")
    axes.set_title(
        f"Monthly mean of the hourly waits, {study.crossing} / Media mensual de las esperas"
    )
    axes.legend(fontsize=8)
    axes.grid(alpha=0.3)
    return _save(figure, path)


def scenarios_chart(study: CrossingStudy, path: Path) -> str:
    figure, axes = plt.subplots(figsize=(8, 3.6))
    names = [r.scenario.name for r in study.scenarios]
    axes.barh(names, [r.mean_wait for r in study.scenarios], label="mean / media")
    axes.barh(names, [r.peak_wait for r in study.scenarios], alpha=0.3, label="peak / máxima")
    axes.invert_yaxis()
    axes.set_xlabel("min")
    axes.set_title("Wait under each option / Espera con cada opción")
    axes.legend(fontsize=8)
    return _save(figure, path)
