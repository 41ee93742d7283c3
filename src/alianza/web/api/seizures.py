"""JSON API of the seizure records (``/api/v1/seizures``). Figures respect releasability:
a user never receives the other country's national-only records (seizures/access.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request, UploadFile
from fastapi.responses import JSONResponse

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.seizures.aggregate import MEASURES, UNITS, UnknownDimension, parse_where
from alianza.seizures.cache import cached_aggregate
from alianza.seizures.quarantine import list_quarantine
from alianza.seizures.scopes import SCOPES, UnknownScope, find_scope
from alianza.web.errors import NO_DIMENSION, NOTHING_LOADED, ApiError
from alianza.web.params import OptionalId
from alianza.web.security import check_csrf, database, require
from alianza.web.seizures_common import import_upload
from alianza.web.warm import warmer_of

router = APIRouter(prefix="/api/v1/seizures", tags=["seizures"])


@router.get("/aggregate", summary="Events and kg by dimensions (the CLI's aggregate --format json)")
def get_aggregate(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    by: str = Query(description="comma-separated dimensions, e.g. fiscal_year,drug_group"),
    where: Annotated[
        list[str] | None, Query(description="DIM=VALUE[,VALUE…]; repeat for several")
    ] = None,
    scope: Annotated[str, Query(description="named scope: " + ", ".join(SCOPES))] = "all",
    unit: Annotated[str, Query(description="kg or lb (amount_kg or amount_lb)")] = "kg",
) -> dict[str, Any]:
    dims = [d.strip() for d in by.split(",") if d.strip()]
    if not dims:
        raise ApiError(422, "invalid-input", NO_DIMENSION.said())
    if unit not in UNITS:
        raise ApiError(422, "invalid-input", refusals.one_of("unit", UNITS))
    try:
        named = find_scope(scope)
        filters = parse_where(where or [])
        with database(request).reader() as session:
            result = cached_aggregate(
                session,
                dims,
                filters,
                viewer_country=user.country.value,
                scope=named if scope != "all" else None,
                unit=unit,
            )
    except (UnknownDimension, UnknownScope) as error:
        code = "unknown-scope" if isinstance(error, UnknownScope) else "unknown-dimension"
        raise ApiError(422, code, message_of(error)) from None
    return {
        "scope": result.scope.describe(),
        "unit": result.unit,
        "dimensions": list(result.dimensions),
        "measures": [result.amount_column if m == "amount_kg" else m for m in MEASURES],
        "where": {k: sorted(v) for k, v in filters.items()},
        "rows": result.rows(),
        "duplicates_excluded": result.duplicates_excluded,
        "note": f"{result.amount_column} null = not reported (no mass in the cell), not zero",
    }


@router.post(
    "/imports",
    summary="Import a file with a profile; returns the validation report",
    dependencies=[Depends(check_csrf)],
    responses={
        200: {"description": "rows loaded (some may be quarantined: see stats)"},
        422: {"description": "nothing loaded (error shape; details = the errors)"},
    },
)
async def post_import(
    request: Request,
    file: UploadFile,
    user: Annotated[Principal, Depends(require(Permission.SEIZURES_IMPORT))],
    profile: Annotated[str, Form()] = "canonical",
) -> Any:
    stored = await import_upload(
        database(request), file, profile, user, limit=request.app.state.settings.max_upload_bytes
    )
    warmer_of(request.app).request()  # the new totals, before the next view
    stats = stored.stats
    body = {"id": stored.id, "url": f"/seizures/imports/{stored.id}", **stored.report}
    nothing = stats["rows"] == 0 or stats["loaded"] + stats["unchanged"] == 0
    if nothing:
        raise ApiError(
            422,
            "import-rejected",
            NOTHING_LOADED.said(source=stored.source, url=body["url"]),
            stored.errors,
        )
    return JSONResponse(body)


@router.get("/quarantine", summary="Open quarantined rows with raw values and reasons")
def get_quarantine(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    batch: OptionalId = None,
    source: str | None = None,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
) -> dict[str, Any]:
    with database(request).reader() as session:
        entries, total = list_quarantine(
            session,
            viewer_country=user.country.value,
            batch_id=batch,
            source=source or None,
            limit=limit,
        )
    return {"total": total, "rows": [e.as_dict() for e in entries]}
