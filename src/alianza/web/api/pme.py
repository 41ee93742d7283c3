"""JSON API of the performance measures (``/api/v1/pme``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, UploadFile

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.pme.assessment import assess_plan
from alianza.pme.deadline_store import deadlines_in_force
from alianza.pme.document import Language
from alianza.pme.events import event_dates
from alianza.pme.export.json import report_json
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.problems import ReportRejected
from alianza.pme.query import (
    Address,
    BadAddress,
    NothingInLanguage,
    PlanNotFound,
    paragraph_at,
)
from alianza.pme.service import import_report_bytes
from alianza.web.errors import ApiError
from alianza.web.params import Day, OptionalDay
from alianza.web.security import check_csrf, database, require

router = APIRouter(prefix="/api/v1/pme", tags=["performance measures"])
MAX_REPORT_BYTES = 5 * 1024 * 1024


def _report_json(request: Request, plan: str, lang: Language) -> dict[str, Any]:
    with database(request).reader() as session:
        try:
            cache = request.app.state.plan_reports
            report = cache.get(session, plan, lang)
            document: dict[str, Any] = cache.memo(
                session,
                ("json", plan, lang),
                lambda: report_json(
                    report,
                    deadlines=deadlines_in_force(session, plan),
                    events=event_dates(session, plan),
                ),
            )
            return document
        except (PlanNotFound, NothingInLanguage) as error:
            raise ApiError(404, "not-found", str(error)) from None


@router.get("/report", summary="The plan as JSON (docs/pme-report.schema.json)")
def get_report(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
    lang: Language = Language.EN,
) -> dict[str, Any]:
    return _report_json(request, plan, lang)


@router.get("/actions/{number}", summary="One action with its columns")
def get_action(
    request: Request,
    number: str,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
    lang: Language = Language.EN,
) -> dict[str, Any]:
    document = _report_json(request, plan, lang)
    for point in document["alliance_points"]:
        for action in point["actions"]:
            if action["number"] == number:
                return dict(action)
    raise ApiError(404, "not-found", f"no action {number} in plan {plan!r}")


@router.get("/assessment", summary="The scorecard as of a date (records and judgements)")
def get_assessment(
    request: Request,
    as_of: Day,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
    known_on: OptionalDay = None,
) -> dict[str, Any]:
    with database(request).reader() as session:
        try:
            return assess_plan(session, as_of, plan_key=plan, known_on=known_on).as_dict()
        except PlanNotFound as error:
            raise ApiError(404, "not-found", str(error)) from None


@router.get("/paragraphs/{address:path}", summary="One paragraph by address (10.2/status/5)")
def get_paragraph(
    request: Request,
    address: str,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
    lang: Language = Language.EN,
) -> dict[str, str]:
    with database(request).reader() as session:
        try:
            report = request.app.state.plan_reports.get(session, plan, lang)
            parsed = Address.parse(address)
            paragraph = paragraph_at(report, parsed)
        except (PlanNotFound, NothingInLanguage, BadAddress) as error:
            raise ApiError(404, "not-found", str(error)) from None
    return {"address": str(parsed), "text": paragraph.text, "markup": paragraph.markup}


@router.post(
    "/imports",
    summary="Import a report file (one transaction; refused whole on any error)",
    dependencies=[Depends(check_csrf)],
)
async def post_import(
    request: Request,
    file: UploadFile,
    user: Annotated[Principal, Depends(require(Permission.PME_IMPORT))],
    plan: str = DEFAULT_PLAN,
) -> dict[str, Any]:
    data = await file.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise ApiError(413, "too-large", f"a report file is at most {MAX_REPORT_BYTES:,} bytes")
    name = file.filename or "upload.tsv"
    try:
        result = import_report_bytes(database(request), data, name, plan_key=plan, actor=user)
    except ReportRejected as rejected:
        raise ApiError(
            422,
            "report-rejected",
            f"{name}: refused, nothing was written",
            [{"line": p.line, "code": p.code, "message": p.message} for p in rejected.problems],
        ) from None
    summary = result.summary
    return {
        "changed": summary.changed,
        "summary": summary.as_dict(),
        "warnings": [
            {"line": w.line, "code": w.code, "message": w.message} for w in result.warnings
        ],
    }
