"""The exchange endpoint: partners push signed packages here.

No user login: the package's signature by a trusted partner's key is the authentication, and
nothing is written unless every check passes (a refusal is logged: checksum, size, reason).
"""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import APIRouter, Request

from alianza.actors import NodeSelf
from alianza.catalogue import message_of
from alianza.exchange.inbox import receive_logged
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.package import MAX_PACKAGE_BYTES, PackageRefused
from alianza.exchange.service import make_receipt
from alianza.web.errors import TOO_LARGE, ApiError
from alianza.web.security import database

router = APIRouter(prefix="/api/v1/exchange", tags=["exchange"])
REFUSAL_STATUS = {
    "too-large": 413,
    "unsigned": 403,
    "unknown-signer": 403,
    "bad-signature": 403,
    "stale-version": 409,
}


@router.post("/packages", summary="Receive a signed package from a trusted partner")
async def post_package(request: Request) -> dict[str, Any]:
    try:
        keys = load_node_keys(request.app.state.settings)
    except NodeKeyError as error:
        raise ApiError(503, "node-not-initialised", message_of(error)) from None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_PACKAGE_BYTES:
            raise ApiError(413, "too-large", TOO_LARGE["package"].said(limit=MAX_PACKAGE_BYTES))
    try:
        result, country, quarter = receive_logged(
            database(request), bytes(body), source="endpoint", actor=NodeSelf("exchange-endpoint")
        )
    except PackageRefused as refused:
        raise ApiError(
            REFUSAL_STATUS.get(refused.code, 422), refused.code, refused.message
        ) from None
    receipt = make_receipt(keys, hashlib.sha256(body).hexdigest(), result.status)
    return {"status": result.status, "country": country, "quarter": quarter, "receipt": receipt}
