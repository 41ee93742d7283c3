"""Server-rendered pages: one Jinja2 environment, the context every page shares."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from alianza.accounts.permissions import Permission
from alianza.catalogue import in_language
from alianza.seizures.overview import NOT_REPORTED_COUNT as NOT_REPORTED
from alianza.web.i18n import (
    STRINGS,
    format_date,
    format_number,
    pick_language,
    translate,
    translate_message,
)
from alianza.web.security import csrf_token, current_principal

TEMPLATES = Path(__file__).parent / "templates"
LANGUAGE_COOKIE = "lang"

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def language_of(request: Request) -> str:
    """The switch's choice (cookie), else the user's own language, else the browser's."""
    principal = current_principal(request)
    chosen = request.cookies.get(LANGUAGE_COOKIE) or (principal.language if principal else None)
    return pick_language(chosen, request.headers.get("accept-language"), "en")


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    language = language_of(request)
    principal = current_principal(request)

    def t(key: str, **values: object) -> str:
        return translate(key, language, **values)

    page = environment.get_template(template).render(
        request=request,
        lang=language,
        other_lang="es" if language == "en" else "en",
        user=principal,
        can=(lambda name: principal is not None and principal.can(Permission(name))),
        csrf=csrf_token(request),
        t=t,
        msg=lambda message: localized(request, message),
        # a catalogue message (a refusal raised with its key) in the page's language; any
        # other text as it is
        say=lambda message: in_language(message, language),
        code=lambda value: coded(value, language),
        fmt_date=lambda value: format_date(value, language),
        date_field=lambda: date_field(language),
        fmt_number=lambda value, decimals=0: (
            NOT_REPORTED(language)
            if value is None  # a count the source does not report (not zero)
            else format_number(value, language, decimals)
        ),
        path=request.url.path,
        # where the language switch returns to: this page, unless it answers a form post
        here=(
            request.url.path + (f"?{request.url.query}" if request.url.query else "")
            if request.method == "GET"
            else "/pme"
        ),
        **context,
    )
    return HTMLResponse(page, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    key = {403: "forbidden_title", 404: "not_found_title"}.get(status, "error_title")
    return render(
        request, "error.html", status_code=status, status=status, key=key,
        message=localized(request, message),
    )  # fmt: skip


def date_field(language: str) -> Markup:
    """Attributes of a date typed as year-month-day (``<input type="text" {{ date_field() }}``):
    a browser's date picker shows the browser's locale (mm/dd/yyyy on a Spanish page in an
    English browser, whatever ``lang`` says); year first reads the same to both countries."""
    return Markup(
        'inputmode="numeric" pattern="[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}" maxlength="10" '
        'autocomplete="off" class="date" placeholder="{}" title="{}"'
    ).format(translate("date_placeholder", language), translate("date_hint", language))


def coded(value: str | None, language: str) -> Markup:
    """A code a record holds (a cadence, a kind, an owner) in the page's language; one the
    catalogue lacks is shown as it is, marked as English (the records' language)."""
    if value is None:
        return Markup("—")
    key = f"code_{value}"
    if key in STRINGS:
        return Markup("{}").format(translate(key, language))
    return Markup('<span lang="en">{}</span>').format(value)


def localized(request: Request, message: str) -> Markup:
    """An error or refusal message in the page's language; one the catalogue lacks is shown
    as it is, marked as English."""
    translated = translate_message(message, language_of(request))
    if translated is None:
        return Markup('<span lang="en">{}</span>').format(message)
    return Markup("{}").format(translated)
