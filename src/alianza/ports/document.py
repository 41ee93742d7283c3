"""The bilingual port-services analysis (10.7): Markdown and HTML in English and Spanish, with
PNG charts. Every figure in it is computed from the data held at the time it is written."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from alianza.ports import analysis, charts
from alianza.ports import document_text as T
from alianza.ports.analysis import NotEnoughData
from alianza.ports.heavy_traffic import DEFAULT_SCENARIOS
from alianza.ports.holdout import Comparison, Validation, bootstrap_comparison
from alianza.ports.reference import CROSSINGS, MODE_LABELS, WEEKDAY_NOTE, WEEKDAYS, Mode, port
from alianza.ports.study import CrossingStudy, Sensitivity, sensitivity, study_crossing


@dataclass(frozen=True)
class Block:
    kind: str  # h1, h2, p, table, img
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


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
    """The document in ``language``: its words are the catalogue's (ports/document_text.py)."""
    L = language
    blocks = [
        *_opening(L, port_code),
        *_volume_blocks(L, volumes, trends, images),
        *_wait_blocks(L, study, images, grid or []),
        *_model_blocks(L, study),
        *validation_verdict(L, study.validation),
        Block("img", images["validation"]),
        *_dedicated_blocks(L, study),
        *_option_blocks(L, study, images),
    ]
    if spread is not None:
        blocks += sensitivity_blocks(L, spread)
    return blocks


def _opening(L: str, port_code: str) -> list[Block]:
    p = port(port_code)
    return [
        Block("h1", T.TITLE(L, port=p.bts_name, city=p.mexican_city)),
        Block(
            "p",
            T.INTRO(L, code=p.code, state=p.state, city=p.mexican_city, city_state=p.mexican_state),
        ),
    ]


def _volume_blocks(
    L: str,
    volumes: dict[Mode, list[analysis.YearTotal]],
    trends: dict[Mode, analysis.Trend],
    images: dict[str, str],
) -> list[Block]:
    years = sorted({t.year for totals in volumes.values() for t in totals})
    rows = [(T.YEAR(L), *(MODE_LABELS[m](L) for m in volumes))]
    for year in years:
        cells = [str(year)]
        for m in volumes:
            t = next((t for t in volumes[m] if t.year == year), None)
            if t is not None and t.zero_only:
                cells.append(T.ALL_ZERO(L))
                continue
            cells.append("–" if t is None else _number(t.total, L) + ("" if t.complete else "*"))
        rows.append(tuple(cells))
    trend_rows = [(T.MODE(L), T.YEARS(L), T.CHANGE_PER_YEAR(L), T.OF_MEAN(L))]
    for m, tr in trends.items():
        trend_rows.append(
            (
                MODE_LABELS[m](L),
                f"{tr.first_year}–{tr.last_year}",
                f"{tr.slope_per_year:+,.0f}",
                f"{tr.change_per_year_pct:+.1f}",
            )
        )
    return [
        Block("h2", T.VOLUMES(L)),
        Block("table", rows=tuple(rows)),
        Block("p", T.VOLUMES_NOTE(L)),
        Block("img", images["volumes"]),
        Block("h2", T.SEASONALITY(L)),
        Block("img", images["seasonality"]),
        Block("table", rows=tuple(trend_rows)),
    ]


def _wait_blocks(
    L: str, study: CrossingStudy, images: dict[str, str], grid: list[list[float | None]]
) -> list[Block]:
    crossing = CROSSINGS[study.crossing]
    return [
        Block("h2", T.WAITS(L, name=crossing.name, number=crossing.number)),
        Block("p", T.WAITS_NOTE(L) + " " + WEEKDAY_NOTE(L)),
        Block("img", images["heatmap"]),
        *weekday_table(L, grid),
        Block("img", images["profile"]),
    ]


def _model_blocks(L: str, study: CrossingStudy) -> list[Block]:
    model = study.model
    fit = [(T.LANES(L), T.MODEL_COLUMN(L), T.SAME_HOUR(L), T.OVERALL_MEAN(L))]
    for v in study.validations:
        fit.append(
            (
                T.LANE_LABELS[v.lane](L),
                f"{v.model_mae:.2f} ({round(v.model_bias, 2) + 0.0:+.2f})",
                f"{v.naive_mae:.2f}",
                f"{v.flat_mae:.2f}",
            )
        )
    described = T.MODEL(
        L,
        peak=model.peak,
        scale=model.scale,
        year=study.reference_year,
        daily=_number(study.daily_volume, L),
        lanes=model.lanes,
        seconds=model.service_minutes * 60,
    )
    return [
        Block("h2", T.MODEL_HEADING(L)),
        Block("p", described),
        Block("h2", T.FIT_HEADING(L)),
        Block("p", T.FIT(L)),
        Block("table", rows=tuple(fit)),
    ]


def _dedicated_blocks(L: str, study: CrossingStudy) -> list[Block]:
    if not study.dedicated:
        return []
    rows = [
        (
            T.LANES(L),
            "u",
            "κ",
            T.LANE_GROUP(L),
            T.PROPORTIONAL(L),
            T.OVERALL_MEAN(L),
        )
    ]
    for d in study.dedicated:
        rows.append(
            (
                T.LANE_LABELS[d.lane](L),
                f"{d.utilisation_ratio:.2f}",
                f"{d.scale_ratio:.2f}",
                f"{d.model_mae:.2f}",
                f"{d.proportional_mae:.2f}",
                f"{d.flat_mae:.2f}",
            )
        )
    return [Block("p", T.DEDICATED(L)), Block("table", rows=tuple(rows))]


def _option_blocks(L: str, study: CrossingStudy, images: dict[str, str]) -> list[Block]:
    scen = [(T.SCENARIO(L), T.MEAN_WAIT(L), T.PEAK_WAIT(L), T.COMMUTER(L))]
    for r in study.scenarios:
        name = r.scenario.named(L)
        commuter = "" if r.commuter_wait is None else f"{r.commuter_wait:.1f}"
        scen.append((name, f"{r.mean_wait:.1f}", f"{r.peak_wait:.1f}", commuter))
    return [
        Block("h2", T.OPTIONS_HEADING(L)),
        Block("p", T.OPTIONS(L)),
        Block("table", rows=tuple(scen)),
        Block("img", images["scenarios"]),
    ]


def sensitivity_blocks(L: str, spread: Sensitivity) -> list[Block]:
    """Each scenario's mean wait as a range over the BTS years that calibrate and the
    inspection times tried, and whether the order of the options holds across them."""
    years = ", ".join(map(str, spread.years))
    seconds = ", ".join(f"{60 * m:.0f}" for m in spread.service_minutes)
    refused = ", ".join(map(str, spread.refused_years))
    rows = [(T.SCENARIO(L), T.MEAN_WAIT_RANGE(L))]
    named = {s.name: s for s in DEFAULT_SCENARIOS}
    for name, (low, high) in spread.ranges.items():
        shown = named[name].named(L) if name in named else name
        rows.append((shown, f"{low:.1f}–{high:.1f}"))
    inputs = (
        T.SENSITIVITY_REFUSED(L, years=years, seconds=seconds, refused=refused)
        if refused
        else T.SENSITIVITY(L, years=years, seconds=seconds)
    )
    order = (
        T.ORDER_HOLDS(L)
        if spread.ranking_stable
        else T.ORDER_CHANGES(L, count=len(spread.rankings))
    )
    return [Block("p", f"{inputs} {order}"), Block("table", rows=tuple(rows))]


def validation_verdict(L: str, main: Validation) -> list[Block]:
    """What the validation shows, and only that: each comparison with its 95 % bootstrap
    interval over the held-out months; "not distinguishable from the naive forecast" where the
    interval holds zero. The word "validated" is used only when the stated test (the interval
    excludes zero, the model closer) passes."""
    same_hour = bootstrap_comparison(main, "naive")
    level = bootstrap_comparison(main, "flat")

    def sentence(c: Comparison, name: str) -> str:
        span = f"{c.difference:+.2f} min [{c.low:+.2f}, {c.high:+.2f}]"
        said = T.NOT_DISTINGUISHABLE
        if c.distinguishable:
            said = T.CLOSER if c.difference > 0 else T.WORSE
        return said(L, name=name, span=span, months=len(main.months))

    passed = same_hour.distinguishable and same_hour.difference > 0
    test = T.TEST_PASSED if passed else T.TEST_NOT_PASSED
    return [
        Block("p", sentence(same_hour, T.AGAINST_SAME_HOUR(L))),
        Block("p", sentence(level, T.AGAINST_OVERALL(L))),
        Block("p", test(L, correlation=main.volume_wait_correlation)),
    ]


def weekday_table(language: str, grid: list[list[float | None]]) -> list[Block]:
    """The weekday × hour map's figures by weekday, named (0 = Monday, as WEEKDAY_NOTE says)."""
    L = language
    rows = [(T.WEEKDAY(L), T.MEAN_WAIT(L), T.BUSIEST_HOUR(L), T.ITS_MEAN_WAIT(L))]
    for day, hours in zip(WEEKDAYS, grid, strict=False):
        held = [(minutes, hour) for hour, minutes in enumerate(hours) if minutes is not None]
        if not held:
            rows.append((day(L), "–", "–", "–"))
            continue
        peak, at = max(held, key=lambda pair: (pair[0], -pair[1]))
        mean = sum(minutes for minutes, _ in held) / len(held)
        rows.append((day(L), f"{mean:.1f}", f"{at:02d}:00", f"{peak:.1f}"))
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
        raise NotEnoughData(T.NO_CROSSINGS.said(port=port_code))
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
