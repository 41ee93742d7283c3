"""Where the partner node pushes signed reporting-cycle messages (``/api/v1/pme``).

No user login: the envelope's signature by a trusted partner's key is the authentication, and
nothing is applied unless every check passes (:mod:`alianza.pme.cycle_inbox`).
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, BackgroundTasks, Request

from alianza.catalogue import message_of
from alianza.pme.cycle_envelope import MAX_ENVELOPE_BYTES, MessageRefused
from alianza.pme.cycle_inbox import receive_envelope
from alianza.pme.cycle_transport import push_to_partner
from alianza.web.errors import NO_KEYS_RUN, TOO_LARGE, ApiError
from alianza.web.ports_live import node_keys
from alianza.web.security import database

router = APIRouter(prefix="/api/v1/pme", tags=["performance measures"])
REFUSAL_STATUS = {"unknown-signer": 403, "bad-signature": 403, "wrong-sender": 403}


@router.post("/cycle-messages", summary="Receive a signed reporting-cycle message")
async def post_cycle_message(request: Request, background: BackgroundTasks) -> dict[str, Any]:
    """Apply one signed cycle message of the partner node: ``applied``, ``duplicate`` (a
    re-delivery, nothing done) or ``workflow`` (not applicable here now: the reason is given);
    refused with 403 or 422 and the envelope's code when not authentic or replayed."""
    keys = node_keys(request.app.state.settings)
    if keys is None:
        raise ApiError(503, "node-not-initialised", NO_KEYS_RUN.said())
    body = await request.body()
    if len(body) > MAX_ENVELOPE_BYTES:
        raise ApiError(413, "too-large", TOO_LARGE["cycle message"].said(limit=MAX_ENVELOPE_BYTES))
    try:
        arrival = await asyncio.to_thread(receive_envelope, database(request), body, keys=keys)
    except MessageRefused as refused:
        raise ApiError(
            REFUSAL_STATUS.get(refused.code, 422), refused.code, message_of(refused)
        ) from None
    if arrival.outcome == "applied" and arrival.kind == "publish":
        # this node published too and signed: its signature goes back after the answer
        background.add_task(push_to_partner, database(request), request.app.state.settings)
    return {"outcome": arrival.outcome, "kind": arrival.kind, "detail": arrival.detail}
