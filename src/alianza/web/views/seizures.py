"""Seizure pages: overview (tables and charts), import with its validation report, recent
imports, quarantine, border map. Every figure respects releasability (seizures/access.py)."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.codes.reference import find_port
from alianza.seizures.aggregate import NOT_REPORTED, UnknownDimension
from alianza.seizures.cache import cached_aggregate
from alianza.seizures.overview import (
    DataSource,
    Place,
    choices,
    data_sources,
    fiscal_years,
    label,
    map_places,
)
from alianza.seizures.quarantine import list_quarantine, quarantine_sources
from alianza.seizures.reports import get_report, list_reports, report_csv
from alianza.web.errors import ApiError
from alianza.web.i18n import format_number, translate
from alianza.web.params import OptionalId, RowId
from alianza.web.render import language_of, render
from alianza.web.security import check_csrf, database, require
from alianza.web.seizures_common import import_upload, profile_choices
from alianza.web.svg import MapMark, bar_cell, border_map
from alianza.web.warm import warmer_of

router = APIRouter(include_in_schema=False)
READ = Depends(require(Permission.SEIZURES_READ))
IMPORT = Depends(require(Permission.SEIZURES_IMPORT))

# Dimensions the overview offers (issue 6: quarter, drug, location, concealment, transport).
OVERVIEW_DIMENSIONS = (
    "quarter",
    "fiscal_year",
    "drug",
    "drug_group",
    "location",
    "concealment",
    "transport_mode",
    "country",
    "component",
)
FILTERS = ("drug_group", "drug", "country", "region", "fiscal_year")
MEASURES = ("seizures", "amount_kg")


def _filters(params: dict[str, str]) -> dict[str, set[str]]:
    return {name: {params[name]} for name in FILTERS if params.get(name)}


def _sources(session: Any, filters: dict[str, set[str]], user: Principal) -> list[DataSource]:
    """The sources of the figures a page shows (same filters, same releasability), each with
    the provenance stored with its imports."""
    cells = cached_aggregate(session, ["source"], filters, viewer_country=user.country.value)
    return data_sources(session, {key[0] for key in cells.cells})


def _kg(value: float | None, language: str) -> str:
    if value is None:
        return translate("sz_not_reported", language)
    return format_number(value, language, 1)


@router.get("/seizures")
def overview(
    request: Request,
    user: Annotated[Principal, READ],
    by: str = "quarter",
    measure: str = "seizures",
    drug_group: str = "",
    drug: str = "",
    country: str = "",
    region: str = "",
    fiscal_year: str = "",
) -> Response:
    language = language_of(request)
    if by not in OVERVIEW_DIMENSIONS:
        raise ApiError(422, "invalid-input", refusals.one_of("by", OVERVIEW_DIMENSIONS))
    if measure not in MEASURES:
        raise ApiError(422, "invalid-input", refusals.one_of("measure", MEASURES))
    params = {
        "drug_group": drug_group,
        "drug": drug,
        "country": country,
        "region": region,
        "fiscal_year": fiscal_year,
    }
    with database(request).reader() as session:
        result = cached_aggregate(
            session, [by], _filters(params), viewer_country=user.country.value
        )
        years = fiscal_years(session)
        sources = _sources(session, _filters(params), user)
    rows = [
        {
            "value": r[by],
            "label": label(by, r[by], language),
            "seizures": r["seizures"],
            "amount_kg": r["amount_kg"],
            "without_kg": r["records_without_kg"],
        }
        for r in result.rows()
    ]
    chronological = by in ("quarter", "fiscal_year")
    if not chronological:
        rows.sort(key=lambda r: (-(r[measure] or 0), r["label"]))
    # the chart is a column of the table: a bar in each row, so bars and figures line up; the
    # "not reported" row has none (it would dwarf the rest) and says so
    charted = [r for r in rows if r["value"] != NOT_REPORTED] or rows
    top = max((r[measure] or 0 for r in charted), default=0)
    for r in rows:
        r["bar"] = bar_cell(r[measure], top) if r in charted else None
    counts = [r["seizures"] for r in rows]  # None: not reported by the source (not zero)
    total_seizures = None if None in counts else sum(c for c in counts if c is not None)
    masses = [r["amount_kg"] for r in rows if r["amount_kg"] is not None]
    return render(
        request,
        "seizures/index.html",
        by=by,
        measure=measure,
        params=params,
        dimensions=OVERVIEW_DIMENSIONS,
        measures=MEASURES,
        rows=rows,
        bar_title=translate(f"sz_axis_{measure}", language),
        total_seizures=total_seizures,
        total_kg=sum(masses) if masses else None,
        kg=lambda v: _kg(v, language),
        options={
            "drug_group": choices("drug_group", language),
            "drug": choices("drug", language),
            "country": choices("country", language),
            "region": choices("region", language),
            "fiscal_year": [(y, y) for y in years],
        },
        filters=FILTERS,
        not_reported_value=NOT_REPORTED,
        sources=sources,
    )


@router.get("/seizures/import")
def import_form(request: Request, _user: Annotated[Principal, IMPORT]) -> Response:
    return render(request, "seizures/import.html", profiles=profile_choices(language_of(request)))


@router.post("/seizures/import", dependencies=[Depends(check_csrf)])
async def import_post(
    request: Request,
    file: UploadFile,
    user: Annotated[Principal, IMPORT],
    profile: Annotated[str, Form()] = "canonical",
) -> Response:
    stored = await import_upload(
        database(request), file, profile, user, limit=request.app.state.settings.max_upload_bytes
    )
    warmer_of(request.app).request()  # the new totals, before the next view
    return RedirectResponse(f"/seizures/imports/{stored.id}", status_code=303)


@router.get("/seizures/imports")
def imports_page(request: Request, user: Annotated[Principal, READ]) -> Response:
    with database(request).reader() as session:
        reports = list_reports(session, country=user.country.value)
    return render(request, "seizures/imports.html", reports=reports)


def _report_or_404(request: Request, report_id: int, user: Principal) -> Any:
    with database(request).reader() as session:
        stored = get_report(session, report_id, country=user.country.value)
    if stored is None:
        raise ApiError(404, "not-found", refusals.not_found("import report", report_id))
    return stored


@router.get("/seizures/imports/{report_id}")
def report_page(request: Request, report_id: RowId, user: Annotated[Principal, READ]) -> Response:
    stored = _report_or_404(request, report_id, user)
    return render(request, "seizures/report.html", stored=stored, stats=stored.stats)


@router.get("/seizures/imports/{report_id}/report.{kind}")
def report_download(
    request: Request, report_id: RowId, kind: str, user: Annotated[Principal, READ]
) -> Response:
    stored = _report_or_404(request, report_id, user)
    stem = f"import-{report_id}-report"
    if kind == "json":
        body = json.dumps(stored.report, ensure_ascii=False, indent=2) + "\n"
        media = "application/json"
    elif kind == "csv":
        body, media = report_csv(stored.report), "text/csv; charset=utf-8"
    else:
        raise ApiError(404, "not-found", refusals.REPORT_FORMATS.said())
    return Response(
        body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{stem}.{kind}"'},
    )


@router.get("/seizures/quarantine")
def quarantine_page(
    request: Request,
    user: Annotated[Principal, READ],
    batch: OptionalId = None,
    source: str = "",
) -> Response:
    with database(request).reader() as session:
        entries, total = list_quarantine(
            session, viewer_country=user.country.value, batch_id=batch, source=source or None
        )
        sources = quarantine_sources(session)
    return render(
        request,
        "seizures/quarantine.html",
        entries=entries,
        total=total,
        batch=batch,
        source=source,
        batches=sorted({b for b, _s in sources}),
        files=sorted({s for _b, s in sources}),
    )


def mark_name(port_code: str, name: str, side: str) -> str:
    """A port's name as the node's own side calls it: the MX node names the Mexican crossing
    (Ciudad Juárez for 2402), the US node the US port (El Paso)."""
    port = find_port(port_code)
    if port is not None and side == "MX":
        return f"{port.mexican_city} ({port_code})"
    return name


@router.get("/seizures/map")
def map_page(
    request: Request,
    user: Annotated[Principal, READ],
    drug_group: str = "",
    drug: str = "",
    fiscal_year: str = "",
    measure: str = "seizures",
) -> Response:
    language = language_of(request)
    if measure not in MEASURES:
        raise ApiError(422, "invalid-input", refusals.one_of("measure", MEASURES))
    params = {"drug_group": drug_group, "drug": drug, "fiscal_year": fiscal_year}
    try:
        with database(request).reader() as session:
            places = map_places(session, _filters(params), viewer_country=user.country.value)
            years = fiscal_years(session)
            sources = _sources(session, _filters(params), user)
    except UnknownDimension as error:  # pragma: no cover - FILTERS are all dimensions
        raise ApiError(422, "invalid-input", message_of(error)) from None

    def shown(events: int, kg: float | None) -> str:
        word = translate("sz_measure_seizures", language).lower()
        return f"{format_number(events, language)} {word}, {_kg(kg, language)} kg"

    side = user.country.value  # each node names and places a crossing from its own side

    def place_name(place: Place) -> str:
        return mark_name(place.key, place.name, side) if place.kind == "port" else place.name

    marks = [
        MapMark(
            place_name(p),
            p.longitude,
            p.latitude,
            float(p.seizures) if measure == "seizures" else p.amount_kg,
            shown(p.seizures, p.amount_kg),
            p.kind,
        )
        for p in places
        if p.longitude is not None and p.latitude is not None
    ]
    measure_label = translate(f"sz_measure_{measure}", language)
    svg = border_map(
        translate("sz_map_title", language, measure=measure_label),
        translate("sz_map_desc", language, n=len(marks)),
        marks,
        country_labels=(
            translate("sz_country_us", language),
            translate("sz_country_mx", language),
        ),
        river_label=translate("sz_river", language),
        side=side,
        state_names={"New Mexico": translate("sz_state_new_mexico", language)},
    )
    return render(
        request,
        "seizures/map.html",
        svg=svg,
        places=places,
        params=params,
        measure=measure,
        measures=MEASURES,
        kg=lambda v: _kg(v, language),
        options={
            "drug_group": choices("drug_group", language),
            "drug": choices("drug", language),
            "fiscal_year": [(y, y) for y in years],
        },
        # US fiscal years are the CBP files' periods: no filter of theirs on the MX node
        map_filters=("drug_group", "drug", *(("fiscal_year",) if side == "US" else ())),
        place_name=place_name,
        sources=sources,
    )
