"""JSON API of the performance measures (``/api/v1/pme``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, UploadFile

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import declare, message_of
from alianza.pme.assessment import assess_plan
from alianza.pme.deadline_store import deadlines_in_force
from alianza.pme.document import Language
from alianza.pme.events import event_dates
from alianza.pme.export.json import report_json
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.measure_changes import changes_behind
from alianza.pme.problems import ReportRejected
from alianza.pme.query import (
    Address,
    BadAddress,
    NothingInLanguage,
    PlanNotFound,
    paragraph_at,
    plan_report_in,
)
from alianza.pme.service import import_report_bytes
from alianza.web.errors import REPORT_REFUSED, ApiError
from alianza.web.params import Day, OptionalDay
from alianza.web.security import check_csrf, database, require

router = APIRouter(prefix="/api/v1/pme", tags=["performance measures"])
MAX_REPORT_BYTES = 5 * 1024 * 1024
# What the API says in the language a request asks for (keys ``pme.api.…``).
NO_ACTION = declare(
    "pme.api.no-action", "no action {number} in plan {plan!r}, in English or Spanish"
)
SHOWN_IN_OTHER_LANGUAGE = {
    Language.ES: declare(
        "pme.api.shown-in-english", "This action has no Spanish text yet; shown in English."
    ),
    Language.EN: declare(
        "pme.api.shown-in-spanish", "This action has no English text yet; shown in Spanish."
    ),
}


def _report_json(request: Request, plan: str, lang: Language) -> dict[str, Any]:
    """The plan as JSON in ``lang``; an action without text in ``lang`` is there in the other
    language, marked (its ``language``, and the top-level ``shown_in_other_language``): a
    reader never misses an action, nor takes one language for the other (issue 17, item 4)."""
    with database(request).reader() as session:
        cache = request.app.state.plan_reports

        def build() -> dict[str, Any]:
            report, borrowed = plan_report_in(session, plan, lang)
            document = report_json(
                report,
                deadlines=deadlines_in_force(session, plan),
                events=event_dates(session, plan),
            )
            other = (Language.ES if lang is Language.EN else Language.EN).value
            for point in document["alliance_points"]:
                for action in point["actions"]:
                    action["language"] = other if action["number"] in borrowed else lang.value
            document["language"] = lang.value
            document["shown_in_other_language"] = list(borrowed)
            return document

        try:
            document: dict[str, Any] = cache.memo(session, ("json-in", plan, lang), build)
        except (PlanNotFound, NothingInLanguage) as error:
            raise ApiError(404, "not-found", message_of(error)) from None
        return document


def _not_in_plan(number: str, plan: str, lang: Language) -> ApiError:
    """404: the plan has no such action in either language (said in the language asked)."""
    return ApiError(404, "not-found", NO_ACTION(lang.value, number=number, plan=plan))


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
    """The action in ``lang``; when it has no text in ``lang``, in the other language with
    ``language`` and a ``notice`` saying so; 404 (the error envelope) when the plan has no
    such action in either language."""
    document = _report_json(request, plan, lang)
    for point in document["alliance_points"]:
        for action in point["actions"]:
            if action["number"] == number:
                found = dict(action)
                if found["language"] != lang.value:
                    found["notice"] = _other_language_notice(lang)
                return found
    raise _not_in_plan(number, plan, lang)


def _other_language_notice(lang: Language) -> str:
    """The notice on an action shown in the other language, in the language asked."""
    return SHOWN_IN_OTHER_LANGUAGE[lang](lang.value)


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
            assessment = assess_plan(session, as_of, plan_key=plan, known_on=known_on)
            changed = [c.as_dict() for c in changes_behind(session, assessment)]
            return {**assessment.as_dict(), "changed_since_submission": changed}
        except PlanNotFound as error:
            raise ApiError(404, "not-found", message_of(error)) from None


@router.get("/paragraphs/{address:path}", summary="One paragraph by address (10.2/status/5)")
def get_paragraph(
    request: Request,
    address: str,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    plan: str = DEFAULT_PLAN,
    lang: Language = Language.EN,
) -> dict[str, str]:
    """The paragraph in ``lang`` (its action's other language, with ``language`` saying so,
    when the action has no text in ``lang``); 404 when the address points at nothing."""
    with database(request).reader() as session:
        try:
            parsed = Address.parse(address)
            report, borrowed = request.app.state.plan_reports.memo(
                session, ("plan-in", plan, lang), lambda: plan_report_in(session, plan, lang)
            )
            paragraph = paragraph_at(report, parsed)
        except (PlanNotFound, NothingInLanguage, BadAddress) as error:
            raise ApiError(404, "not-found", message_of(error)) from None
    other = Language.ES if lang is Language.EN else Language.EN
    shown = other if parsed.action in borrowed else lang
    found = {"address": str(parsed), "text": paragraph.text, "markup": paragraph.markup}
    found["language"] = shown.value
    if shown is not lang:
        found["notice"] = _other_language_notice(lang)
    return found


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
        raise ApiError(
            413, "too-large", refusals.FILE_TOO_LARGE["report"].said(limit=MAX_REPORT_BYTES)
        )
    name = file.filename or "upload.tsv"
    try:
        result = import_report_bytes(database(request), data, name, plan_key=plan, actor=user)
    except ReportRejected as rejected:
        raise ApiError(
            422,
            "report-rejected",
            REPORT_REFUSED.said(name=name),
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
