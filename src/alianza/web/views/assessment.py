"""The scorecard: targets by schedule state as of a date, per Alliance Point and plan."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.pme.assessment import assess_plan
from alianza.pme.dates import month_abbreviations
from alianza.pme.query import NothingInLanguage, PlanNotFound
from alianza.pme.schedule import ScheduleState
from alianza.web.i18n import format_date, translate
from alianza.web.params import OptionalDay
from alianza.web.render import language_of, render
from alianza.web.security import database, require
from alianza.web.timeline import deadline_timeline, legend

router = APIRouter(include_in_schema=False)


def latest_status_date(request: Request) -> date:
    """The date of the newest status snapshot in the plan (today when there is none)."""
    cache = request.app.state.plan_reports
    with database(request).reader() as session:

        def newest() -> date | None:
            try:
                report = cache.get(session)
            except (PlanNotFound, NothingInLanguage):
                return None
            return max((s.as_of for a in report.actions() for s in a.status), default=None)

        found: date | None = cache.memo(session, ("latest-status",), newest)
    return found or date.today()


@router.get("/pme/assessment")
def assessment_page(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.PME_READ))],
    as_of: OptionalDay = None,
    known_on: OptionalDay = None,
) -> Response:
    when = as_of or latest_status_date(request)
    with database(request).reader() as session:
        try:
            cache = request.app.state.plan_reports
            assessment = cache.memo(
                session,
                ("assess", when, known_on),
                lambda: assess_plan(session, when, known_on=known_on),
            )
        except PlanNotFound:
            assessment = None
    language = language_of(request)
    timeline = (
        deadline_timeline(
            assessment,
            lambda state: translate(f"st_{state.value}", language),
            lambda day: format_date(day, language),
            translate("deadline_timeline", language),
            months=month_abbreviations(language),
            axis_title=translate("deadline_axis", language),
        )
        if assessment is not None
        else None
    )
    return render(
        request,
        "pme/assessment.html",
        assessment=assessment,
        as_of=when,
        states=[s.value for s in ScheduleState],
        timeline=timeline,
        legend=legend(assessment) if assessment is not None else [],
    )
