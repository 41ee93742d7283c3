"""The joint analysis of a quarter in the browser: the joint edition as the documents carry
it (the same blocks of :mod:`alianza.analysis.tables`, with server-rendered SVG charts), its
scope and provenance, each government's signature over its content hash, and the downloads
through the analysis renderers (md, html, docx, csv, xlsx; English, Spanish, bilingual).

Both sides are read as exchanged (the edition: the packages both nodes hold; the working view:
this node's own side computed exactly as its package would be, bilateral records of the common
border only), so no national-only record is shown.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.analysis.cache import JointAnalysisCache
from alianza.analysis.cosign import other_editions_signed, sign_and_send, signature_state
from alianza.analysis.joint import COUNTRIES, JointAnalysis, edition_scope
from alianza.analysis.labels import label
from alianza.analysis.measures import trend_drugs
from alianza.analysis.render import content_hash
from alianza.analysis.svg import grouped_bars, trend_lines
from alianza.analysis.tables import blocks, provenance_notice_parts
from alianza.catalogue import message_of
from alianza.db import Session
from alianza.exchange.inbox import package_quarters
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.periods import parse_quarter, quarter_of, quarter_start
from alianza.pme.cycle_transport import push_to_partner
from alianza.web.errors import (
    NO_KEYS,
    NO_KEYS_BECAUSE,
    NO_OWN_PACKAGE,
    NO_SEIZURE_TABLES,
    ApiError,
)
from alianza.web.render import language_of, render
from alianza.web.security import check_csrf, database, require
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
    """The node's analyses, kept in its database while the data have not changed."""
    cache = getattr(app.state, "joint_analyses", None)
    if not isinstance(cache, JointAnalysisCache):
        # the shared table, and the latest few also in this worker: under load (50 users) the
        # table's read and decoding cost more than the memory (benchmarks/README.md)
        cache = app.state.joint_analyses = JointAnalysisCache(app.state.database, memo_size=16)
    return cache


def _analysis(request: Request, quarter: str, own: str) -> JointAnalysis:
    with database(request).reader() as session:
        return analysis_cache(request.app).get(session, quarter, own_country=own)


def _checked_quarter(quarter: str) -> str:
    try:
        parse_quarter(quarter)
    except ValueError as error:
        raise ApiError(422, "bad-quarter", message_of(error)) from None
    return quarter.strip().upper()


VIEWS = ("edition", "records")
LANGUAGE_NAMES = {"en": "English", "es": "Español", "both": "English / Español"}
_NUMBER = re.compile(r"[-+]?[\d,]+(\.\d+)?[*%]?|—")


def _charts(analysis: JointAnalysis, language: str) -> dict[str, list[tuple[str, str]]]:
    """The page's SVG charts by the name of the document block they stand above (the same
    charts the document draws as images: totals, a trend per drug, transport modes)."""
    es = language == "es"
    unit = "aseguramientos" if es else "seizures"
    drug_label = code_labeller("drug_group", language)
    mode_label = code_labeller("transport_mode", language)
    totals = grouped_bars(
        "chart-totals",
        ("Aseguramientos por droga, " if es else "Seizures by drug, ") + analysis.quarter,
        [
            (drug_label(d), {c: f.seizures for c, f in analysis.totals.get((d,), {}).items()})
            for d in analysis.drugs()
        ],
        unit,
        titles=(
            "Droga" if es else "Drug",
            "Aseguramientos (número)" if es else "Seizures (number)",
        ),
    )
    by_mode: dict[str, dict[str, float]] = {}
    for (mode, _drug), by_country in analysis.transport.items():
        for country, figures in by_country.items():
            by_mode.setdefault(mode, {}).setdefault(country, 0.0)
            by_mode[mode][country] += figures.seizures
    transport = grouped_bars(
        "chart-transport",
        "Medios de transporte más usados" if es else "Transport methods most used",
        [
            (mode_label(mode), by_mode.get(mode, {}))
            for mode, _n, _d in analysis.top_transport_modes()
        ],
        unit,
        titles=(
            "Medio de transporte" if es else "Transport method",
            "Aseguramientos (número)" if es else "Seizures (number)",
        ),
    )
    trends = [
        (
            f"{drug_label(drug)} (kg)",
            trend_lines(
                f"chart-trend-{drug}",
                f"{drug_label(drug)} (kg)",
                analysis,
                drug=drug,
                titles=(
                    "Trimestre" if es else "Quarter",
                    "Cantidad asegurada (kg)" if es else "Amount seized (kg)",
                ),
            ),
        )
        for drug in trend_drugs(analysis)
    ]
    return {"totals": [("", totals)], "trend": trends, "transport": [("", transport)]}


@router.get("/analysis")
def analysis_page(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    quarter: str | None = None,
    view: str = "edition",
) -> Response:
    """The joint analysis of a quarter: by default the joint edition (the packages both nodes
    hold: the same figures, blocks and content hash as the downloads), its scope and
    provenance, each government's signature, the downloads; ``view=records``: this node's
    working view from its own records."""
    with database(request).reader() as session:
        quarters = _quarters(session)
    quarter = _checked_quarter(_default_of(quarters) if quarter is None else quarter)
    view = view if view in VIEWS else "edition"
    own = own_country(request.app)
    language = language_of(request)
    context: dict[str, Any] = {
        "quarter": quarter,
        "quarters": quarters if quarter in quarters else [quarter, *quarters],
        "own": own,
        "view": view,
        "formats": list(FORMATS),
        "languages": LANGUAGE_NAMES,
        "countries": COUNTRIES,
    }
    if own is None:
        return render(request, "exchange/analysis.html", analysis=None, **context)
    inputs = "packages" if view == "edition" else "records"
    with database(request).reader() as session:
        analysis = analysis_cache(request.app).get(session, quarter, own_country=own, inputs=inputs)
        digest = content_hash(analysis)
        states = signature_state(session, quarter, digest, COUNTRIES)
        others = other_editions_signed(session, quarter, digest)
    shown = [b for b in blocks(analysis, language) if b.key not in ("sources", "inputs")]
    inputs_block = next(b for b in blocks(analysis, language) if b.key == "inputs")
    return render(
        request,
        "exchange/analysis.html",
        analysis=analysis,
        blocks=shown,
        inputs_block=inputs_block,
        charts=_charts(analysis, language),
        numeric=lambda cell: bool(_NUMBER.fullmatch(cell)),
        content_hash=digest,
        signatures=states,
        other_signatures=others,
        can_sign=(
            view == "edition"
            and analysis.available.get(own, False)
            and user.can(Permission.EXCHANGE_MANAGE)
            and not any(s.signed for s in states if s.country == own)
        ),
        scopes=[(c, edition_scope(c)) for c in COUNTRIES],
        marking=label("analysis.marking", language),
        notices=provenance_notice_parts(analysis, language),
        **context,
    )


@router.post("/analysis/sign", dependencies=[Depends(check_csrf)])
def analysis_sign(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.EXCHANGE_MANAGE))],
    quarter: Annotated[str, Form()],
) -> Response:
    """Sign this node's joint edition of the quarter; the signature goes to the partner node
    as a cycle message (pushed now when the partner answers, else by the delivery loop)."""
    quarter = _checked_quarter(quarter)
    own = own_country(request.app)
    try:
        keys = load_node_keys(request.app.state.settings)
    except NodeKeyError as error:
        raise ApiError(
            409, "node-not-initialised", NO_KEYS_BECAUSE.said(error=message_of(error))
        ) from None
    with database(request).reader() as session:
        analysis = analysis_cache(request.app).get(
            session, quarter, own_country=own or keys.identity.country, inputs="packages"
        )
    if not analysis.available.get(keys.identity.country):
        raise ApiError(
            409,
            "no-own-package",
            NO_OWN_PACKAGE.said(quarter=quarter),
        )
    with database(request).transaction() as session:
        sign_and_send(
            session,
            keys,
            quarter=quarter,
            content_hash=content_hash(analysis),
            actor=user,
        )
    push_to_partner(database(request), request.app.state.settings)
    return RedirectResponse(f"/analysis?quarter={quarter}#edition", status_code=303)


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
        report_csv,
        report_docx,
        report_html,
        report_markdown,
        report_xlsx,
    )

    if format not in FORMATS:
        raise ApiError(
            404, "not-found", refusals.FORMAT.said(name=repr(format), allowed=", ".join(FORMATS))
        )
    quarter = _checked_quarter(quarter)
    own = own_country(request.app)
    if own is None:
        raise ApiError(409, "node-not-initialised", NO_KEYS.said())
    # the joint edition: from the packages both nodes hold, the same whichever renders it
    with database(request).reader() as session:
        analysis = analysis_cache(request.app).get(
            session, quarter, own_country=own, inputs="packages"
        )
        digest = content_hash(analysis)
        states = tuple(signature_state(session, quarter, digest, COUNTRIES))
    if not any(analysis.available.values()):
        raise ApiError(404, "not-found", NO_SEIZURE_TABLES.said(quarter=quarter))
    language = lang if lang in ("en", "es", "both") else language_of(request)
    edition = Edition(analysis, language, node_author(request.app, own), states)
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
            "X-Content-Hash": digest,
        },
    )
