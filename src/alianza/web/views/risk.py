"""Shipment risk targeting in the browser (action 10.8): the overview (models, schedule,
random-slice hit rate and drift per period, selections, quarantine), a selection with the lane
and the reason of each shipment, a shipment with its explanation and its outcome form, and the
rules and watchlists.

Reading needs RISK_READ (admin, coordinator, analyst); selecting, overriding a lane and
recording outcomes need RISK_MANAGE (admin, analyst). Without the ``risk`` extra the pages still
list what is held and say plainly that scoring, selection and explanations need it.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import message_of
from alianza.risk import browse
from alianza.risk.book import (
    RuleRefused,
    condition_text,
    list_rules,
    list_watches,
    rule_dict,
    watch_dict,
)
from alianza.risk.extra import installed
from alianza.risk.schedule import DEFAULT_SCHEDULE, get_schedule, list_models
from alianza.risk.store import open_quarantine
from alianza.risk.wording import feature_text
from alianza.seizures.overview import seizure_event
from alianza.web.errors import ApiError
from alianza.web.params import RowId
from alianza.web.render import render
from alianza.web.security import check_csrf, database, require

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(require(Permission.RISK_READ))]
Manager = Annotated[Principal, Depends(require(Permission.RISK_MANAGE))]
LANES = ("physical", "non-intrusive", "documentary")
RESULTS = ("clear", "violation", "critical")


def _overview(request: Request, **extra: Any) -> dict[str, Any]:
    with database(request).reader() as session:
        models = list_models(session)
        schedule = get_schedule(session)
        rates = browse.hit_rates(session, period="month")
        chosen = browse.selections(session, limit=20)
        quarantine = open_quarantine(session, limit=20)
    active = next((m for m in models if m.active), None)
    drift = active.drift if active else {}
    return {
        "extra": installed(),
        "models": models[:10],
        "active": active,
        "schedule": schedule or DEFAULT_SCHEDULE,
        "schedule_stored": schedule is not None,
        "rates": rates,
        "drift": drift.get("features", [])[:8],
        "drift_rate": drift.get("hit_rate"),
        "drift_slices": drift.get("random_slices", []),
        "drift_periods": (drift.get("reference"), drift.get("current")),
        "selections": chosen,
        "quarantine": quarantine,
        "lanes": LANES,
        "form": {},
        "error": None,
        **extra,
    }


@router.get("/risk")
def risk_page(request: Request, _user: Reader) -> Response:
    return render(request, "risk/index.html", **_overview(request))


@router.post("/risk/selections", dependencies=[Depends(check_csrf)])
def select_form(
    request: Request,
    user: Manager,
    start: Annotated[date, Form()],
    end: Annotated[date, Form()],
    port: Annotated[str, Form()] = "",
    physical: Annotated[int, Form(ge=0)] = 0,
    non_intrusive: Annotated[int, Form(ge=0)] = 0,
    documentary: Annotated[int, Form(ge=0)] = 0,
    random_share: Annotated[float, Form(ge=0, le=1)] = 0.1,
    seed: Annotated[int, Form()] = 0,
    replace: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    form = {
        "replace": replace,
        "start": start,
        "end": end,
        "port": port,
        "physical": physical,
        "non_intrusive": non_intrusive,
        "documentary": documentary,
        "random_share": random_share,
        "seed": seed,
    }

    def refused(message: str, status: int = 409) -> Response:
        context = _overview(request, form=form, error=message)
        return render(request, "risk/index.html", status, **context)

    if not installed():
        return refused("rk_extra_missing", 503)
    from alianza.risk.selection import Lane
    from alianza.risk.service import (
        AlreadySelected,
        NoModel,
        NothingToScore,
        score_batch,
        select_and_store,
    )

    capacities = dict(zip(LANES, (physical, non_intrusive, documentary), strict=True))
    lanes = [Lane(name, n) for name, n in capacities.items() if n > 0]
    if not lanes:
        return refused("rk_no_lanes")
    if end < start:
        return refused("rk_bad_period")
    try:
        scored = score_batch(database(request), start=start, end=end, port=port.strip() or None)
    except NoModel:
        return refused("rk_no_model")
    except NothingToScore:
        return refused("rk_nothing_to_score")
    label = f"{start}..{end}" + (f" port {port.strip()}" if port.strip() else "")
    try:
        selection_id, _chosen = select_and_store(
            database(request),
            scored,
            lanes,
            random_share=random_share,
            seed=seed,
            batch_label=label,
            replace=replace.strip() or None,
            actor=user,
        )
    except AlreadySelected:
        return refused("rk_already_selected")
    except RuleRefused as error:  # a held rule on a column no held profile gives
        context = _overview(request, form=form, refusal=message_of(error))
        return render(request, "risk/index.html", 422, **context)
    return RedirectResponse(f"/risk/selections/{selection_id}", status_code=303)


@router.get("/risk/selections/{selection_id}")
def selection_page(
    request: Request, selection_id: RowId, _user: Reader, lane: str | None = None
) -> Response:
    with database(request).reader() as session:
        detail = browse.selection_detail(session, selection_id)
    if detail is None:
        raise ApiError(404, "not-found", refusals.not_found("selection", selection_id))
    shown = [a for a in detail["assignments"] if lane is None or a["lane"] == lane]
    return render(
        request, "risk/selection.html", selection=detail, assignments=shown, lane_filter=lane
    )


def _shipment(request: Request, reference: str, status: int = 200, **extra: Any) -> Response:
    with database(request).reader() as session:
        view = browse.shipment_view(session, reference)
        if view is None:
            raise ApiError(404, "not-found", refusals.not_found("shipment", repr(reference)))
        seizure = None
        event_id = (view.outcome or {}).get("seizure_event_id")
        if event_id:
            seizure = seizure_event(session, event_id)
    explanations: dict[str, Any] = {}
    problem = None
    if not installed():
        problem = "rk_extra_missing"
    else:
        from alianza.risk.live import live_scorer
        from alianza.risk.service import NoModel

        try:  # the node's loaded model: no model load, no full history read per page
            explanations = live_scorer(database(request)).explain_held(reference)
        except NoModel:
            problem = "rk_no_model"
        except KeyError:
            problem = "rk_not_scored"
    return render(
        request,
        "risk/shipment.html",
        status,
        shipment=view,
        explanations=explanations,
        problem=problem,
        seizure=seizure,
        results=RESULTS,
        lanes=LANES,
        feature_text=feature_text,
        error=extra.get("error"),
        issues=extra.get("issues", []),
        today=date.today(),
    )


@router.get("/risk/shipments/{reference}")
def shipment_page(request: Request, reference: str, _user: Reader) -> Response:
    return _shipment(request, reference)


@router.post("/risk/shipments/{reference}/outcome", dependencies=[Depends(check_csrf)])
def outcome_form(
    request: Request,
    reference: str,
    user: Manager,
    result: Annotated[str, Form()],
    inspected_on: Annotated[str, Form()],
    lane: Annotated[str, Form()] = "",
    exam_type: Annotated[str, Form()] = "",
    seizure_event_id: Annotated[str, Form()] = "",
) -> Response:
    from alianza.risk.store import record_outcome_rows

    if seizure_event_id.strip():  # a seizure the node does not hold is refused, not stored
        with database(request).reader() as session:
            held = seizure_event(session, seizure_event_id.strip()) is not None
        if not held:
            return _shipment(request, reference, 422, error="rk_seizure_unknown")
    report = record_outcome_rows(
        database(request),
        [
            {
                "reference": reference,
                "lane": lane,
                "exam_type": exam_type,
                "inspected_on": inspected_on,
                "result": result,
                "seizure_event_id": seizure_event_id,
            }
        ],
        source="web",
        actor=user,
    )
    if report.issues or report.loaded + report.unchanged == 0:
        return _shipment(request, reference, 409, error="rk_outcome_refused", issues=report.issues)
    return RedirectResponse(f"/risk/shipments/{quote(reference, safe='')}", status_code=303)


@router.post("/risk/selections/{selection_id}/override", dependencies=[Depends(check_csrf)])
def override_form(
    request: Request,
    selection_id: RowId,
    user: Manager,
    reference: Annotated[str, Form()],
    lane: Annotated[str, Form()],
    reason: Annotated[str, Form()] = "",
) -> Response:
    """An officer moves a shipment of a selection to another lane, with a reason (the same
    library call, and audit entry, as ``alianza risk override``)."""
    from alianza.risk.overrides import OverrideRefused, override

    try:
        override(database(request), selection_id, reference, lane, actor=user, reason=reason)
    except OverrideRefused as refused:
        return _shipment(request, reference, 409, error=f"rk_override_{refused.kind}")
    except LookupError as missing:
        raise ApiError(404, "not-found", message_of(missing)) from None
    return RedirectResponse(f"/risk/shipments/{quote(reference, safe='')}", status_code=303)


@router.get("/risk/rules")
def rules_page(request: Request, _user: Reader) -> Response:
    with database(request).reader() as session:
        rules = [rule_dict(r) for r in list_rules(session, include_retired=True)]
        watches = [watch_dict(w) for w in list_watches(session, include_retired=True)]
    for r in rules:
        r["when"] = [condition_text(c) for c in r["conditions"]]
    return render(request, "risk/rules.html", rules=rules, watches=watches)
