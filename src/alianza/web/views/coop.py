"""The cooperation registry in the browser: mechanisms and subgroups, meetings, liaison posts,
joint studies (deliverables), technology deployed, training, the threat-assessment draft, and
the performance measures computed from the records (10.1–10.9). COOP_READ reads; COOP_MANAGE
adds records and ends mechanisms and posts (validated by :mod:`alianza.cooperation.registry`,
audited in the same transaction, as the CLI does).

A liaison officer's name is nominal: it is shown only to users of the post's own country.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.actors import Actor
from alianza.catalogue import message_of
from alianza.cooperation import registry
from alianza.cooperation.overview import registry_overview
from alianza.web.errors import LANGUAGE_EN_OR_ES, NO_RECORD_FORM, ApiError
from alianza.web.i18n import translate
from alianza.web.params import Day, OptionalDay
from alianza.web.render import language_of, render
from alianza.web.security import check_csrf, database, require

router = APIRouter(include_in_schema=False)


class FieldError(ValueError):
    """A form field that cannot be used as given: ``field``, the interface string ``key`` of
    the message (cr_err_…) and its values; ``str()`` is the English message."""

    def __init__(self, field: str, key: str, **values: object) -> None:
        self.field = field
        self.key = key
        self.values = {"field": field, **values}
        super().__init__(translate(key, "en", **self.values))

    def in_language(self, language: str) -> str:
        return translate(self.key, language, **self.values)


def _text(form: FormData, name: str, *, required: bool = True, limit: int = 500) -> str | None:
    value = form.get(name)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        if required:
            raise FieldError(name, "cr_err_required")
        return None
    if len(text) > limit:
        raise FieldError(name, "cr_err_long", limit=limit)
    return text


def _date(form: FormData, name: str, *, required: bool = True) -> date | None:
    text = _text(form, name, required=required, limit=10)
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(name, "cr_err_date", value=text) from None


def _int(form: FormData, name: str) -> int:
    text = _text(form, name, limit=9) or "0"
    if not text.isdigit():
        raise FieldError(name, "cr_err_int", value=text)
    return int(text)


def _registry(request: Request, as_of: date) -> dict[str, Any]:
    """The registry and its measures as of a date, kept while nothing is written (every write
    to the registry is audited, and the cache's version includes the newest audit entry)."""
    with database(request).reader() as session:
        cache = request.app.state.plan_reports
        built: dict[str, Any] = cache.memo(
            session,
            ("coop-registry", as_of),
            lambda: {**registry_overview(session, as_of), **_CHOICES},
        )
        return built


_CHOICES = {
    "record_id": registry.record_id,
    "kinds": registry.MECHANISM_KINDS,
    "precisions": registry.PRECISIONS,
    "levels": registry.LEVELS,
}


def _page(
    request: Request,
    user: Principal,
    *,
    as_of: OptionalDay = None,
    error: str | None = None,
    form: str | None = None,
    field: str | None = None,
    done: str | None = None,
    status: int = 200,
) -> Response:
    context = _registry(request, as_of or date.today())
    return render(
        request,
        "coop/index.html",
        status_code=status,
        error=error,
        error_form=form,
        error_field=field,
        done=done,
        own_country=user.country.value,
        **context,
    )


@router.get("/coop")
def coop_page(
    request: Request,
    user: Annotated[Principal, Depends(require(Permission.COOP_READ))],
    as_of: OptionalDay = None,
    done: str | None = None,
) -> Response:
    return _page(request, user, as_of=as_of, done=done if done in BUILDERS else None)


def _mechanism(form: FormData, actor: Actor) -> Callable[..., object]:
    kind = _text(form, "kind", limit=30)
    values: dict[str, Any] = {
        "key": _text(form, "key", limit=100),
        "kind": kind,
        "name": _text(form, "name"),
        "name_es": _text(form, "name_es", required=False),
        "parent": _text(form, "parent", required=False, limit=100),
        "topic": _text(form, "topic", required=False, limit=60),
        "us_city": _text(form, "us_city", required=False, limit=100),
        "mx_city": _text(form, "mx_city", required=False, limit=100),
        "cadence": _text(form, "cadence", required=False, limit=20),
        "formed_on": _date(form, "formed_on", required=False),
        "formed_precision": _text(form, "precision", limit=12),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_mechanism(session, actor=actor, **values)


def _meeting(form: FormData, actor: Actor) -> Callable[..., object]:
    participants = []
    for country in registry.COUNTRIES:
        people = _int(form, f"people_{country.lower()}")
        if people:
            level = _text(form, f"level_{country.lower()}", limit=20)
            participants.append({"country": country, "level": level, "people": people})
    topics = [t.strip() for t in (_text(form, "topics", required=False) or "").split(",")]
    values: dict[str, Any] = {
        "mechanism_key": _text(form, "mechanism", limit=100),
        "held_on": _date(form, "held_on"),
        "precision": _text(form, "precision", limit=12),
        "place": _text(form, "place", required=False, limit=200),
        "participants": participants,
        "topics": [t for t in topics if t],
        "minutes": _text(form, "minutes", required=False),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_meeting(session, actor=actor, **values)


def _liaison_post(form: FormData, actor: Actor) -> Callable[..., object]:
    values: dict[str, Any] = {
        "country": _text(form, "country", limit=2),
        "office": _text(form, "office", limit=200),
        "city": _text(form, "city", limit=100),
        "agency": _text(form, "agency", limit=100),
        "role": _text(form, "role", limit=60),
        "officer": _text(form, "officer", required=False, limit=200),
        "appointed_on": _date(form, "appointed_on"),
        "precision": _text(form, "precision", limit=12),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_liaison_post(session, actor=actor, **values)


def _deliverable(form: FormData, actor: Actor) -> Callable[..., object]:
    values: dict[str, Any] = {
        "key": _text(form, "key", limit=100),
        "title": _text(form, "title"),
        "title_es": _text(form, "title_es", required=False),
        "owner": _text(form, "owner", limit=200),
        "due_on": _date(form, "due_on", required=False),
        "event": _text(form, "event", required=False, limit=200),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_deliverable(session, actor=actor, **values)


def _complete(form: FormData, actor: Actor) -> Callable[..., object]:
    key = _text(form, "key", limit=100) or ""
    completed_on = _date(form, "completed_on") or date.min
    precision = _text(form, "precision", required=False, limit=12) or "exact"
    document = _text(form, "document", required=False)
    return lambda session: registry.complete_deliverable(
        session, key, completed_on, actor=actor, precision=precision, document=document
    )


def _technology(form: FormData, actor: Actor) -> Callable[..., object]:
    values: dict[str, Any] = {
        "kind": _text(form, "kind", limit=60),
        "country": _text(form, "country", limit=2),
        "place": _text(form, "place", limit=200),
        "port_code": _text(form, "port_code", required=False, limit=4),
        "deployed_on": _date(form, "deployed_on"),
        "precision": _text(form, "precision", limit=12),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_technology(session, actor=actor, **values)


def _training(form: FormData, actor: Actor) -> Callable[..., object]:
    values: dict[str, Any] = {
        "subject": _text(form, "subject", limit=100),
        "country": _text(form, "country", limit=2),
        "agency": _text(form, "agency", limit=100),
        "trainer": _text(form, "trainer", required=False, limit=100),
        "people": _int(form, "people"),
        "held_on": _date(form, "held_on"),
        "precision": _text(form, "precision", limit=12),
        "source": _text(form, "source"),
        "note": _text(form, "note", required=False),
    }
    return lambda session: registry.add_training(session, actor=actor, **values)


def _end(form: FormData, actor: Actor) -> Callable[..., object]:
    record = _text(form, "record", limit=40) or ""
    ended_on = _date(form, "ended_on") or date.min
    return lambda session: registry.end_record(session, record, ended_on, actor=actor)


BUILDERS: dict[str, Callable[[FormData, Actor], Callable[..., object]]] = {
    "mechanism": _mechanism,
    "meeting": _meeting,
    "liaison-post": _liaison_post,
    "deliverable": _deliverable,
    "complete": _complete,
    "technology": _technology,
    "training": _training,
    "end": _end,
}


@router.post("/coop/records/{kind}", dependencies=[Depends(check_csrf)])
async def add_record(
    request: Request,
    kind: str,
    user: Annotated[Principal, Depends(require(Permission.COOP_MANAGE))],
) -> Response:
    builder = BUILDERS.get(kind)
    if builder is None:
        raise ApiError(404, "not-found", NO_RECORD_FORM.said(kind=kind, forms=", ".join(BUILDERS)))
    form = await request.form()
    try:
        write = builder(form, user)  # the signed-in user acts
        with database(request).transaction() as session:
            write(session)
    except FieldError as refused:
        said = refused.in_language(language_of(request))
        return _page(request, user, error=said, form=kind, field=refused.field, status=422)
    except registry.RegistryRefused as refused:
        return _page(request, user, error=message_of(refused), form=kind, status=422)
    except registry.ForeignRecord as refused:  # the other government's record: its node's
        return _page(
            request, user, error=message_of(refused), form=kind, field=refused.field, status=422
        )
    return RedirectResponse(f"/coop?done={kind}#{kind}-h", status_code=303)


@router.get("/coop/threat-assessment")
def threat_assessment(
    request: Request,
    _user: Annotated[Principal, Depends(require(Permission.COOP_READ))],
    first: Day,
    last: Day,
    language: str = "en",
) -> Response:
    from alianza.cooperation.threat_assessment import draft_threat_assessment

    if last < first:
        raise ApiError(422, "bad-period", refusals.PERIOD_ORDER.said(last=last, first=first))
    if language not in ("en", "es"):
        raise ApiError(422, "bad-language", LANGUAGE_EN_OR_ES.said())
    with database(request).reader() as session:
        text = draft_threat_assessment(session, first, last, language)
    return Response(
        text,
        media_type="text/markdown; charset=utf-8",
        headers={
            "Content-Disposition": (
                f'attachment; filename="threat-assessment-{first}-{last}-{language}.md"'
            )
        },
    )
