"""The ports messages endpoint: the partner node pushes signed alert messages here.

No user login: the batch's signature by a trusted partner's key is the authentication, and
nothing is written unless every check passes (alianza.ports.signing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request

from alianza.ports.signing import (
    MAX_BATCH_BYTES,
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
)
from alianza.web.errors import ApiError
from alianza.web.ports_live import after_write, node_keys
from alianza.web.security import database

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
