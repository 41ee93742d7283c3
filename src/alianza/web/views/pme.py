"""Performance-measures pages: the plan, one action, downloads, report import."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, UploadFile
from fastapi.responses import Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.pme.assessment import assess_plan
from alianza.pme.document import Language, Report
from alianza.pme.export import ExportFormat, render_report
from alianza.pme.load import DEFAULT_PLAN, DEFAULT_PLAN_TITLE
from alianza.pme.problems import ReportRejected
from alianza.pme.query import NothingInLanguage, PlanNotFound, plan_report_in
from alianza.pme.references import references_by_action
from alianza.pme.service import import_report_bytes
from alianza.web.errors import ApiError
from alianza.web.params import OptionalDay
from alianza.web.render import language_of, render
from alianza.web.security import check_csrf, database, require
from alianza.web.views.assessment import latest_status_date

router = APIRouter(include_in_schema=False)
MAX_REPORT_BYTES = 5 * 1024 * 1024
CONTENT_TYPES = {
    ExportFormat.TSV: "text/tab-separated-values; charset=utf-8",
    ExportFormat.MD: "text/markdown; charset=utf-8",
    ExportFormat.HTML: "text/html; charset=utf-8",
    ExportFormat.JSON: "application/json",
}


def plan_report(request: Request, language: str) -> tuple[Report | None, tuple[str, ...]]:
    """The plan in ``language``, each action without text in it shown in the other language
    (second value: those actions); None when no plan is loaded."""
    with database(request).reader() as session:
        try:
            found: tuple[Report, tuple[str, ...]] = request.app.state.plan_reports.memo(
                session,
                ("plan-in", DEFAULT_PLAN, language),
                lambda: plan_report_in(session, DEFAULT_PLAN, Language(language)),
            )
            return found
        except (PlanNotFound, NothingInLanguage):
            return None, ()


@router.get("/pme")
def plan_page(
    request: Request, _user: Annotated[Principal, Depends(require(Permission.PME_READ))]
) -> Response:
    report, borrowed = plan_report(request, language_of(request))
    return render(
        request,
        "pme/index.html",
        report=report,
        fallback=report is not None and len(borrowed) == len(report.actions()),
        borrowed=borrowed,
        plan_title=DEFAULT_PLAN_TITLE,
    )


@router.get("/pme/actions/{number}")
def action_page(
    request: Request,
    number: str,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    as_of: OptionalDay = None,
) -> Response:
    report, borrowed = plan_report(request, language_of(request))
    action = report.action(number) if report else None
    if report is None or action is None:
        raise ApiError(404, "not-found", refusals.not_found("action", number))
    numbers = [a.number for a in report.actions()]
    index = numbers.index(number)
    point = next(p for p in report.alliance_points if action in p.actions)
    as_of = as_of or latest_status_date(request)
    cache = request.app.state.plan_reports
    with database(request).reader() as session:
        try:
            assessed = cache.memo(session, ("assess", as_of), lambda: assess_plan(session, as_of))
            targets = {t.address: t for t in assessed.targets()}
        except (PlanNotFound, NothingInLanguage):
            targets = {}
        by_action = cache.memo(
            session, ("references", report.language), lambda: references_by_action(report)
        )
    references = by_action.get(number, [])
    return render(
        request,
        "pme/action.html",
        action=action,
        point=point,
        fallback=number in borrowed,
        as_of=as_of,
        assessed=targets,
        references=references,
        previous=numbers[index - 1] if index > 0 else None,
        next=numbers[index + 1] if index + 1 < len(numbers) else None,
    )


@router.get("/pme/export")
def export(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    format: ExportFormat = ExportFormat.HTML,
    lang: Language = Language.EN,
) -> Response:
    with database(request).reader() as session:  # one language per file, never mixed
        cache = request.app.state.plan_reports
        try:
            try:
                report = cache.get(session, DEFAULT_PLAN, lang)
            except NothingInLanguage:
                report = cache.get(session, DEFAULT_PLAN, Language.EN)
        except (PlanNotFound, NothingInLanguage):
            raise ApiError(404, "not-found", refusals.NO_PME_REPORT.said()) from None
    body = render_report(report, format, DEFAULT_PLAN_TITLE)
    name = f"alliance-points-{report.language.value}.{format.value}"
    return Response(
        body,
        media_type=CONTENT_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/pme/import", dependencies=[Depends(check_csrf)])
async def import_report(
    request: Request,
    file: UploadFile,
    user: Annotated[Principal, Depends(require(Permission.PME_IMPORT))],
) -> Response:
    data = await file.read(MAX_REPORT_BYTES + 1)
    if len(data) > MAX_REPORT_BYTES:
        raise ApiError(
            413, "too-large", refusals.FILE_TOO_LARGE["report"].said(limit=MAX_REPORT_BYTES)
        )
    filename = file.filename or "upload.tsv"
    try:
        result = import_report_bytes(database(request), data, filename, actor=user)
    except ReportRejected as rejected:
        return render(
            request,
            "pme/imported.html",
            status_code=422,
            filename=filename,
            problems=rejected.problems,
            summary=None,
            warnings=[],
        )
    return render(
        request,
        "pme/imported.html",
        filename=filename,
        problems=[],
        summary=result.summary,
        warnings=result.warnings,
    )
