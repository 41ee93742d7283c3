"""The ports API: the alerts a user may see, and the messages endpoint where the partner node
pushes signed alert messages.

The messages endpoint needs no user login: the batch's signature by a trusted partner's key is
the authentication, and nothing is written unless every check passes (alianza.liaison.signing).
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Request, Security
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.liaison.alert_service import (
    AlertConflict,
    AlertForbidden,
    AlertNotFound,
    acknowledge_as,
    list_alerts_for,
    send_alert_as,
)
from alianza.liaison.alerts import TEMPLATES, AlertRefused, DelayReasonNeeded, parse_due_after
from alianza.liaison.notify import notifications_of
from alianza.liaison.signing import (
    MAX_BATCH_BYTES,
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
)
from alianza.ports.reference import UnknownPort
from alianza.web.errors import NO_KEYS_RUN, TOO_LARGE, ApiError
from alianza.web.ports_live import after_write, node_keys
from alianza.web.security import Forbidden, check_csrf, database, require

router = APIRouter(prefix="/api/v1/ports", tags=["ports"])
# Documents the API token in OpenAPI (`alianza user token`: Authorization: Bearer ...); the
# check itself is the `require` dependency (a signed-in browser session works too).
bearer = HTTPBearer(
    auto_error=False,
    scheme_name="apiToken",
    description="An API token (`alianza user token NAME`), sent as `Authorization: Bearer`.",
)
REFUSAL_STATUS = {
    "unsigned": 403,
    "unknown-signer": 403,
    "bad-signature": 403,
    "wrong-sender": 403,
    "wrong-destination": 422,
    "malformed": 422,
    "refused": 422,
    "busy": 503,
}


@router.get(
    "/alerts",
    summary="Counterpart alerts this user may see, with their state",
    dependencies=[Security(bearer)],
)
def list_alerts(
    request: Request, user: Annotated[Principal, Depends(require(Permission.PORTS_READ))]
) -> dict[str, Any]:
    """Oldest first; an official gets the alerts of their directory's pairs, a liaison officer
    or administrator all of their country's. Nominal details are withheld (only their kinds).
    ``state`` is one of queued, delivered, escalated, acknowledged, expired."""
    return {"alerts": list_alerts_for(database(request), user, now=datetime.now(UTC))}


class AlertIn(BaseModel):
    """An alert to the paired port across the border."""

    port: str = Field(min_length=1, max_length=100, description="US port, code or name.")
    template: Literal["port-runner", "lane-closure", "suspicious-vehicle", "security-incident"]
    details: dict[str, str] = Field(default_factory=dict, description="The template's fields.")
    free_text: str = Field(default="", max_length=2000)
    severity: Literal["info", "warning", "critical"] = "warning"
    priority: Literal["urgent", "high", "routine"] = "routine"
    expires_minutes: float | None = Field(default=None, gt=0, le=60 * 24 * 30)
    request: bool = Field(default=False, description="A request: answer due by its priority.")


class AckIn(BaseModel):
    reason: str = Field(
        default="",
        max_length=2000,
        description="Why late: needed (422 without it) for a request past its due time, unless"
        " a reason was already recorded.",
    )


@router.post(
    "/alerts",
    summary="Send a counterpart alert",
    status_code=201,
    dependencies=[Security(bearer), Depends(check_csrf)],
)
async def post_alert(
    request: Request,
    body: AlertIn,
    user: Annotated[Principal, Depends(require(Permission.PORTS_ALERT))],
) -> dict[str, Any]:
    """Queued for the partner node at once; the delivery loop carries it. Returns its id."""
    keys = node_keys(request.app.state.settings)
    side = keys.identity.country if keys else user.country.value
    settings = request.app.state.settings

    def write() -> str:
        try:
            return send_alert_as(
                database(request),
                user,
                side=side,
                port=body.port,
                template=body.template,
                details={
                    k: v for k, v in body.details.items() if k in TEMPLATES[body.template].fields
                },
                free_text=body.free_text,
                severity=body.severity,
                priority=body.priority,
                expires_in=(
                    timedelta(minutes=body.expires_minutes) if body.expires_minutes else None
                ),
                request=body.request,
                due_after=parse_due_after(settings.ports_request_due),
                now=datetime.now(UTC),
            )
        except (AlertRefused, UnknownPort) as refused:
            raise ApiError(422, "invalid-input", message_of(refused)) from None
        except AlertForbidden:
            raise Forbidden(Permission.PORTS_ALERT) from None

    alert_id = await asyncio.to_thread(write)
    after_write(request.app, deliver=True)
    return {"alert": alert_id, "state": "queued"}


@router.post(
    "/alerts/{alert_id}/ack",
    summary="Acknowledge a received alert",
    dependencies=[Security(bearer), Depends(check_csrf)],
)
async def post_ack(
    request: Request,
    alert_id: str,
    user: Annotated[Principal, Depends(require(Permission.PORTS_READ))],
    body: AckIn | None = None,
) -> dict[str, Any]:
    """Once: a second acknowledgement answers ``now: false``. A request past its due time needs
    ``reason`` (why late; 422 ``invalid-input`` without it, nothing recorded), which travels
    back to the sender with the acknowledgement."""
    keys = node_keys(request.app.state.settings)
    side = keys.identity.country if keys else user.country.value

    def write() -> bool:
        try:
            return acknowledge_as(
                database(request),
                user,
                alert_id,
                side=side,
                now=datetime.now(UTC),
                reason=body.reason if body else "",
            )
        except DelayReasonNeeded as late:
            raise ApiError(422, "invalid-input", message_of(late)) from None
        except AlertForbidden:
            raise Forbidden(Permission.PORTS_ALERT) from None
        except AlertNotFound as missing:
            raise ApiError(404, "not-found", message_of(missing)) from None
        except AlertConflict as conflict:
            raise ApiError(409, "conflict", message_of(conflict)) from None

    done = await asyncio.to_thread(write)
    after_write(request.app, deliver=True)
    return {"alert": alert_id, "state": "acknowledged", "now": done}


@router.get(
    "/alerts/{alert_id}/notifications",
    summary="How each notification of an alert went (e-mail, webhook, SMS)",
    dependencies=[Security(bearer)],
)
def get_notifications(
    request: Request,
    alert_id: str,
    user: Annotated[Principal, Depends(require(Permission.PORTS_ALERT))],
) -> dict[str, Any]:
    return {"alert": alert_id, "notifications": notifications_of(database(request), alert_id)}


@router.post("/messages", summary="Receive signed alert messages from the partner node")
async def post_messages(request: Request) -> dict[str, Any]:
    keys = node_keys(request.app.state.settings)
    if keys is None:
        raise ApiError(503, "node-not-initialised", NO_KEYS_RUN.said())
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BATCH_BYTES:
            raise ApiError(413, "too-large", TOO_LARGE["batch"].said(limit=MAX_BATCH_BYTES))
    try:
        result = await _receive(request, bytes(body), keys.identity.country)
    except MessagesRefused as refused:
        raise ApiError(
            REFUSAL_STATUS.get(refused.code, 422), refused.code, refused.message
        ) from None
    if result.applied:
        after_write(request.app)
    return {"applied": result.applied, "duplicates": result.duplicates}


async def _receive(request: Request, body: bytes, own_country: str) -> Any:
    return await asyncio.to_thread(
        receive_batch,
        database(request),
        body,
        signer=request.headers.get(SIGNER_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        own_country=own_country,
        now=datetime.now(UTC),
    )
