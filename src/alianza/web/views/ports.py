"""Ports pages: port pairs (directory, drills, communication measures) and a port's analysis
(volumes by mode, seasonality, wait profiles, the crossing model's what-ifs) as SVG charts."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.liaison.directory import directory_overview, partner_directory, port_zone
from alianza.liaison.measures import communication_measures
from alianza.pme.dates import month_abbreviations
from alianza.ports.analysis import (
    NotEnoughData,
    YearTotal,
    annual_totals,
    mean_by,
    monthly_series,
    seasonality,
    trend,
    wait_cells,
    weekday_hour_grid,
)
from alianza.ports.reference import CROSSINGS, Mode, Port, UnknownPort, find_port
from alianza.ports.study import CrossingStudy, DegenerateCalibration, study_crossing
from alianza.ports.svg import bar_chart, line_chart
from alianza.web.errors import ApiError
from alianza.web.params import Year
from alianza.web.render import language_of, render
from alianza.web.security import database, require
from alianza.web.views.ports_alerts import page_stamp

router = APIRouter(include_in_schema=False)


@router.get("/ports")
def ports_page(
    request: Request, _user: Annotated[Principal, Depends(require(Permission.PORTS_READ))]
) -> Response:
    with database(request).reader() as session:
        pairs, contacts, drills = directory_overview(session)
        theirs = partner_directory(session)
        measures = communication_measures(session)
    names = {}
    for pair in pairs:
        try:
            names[pair.us_port_code] = find_port(pair.us_port_code).bts_name
        except UnknownPort:
            names[pair.us_port_code] = pair.us_port_code
    return render(
        request,
        "ports/index.html",
        pairs=pairs,
        names=names,
        contacts=contacts,
        theirs=theirs,
        zones={p.us_port_code: port_zone(p.us_port_code).key for p in pairs},
        drills=drills,
        measures=measures,
        crossings_of={c.port_code for c in CROSSINGS.values()},
        stamp=page_stamp(request),
    )


def _study(request: Request, crossing: str, year: int) -> CrossingStudy | str | None:
    """The crossing model (0.1-0.2 s; the page that shows it is kept by data version); the
    reason when the calibration is refused as degenerate."""
    with database(request).reader() as session:
        try:
            return study_crossing(session, crossing, reference_year=year)
        except DegenerateCalibration as refused:
            return message_of(refused)
        except (NotEnoughData, ValueError):
            return None


@router.get("/ports/{port}/analysis")
def analysis_page(
    request: Request,
    port: str,
    _user: Annotated[Principal, Depends(require(Permission.PORTS_READ))],
    year: Year = 2019,
) -> Response:
    try:
        found = find_port(port)
    except UnknownPort as error:
        raise ApiError(404, "not-found", message_of(error)) from None
    language = language_of(request)
    with database(request).reader() as session:
        version = tuple(session.connection().exec_driver_sql(_DATA_VERSION).one())
    key = (found.code, year, language, version)
    analyses = _analyses(request)
    context = analyses.get(key)
    if context is None:
        context = _analysis_context(request, found, year)
        if len(analyses) >= 64:
            analyses.pop(next(iter(analyses)))
        analyses[key] = context
    return render(request, "ports/analysis.html", **context)


# The analysis of a port, kept while the port data are unchanged: rows of these tables are only
# ever added by imports, so their newest ids are the data's version.
_DATA_VERSION = (
    "SELECT (SELECT max(id) FROM ports_import), (SELECT max(id) FROM ports_crossing), "
    "(SELECT max(id) FROM ports_wait_profile)"
)


def _analyses(request: Request) -> dict[tuple[object, ...], dict[str, Any]]:
    """This app's cache of port analyses (one per app: tests run several apps)."""
    state = request.app.state
    if not hasattr(state, "port_analyses"):
        state.port_analyses = {}
    cache: dict[tuple[object, ...], dict[str, Any]] = state.port_analyses
    return cache


def _analysis_context(request: Request, found: Port, year: int) -> dict[str, Any]:
    language = language_of(request)
    months = month_abbreviations(language)
    context: dict[str, Any] = {"port": found, "year": year}
    with database(request).reader() as session:
        by_mode = {mode: monthly_series(session, [found.code], mode) for mode in Mode}
        crossing = next((c.number for c in CROSSINGS.values() if c.port_code == found.code), None)
        cells = wait_cells(session, crossing, "passenger") if crossing else []
    totals = {mode: annual_totals(series) for mode, series in by_mode.items()}
    years = sorted({t.year for ts in totals.values() for t in ts})
    table = []
    for y in years:
        row = {}
        for mode in Mode:
            match = next((t for t in totals[mode] if t.year == y), None)
            row[mode] = match
        table.append((y, row))
    context["modes"] = list(Mode)
    context["volume_rows"] = table
    if years:
        label = {m: _mode_label(request, m) for m in Mode}
        context["volume_chart"] = line_chart(
            "volumes",
            _t(request, "po_volumes"),
            [str(y) for y in years],
            [
                (label[m], [_complete(row[m]) for _y, row in table])
                for m in Mode
                if any(row[m] for _y, row in table)
            ],
            x_title=_t(request, "po_axis_year"),
            y_title=_t(request, "po_axis_crossings"),
            every=max(1, len(years) // 12),
        )
        vehicles = by_mode[Mode.PERSONAL_VEHICLES]
        try:
            index = seasonality(vehicles)
            context["season"] = list(zip(months, index, strict=True))
            context["season_chart"] = bar_chart(
                "season",
                _t(request, "po_seasonality"),
                list(months),
                index,
                x_title=_t(request, "po_axis_month"),
                y_title=_t(request, "po_axis_index"),
            )
            context["trend"] = trend(annual_totals(vehicles))
        except (NotEnoughData, ValueError, ZeroDivisionError):
            context["season"] = None
    if cells:
        by_hour = mean_by(cells, "hour")
        context["crossing"] = crossing
        context["by_hour"] = by_hour
        context["hour_chart"] = bar_chart(
            "hours",
            _t(request, "po_waits_hour"),
            [f"{h:02d}" for h in by_hour],
            list(by_hour.values()),
            x_title=_t(request, "po_axis_hour"),
            y_title=_t(request, "po_axis_wait"),
        )
        grid = weekday_hour_grid(cells)
        top = max((v for row in grid for v in row if v is not None), default=1.0) or 1.0
        context["grid"] = [
            [(v, min(7, int(8 * v / top)) if v is not None else None) for v in row] for row in grid
        ]
        assert crossing is not None
        found_study = _study(request, crossing, year)
        context["study"] = found_study if isinstance(found_study, CrossingStudy) else None
        context["model_refused"] = found_study if isinstance(found_study, str) else None
    return context


def _complete(total: YearTotal | None) -> float | None:
    """A year's total when all 12 months are reported (the chart leaves partial years out)."""
    return float(total.total) if total is not None and total.complete else None


def _t(request: Request, key: str) -> str:
    from alianza.web.i18n import translate

    return translate(key, language_of(request))


def _mode_label(request: Request, mode: Mode) -> str:
    return _t(request, f"po_mode_{mode.value}")
