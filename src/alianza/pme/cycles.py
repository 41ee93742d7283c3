"""Reporting cycles: collect status per action and government in English and Spanish, get
both governments' approval of each language, lock, publish a frozen snapshot.

States and steps (each step is a :class:`CycleStepRow` and an audit entry)::

    open ──submit──▶ in_review ──approve/waive (US and MX × en and es)──▶ approved
      ▲                 │                                                  │
      └────return───────┴──────────────────return──────────────────────────┘
    approved ──lock──▶ locked ──publish──▶ published (frozen content + sha256)

Status texts (:class:`StatusTextRow`) are entered per action, government (``US``, ``MX``,
``JOINT``) and paragraph, in each language, only while the cycle is ``open`` or ``returned``.
Translation states: the first language written for a paragraph is its ``source``; the other
language is a ``draft`` translation; editing the source marks the translation ``stale``; once
both governments approved a language its drafts become ``approved``. A language can be
approved only when every paragraph has text in it that is not stale. Approvals count for the
current submission round only: returning the cycle and submitting again asks for them anew.
A missing approval can be waived, with a reason, instead.

Each government acts on its own node (:mod:`alianza.node`): on the US node only the US
government's paragraphs, returns, approvals and waivers are written (``JOINT`` paragraphs by
either). The partner's arrive as signed messages and are recorded with ``partner=`` (its
verified :class:`~alianza.exchange.keys.NodeIdentity`; :func:`record_partner_paragraph` and
:func:`record_partner_approval` are the entry points; :mod:`alianza.pme.cycle_inbox` applies
the signed cycle messages): the writer is then shown as ``name (partner node)``, and the
audit entry names the partner's key. Each local step is queued for the partner node
(:mod:`alianza.pme.cycle_outbox`); publishing is :mod:`alianza.pme.cycle_publish`.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.actors import Actor, NodeSelf, acting, actor_name
from alianza.catalogue import Joined, Said, declare
from alianza.exchange.keys import NodeIdentity
from alianza.node import ForeignCountry, node_country, node_country_or_none
from alianza.pme import cycle_measures, cycle_outbox, cycle_texts
from alianza.pme.deadline_store import action_ids, plan_row
from alianza.pme.engine_models import CycleRow, CycleStepRow, StatusTextRow
from alianza.pme.load import DEFAULT_PLAN


class CycleState(StrEnum):
    OPEN = "open"
    IN_REVIEW = "in_review"
    RETURNED = "returned"
    APPROVED = "approved"
    LOCKED = "locked"
    PUBLISHED = "published"


class Government(StrEnum):
    US = "US"
    MX = "MX"
    JOINT = "JOINT"


APPROVERS = (Government.US, Government.MX)
LANGUAGES = ("en", "es")


class TranslationState(StrEnum):
    SOURCE = "source"
    DRAFT = "draft"
    APPROVED = "approved"
    STALE = "stale"


# What a cycle refusal says (English here, Spanish in the message catalogue: ``pme.cycle.…``).
STATE_NAMES = {
    state: declare(f"pme.cycle.state.{state.value}", state.value) for state in CycleState
}
DOINGS = {
    doing: declare(f"pme.cycle.doing.{doing.replace(' ', '-')}", doing)
    for doing in (
        "entering status",
        "withdrawing status",
        "submitting",
        "returning",
        "approving",
        "waiving an approval",
        "locking",
        "publishing",
    )
}
OTHER_NODE_TEXTS = declare(
    "pme.cycle.other-node",
    "the status texts, returns and approvals of {other} are written on the {other} node and "
    "reach this node as signed messages",
)
PARTNER_STEP = declare(
    "pme.cycle.partner-step",
    "a partner's step is recorded by the node itself (NodeSelf), not by a user",
)
EITHER = declare("pme.cycle.either", "{first} or {second}")
SAY_WHO = declare("pme.cycle.say-who", "say who does this (--by)")
NOT_CYCLE_KEY = declare("pme.cycle.not-key", "{key!r} is not a cycle key (letters, digits, dashes)")
DUE_BEFORE_AS_OF = declare(
    "pme.cycle.due-before-as-of", "the submission due date {due} is before the as-of date {as_of}"
)
USE_EN_OR_ES = declare("pme.cycle.use-en-or-es", "language {language!r}: use en or es")
WITHDRAW_REASON = declare(
    "pme.cycle.withdraw-reason", "say why the paragraph is withdrawn (--reason)"
)
NO_PARAGRAPH = declare(
    "pme.cycle.no-paragraph", "{action} {government}: no paragraph {position} to withdraw"
)
APPROVALS_BY = declare("pme.cycle.approvals-by", "approvals are given by US or MX")
WAIVE_WHAT = declare("pme.cycle.waive-what", "waive the approval of US or MX, in en or es")
WAIVER_REASON = declare("pme.cycle.waiver-reason", "a waiver needs a reason (--reason)")
SPEAKS_FOR_US = declare(
    "pme.cycle.speaks-for-us", "a message signed by {node} speaks for this node's country"
)
OTHER_GOVERNMENT = declare(
    "pme.cycle.other-government",
    "{name} is of the {country} government and cannot write, return or approve for {government}",
)
CANNOT_ACT_FOR = declare(
    "pme.cycle.cannot-act-for",
    "a message of the {country} node ({node}) cannot act for {government} on the {own} node",
)
GAP = declare(
    "pme.cycle.gap",
    "{action} {government}: paragraph {position} would leave a gap (it has {held})",
)
WRONG_STATE = declare(
    "pme.cycle.wrong-state", "cycle {key!r} is {state}; {doing} needs it {allowed}"
)
WRONG_STATE_RETURN = declare(
    "pme.cycle.wrong-state-return",
    "cycle {key!r} is {state}; {doing} needs it {allowed} (return it first)",
)
EXISTS = declare("pme.cycle.exists", "cycle {key!r} exists already ({state})")
NEEDS_TEXT = declare("pme.cycle.needs-text", "a status paragraph needs text")
NOTHING_TO_SUBMIT = declare(
    "pme.cycle.nothing-to-submit", "cycle {key!r} has no status text to submit"
)
SAY_WHAT = declare("pme.cycle.say-what", "say what to change (--comment)")
LANGUAGE_NAMES = {
    language: declare(f"pme.cycle.language.{language}", language) for language in ("en", "es")
}
NO_TEXT = declare("pme.cycle.no-text", "{where}: no {language} text")
STALE_TEXT = declare(
    "pme.cycle.stale-text", "{where}: {language} text is stale (its source changed)"
)
NOT_APPROVABLE = declare(
    "pme.cycle.not-approvable",
    "{language} cannot be approved yet: {listed}. Enter the texts (the cycle must be returned "
    "first), or waive this approval with a reason.",
)
NOT_APPROVABLE_MORE = declare(
    "pme.cycle.not-approvable-more",
    "{language} cannot be approved yet: {listed} (and {more} more). Enter the texts (the cycle "
    "must be returned first), or waive this approval with a reason.",
)
STALE_PARAGRAPH = declare(
    "pme.cycle.stale-paragraph",
    "action {action}, {government} paragraph {position}: the {language} text is older than the "
    "{source} it translates",
)
STALE_REFUSAL = declare(
    "pme.cycle.stale-refusal",
    "cannot {doing}: stale translation ({paragraphs}). Write it again (return the cycle first) "
    "and approve it",
)
STALE_DOINGS = {
    "approve": declare("pme.cycle.stale-doing.approve", "approve the {language} text"),
    "waive": declare("pme.cycle.stale-doing.waive", "waive the {language} approval"),
    "lock": declare("pme.cycle.stale-doing.lock", "lock the cycle"),
    "publish": declare("pme.cycle.stale-doing.publish", "publish the cycle"),
}


class CycleRefused(ValueError):
    """A cycle step is not allowed now, or lacks what it needs; nothing was written."""


class StaleTranslation(CycleRefused):
    """A status paragraph's translation is older than the text it translates (the source was
    edited after it): approving, waiving, locking and publishing wait until it is written again
    and approved."""

    def __init__(self, doing: Said, stale: list[tuple[str, str, int, str, str]]):
        self.paragraphs = stale
        paragraphs = Joined(
            "; ",
            [
                STALE_PARAGRAPH.said(action=a, government=g, position=n, language=lang, source=src)
                for a, g, n, lang, src in stale
            ],
        )
        super().__init__(STALE_REFUSAL.said(doing=doing, paragraphs=paragraphs))


class CycleNotFound(LookupError):
    """No cycle with that key in the plan."""


@dataclass(frozen=True)
class PartnerAct:
    """A step of the partner's government as its verified signed message states it: the
    partner node's ``identity`` (whose signature was checked) and the ``account`` that did the
    step there. Recorded facts about the partner (data), not an actor on this node: the local
    act of receiving is the node's own (``actor=NodeSelf(...)``)."""

    identity: NodeIdentity
    account: str


@dataclass(frozen=True)
class Doer:
    """Who does a step, as the workflow records it: ``shown`` on this node (``name (partner
    node)`` for the partner's), and, as both nodes record it, the ``account`` and its
    government's ``country``; ``recorded_by`` is what the audit log names (the local actor:
    the user, or the node that received the partner's message)."""

    shown: str
    account: str
    country: str | None
    recorded_by: str


def _local_country(session: Session, actor: Actor) -> str | None:
    """The government a local actor speaks for: a user's own country (accounts belong to the
    node's country), the node's country for the node itself."""
    if isinstance(actor, Principal):
        return actor.country.value
    own = node_country_or_none(session)
    return own.value if own else None


def _from_partner(session: Session, actor: Actor, partner: PartnerAct) -> Doer:
    if not isinstance(actor, NodeSelf):
        raise CycleRefused(PARTNER_STEP.said())
    identity = partner.identity
    return Doer(
        f"{partner.account} ({identity.name})", partner.account, identity.country,
        actor_name(actor),
    )  # fmt: skip


# What a local user's role must grant for each step: writing (open, enter, withdraw, submit)
# or approving (return, approve, waive, lock, publish). Checked by the service itself
# (alianza.actors.acting), whatever the shell: an account of the other government is refused too.
WRITE, APPROVE = Permission.PME_IMPORT, Permission.PME_APPROVE


def _doer(
    session: Session, actor: Actor, partner: PartnerAct | None, permission: Permission = APPROVE
) -> Doer:
    """Who does a step that speaks for no government in particular (open, submit: ``WRITE``;
    lock, publish: ``APPROVE``)."""
    if partner is None:
        name = acting(session, actor, permission)
        return Doer(name, name, _local_country(session, actor), name)
    if partner.identity.country == node_country(session).value:
        raise CycleRefused(SPEAKS_FOR_US.said(node=partner.identity.name))
    return _from_partner(session, actor, partner)


def _acting_for(
    session: Session,
    government: Government,
    actor: Actor,
    partner: PartnerAct | None,
    permission: Permission,
) -> Doer:
    """Check that ``government`` may act here; returns who does it.

    Without ``partner``: this node's government (or JOINT), and a user only for their own
    country's government (the government comes from the user's account, never from a free
    argument). With ``partner``: a verified partner node's signed message, for the partner's
    own government only."""
    own = node_country(session).value
    if partner is None:
        acting(session, actor, permission)
        speaks_for = _local_country(session, actor) or own
        if government is not Government.JOINT and government.value != own:
            raise ForeignCountry(own, government.value, OTHER_NODE_TEXTS)
        name = actor_name(actor)
        if government is not Government.JOINT and government.value != speaks_for:
            raise CycleRefused(
                OTHER_GOVERNMENT.said(name=name, country=speaks_for, government=government.value)
            )
        return Doer(name, name, speaks_for, name)
    identity = partner.identity
    if identity.country == own or government.value not in (identity.country, Government.JOINT):
        raise CycleRefused(
            CANNOT_ACT_FOR.said(
                country=identity.country, node=identity.name, government=government.value, own=own
            )
        )
    return _from_partner(session, actor, partner)


def _via(partner: PartnerAct | None) -> dict[str, str]:
    if partner is None:
        return {}
    identity = partner.identity
    return {"via": f"{identity.country} node {identity.name}, key {identity.fingerprint}"}


@dataclass(frozen=True)
class StatusText:
    action: str
    government: str
    position: int
    language: str
    text: str
    state: TranslationState
    written_by: str
    written_at: datetime
    writer_account: str | None = None
    writer_country: str | None = None

    @property
    def address(self) -> str:
        return f"{self.action}/{self.government}/{self.position}/{self.language}"


@dataclass(frozen=True)
class CycleView:
    """A cycle, its current texts and its workflow so far."""

    key: str
    label_en: str
    label_es: str
    as_of: date
    due: date | None
    state: CycleState
    round: int
    texts: tuple[StatusText, ...]
    steps: tuple[dict[str, Any], ...]

    def approvals(self) -> dict[tuple[str, str], str]:
        """(government, language) → "approved" or "waived", in the current round."""
        done: dict[tuple[str, str], str] = {}
        for step in self.steps:
            if step["round"] == self.round and step["step"] in ("approve", "waive"):
                done[(step["government"], step["language"])] = step["step"] + "d"
        return done

    def missing_approvals(self) -> list[tuple[str, str]]:
        done = self.approvals()
        return [(g.value, lang) for g in APPROVERS for lang in LANGUAGES if (g, lang) not in done]


def _now() -> datetime:
    return datetime.now(UTC)


def _cycle(session: Session, key: str, plan_key: str) -> CycleRow:
    plan = plan_row(session, plan_key)
    row = session.scalars(
        select(CycleRow).where(CycleRow.plan_id == plan.id, CycleRow.key == key)
    ).one_or_none()
    if row is None:
        known = list(
            session.scalars(
                select(CycleRow.key).where(CycleRow.plan_id == plan.id).order_by(CycleRow.as_of)
            )
        )
        raise CycleNotFound(refusals.not_found_in_plan("cycle", repr(key), plan_key, known))
    return row


def _require(row: CycleRow, *states: CycleState, doing: str) -> None:
    if CycleState(row.state) not in states:
        names = [STATE_NAMES[s].said() for s in states]
        allowed = names[0] if len(names) == 1 else EITHER.said(first=names[0], second=names[1])
        said = WRONG_STATE_RETURN if row.state == CycleState.IN_REVIEW else WRONG_STATE
        state = STATE_NAMES[CycleState(row.state)].said()
        raise CycleRefused(
            said.said(key=row.key, state=state, doing=DOINGS[doing].said(), allowed=allowed)
        )


def _step(
    session: Session,
    row: CycleRow,
    step: str,
    *,
    doer: Doer,
    plan_key: str,
    government: str | None = None,
    language: str | None = None,
    comment: str | None = None,
    via: dict[str, str] | None = None,
) -> None:
    if not doer.account.strip():
        raise CycleRefused(SAY_WHO.said())
    session.add(
        CycleStepRow(
            cycle_id=row.id,
            round=row.round,
            step=step,
            government=government,
            language=language,
            comment=comment,
            by=doer.shown,
            at=_now(),
            account=doer.account,
            country=doer.country,
        )
    )
    session.flush()
    audit.record(
        session,
        actor=doer.recorded_by,
        action=f"pme.cycle.{step}",
        subject=f"plan:{plan_key}/cycle:{row.key}",
        details={
            "round": row.round,
            "state": row.state,
            "government": government,
            "language": language,
            "comment": comment,
            **({"by": doer.shown} if via else {}),
            "account": doer.account,
            "country": doer.country,
            **(via or {}),
        },
    )


_CYCLE_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{0,39}")  # its column holds 40 characters


def open_cycle(
    session: Session,
    key: str,
    *,
    as_of: date,
    label_en: str,
    label_es: str,
    due: date | None = None,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> CycleView:
    doer = _doer(session, actor, partner, WRITE)
    plan = plan_row(session, plan_key)
    if not _CYCLE_KEY.fullmatch(key):  # it goes in URLs, file names and download headers
        raise CycleRefused(NOT_CYCLE_KEY.said(key=key))
    exists = session.scalars(
        select(CycleRow).where(CycleRow.plan_id == plan.id, CycleRow.key == key)
    ).first()
    if exists is not None:
        raise CycleRefused(EXISTS.said(key=key, state=STATE_NAMES[CycleState(exists.state)].said()))
    if due is not None and due < as_of:
        raise CycleRefused(DUE_BEFORE_AS_OF.said(due=due, as_of=as_of))
    row = CycleRow(
        plan_id=plan.id,
        key=key,
        label_en=label_en,
        label_es=label_es,
        as_of=as_of,
        due=due,
        state=CycleState.OPEN.value,
        round=0,
        created_by=doer.shown,
        created_at=_now(),
    )
    session.add(row)
    session.flush()
    _step(session, row, "open", doer=doer, plan_key=plan_key, comment=label_en, via=_via(partner))
    dates = {"as_of": as_of.isoformat(), "due": due.isoformat() if due else None}
    labels = {"label_en": label_en, "label_es": label_es}
    _tell_partner(session, "open", key, plan_key, doer, partner, **dates, **labels)
    return cycle_view(session, key, plan_key)


def _tell_partner(
    session: Session,
    kind: str,
    key: str,
    plan_key: str,
    doer: Doer,
    partner: PartnerAct | None,
    **fields: Any,
) -> None:
    """Queue a local step for the partner node; a step that came from the partner is not
    sent back."""
    if partner is None:
        payload = {"plan": plan_key, "cycle": key, "by": doer.account, **fields}
        cycle_outbox.queue(session, kind, payload)


def _current_texts(session: Session, row: CycleRow) -> list[StatusTextRow]:
    return list(
        session.scalars(
            select(StatusTextRow)
            .where(StatusTextRow.cycle_id == row.id, StatusTextRow.superseded_at.is_(None))
            .order_by(StatusTextRow.id)
        )
    )


def _supersede(
    session: Session,
    old: StatusTextRow,
    *,
    text: str | None = None,
    state: TranslationState,
    doer: Doer,
    at: datetime,
) -> StatusTextRow:
    old.superseded_at = at
    new = StatusTextRow(
        cycle_id=old.cycle_id,
        action_id=old.action_id,
        government=old.government,
        position=old.position,
        language=old.language,
        text=old.text if text is None else text,
        state=state.value,
        # A state change (approved, stale) keeps the paragraph's writer; a new text is by ``by``.
        written_by=old.written_by if text is None else doer.shown,
        written_at=at,
        writer_account=old.writer_account if text is None else doer.account,
        writer_country=old.writer_country if text is None else doer.country,
    )
    session.add(new)
    return new


def enter_status(
    session: Session,
    key: str,
    action: str,
    *,
    government: Government,
    language: str,
    text: str,
    actor: Actor,
    position: int | None = None,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> StatusText:
    """Write one status paragraph in one language (a new one, or a new version)."""
    who = _acting_for(session, government, actor, partner, WRITE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.OPEN, CycleState.RETURNED, doing="entering status")
    if language not in LANGUAGES:
        raise CycleRefused(USE_EN_OR_ES.said(language=language))
    if not text.strip():
        raise CycleRefused(NEEDS_TEXT.said())
    ids = action_ids(session, plan_key)
    if action not in ids:
        raise CycleRefused(refusals.not_found_in_plan("action", action, plan_key))
    mine = [
        t
        for t in _current_texts(session, row)
        if t.action_id == ids[action] and t.government == government.value
    ]
    if position is None:
        position = max((t.position for t in mine if t.language == language), default=0) + 1
    if position < 1 or position > max((t.position for t in mine), default=0) + 1:
        raise CycleRefused(
            GAP.said(
                action=action,
                government=government.value,
                position=position,
                held=max((t.position for t in mine), default=0),
            )
        )
    here = {t.language: t for t in mine if t.position == position}
    this, other = here.get(language), here.get("es" if language == "en" else "en")
    now = _now()
    if this is not None and this.text == text.strip():
        return _view_text(action, this)
    if other is None or (this is not None and this.state == TranslationState.SOURCE):
        state = TranslationState.SOURCE
    else:
        state = TranslationState.DRAFT
    if this is not None:
        new = _supersede(session, this, text=text.strip(), state=state, doer=who, at=now)
    else:
        new = StatusTextRow(
            cycle_id=row.id,
            action_id=ids[action],
            government=government.value,
            position=position,
            language=language,
            text=text.strip(),
            state=state.value,
            written_by=who.shown,
            written_at=now,
            writer_account=who.account,
            writer_country=who.country,
        )
        session.add(new)
    if (
        state is TranslationState.SOURCE
        and other is not None
        and other.state != TranslationState.STALE
    ):
        _supersede(session, other, state=TranslationState.STALE, doer=who, at=now)
    session.flush()
    audit.record(
        session,
        actor=who.recorded_by,
        action="pme.cycle.enter",
        subject=f"plan:{plan_key}/cycle:{key}/{action}/{government.value}/{position}/{language}",
        details={
            "text": new.text,
            "state": new.state,
            "previous": this.text if this else None,
            "other_language_marked_stale": bool(
                state is TranslationState.SOURCE and other is not None
            ),
            **({"by": who.shown} if partner else {}),
            "account": who.account,
            "country": who.country,
            **_via(partner),
        },
    )
    # not sent: the government's texts travel when it submits them (pme.cycle_texts)
    return _view_text(action, new)


def withdraw_status(
    session: Session,
    key: str,
    action: str,
    *,
    government: Government,
    position: int,
    reason: str,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> int:
    """Withdraw one status paragraph (every language of it); returns the texts withdrawn.

    The rows are superseded, not deleted: the history and the audit trail keep them. Later
    paragraphs keep their numbers.
    """
    who = _acting_for(session, government, actor, partner, WRITE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.OPEN, CycleState.RETURNED, doing="withdrawing status")
    if not reason.strip():
        raise CycleRefused(WITHDRAW_REASON.said())
    ids = action_ids(session, plan_key)
    if action not in ids:
        raise CycleRefused(refusals.not_found_in_plan("action", action, plan_key))
    found = [
        t
        for t in _current_texts(session, row)
        if t.action_id == ids[action]
        and t.government == government.value
        and t.position == position
    ]
    if not found:
        raise CycleRefused(
            NO_PARAGRAPH.said(action=action, government=government.value, position=position)
        )
    now = _now()
    for text in found:
        text.superseded_at = now
    session.flush()
    audit.record(
        session,
        actor=who.recorded_by,
        action="pme.cycle.withdraw",
        subject=f"plan:{plan_key}/cycle:{key}/{action}/{government.value}/{position}",
        details={
            "reason": reason,
            "texts": {t.language: t.text for t in found},
            **({"by": who.shown} if partner else {}),
            "account": who.account,
            "country": who.country,
            **_via(partner),
        },
    )
    # not sent: what the partner gets is the government's texts as submitted
    return len(found)


def submit_cycle(
    session: Session,
    key: str,
    *,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
    texts: list[dict[str, Any]] | None = None,
    measures: list[Any] | None = None,
) -> None:
    """Submit the cycle for approval: this government's texts, as they are now, go to the
    partner node with the step (``texts``: the partner's, when the step is its message), and
    so do the outcomes of the registry's measures its node computes as of the cycle's date
    (:mod:`alianza.pme.cycle_measures`; ``measures``: the partner's, kept as partner data).

    A cycle already submitted in this round by the other government takes this
    government's submission too (its texts join the round) until anyone approved."""
    doer = _doer(session, actor, partner, WRITE)
    row = _cycle(session, key, plan_key)
    joining = row.state == CycleState.IN_REVIEW and _may_join_round(session, row, doer.country)
    if not joining:
        _require(row, CycleState.OPEN, CycleState.RETURNED, doing="submitting")
    if partner is not None:
        cycle_texts.apply_submitted_texts(
            session, row, plan_key, list(texts or []), partner.identity, doer.recorded_by
        )
    if not _current_texts(session, row):
        raise CycleRefused(NOTHING_TO_SUBMIT.said(key=key))
    if not joining:
        row.round += 1
        row.state = CycleState.IN_REVIEW.value
    _step(session, row, "submit", doer=doer, plan_key=plan_key, via=_via(partner))
    if partner is not None and measures is not None:
        cycle_measures.apply_partner_measures(
            session, row, list(measures), partner.identity, partner.account
        )
    if partner is None and doer.country is not None:
        submitted = cycle_texts.submitted_texts(session, row, plan_key, doer.country)
        outcomes = cycle_measures.record_own_measures(
            session, row, plan_key, doer.country, doer.account
        )
        _tell_partner(
            session, "submit", key, plan_key, doer, partner, round=row.round, texts=submitted,
            measures=outcomes,
        )  # fmt: skip


def _may_join_round(session: Session, row: CycleRow, country: str | None) -> bool:
    """Whether ``country``'s government may still submit into the current round: the other
    government submitted it, this one did not, and nobody approved or waived yet."""
    if country is None:
        return False
    steps = session.scalars(
        select(CycleStepRow).where(CycleStepRow.cycle_id == row.id, CycleStepRow.round == row.round)
    ).all()
    if any(s.step in ("approve", "waive", "return") for s in steps):
        return False
    submitters = {s.country for s in steps if s.step == "submit"}
    return bool(submitters) and country not in submitters


def return_cycle(
    session: Session,
    key: str,
    *,
    government: Government,
    comment: str,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> None:
    """Send the cycle back for changes; approvals of this round no longer count."""
    who = _acting_for(session, government, actor, partner, APPROVE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.IN_REVIEW, CycleState.APPROVED, doing="returning")
    if not comment.strip():
        raise CycleRefused(SAY_WHAT.said())
    row.state = CycleState.RETURNED.value
    _step(session, row, "return", doer=who, plan_key=plan_key, government=government,
          comment=comment, via=_via(partner))  # fmt: skip
    _tell_partner(
        session,
        "return",
        key,
        plan_key,
        who,
        partner,
        government=government.value,
        comment=comment,
        round=row.round,
    )


def _language_problems(
    texts: list[StatusTextRow], language: str, numbers: dict[int, str]
) -> list[str]:
    """Why ``language`` cannot be approved yet: missing or stale paragraphs."""
    by_paragraph: dict[tuple[int, str, int], dict[str, StatusTextRow]] = defaultdict(dict)
    for t in texts:
        by_paragraph[(t.action_id, t.government, t.position)][t.language] = t
    problems: list[str] = []
    for (action_id, government, position), langs in sorted(by_paragraph.items()):
        where = f"{numbers[action_id]}/{government}/{position}"
        found = langs.get(language)
        if found is None:
            problems.append(NO_TEXT.said(where=where, language=LANGUAGE_NAMES[language].said()))
        elif found.state == TranslationState.STALE:
            problems.append(STALE_TEXT.said(where=where, language=LANGUAGE_NAMES[language].said()))
    return problems


def _refuse_stale(session: Session, row: CycleRow, plan_key: str, doing: Said) -> None:
    """Refuse ``doing`` while a paragraph's translation is stale (in either language)."""
    numbers = {v: k for k, v in action_ids(session, plan_key).items()}
    texts = _current_texts(session, row)
    sources = {
        (t.action_id, t.government, t.position): t.language
        for t in texts
        if t.state == TranslationState.SOURCE
    }
    stale = [
        (
            numbers[t.action_id],
            t.government,
            t.position,
            t.language,
            sources.get(
                (t.action_id, t.government, t.position), "es" if t.language == "en" else "en"
            ),
        )
        for t in texts
        if t.state == TranslationState.STALE
    ]
    if stale:
        raise StaleTranslation(doing, sorted(stale, key=lambda s: (_status_order(s[:3]), s[3])))


def approve_cycle(
    session: Session,
    key: str,
    *,
    government: Government,
    language: str,
    actor: Actor,
    comment: str | None = None,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> CycleView:
    """One government approves one language of the cycle's status."""
    who = _acting_for(session, government, actor, partner, APPROVE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.IN_REVIEW, doing="approving")
    if government not in APPROVERS:
        raise CycleRefused(APPROVALS_BY.said())
    if language not in LANGUAGES:
        raise CycleRefused(USE_EN_OR_ES.said(language=language))
    _refuse_stale(session, row, plan_key, STALE_DOINGS["approve"].said(language=language))
    numbers = {v: k for k, v in action_ids(session, plan_key).items()}
    problems = _language_problems(_current_texts(session, row), language, numbers)
    if problems:
        listed = Joined("; ", problems[:10])
        named = LANGUAGE_NAMES[language].said()
        if len(problems) > 10:
            raise CycleRefused(
                NOT_APPROVABLE_MORE.said(language=named, listed=listed, more=len(problems) - 10)
            )
        raise CycleRefused(NOT_APPROVABLE.said(language=named, listed=listed))
    _step(
        session,
        row,
        "approve",
        doer=who,
        plan_key=plan_key,
        government=government,
        language=language,
        comment=comment,
        via=_via(partner),
    )
    _tell_partner(
        session,
        "approve",
        key,
        plan_key,
        who,
        partner,
        government=government.value,
        language=language,
        comment=comment,
        round=row.round,
    )
    return _after_approval(session, row, plan_key, who)


def waive_approval(
    session: Session,
    key: str,
    *,
    government: Government,
    language: str,
    reason: str,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> CycleView:
    """Record that one government's approval of one language is waived, and why."""
    who = _acting_for(session, government, actor, partner, APPROVE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.IN_REVIEW, doing="waiving an approval")
    if government not in APPROVERS or language not in LANGUAGES:
        raise CycleRefused(WAIVE_WHAT.said())
    if not reason.strip():
        raise CycleRefused(WAIVER_REASON.said())
    _refuse_stale(
        session,
        row,
        plan_key,
        STALE_DOINGS["waive"].said(language=language),
    )
    _step(
        session,
        row,
        "waive",
        doer=who,
        plan_key=plan_key,
        government=government,
        language=language,
        comment=reason,
        via=_via(partner),
    )
    _tell_partner(
        session,
        "waive",
        key,
        plan_key,
        who,
        partner,
        government=government.value,
        language=language,
        reason=reason,
        round=row.round,
    )
    return _after_approval(session, row, plan_key, who)


def record_partner_paragraph(
    session: Session,
    key: str,
    action: str,
    *,
    partner: PartnerAct,
    language: str,
    text: str,
    actor: Actor,
    position: int | None = None,
    plan_key: str = DEFAULT_PLAN,
) -> StatusText:
    """Record a status paragraph of the partner's government, from its verified signed message
    (``partner``: the identity whose signature was checked and the partner's writer; ``actor``:
    the node recording it)."""
    return enter_status(
        session, key, action, government=Government(partner.identity.country),
        language=language, text=text, actor=actor, position=position, plan_key=plan_key,
        partner=partner,
    )  # fmt: skip


def record_partner_approval(
    session: Session,
    key: str,
    *,
    partner: PartnerAct,
    language: str,
    actor: Actor,
    comment: str | None = None,
    plan_key: str = DEFAULT_PLAN,
) -> CycleView:
    """Record the partner government's approval of one language, from its verified message."""
    return approve_cycle(
        session, key, government=Government(partner.identity.country), language=language,
        actor=actor, comment=comment, plan_key=plan_key, partner=partner,
    )  # fmt: skip


def _after_approval(session: Session, row: CycleRow, plan_key: str, doer: Doer) -> CycleView:
    view = cycle_view(session, row.key, plan_key)
    done = view.approvals()
    now = _now()
    for language in LANGUAGES:
        if all(done.get((g.value, language)) == "approved" for g in APPROVERS):
            for text in _current_texts(session, row):
                if text.language == language and text.state == TranslationState.DRAFT:
                    _supersede(session, text, state=TranslationState.APPROVED, doer=doer, at=now)
    if not view.missing_approvals():
        row.state = CycleState.APPROVED.value
    session.flush()
    return cycle_view(session, row.key, plan_key)


def lock_cycle(
    session: Session,
    key: str,
    *,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
    partner: PartnerAct | None = None,
) -> None:
    doer = _doer(session, actor, partner, APPROVE)
    row = _cycle(session, key, plan_key)
    _require(row, CycleState.APPROVED, doing="locking")
    _refuse_stale(session, row, plan_key, STALE_DOINGS["lock"].said())
    row.state = CycleState.LOCKED.value
    _step(session, row, "lock", doer=doer, plan_key=plan_key, via=_via(partner))
    _tell_partner(session, "lock", key, plan_key, doer, partner, round=row.round)


def _status_content(texts: tuple[StatusText, ...]) -> list[dict[str, Any]]:
    grouped: dict[tuple[str, str, int], dict[str, Any]] = {}
    for t in texts:
        entry = grouped.setdefault(
            (t.action, t.government, t.position),
            {"action": t.action, "government": t.government, "position": t.position},
        )
        entry[t.language] = {
            "text": t.text,
            "state": t.state.value,
            "written_by": {"account": t.writer_account, "government": t.writer_country},
        }
    return [grouped[k] for k in sorted(grouped, key=_status_order)]


def _status_order(key: tuple[str, str, int]) -> tuple[list[int], int, int]:
    action, government, position = key
    order = {"JOINT": 0, "US": 1, "MX": 2}
    return ([int(p) for p in action.split(".")], order.get(government, 3), position)


def _view_text(action: str, row: StatusTextRow) -> StatusText:
    return StatusText(
        action,
        row.government,
        row.position,
        row.language,
        row.text,
        TranslationState(row.state),
        row.written_by,
        row.written_at,
        row.writer_account or row.written_by,
        row.writer_country,
    )


def cycle_view(session: Session, key: str, plan_key: str = DEFAULT_PLAN) -> CycleView:
    row = _cycle(session, key, plan_key)
    numbers = {v: k for k, v in action_ids(session, plan_key).items()}
    texts = sorted(
        (_view_text(numbers[t.action_id], t) for t in _current_texts(session, row)),
        key=lambda t: (_status_order((t.action, t.government, t.position)), t.language),
    )
    steps = tuple(
        {
            "round": s.round,
            "step": s.step,
            "government": s.government,
            "language": s.language,
            "comment": s.comment,
            "by": s.by,
            "at": s.at.isoformat(),
            "account": s.account or s.by,
            "country": s.country,
        }
        for s in session.scalars(
            select(CycleStepRow).where(CycleStepRow.cycle_id == row.id).order_by(CycleStepRow.id)
        )
    )
    return CycleView(
        row.key,
        row.label_en,
        row.label_es,
        row.as_of,
        row.due,
        CycleState(row.state),
        row.round,
        tuple(texts),
        steps,
    )


def list_cycles(session: Session, plan_key: str = DEFAULT_PLAN) -> list[CycleRow]:
    plan = plan_row(session, plan_key)
    return list(
        session.scalars(
            select(CycleRow).where(CycleRow.plan_id == plan.id).order_by(CycleRow.as_of)
        )
    )
