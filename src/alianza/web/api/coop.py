"""JSON API of the cooperation registry (COOP_READ) and its measures (PME_READ: they are
performance measures; every role holding one holds the other)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.cooperation.measures import compute_measures
from alianza.cooperation.registry import KINDS_BY_NAME, list_records
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import PlanNotFound
from alianza.web.errors import NO_RECORD_KIND, ApiError
from alianza.web.params import Day
from alianza.web.security import database, require

router = APIRouter(prefix="/api/v1", tags=["cooperation"])


@router.get("/pme/measures", summary="Bound measurements computed from records as of a date")
def get_measures(
    request: Request,
    as_of: Day,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
) -> dict[str, Any]:
    with database(request).reader() as session:
        try:
            values = compute_measures(session, as_of, plan_key=plan)
        except PlanNotFound as error:
            raise ApiError(404, "not-found", message_of(error)) from None
    return {"plan": plan, "as_of": as_of.isoformat(), "measures": [v.as_dict() for v in values]}


@router.get("/coop/{kind}", summary="Registry records of a kind (mechanism, meeting, ...)")
def get_records(
    request: Request,
    kind: str,
    _user: Annotated[Principal, Depends(require(Permission.COOP_READ))],
) -> dict[str, Any]:
    if kind not in KINDS_BY_NAME:
        kinds = ", ".join(KINDS_BY_NAME)
        raise ApiError(404, "not-found", NO_RECORD_KIND.said(kind=kind, kinds=kinds))
    with database(request).reader() as session:
        records = list_records(session, kind)
    if kind == "liaison-post":  # nominal data is not served by the API
        for record in records:
            record.pop("officer", None)
    return {"kind": kind, "records": records}
