"""Operations endpoints: ``/healthz`` (liveness), ``/readyz`` (readiness), ``/metrics``
(Prometheus). Outside the login: they carry no data, and ``/metrics`` asks for
``ALIANZA_METRICS_TOKEN`` (or, unset, answers loopback clients only); so do the details of
``/readyz``'s checks (others get each check's ``ok`` and ``required``)."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from alianza.operations.health import PartnerProbe, readiness
from alianza.operations.metrics import render_metrics

router = APIRouter(include_in_schema=False)
LOOPBACK = ("127.0.0.1", "::1")


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz")
def readyz(request: Request) -> JSONResponse:  # sync: FastAPI runs it in a worker thread
    state = request.app.state
    if state.settings.ports_partner_url and getattr(state, "partner_probe", None) is None:
        state.partner_probe = PartnerProbe(state.settings.ports_partner_url)
    result = readiness(state.settings, state.database, getattr(state, "partner_probe", None))
    body = result.as_dict()
    if not metrics_allowed(request):  # the details name hosts, users and paths: operators only
        for check in body["checks"].values():
            check.pop("detail", None)
    return JSONResponse(body, status_code=200 if result.ready else 503)


def metrics_allowed(request: Request) -> bool:
    token = request.app.state.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    forwarded = "x-forwarded-for" in request.headers  # relayed by a proxy: not local
    return request.client is not None and request.client.host in LOOPBACK and not forwarded


@router.get("/metrics")
def metrics(request: Request) -> Response:
    if not metrics_allowed(request):
        return Response(
            "metrics: send Authorization: Bearer ALIANZA_METRICS_TOKEN (unset: loopback only)\n",
            status_code=403,
            media_type="text/plain",
        )
    body, content_type = render_metrics(request.app.state.database)
    return Response(body, media_type=content_type)
