"""Reporting cycles in the browser: open, enter status in English and Spanish, submit, return,
approve (each government its own), waive, lock, publish, and download the published edition.

Every step calls :mod:`alianza.pme.cycles` with the logged-in user as actor; a government's
approval, return or waiver is always the user's own country's.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.node import node_country_or_none
from alianza.pme import cycle_outbox
from alianza.pme.cycle_inbox import arrivals
from alianza.pme.cycle_measures import submitted_measures
from alianza.pme.cycle_publish import edition_file, publish_cycle
from alianza.pme.cycle_transport import push_to_partner
from alianza.pme.cycles import (
    CycleNotFound,
    CycleRefused,
    CycleState,
    Government,
    approve_cycle,
    cycle_view,
    enter_status,
    list_cycles,
    lock_cycle,
    open_cycle,
    return_cycle,
    submit_cycle,
    waive_approval,
)
from alianza.pme.export import report_tsv
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.measure_changes import changed_since_submission
from alianza.pme.publication import build_edition, publication_markdown
from alianza.pme.publication.chart import timeline_png
from alianza.pme.publication.excel import publication_xlsx
from alianza.pme.publication.print_html import publication_html
from alianza.pme.publication.word import publication_docx
from alianza.pme.query import PlanNotFound
from alianza.web.errors import CYCLE_NOT_PUBLISHED, ApiError
from alianza.web.params import FIRST_DAY, LAST_DAY
from alianza.web.ports_live import node_keys
from alianza.web.render import render
from alianza.web.security import check_csrf, database, require

router = APIRouter(include_in_schema=False)
DOWNLOADS = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "tsv": "text/tab-separated-values; charset=utf-8",
}
STEPS = ("enter", "submit", "return", "approve", "waive", "lock", "publish")
RECEIVED_SHOWN = 20  # the latest cycle messages received, on the cycles page


def _page(request: Request, key: str, error: str | None = None, status: int = 200) -> Response:
    with database(request).reader() as session:
        try:
            view = cycle_view(session, key)
        except CycleNotFound as missing:
            raise ApiError(404, "not-found", message_of(missing)) from None
        from alianza.pme.query import load_plan_report

        actions = [a.number for a in load_plan_report(session).actions()]
        own = node_country_or_none(session)
        edition = edition_file(session, key) if view.state is CycleState.PUBLISHED else None
        waiting = len(cycle_outbox.pending(session))
        measures, submissions = submitted_measures(session, key)
        changes = changed_since_submission(session, cycle=key)
    texts: dict[str, dict[tuple[str, int], dict[str, object]]] = {}
    for text in view.texts:
        texts.setdefault(text.action, {}).setdefault((text.government, text.position), {})[
            text.language
        ] = text
    return render(
        request,
        "pme/cycle.html",
        status_code=status,
        cycle=view,
        texts=texts,
        actions=actions,
        error=error,
        downloads=list(DOWNLOADS),
        node_country=own.value if own else None,
        edition=edition,
        unsigned=sorted(
            {"US", "MX"} - {sig["country"] for sig in edition["signatures"]} if edition else ()
        ),
        waiting=waiting,
        measures=measures,
        submissions=submissions,
        changes=changes,
    )


@router.get("/pme/cycles")
def cycles_page(
    request: Request, _user: Annotated[Principal, Depends(require(Permission.PME_READ))]
) -> Response:
    with database(request).reader() as session:
        try:
            cycles = list_cycles(session)
        except PlanNotFound:
            cycles = []
        received = arrivals(session, limit=RECEIVED_SHOWN)
    return render(request, "pme/cycles.html", cycles=cycles, received=received, error=None)


@router.post("/pme/cycles", dependencies=[Depends(check_csrf)])
def open_cycle_form(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.PME_IMPORT))],
    key: Annotated[str, Form()],
    as_of: Annotated[date, Form(ge=FIRST_DAY, le=LAST_DAY)],
    label_en: Annotated[str, Form()],
    label_es: Annotated[str, Form()],
    due: Annotated[date | None, Form(ge=FIRST_DAY, le=LAST_DAY)] = None,
) -> Response:
    try:
        with database(request).transaction() as session:
            open_cycle(
                session,
                key.strip(),
                as_of=as_of,
                label_en=label_en,
                label_es=label_es,
                due=due,
                actor=user,
            )
    except (CycleRefused, PlanNotFound) as refused:
        with database(request).reader() as session:
            cycles = list_cycles(session)
            received = arrivals(session, limit=RECEIVED_SHOWN)
        return render(
            request,
            "pme/cycles.html",
            409,
            cycles=cycles,
            received=received,
            error=message_of(refused),
        )
    push_to_partner(database(request), request.app.state.settings)
    return RedirectResponse(f"/pme/cycles/{key.strip()}", status_code=303)


@router.get("/pme/cycles/{key}")
def cycle_page(
    request: Request, key: str, _user: Annotated[Principal, Depends(require(Permission.PME_READ))]
) -> Response:
    return _page(request, key)


def _government(user: Principal) -> Government:
    return Government(user.country.value)


@router.post("/pme/cycles/{key}/{step}", dependencies=[Depends(check_csrf)])
async def cycle_step(request: Request, key: str, step: str) -> Response:
    """One workflow step; the permission depends on the step (checked here, server-side)."""
    if step not in STEPS:
        raise ApiError(404, "not-found", refusals.not_found("step", repr(step)))
    needed = Permission.PME_IMPORT if step in ("enter", "submit") else Permission.PME_APPROVE
    user = require(needed)(request)
    form = await request.form()

    def field(name: str) -> str:
        value = form.get(name)
        return value.strip() if isinstance(value, str) else ""

    try:
        with database(request).transaction() as session:
            if step == "enter":
                position = int(field("paragraph")) if field("paragraph") else None
                enter_status(
                    session,
                    key,
                    field("action"),
                    government=Government(field("gov")),
                    language=field("lang"),
                    text=field("text"),
                    actor=user,
                    position=position,
                )
            elif step == "submit":
                submit_cycle(session, key, actor=user)
            elif step == "return":
                return_cycle(
                    session, key, government=_government(user), comment=field("comment"), actor=user
                )
            elif step == "approve":
                approve_cycle(
                    session, key, government=_government(user), language=field("lang"), actor=user
                )
            elif step == "waive":
                waive_approval(
                    session,
                    key,
                    government=_government(user),
                    language=field("lang"),
                    reason=field("reason"),
                    actor=user,
                )
            elif step == "lock":
                lock_cycle(session, key, actor=user)
            else:
                keys = node_keys(request.app.state.settings)
                publish_cycle(session, key, actor=user, keys=keys)
    except CycleNotFound as missing:
        raise ApiError(404, "not-found", message_of(missing)) from None
    except (CycleRefused, ValueError) as refused:
        return _page(request, key, error=message_of(refused), status=409)
    await asyncio.to_thread(push_to_partner, database(request), request.app.state.settings)
    return RedirectResponse(f"/pme/cycles/{key}", status_code=303)


@router.get("/pme/cycles/{key}/download/{name}")
def download(
    request: Request,
    key: str,
    name: str,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
) -> Response:
    """A published edition: ``en.docx``, ``es.html``, ``en.xlsx``, ``es.md``, ``en.tsv``."""
    language, _, suffix = name.partition(".")
    if language not in ("en", "es") or suffix not in DOWNLOADS:
        raise ApiError(404, "not-found", refusals.not_found("download", repr(name)))
    with database(request).reader() as session:
        try:
            edition = build_edition(session, key, language, DEFAULT_PLAN)
        except (CycleNotFound, CycleRefused, LookupError) as missing:
            raise ApiError(
                404, "not-found", CYCLE_NOT_PUBLISHED.said(key=key, reason=message_of(missing))
            ) from None
    body: bytes
    if suffix == "docx":
        body = publication_docx(edition, timeline_png(edition))
    elif suffix == "xlsx":
        body = publication_xlsx(edition)
    elif suffix == "html":
        body = publication_html(edition, timeline_png(edition)).encode()
    elif suffix == "md":
        body = publication_markdown(edition).encode()
    else:
        body = report_tsv(edition.report).encode()
    return Response(
        body,
        media_type=DOWNLOADS[suffix],
        headers={"Content-Disposition": f'attachment; filename="{key}-{name}"'},
    )
