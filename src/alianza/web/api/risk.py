"""JSON API of shipment risk targeting (action 10.8): score a batch, select lanes for a port
and shift, explanations, inspection outcomes, the random-slice hit rate per period, models,
rules and watchlists.

Reading needs RISK_READ; selecting, overriding a lane and recording outcomes need
RISK_MANAGE. Routes that load a model answer 503 ``risk-extra-missing`` on a node installed
without the ``risk`` extra, and 409 ``no-model`` before the first training.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.risk import browse
from alianza.risk.extra import installed
from alianza.risk.messages import DECLARATION_REFUSED
from alianza.web.errors import HEAD_CHOICE, NO_OUTCOME, TO_BEFORE_FROM, ApiError
from alianza.web.params import FIRST_DAY, LAST_DAY, MAX_ID, OptionalId, RowId
from alianza.web.security import check_csrf, database, require, require_async

router = APIRouter(prefix="/api/v1/risk", tags=["risk"])
# the live path of issue 21 alone: the app matches it before any other route (its path is
# its own), as route matching tries each route in turn
live = APIRouter(prefix="/api/v1/risk", tags=["risk"])
EXTRA = "risk scoring needs the optional extra on this node: pip install 'alianza[risk]'"
Reader = Annotated[Principal, Depends(require(Permission.RISK_READ))]
Manager = Annotated[Principal, Depends(require(Permission.RISK_MANAGE))]
LiveReader = Annotated[Principal, Depends(require_async(Permission.RISK_READ))]


def need_extra() -> None:
    if not installed():
        raise ApiError(503, "risk-extra-missing", EXTRA)


class Batch(BaseModel):
    """Shipments declared from ``start`` to ``end`` (at ``port``)."""

    start: date = Field(alias="from", ge=FIRST_DAY, le=LAST_DAY)
    end: date = Field(alias="to", ge=FIRST_DAY, le=LAST_DAY)
    port: str | None = Field(None, max_length=20)
    model: int | None = Field(None, ge=1, le=MAX_ID)


class ScoreRequest(Batch):
    top: int = Field(100, ge=1, le=10_000)


class LaneIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    capacity: int = Field(ge=0)


class SelectRequest(Batch):
    lanes: list[LaneIn] = Field(min_length=1)
    random_share: float = Field(0.1, ge=0, le=1)
    seed: int = 0
    critical: dict[str, int] = Field(default_factory=dict)
    fill_floor: float | None = Field(None, ge=0, le=10)
    replace: str | None = Field(None, max_length=2000)


class LiveLaneIn(BaseModel):
    name: str = Field(min_length=1, max_length=50)
    threshold: float = Field(ge=0, le=10)


class DeclarationRequest(BaseModel):
    """One declaration in the columns of ``profile`` (alianza: reference, declared_on, port,
    ..., hs6, net_mass_kg, value, packages) and, optionally, the lane policy."""

    declaration: dict[str, str | int | float | None]
    profile: str = Field("alianza", pattern="^(alianza|kcs)$")
    lanes: list[LiveLaneIn] | None = Field(None, min_length=1, max_length=10)
    random_share: float | None = Field(None, ge=0, le=1)
    control: str | None = Field(None, max_length=50)
    top: int = Field(5, ge=1, le=30)


class OverrideIn(BaseModel):
    reference: str = Field(min_length=1)
    lane: str = Field(min_length=1, max_length=50)
    reason: str = Field(max_length=2000)


class OutcomeIn(BaseModel):
    reference: str
    lane: str = ""
    exam_type: str = ""
    inspected_on: str
    result: str
    seizure_event_id: str | None = None


class OutcomesRequest(BaseModel):
    outcomes: list[OutcomeIn] = Field(min_length=1, max_length=10_000)


def _scored(request: Request, batch: Batch) -> Any:
    need_extra()
    from alianza.risk.service import NoModel, NothingToScore, score_batch

    if batch.end < batch.start:
        raise ApiError(422, "invalid-input", TO_BEFORE_FROM.said())
    try:
        return score_batch(
            database(request),
            start=batch.start,
            end=batch.end,
            port=batch.port,
            model_id=batch.model,
        )
    except NoModel as error:
        raise ApiError(409, "no-model", message_of(error)) from None
    except NothingToScore as error:
        raise ApiError(404, "not-found", message_of(error)) from None


@router.post(
    "/scores",
    summary="Score a batch of shipments (both heads, calibrated)",
    dependencies=[Depends(check_csrf)],  # it writes the audit log: a cookie needs the token
)
def post_scores(request: Request, body: ScoreRequest, user: Reader) -> dict[str, Any]:
    from alianza.risk.service import audit_scores

    scored = _scored(request, body)
    audit_scores(database(request), scored, actor=user)  # scores asked for are audited
    table, scores = scored.batch.table, scored.scores
    general = scores.probability["general"]
    critical = scores.probability["critical"]
    ranking = scores.ranking("general")
    order = sorted(range(len(table)), key=lambda i: -float(ranking[i]))[: body.top]
    return {
        "model": scored.model_id,
        "scored": len(table),
        "shipments": [
            {
                "reference": str(table.ids[i]),
                "port": str(table.text["port"][i]),
                "hs6": str(table.text["hs6"][i]),
                "p_violation": round(float(general[i]), 6),
                "p_critical": round(float(critical[i]), 6),
                "cold_start": bool(scores.cold["general"][i]),
            }
            for i in order
        ],
    }


@live.post(
    "/declarations",
    summary="Score one declaration as it arrives: checks, score, rules, lane, explanation",
    dependencies=[Depends(check_csrf)],
)
async def post_declaration(
    request: Request, body: DeclarationRequest, user: LiveReader
) -> JSONResponse:
    """On the event loop: the caller was checked before the body was read, and declarations
    arriving together are decided as one group in one worker thread
    (:func:`alianza.risk.live.score_arriving`); the answer is sent once its audit entry is
    committed."""
    need_extra()
    from alianza.risk.live import LivePolicy, Refused, score_arriving
    from alianza.risk.service import NoModel

    try:
        defaults = LivePolicy()
        lanes = tuple((x.name, x.threshold) for x in body.lanes) if body.lanes else defaults.lanes
        policy = LivePolicy(
            lanes=lanes,
            random_share=defaults.random_share if body.random_share is None else body.random_share,
            control=body.control or lanes[0][0],
        )
        decision = await score_arriving(
            database(request),
            body.declaration,
            profile=body.profile,
            policy=policy,
            actor=user,
            top=body.top,
        )
    except Refused as refused:
        raise ApiError(
            422,
            "invalid-input",
            DECLARATION_REFUSED.said(),
            [i.as_dict() for i in refused.report.issues],
        ) from None
    except NoModel as error:
        raise ApiError(409, "no-model", message_of(error)) from None
    except ValueError as error:
        raise ApiError(422, "invalid-input", message_of(error)) from None
    return JSONResponse({**decision.as_dict(), "policy": policy.as_dict()})


@router.post(
    "/selections",
    summary="Select a batch (port, shift) into lanes within capacity; recorded and audited",
    dependencies=[Depends(check_csrf)],
)
def post_selection(request: Request, body: SelectRequest, user: Manager) -> dict[str, Any]:
    scored = _scored(request, body)
    from alianza.risk.selection import Lane
    from alianza.risk.service import AlreadySelected, select_and_store

    try:
        lanes = [Lane(x.name, x.capacity) for x in body.lanes]
        label = f"{body.start}..{body.end}" + (f" port {body.port}" if body.port else "")
        selection_id, _chosen = select_and_store(
            database(request),
            scored,
            lanes,
            random_share=body.random_share,
            seed=body.seed,
            batch_label=label,
            critical_budget=body.critical or None,
            fill_floor=body.fill_floor,
            replace=body.replace,
            actor=user,
        )
    except AlreadySelected as error:
        raise ApiError(409, "already-selected", message_of(error)) from None
    except (ValueError, KeyError) as error:
        raise ApiError(422, "invalid-input", message_of(error)) from None
    with database(request).reader() as session:
        detail = browse.selection_detail(session, selection_id)
    assert detail is not None
    return detail


@router.get("/selections", summary="Recorded selections, newest first")
def get_selections(request: Request, _user: Reader) -> dict[str, Any]:
    with database(request).reader() as session:
        return {"selections": browse.selections(session)}


@router.get("/selections/{selection_id}", summary="One selection: lanes, reasons, rule hits")
def get_selection(
    request: Request, selection_id: RowId, _user: Reader, release: bool = False
) -> dict[str, Any]:
    with database(request).reader() as session:
        detail = browse.selection_detail(session, selection_id, include_release=release)
    if detail is None:
        raise ApiError(404, "not-found", refusals.not_found("selection", selection_id))
    return detail


@router.post(
    "/selections/{selection_id}/overrides",
    summary="Move a shipment of a selection to another lane, with a reason; audited",
    dependencies=[Depends(check_csrf)],
)
def post_override(
    request: Request, selection_id: RowId, body: OverrideIn, user: Manager
) -> dict[str, Any]:
    from alianza.risk.overrides import OverrideRefused, override

    try:
        return override(
            database(request),
            selection_id,
            body.reference,
            body.lane,
            actor=user,
            reason=body.reason,
        )
    except OverrideRefused as refused:
        raise ApiError(422, "invalid-input", message_of(refused)) from None
    except LookupError as missing:
        raise ApiError(404, "not-found", message_of(missing)) from None


@router.get("/explanations/{reference}", summary="Why a shipment scores as it does")
def get_explanation(
    request: Request,
    reference: str,
    _user: Reader,
    head: str = "general",
    top: int = 5,
    model: OptionalId = None,
) -> dict[str, Any]:
    if head not in ("general", "critical"):
        raise ApiError(422, "invalid-input", HEAD_CHOICE.said())
    need_extra()
    from alianza.risk.service import NoModel, explain_shipments

    try:
        found = explain_shipments(
            database(request), [reference], head=head, top=max(1, min(top, 30)), model_id=model
        )
    except NoModel as error:
        raise ApiError(409, "no-model", message_of(error)) from None
    except LookupError:
        raise ApiError(404, "not-found", refusals.not_found("shipment", repr(reference))) from None
    with database(request).reader() as session:
        view = browse.shipment_view(session, reference)
    _ref, explanation = found[0]
    both = sorted((*explanation.top, *explanation.lowering), key=lambda c: -abs(c.contribution))
    return {
        "reference": reference,
        "head": head,
        "raw_score": explanation.raw_score,
        "contributions": [c.as_dict() for c in both[: max(1, min(top, 30))]],
        "raising": [c.as_dict() for c in explanation.top],
        "lowering": [c.as_dict() for c in explanation.lowering],
        "selections": view.assignments if view else [],
    }


@router.post(
    "/outcomes",
    summary="Record inspection outcomes (they become training labels)",
    dependencies=[Depends(check_csrf)],
)
def post_outcomes(request: Request, body: OutcomesRequest, user: Manager) -> dict[str, Any]:
    from alianza.risk.store import record_outcome_rows

    rows = [
        {k: ("" if v is None else str(v)) for k, v in o.model_dump().items()} for o in body.outcomes
    ]
    report = record_outcome_rows(database(request), rows, source="api", actor=user)
    if report.exit_code == 2:
        raise ApiError(
            422,
            "invalid-input",
            NO_OUTCOME.said(),
            [i.as_dict() for i in report.issues],
        )
    return report.as_dict()


@router.get("/hit-rates", summary="Random-control slice hit rate per period (unbiased)")
def get_hit_rates(
    request: Request,
    _user: Reader,
    period: str = "month",
    start: Annotated[date | None, Query(alias="from", ge=FIRST_DAY, le=LAST_DAY)] = None,
    end: Annotated[date | None, Query(alias="to", ge=FIRST_DAY, le=LAST_DAY)] = None,
    by_lane: bool = False,
) -> dict[str, Any]:
    try:
        with database(request).reader() as session:
            rates = browse.hit_rates(session, period=period, start=start, end=end, by_lane=by_lane)
    except ValueError as error:
        raise ApiError(422, "invalid-input", message_of(error)) from None
    return {"period": period, "rates": rates}


@router.get("/models", summary="Stored models with their evaluation and drift monitors")
def get_models(request: Request, _user: Reader) -> dict[str, Any]:
    from alianza.risk.schedule import get_schedule, list_models

    with database(request).reader() as session:
        models = [m.as_dict() for m in list_models(session)]
        schedule = get_schedule(session)
    return {"models": models, "schedule": schedule.as_dict() if schedule else None}


@router.get("/rules", summary="Rules and watchlist entries (retired ones with all=true)")
def get_rules(
    request: Request,
    _user: Reader,
    include_retired: Annotated[bool, Query(alias="all")] = False,
) -> dict[str, Any]:
    from alianza.risk.book import list_rules, list_watches, rule_dict, watch_dict

    with database(request).reader() as session:
        rules = list_rules(session, include_retired=include_retired)
        watches = list_watches(session, include_retired=include_retired)
        return {
            "rules": [rule_dict(r) for r in rules],
            "watchlists": [watch_dict(w) for w in watches],
        }
