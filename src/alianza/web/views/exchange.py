"""Exchange pages: outbox, inbox (with verification results and refusals), late quarters, a
package's detail and download, and the actions of EXCHANGE_MANAGE (build a quarter's package,
send it to the partner, receive a file, re-verify a stored package).

Reading needs SEIZURES_READ: packages hold only bilateral aggregates (never national-only or
nominal records), so users of either country see the same pages.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import RedirectResponse, Response

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.catalogue import in_language, message_of
from alianza.exchange.inbox import (
    CHECKS,
    junk_since,
    late_groups,
    list_packages,
    list_refusals,
    package_entry,
    package_file,
    package_summary,
    receive_logged,
    reverify,
)
from alianza.exchange.keys import NodeIdentity, NodeKeyError, load_node_keys
from alianza.exchange.messages import UPLOAD_TOO_LARGE
from alianza.exchange.package import MAX_PACKAGE_BYTES, PackageRefused
from alianza.exchange.partners import list_partners, partner_endpoints, trusted_identities
from alianza.exchange.periods import parse_quarter, quarter_of, quarter_start
from alianza.exchange.service import DEFAULT_GRACE_DAYS, build_quarter, exchange_status, send_stored
from alianza.exchange.transport import SendFailed
from alianza.web.errors import ApiError
from alianza.web.i18n import translate
from alianza.web.params import MAX_ID, RowId
from alianza.web.render import language_of, render
from alianza.web.security import check_csrf, database, require
from alianza.web.strings.exchange import STRINGS
from alianza.web.views.labels import code_labeller

router = APIRouter(include_in_schema=False)


def _identity(request: Request) -> NodeIdentity | None:
    try:
        return load_node_keys(request.app.state.settings).identity
    except NodeKeyError:
        return None


def _t(request: Request, key: str, **values: object) -> str:
    """An interface string of these pages in the request's language."""
    return translate(key, language_of(request), **values)


def _known(done: str | None) -> str | None:
    """A notice key from the query string, only if it names one of ours."""
    return done if done is not None and f"ex_done_{done}" in STRINGS else None


def _last_quarter(today: date) -> str:
    return quarter_of(quarter_start(quarter_of(today)) - timedelta(days=1))


def _page(
    request: Request, *, error: str | None = None, done: str | None = None, status: int = 200
) -> Response:
    today = date.today()
    with database(request).reader() as session:
        states = exchange_status(session, today=today, grace_days=DEFAULT_GRACE_DAYS)
        outbox = list_packages(session, "outbound")
        inbox = list_packages(session, "inbound")
        refusals = list_refusals(session)
        junk = junk_since(session, datetime.now(UTC) - timedelta(hours=1))
        partners = list_partners(session)
    return render(
        request,
        "exchange/index.html",
        status_code=status,
        identity=_identity(request),
        partners=partners,
        states=states,
        late=late_groups(states),
        outbox=outbox,
        inbox=inbox,
        refusals=refusals,
        junk=junk,
        checks=CHECKS,
        grace_days=DEFAULT_GRACE_DAYS,
        default_quarter=_last_quarter(today),
        error=error,
        done=done,
        max_mb=MAX_PACKAGE_BYTES // (1024 * 1024),
    )


@router.get("/exchange")
def exchange_page(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    done: str | None = None,
) -> Response:
    return _page(request, done=_known(done))


@router.post("/exchange/build", dependencies=[Depends(check_csrf)])
def build_form(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.EXCHANGE_MANAGE))],
    quarter: Annotated[str, Form()],
    fiscal: Annotated[bool, Form()] = False,
) -> Response:
    quarter = quarter.strip().upper()
    try:
        parse_quarter(quarter)
        keys = load_node_keys(request.app.state.settings)
        _data, result = build_quarter(
            database(request),
            keys,
            quarter,
            period_kind="fiscal" if fiscal else "calendar",
            actor=user,
        )
    except NodeKeyError as error:
        said = in_language(message_of(error), language_of(request))
        return _page(request, error=_t(request, "ex_err_keys", error=said), status=409)
    except ValueError:  # parse_quarter: the only other ValueError here
        return _page(request, error=_t(request, "ex_err_quarter", value=quarter), status=409)
    return RedirectResponse(f"/exchange/packages/{result.package_id}?done=built", status_code=303)


@router.post("/exchange/receive", dependencies=[Depends(check_csrf)])
async def receive_form(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.EXCHANGE_MANAGE))],
    file: Annotated[UploadFile, File()],
) -> Response:
    data = await file.read(MAX_PACKAGE_BYTES + 1)
    name = file.filename or "package"
    try:
        if len(data) > MAX_PACKAGE_BYTES:
            raise PackageRefused("too-large", UPLOAD_TOO_LARGE(limit=MAX_PACKAGE_BYTES))
        result, _country, _quarter = receive_logged(
            database(request), data, source="upload", actor=user
        )
    except PackageRefused as refused:
        if refused.code == "too-large":  # receive_logged did not see it: log it here
            from alianza.exchange.inbox import record_refusal

            with database(request).transaction() as session:
                record_refusal(session, data, refused, source="upload", actor=user)
        said = refused.message_es if language_of(request) == "es" else refused.message
        return _page(request, error=f"{name}: {said} [{refused.code}]", status=409)
    return RedirectResponse(
        f"/exchange/packages/{result.package_id}?done={result.status}", status_code=303
    )


def _entry_or_404(request: Request, package_id: int) -> object:
    with database(request).reader() as session:
        entry = package_entry(session, package_id)
    if entry is None:
        raise ApiError(404, "not-found", refusals.not_found("package", package_id))
    return entry


def _detail(
    request: Request,
    package_id: RowId,
    *,
    done: str | None = None,
    error: str | None = None,
    status: int = 200,
) -> Response:
    with database(request).reader() as session:
        entry = package_entry(session, package_id)
        if entry is None:
            raise ApiError(404, "not-found", refusals.not_found("package", package_id))
        summary = package_summary(session, package_id)
        endpoints = partner_endpoints(session)
    return render(
        request,
        "exchange/package.html",
        status_code=status,
        package=entry,
        summary=summary,
        endpoints=endpoints,
        checks=CHECKS,
        done=done,
        error=error,
        last_check=entry.last("reverified"),
        drug_label=code_labeller("drug_group", language_of(request)),
        cov_keys=STRINGS,
    )


@router.get("/exchange/packages/{package_id}")
def package_page(
    request: Request,
    package_id: RowId,
    _user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
    done: str | None = None,
) -> Response:
    return _detail(request, package_id, done=_known(done))


@router.get("/exchange/packages/{package_id}/download")
def package_download(
    request: Request,
    package_id: RowId,
    _user: Annotated[Principal, Depends(require(Permission.SEIZURES_READ))],
) -> Response:
    with database(request).reader() as session:
        found = package_file(session, package_id)
    if found is None:
        raise ApiError(404, "not-found", refusals.not_found("package", package_id))
    name, data = found
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/exchange/packages/{package_id}/send", dependencies=[Depends(check_csrf)])
def send_form(
    request: Request,
    package_id: RowId,
    _user: Annotated[Principal, Depends(require(Permission.EXCHANGE_MANAGE))],
    partner: Annotated[int, Form(ge=1, le=MAX_ID)],
) -> Response:
    """Send to a trusted partner's registered endpoint (chosen by id: never a typed URL)."""
    _entry_or_404(request, package_id)
    with database(request).reader() as session:
        url = next((p.url for p in partner_endpoints(session) if p.id == partner), None)
    if url is None:
        return _detail(request, package_id, error=_t(request, "ex_err_partner"), status=409)
    try:
        answer, acknowledged = send_stored(database(request), package_id, url, attempts=3)
    except SendFailed as failed:
        said = _t(request, f"ex_err_{failed.kind}", summary=failed.summary)
        return _detail(request, package_id, error=said, status=409)
    except LookupError:
        raise ApiError(
            404, "not-found", refusals.not_found("outbound package", package_id)
        ) from None
    done = f"sent-{answer}" + ("-acknowledged" if acknowledged else "")
    return RedirectResponse(f"/exchange/packages/{package_id}?done={done}", status_code=303)


@router.post("/exchange/packages/{package_id}/reverify", dependencies=[Depends(check_csrf)])
def reverify_form(
    request: Request,
    package_id: RowId,
    user: Annotated[Principal, Depends(require(Permission.EXCHANGE_MANAGE))],
) -> Response:
    entry = _entry_or_404(request, package_id)
    direction = getattr(entry, "direction", "")
    if direction == "outbound":
        own = _identity(request)
        trusted = {own.fingerprint: own} if own is not None else {}
    else:
        with database(request).reader() as session:
            trusted = trusted_identities(session)
    result = reverify(database(request), package_id, trusted, actor=user)
    done = "reverified-ok" if result.ok else "reverified-failed"
    return RedirectResponse(f"/exchange/packages/{package_id}?done={done}", status_code=303)
