"""Counterpart alerts in the browser: inbox and outbox, the send form, acknowledgement, and
the server-push stream (Server-Sent Events) that shows a new alert at once.

Who sees what is :func:`alianza.liaison.scope.alert_scope`: an official the alerts of the port
pairs the directory lists them at (and acknowledges those their side received), liaison
officers and administrators every alert of their country. Nominal details are shown marked,
on this node only.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response, StreamingResponse

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import in_language, message_of
from alianza.liaison.alert_service import (
    AlertConflict,
    AlertForbidden,
    AlertNotFound,
    acknowledge_as,
    alerts_view,
    scope_for,
    send_alert_as,
)
from alianza.liaison.alerts import (
    PRIORITIES,
    SEVERITIES,
    TEMPLATES,
    AlertRefused,
    DelayReasonNeeded,
    alert_state,
    as_utc,
    needs_delay_reason,
    parse_due_after,
)
from alianza.liaison.alerts import render as render_text
from alianza.liaison.directory import port_zone
from alianza.liaison.live import AlertHub, sse_frame
from alianza.liaison.messages import EXPIRY_MINUTES
from alianza.liaison.scope import AlertScope
from alianza.pme.dates import month_abbreviations
from alianza.ports.reference import UnknownPort, ports
from alianza.web.errors import ApiError, error_body
from alianza.web.i18n import format_date
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
    return scope_for(database(request), principal)


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
    ack_error: tuple[str, str] | None = None,
) -> Response:
    """The alerts page; after a refused send, with the reason and the form as it was sent;
    after a refused acknowledgement, ``ack_error`` (the alert's id, why) shown at its card."""
    side = own_side(request, user)
    hub = _hub(request)
    view = alerts_view(database(request), user)
    rows, carried, pairs, scope = view.rows, view.carried, view.pairs, view.scope
    last_event = hub.latest_id()
    inbox = [(a, p) for a, p, _c in rows if a.to_country == side]
    outbox = [(a, p) for a, p, _c in rows if a.from_country == side]
    # the notice after a send says where that alert is now, not "queued" forever
    sent = request.query_params.get("sent")
    sent_alert = next((a for a, _p in outbox if a.id == sent), None)
    sent_state = "queued"
    if sent_alert is not None and sent_alert.acknowledged_at is not None:
        sent_state = "acknowledged"
    elif sent_alert is not None and getattr(carried.get(sent_alert.id), "delivered_at", None):
        sent_state = "carried"
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
        sent_alert=sent_alert,
        sent_state=sent_state,
        all_ports=list(ports().values()),
        template_fields=sorted({f for tpl in TEMPLATES.values() for f in tpl.fields}),
        nominal_labels={f"po_nominal_{k}" for k in NOMINAL_KINDS},
        render_alert=lambda alert: render_text(alert, language_of(request)),
        stamp=page_stamp(request),
        months=month_abbreviations(language_of(request)),
        state_of=lambda alert: alert_state(alert, datetime.now(UTC)),
        needs_reason=lambda alert: needs_delay_reason(alert, datetime.now(UTC)),
        ack_error=ack_error,
        iso=lambda moment: as_utc(moment).isoformat(),
        severities=SEVERITIES,
        priorities=PRIORITIES,
    )


def stamp(moment: datetime | None, port_code: str | None = None, language: str = "en") -> str:
    """A stored time to the minute in the pages' one date style per language, in the port's
    time zone with the zone's abbreviation (``28 Nov 2026 10:05 PST``, ``28 nov 2026 10:05
    PST``), else in UTC (``28 Nov 2026 18:05 UTC``)."""
    if moment is None:
        return ""
    local = as_utc(moment)
    if port_code is not None:
        local = local.astimezone(port_zone(port_code))
    day = format_date(local.date(), language)
    return f"{day} {local:%H:%M} {local.tzname() or 'UTC'}"


def page_stamp(request: Request) -> Callable[..., str]:
    """``stamp`` in the page's language, for the templates."""
    language = language_of(request)
    return lambda moment, port_code=None: stamp(moment, port_code, language)


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

    expiry = field.get("expires_minutes", "")

    def write() -> str:
        try:
            return send_alert_as(
                database(request),
                user,
                side=side,
                port=field.get("port", ""),
                template=template,
                details=details,
                free_text=field.get("free_text", ""),
                nominal=nominal,
                share_nominal=field.get("share_nominal") == "on",
                severity=field.get("severity") or "warning",
                priority=field.get("priority") or "routine",
                expires_in=timedelta(minutes=float(expiry)) if expiry else None,
                request=field.get("request") == "on",
                due_after=parse_due_after(request.app.state.settings.ports_request_due),
                now=datetime.now(UTC),
            )
        except (AlertRefused, UnknownPort) as refused:
            raise ApiError(422, "invalid-input", message_of(refused)) from None
        except ValueError:
            raise ApiError(422, "invalid-input", EXPIRY_MINUTES.said()) from None

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
    received; an official those of the pairs the directory lists them at. A request past its
    due time needs the reason for the delay (form field ``reason``): without it the page comes
    back asking for it (422)."""
    await check_csrf(request)
    side = own_side(request, user)

    form = await request.form()
    reason = str(form.get("reason") or "").strip()
    wants_json = "application/json" in request.headers.get("accept", "")

    def write() -> bool:
        try:
            return acknowledge_as(
                database(request), user, alert_id, side=side, now=datetime.now(UTC), reason=reason
            )
        except DelayReasonNeeded as late:
            raise ApiError(422, "invalid-input", message_of(late)) from None
        except AlertForbidden:
            raise Forbidden(Permission.PORTS_ALERT) from None
        except AlertNotFound as missing:
            raise ApiError(404, "not-found", message_of(missing)) from None
        except AlertConflict as conflict:
            raise ApiError(409, "conflict", message_of(conflict)) from None

    try:
        done = await asyncio.to_thread(write)
    except ApiError as refused:
        if refused.status != 422:
            raise
        if wants_json:  # the page's script asks for the reason at the card
            said = in_language(refused.message, language_of(request))  # the page's language
            return JSONResponse(error_body(422, refused.code, said), status_code=422)
        # late, without a reason: the page again, asking for it at the alert's card
        return await asyncio.to_thread(
            _alerts_view, request, user, ack_error=(alert_id, refused.message), status=422
        )
    after_write(request.app, deliver=True)
    if wants_json:
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
        nonlocal scope
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
                    # and the directory may have changed: an ended entry leaves at once
                    scope = await asyncio.to_thread(scope_of, request, user)
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
