"""The bilingual port-services analysis (10.7): Markdown and HTML in English and Spanish, with
PNG charts. Every figure in it is computed from the data held at the time it is written."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from alianza.ports import analysis, charts
from alianza.ports.analysis import NotEnoughData
from alianza.ports.heavy_traffic import DEFAULT_SCENARIOS
from alianza.ports.holdout import Comparison, Validation, bootstrap_comparison
from alianza.ports.reference import CROSSINGS, MODE_LABELS, WEEKDAY_NOTE, WEEKDAYS, Mode, port
from alianza.ports.study import CrossingStudy, Sensitivity, sensitivity, study_crossing

LANE_LABELS = {
    "passenger": ("Vehicles, general", "Vehículos, generales"),
    "passenger_ready": ("Vehicles, Ready", "Vehículos, Ready"),
    "passenger_x": ("Vehicles, x (SENTRI?)", "Vehículos, x (¿SENTRI?)"),
    "pedestrian": ("Pedestrians, general", "Peatones, generales"),
    "pedestrian_ready": ("Pedestrians, Ready", "Peatones, Ready"),
}


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, p, table, img
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def _t(language: str, en: str, es: str) -> str:
    return en if language == "en" else es


def _number(value: float, language: str, digits: int = 0) -> str:
    # Mexico writes numbers as the United States does (1,234.5): one format for both.
    return f"{value:,.{digits}f}"


def build_blocks(
    language: str,
    port_code: str,
    volumes: dict[Mode, list[analysis.YearTotal]],
    seasons: dict[Mode, list[float]],
    trends: dict[Mode, analysis.Trend],
    study: CrossingStudy,
    images: dict[str, str],
    spread: Sensitivity | None = None,
    grid: list[list[float | None]] | None = None,
) -> list[Block]:
    p = port(port_code)
    L = language
    blocks = [
        Block(
            "h1",
            _t(
                L,
                f"Port services analysis: {p.bts_name} – {p.mexican_city}",
                f"Análisis de servicios portuarios: {p.bts_name} – {p.mexican_city}",
            ),
        ),
        Block(
            "p",
            _t(
                L,
                f"Alliance Point 10, action 10.7. Port {p.code} ({p.state}); counterpart "
                f"across the border: {p.mexican_city}, {p.mexican_state} (compiled pairing, "
                "not verified). "
                "Sources: BTS Border Crossing Entry Data (inbound, monthly) and CBP Border Wait "
                "Times (historical hourly averages). A missing month is 'not reported', not zero.",
                f"Punto de Alianza 10, acción 10.7. Puerto {p.code} ({p.state}); contraparte "
                f"al otro lado de la frontera: {p.mexican_city}, {p.mexican_state} (pareja "
                "compilada, no verificada). Fuentes: BTS Border Crossing Entry Data (entradas, "
                "mensual) y CBP Border Wait Times (promedios horarios históricos). Un mes "
                "faltante es 'no reportado', no cero.",
            ),
        ),
        Block("h2", _t(L, "Volumes by mode", "Volúmenes por modo")),
    ]
    years = sorted({t.year for totals in volumes.values() for t in totals})
    header = (_t(L, "Year", "Año"), *(_t(L, *MODE_LABELS[m]) for m in volumes))
    rows = [header]
    for year in years:
        cells = [str(year)]
        for m in volumes:
            t = next((t for t in volumes[m] if t.year == year), None)
            if t is not None and t.zero_only:
                cells.append(_t(L, "missing (all 0)", "falta (todo 0)"))
                continue
            cells.append("–" if t is None else _number(t.total, L) + ("" if t.complete else "*"))
        rows.append(tuple(cells))
    blocks += [
        Block("table", rows=tuple(rows)),
        Block(
            "p",
            _t(
                L,
                "(*) fewer than 12 months reported; – no data.",
                "(*) menos de 12 meses reportados; – sin datos.",
            ),
        ),
        Block("img", images["volumes"]),
        Block("h2", _t(L, "Seasonality and trend", "Estacionalidad y tendencia")),
        Block("img", images["seasonality"]),
    ]
    trend_rows = [
        (
            _t(L, "Mode", "Modo"),
            _t(L, "Years", "Años"),
            _t(L, "Change per year", "Cambio por año"),
            _t(L, "% of mean", "% de la media"),
        )
    ]
    for m, tr in trends.items():
        trend_rows.append(
            (
                _t(L, *MODE_LABELS[m]),
                f"{tr.first_year}–{tr.last_year}",
                f"{tr.slope_per_year:+,.0f}",
                f"{tr.change_per_year_pct:+.1f}",
            )
        )
    blocks += [Block("table", rows=tuple(trend_rows))]
    crossing = CROSSINGS[study.crossing]
    blocks += [
        Block(
            "h2",
            _t(
                L,
                f"Wait times at {crossing.name} (crossing {crossing.number})",
                f"Tiempos de espera en {crossing.name} (cruce {crossing.number})",
            ),
        ),
        Block(
            "p",
            _t(
                L,
                "Mean wait in standard passenger-vehicle lanes by weekday and hour, averaged "
                "over the 12 months of CBP's historical file (reference year not stated by CBP). "
                + WEEKDAY_NOTE[0],
                "Espera media en carriles estándar de vehículos de pasajeros por día y hora, "
                "promedio de los 12 meses del archivo histórico de CBP (CBP no indica el año "
                "de referencia). " + WEEKDAY_NOTE[1],
            ),
        ),
        Block("img", images["heatmap"]),
        *weekday_table(L, grid or []),
        Block("img", images["profile"]),
    ]
    model = study.model
    main = study.validation
    blocks += [
        Block("h2", _t(L, "A model of the crossing", "Un modelo del cruce")),
        Block(
            "p",
            _t(
                L,
                "One stationary queue per hour of the week, with Kingman's heavy-traffic "
                "formula: wait = A × ρ / (1 − ρ), ρ the utilisation of the lanes. The busiest "
                f"hour runs at {model.peak:.0%} utilisation (chosen by cross-validation), which "
                f"gives A = {model.scale:.1f} min and every hour's utilisation from its observed "
                f"wait. BTS's {study.reference_year} volume ({_number(study.daily_volume, L)} "
                f"per day) then gives {model.lanes:.1f} effective lanes at "
                f"{model.service_minutes * 60:.0f} s per primary inspection. A month with more "
                "traffic has a proportionally higher utilisation in every hour.",
                "Una cola estacionaria por cada hora de la semana, con la fórmula de tráfico "
                "denso de Kingman: espera = A × ρ / (1 − ρ), ρ la utilización de los carriles. "
                f"La hora más cargada opera al {model.peak:.0%} (elegido por validación "
                f"cruzada), lo que da A = {model.scale:.1f} min y la utilización de cada hora a "
                f"partir de su espera observada. El volumen BTS de {study.reference_year} "
                f"({_number(study.daily_volume, L)} por día) da {model.lanes:.1f} carriles "
                f"efectivos a {model.service_minutes * 60:.0f} s por inspección primaria. Un mes "
                "con más tránsito tiene una utilización proporcionalmente mayor en cada hora.",
            ),
        ),
        Block("h2", _t(L, "How well it fits", "Qué tan bien se ajusta")),
        Block(
            "p",
            _t(
                L,
                "Each month left out in turn: the model is calibrated on the other 11 months "
                "(including the choice of the peak utilisation) and predicts the month's 168 "
                "hourly waits from its BTS volume. Naive forecasts on the same hours: the other "
                "months' mean at the same weekday and hour, and their overall mean. Mean "
                "absolute error per hour, minutes (bias in brackets):",
                "Se deja fuera cada mes por turno: el modelo se calibra con los otros 11 meses "
                "(incluida la elección de la utilización pico) y predice las 168 esperas "
                "horarias del mes a partir de su volumen BTS. Pronósticos ingenuos en las mismas "
                "horas: la media de los otros meses en el mismo día y hora, y su media general. "
                "Error absoluto medio por hora, en minutos (sesgo entre paréntesis):",
            ),
        ),
    ]
    fit = [
        (
            _t(L, "Lanes", "Carriles"),
            _t(L, "Model", "Modelo"),
            _t(L, "Same weekday and hour", "Mismo día y hora"),
            _t(L, "Overall mean", "Media general"),
        )
    ]
    for v in study.validations:
        fit.append(
            (
                _t(L, *LANE_LABELS[v.lane]),
                f"{v.model_mae:.2f} ({round(v.model_bias, 2) + 0.0:+.2f})",
                f"{v.naive_mae:.2f}",
                f"{v.flat_mae:.2f}",
            )
        )
    blocks += [Block("table", rows=tuple(fit)), *validation_verdict(L, main)]
    blocks += [
        Block("img", images["validation"]),
    ]
    if study.dedicated:
        rows = [
            (
                _t(L, "Lanes", "Carriles"),
                "u",
                "κ",
                _t(L, "Lane-group form", "Forma de grupo de carriles"),
                _t(L, "Proportional", "Proporcional"),
                _t(L, "Overall mean", "Media general"),
            )
        ]
        for d in study.dedicated:
            rows.append(
                (
                    _t(L, *LANE_LABELS[d.lane]),
                    f"{d.utilisation_ratio:.2f}",
                    f"{d.scale_ratio:.2f}",
                    f"{d.model_mae:.2f}",
                    f"{d.proportional_mae:.2f}",
                    f"{d.flat_mae:.2f}",
                )
            )
        blocks += [
            Block(
                "p",
                _t(
                    L,
                    "Dedicated lanes, checked: the Ready and x lanes are lane groups of their "
                    "own. Fitted to their 168 hourly waits, the model's form (utilisation u × "
                    "the general lanes', scale κ × A) against waits proportional to the general "
                    "lanes' and against the lane's mean (mean absolute error, minutes; a fit on "
                    "the same hours, not a forecast):",
                    "Carriles exclusivos, verificados: los carriles Ready y x son grupos de "
                    "carriles propios. Ajustada a sus 168 esperas horarias, la forma del modelo "
                    "(utilización u × la de los generales, escala κ × A) frente a esperas "
                    "proporcionales a las de los generales y frente a la media del carril (error "
                    "absoluto medio, minutos; un ajuste sobre las mismas horas, no un "
                    "pronóstico):",
                ),
            ),
            Block("table", rows=tuple(rows)),
        ]
    blocks += [
        Block(
            "h2",
            _t(
                L,
                "Options: lanes, commuter lanes, inspection technology",
                "Opciones: carriles, carriles para viajeros frecuentes, tecnología",
            ),
        ),
        Block(
            "p",
            _t(
                L,
                "Demand as calibrated, with no demand response (drivers who today avoid peak hours "
                "would come back as waits fall): read these as upper bounds of the benefit. Their "
                "order is not established: it can change with the BTS reference year and with "
                "the inspection time, which no file gives.",
                "Demanda calibrada, sin respuesta de la demanda (quienes hoy evitan las horas pico "
                "volverían al bajar las esperas): léanse como cotas superiores del beneficio. Su "
                "orden no está establecido: puede cambiar con el año de referencia BTS y con el "
                "tiempo de inspección, que ningún archivo da.",
            ),
        ),
    ]
    scen = [
        (
            _t(L, "Scenario", "Escenario"),
            _t(L, "Mean wait (min)", "Espera media (min)"),
            _t(L, "Peak wait (min)", "Espera máxima (min)"),
            _t(L, "Commuter lanes (min)", "Carriles exclusivos (min)"),
        )
    ]
    for r in study.scenarios:
        name = r.scenario.name if L == "en" else (r.scenario.name_es or r.scenario.name)
        commuter = "" if r.commuter_wait is None else f"{r.commuter_wait:.1f}"
        scen.append((name, f"{r.mean_wait:.1f}", f"{r.peak_wait:.1f}", commuter))
    blocks += [Block("table", rows=tuple(scen)), Block("img", images["scenarios"])]
    if spread is not None:
        blocks += sensitivity_blocks(L, spread)
    return blocks


def sensitivity_blocks(L: str, spread: Sensitivity) -> list[Block]:
    """Each scenario's mean wait as a range over the BTS years that calibrate and the
    inspection times tried, and whether the order of the options holds across them."""
    years = ", ".join(map(str, spread.years))
    seconds = ", ".join(f"{60 * m:.0f}" for m in spread.service_minutes)
    refused = ", ".join(map(str, spread.refused_years))
    rows = [
        (
            _t(L, "Scenario", "Escenario"),
            _t(L, "Mean wait, range (min)", "Espera media, rango (min)"),
        )
    ]
    spanish = {s.name: s.name_es or s.name for s in DEFAULT_SCENARIOS}
    for name, (low, high) in spread.ranges.items():
        rows.append((name if L == "en" else spanish.get(name, name), f"{low:.1f}–{high:.1f}"))
    stable = spread.ranking_stable
    return [
        Block(
            "p",
            _t(
                L,
                f"Sensitivity to the inputs no file gives: BTS reference years {years} and "
                f"inspection times of {seconds} s per vehicle"
                + (f" (years {refused} refused: degenerate calibration)" if refused else "")
                + ". "
                + (
                    "The order of the options is the same in every case."
                    if stable
                    else f"The order of the options changes ({len(spread.rankings)} different "
                    "orders): no ranking of them is claimed."
                ),
                f"Sensibilidad a los datos que ningún archivo da: años de referencia BTS {years} "
                f"y tiempos de inspección de {seconds} s por vehículo"
                + (f" (años {refused} rechazados: calibración degenerada)" if refused else "")
                + ". "
                + (
                    "El orden de las opciones es el mismo en todos los casos."
                    if stable
                    else f"El orden de las opciones cambia ({len(spread.rankings)} órdenes "
                    "distintos): no se afirma ninguna clasificación."
                ),
            ),
        ),
        Block("table", rows=tuple(rows)),
    ]


def validation_verdict(L: str, main: Validation) -> list[Block]:
    """What the validation shows, and only that: each comparison with its 95 % bootstrap
    interval over the held-out months; "not distinguishable from the naive forecast" where the
    interval holds zero. The word "validated" is used only when the stated test (the interval
    excludes zero, the model closer) passes."""
    same_hour = bootstrap_comparison(main, "naive")
    level = bootstrap_comparison(main, "flat")

    def sentence(c: Comparison, en_name: str, es_name: str) -> tuple[str, str]:
        span = f"{c.difference:+.2f} min [{c.low:+.2f}, {c.high:+.2f}]"
        if not c.distinguishable:
            return (
                f"Against {en_name}: naive − model error {span} per hour (95 % bootstrap "
                f"interval, {len(main.months)} months): not distinguishable from the naive "
                "forecast.",
                f"Frente a {es_name}: error ingenuo − modelo {span} por hora (intervalo "
                f"bootstrap 95 %, {len(main.months)} meses): no distinguible del pronóstico "
                "ingenuo.",
            )
        better = c.difference > 0
        return (
            f"Against {en_name}: naive − model error {span} per hour (95 % bootstrap interval, "
            f"{len(main.months)} months): the model is "
            + (
                "closer; the interval excludes zero."
                if better
                else "worse; the interval excludes zero."
            ),
            f"Frente a {es_name}: error ingenuo − modelo {span} por hora (intervalo bootstrap "
            f"95 %, {len(main.months)} meses): el modelo "
            + (
                "se acerca más; el intervalo excluye el cero."
                if better
                else "es peor; el intervalo excluye el cero."
            ),
        )

    en1, es1 = sentence(same_hour, "the same-hour mean", "la media de la misma hora")
    en2, es2 = sentence(level, "the overall mean", "la media general")
    passed = same_hour.distinguishable and same_hour.difference > 0
    en3 = (
        "Stated test (the interval of the same-hour comparison excludes zero, the model closer): "
        + (
            "passed: the model is validated for the effect of a month's volume on its waits."
            if passed
            else "not passed: the model is not validated for the effect of volume on waits. "
            "The weekly shape is reproduced by construction (the profile is the other months' "
            "mean), which is not a test of the model."
        )
        + f" Volume and mean wait correlate at {main.volume_wait_correlation:+.2f} across months."
    )
    es3 = (
        "Prueba declarada (el intervalo de la comparación con la misma hora excluye el cero, "
        "el modelo más cerca): "
        + (
            "superada: el modelo queda validado para el efecto del volumen de un mes en sus "
            "esperas."
            if passed
            else "no superada: el modelo no queda validado para el efecto del volumen en las "
            "esperas. La forma de la semana se reproduce por construcción (el perfil es la "
            "media de los otros meses), lo que no es una prueba del modelo."
        )
        + f" El volumen y la espera media se correlacionan en {main.volume_wait_correlation:+.2f}"
        " entre meses."
    )
    return [Block("p", _t(L, en1, es1)), Block("p", _t(L, en2, es2)), Block("p", _t(L, en3, es3))]


def weekday_table(language: str, grid: list[list[float | None]]) -> list[Block]:
    """The weekday × hour map's figures by weekday, named (0 = Monday, as WEEKDAY_NOTE says)."""
    L = language
    rows = [
        (
            _t(L, "Weekday", "Día"),
            _t(L, "Mean wait (min)", "Espera media (min)"),
            _t(L, "Busiest hour", "Hora más cargada"),
            _t(L, "Its mean wait (min)", "Su espera media (min)"),
        )
    ]
    for names, hours in zip(WEEKDAYS, grid, strict=False):
        held = [(minutes, hour) for hour, minutes in enumerate(hours) if minutes is not None]
        if not held:
            rows.append((_t(L, *names), "–", "–", "–"))
            continue
        peak, at = max(held, key=lambda pair: (pair[0], -pair[1]))
        mean = sum(minutes for minutes, _ in held) / len(held)
        rows.append((_t(L, *names), f"{mean:.1f}", f"{at:02d}:00", f"{peak:.1f}"))
    return [Block("table", rows=tuple(rows))] if len(rows) > 1 else []


def to_markdown(blocks: list[Block]) -> str:
    out: list[str] = []
    for b in blocks:
        if b.kind == "h1":
            out.append(f"# {b.text}")
        elif b.kind == "h2":
            out.append(f"## {b.text}")
        elif b.kind == "p":
            out.append(b.text)
        elif b.kind == "img":
            out.append(f"![]({b.text})")
        elif b.kind == "table":
            head, *rest = b.rows
            out.append("| " + " | ".join(head) + " |")
            out.append("|" + "---|" * len(head))
            out += ["| " + " | ".join(r) + " |" for r in rest]
        out.append("")
    return "\n".join(out)


def to_html(blocks: list[Block], language: str) -> str:
    body: list[str] = []
    for b in blocks:
        if b.kind in ("h1", "h2", "p"):
            body.append(f"<{b.kind}>{html.escape(b.text)}</{b.kind}>")
        elif b.kind == "img":
            body.append(f'<img src="{html.escape(b.text)}" alt="" style="max-width:100%">')
        elif b.kind == "table":
            head, *rest = b.rows
            cells = "".join(f"<th>{html.escape(c)}</th>" for c in head)
            rows = "".join(
                "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in r) + "</tr>" for r in rest
            )
            body.append(f"<table><thead><tr>{cells}</tr></thead><tbody>{rows}</tbody></table>")
    title = html.escape(blocks[0].text)
    style = (
        "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;"
        "text-align:right}"
    )
    return (
        f'<!doctype html>\n<html lang="{language}"><head><meta charset="utf-8">'
        f"<title>{title}</title><style>{style}</style></head><body>\n"
        + "\n".join(body)
        + "\n</body></html>\n"
    )


def write_analysis(
    session: Session,
    port_code: str,
    crossing: str,
    output: Path,
    *,
    reference_year: int = 2019,
) -> list[Path]:
    """Compute the analysis and write it; returns the files written."""
    output.mkdir(parents=True, exist_ok=True)
    volumes: dict[Mode, list[analysis.YearTotal]] = {}
    seasons: dict[Mode, list[float]] = {}
    trends: dict[Mode, analysis.Trend] = {}
    series_by_mode = {}
    for mode in Mode:
        series = analysis.monthly_series(session, [port_code], mode)
        if not series:
            continue
        series_by_mode[mode] = series
        volumes[mode] = analysis.annual_totals(series)
        try:
            seasons[mode] = analysis.seasonality(series)
            trends[mode] = analysis.trend(volumes[mode])
        except NotEnoughData:
            pass
    if not volumes:
        raise NotEnoughData(f"no crossings held for port {port_code}; import the BTS file first")
    study = study_crossing(session, crossing, reference_year=reference_year)
    mode = {"passenger": Mode.PERSONAL_VEHICLES}.get(study.lane, Mode.PEDESTRIANS)
    held = [t.year for t in volumes.get(mode, []) if t.complete]
    spread = sensitivity(session, crossing, held[-8:]) if held else None
    cells = analysis.wait_cells(session, crossing, "passenger")
    grid = analysis.weekday_hour_grid(cells)
    images = {
        "volumes": charts.volumes_chart(volumes, output / "volumes.png"),
        "seasonality": charts.seasonality_chart(seasons, output / "seasonality.png"),
        "heatmap": charts.heatmap_chart(grid, output / "waits.png"),
        "profile": charts.profile_chart(session, crossing, output / "waits-by-hour.png"),
        "validation": charts.validation_chart(study, output / "validation.png"),
        "scenarios": charts.scenarios_chart(study, output / "scenarios.png"),
    }
    written = [output / name for name in images.values()]
    for language in ("en", "es"):
        blocks = build_blocks(
            language, port_code, volumes, seasons, trends, study, images, spread, grid
        )
        md = output / f"port-services-{port_code}.{language}.md"
        md.write_text(to_markdown(blocks), "utf-8")
        page = output / f"port-services-{port_code}.{language}.html"
        page.write_text(to_html(blocks, language), "utf-8")
        written += [md, page]
    return written
