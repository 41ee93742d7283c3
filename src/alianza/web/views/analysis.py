"""The joint analysis of a quarter in the browser: tables, server-rendered SVG charts and
downloads through the analysis renderers (md, html, docx, csv, xlsx).

Both sides are read as exchanged (this node's own side computed exactly as its package would
be: bilateral records of the common border only), so no national-only record is shown.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.analysis.cache import JointAnalysisCache
from alianza.analysis.joint import COUNTRIES, JointAnalysis
from alianza.analysis.svg import grouped_bars, trend_lines, trend_series
from alianza.analysis.tables import provenance_notice_parts
from alianza.db import Session
from alianza.exchange.inbox import package_quarters
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.periods import parse_quarter, quarter_of, quarter_start
from alianza.web.errors import ApiError
from alianza.web.render import language_of, render
from alianza.web.security import database, require
from alianza.web.views.labels import code_labeller

router = APIRouter(include_in_schema=False)
FORMATS = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _quarters(session: Session) -> list[str]:
    """Quarters with a package either way, newest first."""
    found = package_quarters(session)
    return sorted(found, key=parse_quarter, reverse=True)


def default_quarter(session: Session) -> str:
    """The quarter /analysis shows without one asked for: the newest with a package, else the
    last quarter that ended."""
    return _default_of(_quarters(session))


def _default_of(quarters: list[str]) -> str:
    if quarters:
        return quarters[0]
    return quarter_of(quarter_start(quarter_of(date.today())) - timedelta(days=1))


def own_country(app: FastAPI) -> str | None:
    """The node's country: its identity's, else the one its database was opened with
    (``ALIANZA_COUNTRY``, see alianza.node)."""
    try:
        return load_node_keys(app.state.settings).identity.country
    except NodeKeyError:
        country = getattr(app.state.database, "country", None)
        return str(country) if country else None


def node_author(app: FastAPI, country: str) -> str:
    """The rendering node, as a document's author: its identity's name and country."""
    try:
        return f"{load_node_keys(app.state.settings).identity.name} ({country})"
    except NodeKeyError:
        return f"Alianza ({country})"


def analysis_cache(app: FastAPI) -> JointAnalysisCache:
    """The app's analyses, kept while the data have not changed."""
    cache = getattr(app.state, "joint_analyses", None)
    if not isinstance(cache, JointAnalysisCache):
        cache = app.state.joint_analyses = JointAnalysisCache()
    return cache


def _analysis(request: Request, quarter: str, own: str) -> JointAnalysis:
    with database(request).reader() as session:
        return analysis_cache(request.app).get(session, quarter, own_country=own)


def _checked_quarter(quarter: str) -> str:
    try:
        parse_quarter(quarter)
    except ValueError as error:
        raise ApiError(422, "bad-quarter", str(error)) from None
    return quarter.strip().upper()


@router.get("/analysis")
def analysis_page(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    quarter: str | None = None,
) -> Response:
    with database(request).reader() as session:
        quarters = _quarters(session)
    quarter = _checked_quarter(_default_of(quarters) if quarter is None else quarter)
    own = own_country(request.app)
    language = language_of(request)
    context: dict[str, Any] = {
        "quarter": quarter,
        "quarters": quarters if quarter in quarters else [quarter, *quarters],
        "own": own,
        "formats": list(FORMATS),
        "countries": COUNTRIES,
        "drug_label": code_labeller("drug_group", language),
        "concealment_label": code_labeller("concealment", language),
        "mode_label": code_labeller("transport_mode", language),
    }
    if own is None:
        return render(request, "exchange/analysis.html", analysis=None, **context)
    analysis = _analysis(request, quarter, own)
    drug_label = code_labeller("drug_group", language)
    mode_label = code_labeller("transport_mode", language)
    es = language == "es"
    totals_svg = grouped_bars(
        "chart-totals",
        ("Aseguramientos por droga, " if es else "Seizures by drug, ") + quarter,
        [
            (drug_label(d), {c: f.seizures for c, f in analysis.totals.get((d,), {}).items()})
            for d in analysis.drugs()
        ],
        "aseguramientos" if es else "seizures",
        titles=(
            "Droga" if es else "Drug",
            "Aseguramientos (número)" if es else "Seizures (number)",
        ),
    )
    top = analysis.top_transport_modes()
    transport_svg = grouped_bars(
        "chart-transport",
        "Medios de transporte más usados" if es else "Transport methods most used",
        [
            (
                mode_label(mode),
                {
                    c: sum(
                        f.seizures
                        for (m, _d), by_country in analysis.transport.items()
                        if m == mode
                        for cc, f in by_country.items()
                        if cc == c
                    )
                    for c in COUNTRIES
                },
            )
            for mode, _count, _drugs in top
        ],
        "aseguramientos" if es else "seizures",
        titles=(
            "Medio de transporte" if es else "Transport method",
            "Aseguramientos (número)" if es else "Seizures (number)",
        ),
    )
    trend_svg = trend_lines(
        "chart-trend",
        "Cantidad asegurada, todas las drogas (kg)" if es else "Amount seized, all drugs (kg)",
        analysis,
        titles=(
            "Trimestre" if es else "Quarter",
            "Cantidad asegurada (kg)" if es else "Amount seized (kg)",
        ),
    )
    trend_quarters, trend_kg = trend_series(analysis)
    corridors: dict[str, list[tuple[str, dict[str, object]]]] = {}
    for (corridor, drug), by_country in sorted(analysis.by_corridor.items()):
        corridors.setdefault(corridor, []).append((drug, dict(by_country)))
    return render(
        request,
        "exchange/analysis.html",
        analysis=analysis,
        totals_svg=totals_svg,
        transport_svg=transport_svg,
        trend_svg=trend_svg,
        trend_quarters=trend_quarters,
        trend_kg=trend_kg,
        top=top,
        corridors=corridors,
        notices=provenance_notice_parts(analysis, language),
        **context,
    )


@router.get("/analysis/download")
def analysis_download(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    quarter: str,
    format: str = "html",
    lang: str | None = None,
) -> Response:
    from alianza.analysis.charts import all_charts
    from alianza.analysis.render import (
        Edition,
        content_hash,
        report_csv,
        report_docx,
        report_html,
        report_markdown,
        report_xlsx,
    )

    if format not in FORMATS:
        raise ApiError(404, "not-found", f"no format {format!r} (one of: {', '.join(FORMATS)})")
    quarter = _checked_quarter(quarter)
    own = own_country(request.app)
    if own is None:
        raise ApiError(409, "node-not-initialised", "this node has no keys: alianza node init")
    # the joint edition: from the packages both nodes hold, the same whichever renders it
    with database(request).reader() as session:
        analysis = analysis_cache(request.app).get(
            session, quarter, own_country=own, inputs="packages"
        )
    if not any(analysis.available.values()):
        raise ApiError(404, "not-found", f"no seizure tables for {quarter} on either side")
    language = lang if lang in ("en", "es", "both") else language_of(request)
    edition = Edition(analysis, language, node_author(request.app, own))
    data: bytes
    if format == "csv":
        data = report_csv(analysis).encode()
    elif format == "xlsx":
        data = report_xlsx(edition)
    elif format == "docx":
        data = report_docx(edition, all_charts(analysis, language))
    elif format == "html":
        data = report_html(edition, all_charts(analysis, language)).encode()
    else:
        data = report_markdown(edition).encode()
    return Response(
        data,
        media_type=FORMATS[format],
        headers={
            "Content-Disposition": f'attachment; filename="joint-{quarter}.{format}"',
            "X-Content-Hash": content_hash(analysis),
        },
    )
