"""Interface strings in English and Spanish, and dates and numbers formatted per language."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime

from alianza.catalogue import Localized, plural_index, text_of
from alianza.pme.dates import MONTH_ABBREVIATIONS
from alianza.web.strings import Message, coop, exchange, pages, ports, risk, seizures

LANGUAGES = ("en", "es")
log = logging.getLogger(__name__)

STRINGS: dict[str, Message] = {
    "app_name": "Alianza",
    "tagline": "U.S.–Mexico border-security cooperation",
    "skip": "Skip to content",
    "nav_pme": "Performance measures",
    "nav_seizures": "Seizures",
    "nav_exchange": "Exchange",
    "nav_coop": "Cooperation",
    "nav_ports": "Ports",
    "nav_risk": "Targeting",
    "nav_audit": "Audit log",
    "nav_users": "Users",
    "language": "Language",
    "other_language": "Español",
    "log_in": "Log in",
    "log_out": "Log out",
    "username": "Username",
    "password": "Password",
    "change_password": "Change password",
    "current_password": "Current password",
    "new_password": "New password",
    "new_password_again": "New password, again",
    "password_changed": "Password changed. Every other session of yours has ended.",
    "passwords_differ": "The two new passwords differ.",
    "password_too_short": "The new password needs at least {minimum} characters.",
    "current_password_wrong": "The current password is wrong.",
    "login_failed": "Wrong username or password.",
    "login_throttled": "Too many failed attempts. Try again in {seconds} seconds.",
    "signed_in_as": "Signed in as",
    "alliance_point": "Alliance Point",
    "action": "Action",
    "actions": "Actions",
    "baseline": "Baseline",
    "targets": "Targets",
    "measurements": "Measurements",
    "status": "Status",
    "as_of": "as of",
    "latest_status": "Latest status",
    "paragraphs": "Paragraphs",
    "sub_action_of": "Sub-action of",
    "status_history": "Status history",
    "downloads": "Downloads",
    "import_report": "Import a report",
    "report_file": "Report file (tab-separated, English or Spanish)",
    "import": "Import",
    "import_refused": "The file was refused; nothing was written.",
    "import_done": "Imported.",
    "nothing_changed": "Nothing changed: the plan already holds this content.",
    "line": "Line",
    "code": "Code",
    "problem": "Problem",
    "created": "Created",
    "warnings": "Warnings",
    "no_plan": "No performance-measures report is loaded yet.",
    "no_spanish": "This plan has no text in this language yet; showing English.",
    "in_other_language": "[ES] Spanish only",
    "action_in_other_language": "This action has no English text yet; showing Spanish.",
    "forbidden_title": "Not allowed",
    "forbidden": "Your role does not allow this page.",
    "not_found_title": "Not found",
    "error_title": "Something went wrong",
    "back": "Back",
    "previous": "Previous",
    "next": "Next",
    "audit_ok": (
        "Audit chain intact: 1 entry verified.",
        "Audit chain intact: {n} entries verified.",
    ),
    "audit_broken": "Audit chain broken at entry {id}: {reason}.",
    "when": "When",
    "who": "Who",
    "what": "What",
    "subject": "Subject",
    "role": "Role",
    "country": "Country",
    "agency": "Agency",
    "active": "Active",
    "open_sessions": "Open sessions",
    "login_throttles": "Login throttles",
    "throttle_key": "Account or address",
    "failures": "Failed logins",
    "last_failure": "Last failure (UTC)",
    "wait_seconds": "Wait (s)",
    "clear": "Clear",
    "no_throttles": "No failed logins recorded.",
    "yes": "yes",
    "no": "no",
    "schedule": "Schedule",
    "nav_cycles": "Reporting cycles",
    "nav_scorecard": "Scorecard",
    "cycles": "Reporting cycles",
    "cycle": "Cycle",
    "state": "State",
    "state_open": "open",
    "state_in_review": "in review",
    "state_returned": "returned",
    "state_approved": "approved",
    "state_locked": "locked",
    "state_published": "published",
    "no_cycles": "No reporting cycle yet.",
    "open_cycle": "Open a cycle",
    "cycle_key": "Key",
    "due": "Due",
    "label_en": "Label (English)",
    "label_es": "Label (Spanish)",
    "government": "Government",
    "tr_source": "original text",
    "tr_draft": "draft translation",
    "tr_approved": "translation reviewed",
    "tr_stale": "stale: its source changed",
    "no_status_yet": "No status entered yet.",
    "enter_status": "Enter status",
    "paragraph_to_revise": "Paragraph to revise (empty: a new one)",
    "text": "Text",
    "save": "Save",
    "submit": "Submit for approval",
    "review_as": "Review for {gov}",
    "approve": "Approve",
    "return_cycle": "Return with comments",
    "comment": "Comment",
    "lock": "Lock",
    "publish": "Publish",
    "workflow": "Workflow",
    "waiting_for": "Waiting for",
    "cy_partner": "partner data, signed message",
    "cy_edition": "Edition",
    "cy_signed_by": "Signed by",
    "cy_unsigned": "Not yet signed by",
    "cy_outbox": "Messages waiting for the partner node",
    "cy_received": "Messages received from the partner node",
    "cy_received_at": "Received",
    "cy_from": "From",
    "cy_message": "Message",
    "cy_outcome": "Outcome",
    "cy_reason": "Why",
    "cy_outcome_applied": "applied",
    "cy_outcome_duplicate": "already applied",
    "cy_outcome_workflow": "not applied",
    "cy_outcome_refused": "refused",
    "scorecard": "Scorecard",
    "assess": "Assess",
    "plan": "Plan",
    "target": "Target",
    "completion": "Recorded completion",
    "st_not_due": "not due",
    "st_due_soon": "due soon",
    "st_overdue": "overdue",
    "st_met_on_time": "met on time",
    "st_met_late": "met late",
    "st_waiting_on_event": "waiting on event",
    "st_no_deadline": "no deadline",
    "st_met_timing_unknown": "met (timing unknown)",
    "st_disputed": "disputed: records and judgement disagree",
    "st_unparsed_deadline": "unparsed deadline",
    "todo_title": "What needs me",
    "todo_nothing": "Nothing needs you.",
    "todo_what": "What",
    "todo_subject": "Where",
    "todo_detail": "Detail",
    "known_on": "as known on",
    "from_records": "From the records",
    "from_judgement": "From the judgement",
    "co_not_started": "not started",
    "co_in_progress": "in progress",
    "co_done": "done",
    "co_done_partially": "partially done",
    "co_cancelled": "cancelled",
    "co_postponed": "postponed",
    "co_no_data": "no data",
    "deadline": "Deadline",
    "deadline_timeline": "Deadline timeline",
    "deadline_axis": "Due date (month)",
    "deadline_timeline_help": (
        "Each dot is a target at its due date, coloured by its state; the dashed line is the "
        "assessment date. The table below has the same targets."
    ),
    "references": "Cross-references",
    "unresolved": "unresolved",
    "cy_measures": "Measure outcomes submitted with the cycle",
    "cy_measures_help": (
        "What each government's node computed from its own records as of the cycle's date and "
        "submitted; the edition's scorecard rests on these. A binational measure is shown once "
        "when both governments submitted the same outcome."
    ),
    "cy_no_measures": "No government has submitted measure outcomes with this cycle yet.",
    "cy_value": "Value",
    "cy_met_on": "Date met",
    "cy_records": "Records counted",
    "cy_submitted_by": "Submitted by, at",
    "cy_same": "both governments submitted the same outcome",
    "cy_differs": "the governments' outcomes differ",
    "cy_prec_month": "month only",
    "cy_prec_year": "year only",
    "cy_prec_approximate": "on or before",
    "cy_changed": "Records changed since the submission",
    "cy_changed_help": (
        "This node's registry records changed after its government submitted: computed now for the "
        "cycle's date, these measures differ from what was submitted (and from the edition)."
    ),
    "cy_then": "Submitted",
    "cy_now": "Computed now",
    "cy_next": "What to do",
    "date_placeholder": "YYYY-MM-DD",
    "date_hint": "A date as year-month-day, for example 2026-03-04 for 4 March 2026",
}

for _domain in (seizures, exchange, ports, risk, coop, pages):
    _twice = STRINGS.keys() & _domain.STRINGS.keys()
    if _twice:
        raise AssertionError(f"{_domain.__name__}: keys already defined: {sorted(_twice)}")
    STRINGS.update(_domain.STRINGS)


def catalogue_messages() -> dict[str, Message]:
    """Every message of the one catalogue: the pages', the joint analysis' labels and every
    message the domain modules declare (import problems, exchange refusals, configuration
    problems, port documents, the command line's errors)."""
    from alianza.analysis.labels import MESSAGES
    from alianza.catalogue import declared

    return {**STRINGS, **MESSAGES, **declared()}


def translate(key: str, language: str, **values: object) -> str:
    """The key's text in ``language`` (the catalogue's Spanish, see alianza/catalogue.py), with
    ``values`` put in; a counted message takes the form for ``n``: "1 row", "2 rows"."""
    english = STRINGS.get(key)
    if english is None:  # a programming error: tests/web/test_catalogue.py finds these
        log.error("no message %r", key)
        return key
    text = text_of(key, english, language)
    if isinstance(text, tuple):
        text = text[plural_index(values.get("n"))]
    return text.format(**values) if values else text


def format_date(value: date | datetime | str | None, language: str) -> str:
    """One date style per language: 31 Aug 1999 (14:23 UTC), 31 ago 1999 (14:23 UTC); an ISO
    text (as packages carry it) is read first."""
    if value is None:
        return "—"
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        if len(value) == 10:  # a day (2000-02-15): no time of day to show
            return format_date(date.fromisoformat(value), language)
        value = parsed.astimezone(UTC) if parsed.utcoffset() else parsed
    month = MONTH_ABBREVIATIONS[value.month - 1](language)
    text = f"{value.day} {month} {value.year}"
    if isinstance(value, datetime):
        text += f" {value:%H:%M} UTC"
    return text


def format_number(value: float | int, language: str, decimals: int = 0) -> str:
    """Thousands separators as Mexico and the United States both write them (1,234.5)."""
    return f"{value:,.{decimals}f}"


def pick_language(requested: str | None, accept_language: str | None, default: str) -> str:
    """The page's language: one asked for (``?lang=``, the cookie), else the browser's most
    wanted language Alianza has (``Accept-Language`` with its weights: ``en;q=0.4, es`` is
    Spanish; ``q=0`` refuses), else ``default``."""
    if requested in LANGUAGES:
        return requested
    wanted: list[tuple[float, int, str]] = []
    for order, part in enumerate((accept_language or "").split(",")):
        code, *parameters = (piece.strip() for piece in part.split(";"))
        weight = 1.0
        for parameter in parameters:
            name, _, value = parameter.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        language = code.lower().split("-")[0]
        if language == "*":
            language = default
        if language in LANGUAGES and weight > 0:
            wanted.append((-weight, order, language))
    return min(wanted)[2] if wanted else default


def translate_message(message: str, language: str) -> str | None:
    """An error or refusal message in ``language``: a catalogue message raised with its key
    (:class:`~alianza.catalogue.Said`) is said in it; a plain English one is shown as it is in
    English and is None in Spanish (the page marks it as English)."""
    if isinstance(message, Localized):  # a catalogue message, raised with its key
        return message.in_language(language)
    return message if language == "en" else None
