"""The ports API: the alerts a user may see, and the messages endpoint where the partner node
pushes signed alert messages.

The messages endpoint needs no user login: the batch's signature by a trusted partner's key is
the authentication, and nothing is written unless every check passes (alianza.ports.signing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.ports.alerts import export_alerts
from alianza.ports.scope import alert_scope
from alianza.ports.signing import (
    MAX_BATCH_BYTES,
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
)
from alianza.web.errors import ApiError
from alianza.web.ports_live import after_write, node_keys
from alianza.web.security import database, require

router = APIRouter(prefix="/api/v1/ports", tags=["ports"])
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


@router.get("/alerts", summary="Counterpart alerts this user may see")
def list_alerts(
    request: Request, user: Annotated[Principal, Depends(require(Permission.PORTS_READ))]
) -> dict[str, Any]:
    """Oldest first; an official gets the alerts of their directory's pairs, a liaison officer
    or administrator all of their country's. Nominal details are withheld (only their kinds)."""
    with database(request).reader() as session:
        scope = alert_scope(
            session,
            username=user.username,
            role=user.role.value,
            country=user.country.value,
        )
        return {"alerts": export_alerts(session, scope.condition())}


@router.post("/messages", summary="Receive signed alert messages from the partner node")
async def post_messages(request: Request) -> dict[str, Any]:
    keys = node_keys(request.app.state.settings)
    if keys is None:
        raise ApiError(
            503, "node-not-initialised", "this node has no keys: run `alianza node init`"
        )
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BATCH_BYTES:
            raise ApiError(413, "too-large", f"a batch is at most {MAX_BATCH_BYTES:,} bytes")
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
    import asyncio

    return await asyncio.to_thread(
        receive_batch,
        database(request),
        body,
        signer=request.headers.get(SIGNER_HEADER),
        signature=request.headers.get(SIGNATURE_HEADER),
        own_country=own_country,
        now=datetime.now(UTC),
    )
