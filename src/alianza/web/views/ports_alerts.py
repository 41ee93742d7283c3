"""Counterpart alerts in the browser: inbox and outbox, the send form, acknowledgement, and
the server-push stream (Server-Sent Events) that shows a new alert at once.

Who sees what is :func:`alianza.ports.scope.alert_scope`: an official the alerts of the port
pairs the directory lists them at (and acknowledges those their side received), liaison
officers and administrators every alert of their country. Nominal details are shown marked,
on this node only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.ports.alerts import TEMPLATES, AlertRefused, acknowledge, as_utc, send_alert
from alianza.ports.alerts import render as render_text
from alianza.ports.directory import ensure_pair
from alianza.ports.liaison_models import Alert, Contact, OutboxMessage, PortPair
from alianza.ports.live import AlertHub, sse_frame
from alianza.ports.reference import UnknownPort, find_port, ports
from alianza.ports.scope import AlertScope, alert_scope
from alianza.web.errors import ApiError
from alianza.web.ports_live import after_write, node_keys
from alianza.web.render import language_of, render
from alianza.web.security import Forbidden, check_csrf, database, require, still_signed_in

router = APIRouter(include_in_schema=False)
NOMINAL_KINDS = ("plate", "name")
STREAM_SECONDS = 600.0
# An open stream checks this often that its session (or token) is still valid: logout,
# disabling, a password or role change close it within these seconds.
SESSION_RECHECK_SECONDS = 2.0


def own_side(request: Request, principal: Principal) -> str:
    """This node's country (its keys), else the official's."""
    keys = node_keys(request.app.state.settings)
    return keys.identity.country if keys else principal.country.value


def scope_of(request: Request, principal: Principal) -> AlertScope:
    with database(request).reader() as session:
        return user_scope(session, principal)


def user_scope(session: Session, principal: Principal) -> AlertScope:
    return alert_scope(
        session,
        username=principal.username,
        role=principal.role.value,
        country=principal.country.value,
    )


def _hub(request: Request) -> AlertHub:
    hub: AlertHub | None = getattr(request.app.state, "alert_hub", None)
    if hub is None:  # the app runs without its lifespan (no server push)
        hub = AlertHub(database(request))
    return hub


@router.get("/ports/alerts")
def alerts_page(
    request: Request, user: Annotated[Principal, Depends(require(Permission.PORTS_READ))]
) -> Response:
    return _alerts_view(request, user)


def _alerts_view(
    request: Request,
    user: Principal,
    *,
    error: str | None = None,
    form: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    """The alerts page; after a refused send, with the reason and the form as it was sent."""
    side = own_side(request, user)
    hub = _hub(request)
    with database(request).reader() as session:
        scope = user_scope(session, user)
        rows = session.execute(
            select(Alert, PortPair, Contact)
            .join(PortPair, Alert.pair_id == PortPair.id)
            .outerjoin(Contact, Alert.contact_id == Contact.id)
            .where(scope.condition())
            .order_by(Alert.created_at.desc())
            .limit(200)
        ).all()
        carried = {
            m.message_id: m
            for m in session.scalars(
                select(OutboxMessage).where(
                    OutboxMessage.message_id.in_([a.id for a, _p, _c in rows])
                )
            )
        }
        pairs = session.scalars(select(PortPair).order_by(PortPair.us_port_code)).all()
    last_event = hub.latest_id()
    inbox = [(a, p) for a, p, _c in rows if a.to_country == side]
    outbox = [(a, p) for a, p, _c in rows if a.from_country == side]
    return render(
        request,
        "ports/alerts.html",
        status_code=status,
        error=error,
        form=form or {},
        side=side,
        inbox=inbox,
        outbox=outbox,
        carried=carried,
        addressees={a.id: c for a, _p, c in rows if c is not None},
        pairs=pairs,
        may_acknowledge=user.can(Permission.PORTS_ALERT) or bool(scope.pair_ids),
        templates=TEMPLATES,
        nominal_kinds=NOMINAL_KINDS,
        last_event=last_event,
        sent=request.query_params.get("sent"),
        all_ports=list(ports().values()),
        template_fields=sorted({f for tpl in TEMPLATES.values() for f in tpl.fields}),
        nominal_labels={f"po_nominal_{k}" for k in NOMINAL_KINDS},
        render_alert=lambda alert: render_text(alert, language_of(request)),
        stamp=stamp,
    )


def stamp(moment: datetime | None) -> str:
    """A stored time as UTC, to the minute (``2026-11-28 18:05 UTC``)."""
    return as_utc(moment).strftime("%Y-%m-%d %H:%M UTC") if moment else ""


@router.post("/ports/alerts")
async def send_alert_form(
    request: Request, user: Annotated[Principal, Depends(require(Permission.PORTS_ALERT))]
) -> Response:
    await check_csrf(request)
    form = await request.form()
    field = {k: str(v).strip() for k, v in form.items() if isinstance(v, str)}
    template = field.get("template", "")
    side = own_side(request, user)
    details = {
        name: field.get(f"field_{name}", "")
        for name in TEMPLATES.get(template, TEMPLATES["security-incident"]).fields
    }
    nominal = {k: field[f"nominal_{k}"] for k in NOMINAL_KINDS if field.get(f"nominal_{k}")}

    def write() -> str:
        with database(request).transaction() as session:
            try:
                port = find_port(field.get("port", ""))
            except UnknownPort as error:
                raise ApiError(422, "invalid-input", str(error)) from None
            pair = ensure_pair(session, port.code, actor=user.username)
            try:
                alert = send_alert(
                    session,
                    pair,
                    from_country=side,
                    template=template,
                    details=details,
                    free_text=field.get("free_text", ""),
                    nominal=nominal,
                    share_nominal=field.get("share_nominal") == "on",
                    actor=user.username,
                    now=datetime.now(UTC),
                )
            except AlertRefused as refused:
                raise ApiError(422, "invalid-input", str(refused)) from None
            return alert.id

    try:
        alert_id = await asyncio.to_thread(write)
    except ApiError as refused:  # shown on the page, with what was typed
        return await asyncio.to_thread(
            _alerts_view, request, user, error=refused.message, form=field, status=422
        )
    after_write(request.app, deliver=True)
    return RedirectResponse(f"/ports/alerts?sent={alert_id}", status_code=303)


@router.post("/ports/alerts/{alert_id}/ack")
async def acknowledge_alert(
    request: Request,
    alert_id: str,
    user: Annotated[Principal, Depends(require(Permission.PORTS_READ))],
) -> Response:
    """Liaison officers and administrators (``ports.alert``) acknowledge any alert their side
    received; an official those of the pairs the directory lists them at."""
    await check_csrf(request)
    side = own_side(request, user)

    def write() -> bool:
        with database(request).transaction() as session:
            alert = session.get(Alert, alert_id)
            if not user.can(Permission.PORTS_ALERT) and (
                alert is None
                or not user_scope(session, user).includes(
                    from_country=alert.from_country,
                    to_country=alert.to_country,
                    pair_id=alert.pair_id,
                )
            ):
                raise Forbidden(Permission.PORTS_ALERT)
            if alert is None:
                raise ApiError(404, "not-found", f"no alert {alert_id}")
            if alert.to_country != side or alert.to_country != user.country.value:
                raise ApiError(
                    409, "conflict", "an alert is acknowledged by the side that received it"
                )
            try:
                return acknowledge(session, alert_id, by=user.username, now=datetime.now(UTC))
            except AlertRefused as refused:
                raise ApiError(409, "conflict", str(refused)) from None

    done = await asyncio.to_thread(write)
    after_write(request.app, deliver=True)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"alert": alert_id, "acknowledged": True, "now": done})
    return RedirectResponse(f"/ports/alerts#alert-{alert_id}", status_code=303)


@router.get("/ports/alerts/stream")
async def alert_stream(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.PORTS_READ))],
    after: Annotated[int | None, Query(ge=0)] = None,
    window: Annotated[float, Query(ge=0, le=STREAM_SECONDS)] = STREAM_SECONDS,
) -> Response:
    """Events of the alerts this official may see, after ``Last-Event-ID`` (a reconnecting
    browser sends it) or ``after`` (the id the page was rendered at). The server closes the
    stream after ``window`` seconds; the browser reconnects with the last id it saw."""
    hub = _hub(request)
    scope = await asyncio.to_thread(scope_of, request, user)  # as at the (re)connection
    header = request.headers.get("last-event-id", "")
    start = int(header) if header.isdigit() else after
    queue = hub.subscribe()
    loop = asyncio.get_running_loop()
    deadline = loop.time() + window

    async def frames() -> AsyncIterator[str]:
        sent: set[int] = set()
        next_check = loop.time() + SESSION_RECHECK_SECONDS
        last_sent = loop.time()
        try:
            yield "retry: 2000\n\n"
            backlog = await asyncio.to_thread(hub.events_after, start) if start is not None else []
            while True:
                chunk = []  # one write for the events of one read
                for event in backlog:
                    if event["event_id"] in sent or (
                        start is not None and event["event_id"] <= start
                    ):
                        continue
                    sent.add(event["event_id"])
                    if scope.includes_view(event["alert"]):
                        chunk.append(event.get("sse") or sse_frame(event))
                if chunk:
                    yield "".join(chunk)
                    last_sent = loop.time()
                remaining = deadline - loop.time()
                if remaining <= 0:
                    return
                if loop.time() >= next_check:  # the session may have ended since
                    if not await asyncio.to_thread(still_signed_in, request):
                        return
                    next_check = loop.time() + SESSION_RECHECK_SECONDS
                try:
                    backlog = await asyncio.wait_for(
                        queue.get(), min(15.0, remaining, next_check - loop.time())
                    )
                except TimeoutError:
                    backlog = []
                    if await request.is_disconnected():
                        return
                    if loop.time() >= last_sent + 15.0:
                        yield ": keep-alive\n\n"
                        last_sent = loop.time()
        finally:
            hub.unsubscribe(queue)

    return StreamingResponse(
        frames(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
