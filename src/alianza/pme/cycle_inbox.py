"""Applying the partner's cycle messages: verified, in order, once.

A message (:mod:`alianza.pme.cycle_envelope`) that is not authentic is refused and nothing is
written but a line in the arrival log (and a warning in the server log). An authentic one is:

- a **duplicate** when its id was already applied (a re-delivery): acknowledged, nothing done;
- a **replay** when its sequence number is not above the last one applied from that
  government (an old message resent, or delivered out of order): refused, nothing done;
- otherwise applied through the same workflow functions as a local step, with the partner's
  verified identity (:func:`alianza.pme.cycles.enter_status` … ``partner=``). A step the
  workflow refuses here (the cycle is in another state or round: the two nodes crossed) is
  acknowledged as ``workflow`` with the reason, logged, and changes nothing; the sender sees it.

The partner's publication carries its signature over its edition hash: a locked cycle is then
published here too, and when the two hashes agree each node keeps both signatures (this node's
own goes back as a ``sign`` message).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.actors import Actor, NodeSelf, actor_name
from alianza.catalogue import declare, in_language, message_of
from alianza.db import Database
from alianza.exchange.keys import NodeIdentity, NodeKeys
from alianza.exchange.partners import trusted_identities
from alianza.node import ForeignCountry
from alianza.pme import cycle_kinds, cycle_outbox, cycle_publish, cycles
from alianza.pme.cycle_envelope import CycleMessage, MessageRefused, open_envelope
from alianza.pme.edition import signature_holds
from alianza.pme.engine_models import CycleMessageLogRow

log = logging.getLogger("alianza.pme")
DONE = ("applied", "workflow")  # outcomes that consume a sequence number
CONFLICTING_ID = declare(
    "pme.cycle-message.conflicting-id", "message {id} was applied with other content"
)
FIRST_APPLIED = declare("pme.cycle-message.first-applied", "first applied {at}")
OTHER_ROUND = declare(
    "pme.cycle-message.other-round",
    "the message is of round {wanted}; cycle {key!r} is at round {round} here ({state})",
)
MEASURES_NOT_LIST = declare(
    "pme.cycle-message.measures-not-list", "the submission's measure outcomes are not a list"
)
UNKNOWN_KIND = declare("pme.cycle-message.unknown-kind", "unknown cycle message kind {kind!r}")
SIGNATURE_FAILS = declare(
    "pme.cycle-message.partner-signature-fails",
    "the partner's signature over edition {sha256} does not hold",
)
NOT_LOCKED = declare(
    "pme.cycle-message.published-not-locked",
    "the partner published cycle {key!r}; here it is {state}, not locked",
)
EDITIONS_DIFFER = declare(
    "pme.cycle-message.editions-differ",
    "the editions differ: the partner's is {theirs}, this node's {ours} (compare both with "
    "`alianza pme cycle show`)",
)
REPLAYED = declare(
    "pme.cycle-message.replayed",
    "message {seq} of {sender} is older than message {last}, already applied (a replay, or out "
    "of order)",
)


@dataclass(frozen=True)
class Arrival:
    outcome: str  # applied | duplicate | workflow
    kind: str
    detail: str = ""


def receive_envelope(database: Database, body: bytes, *, keys: NodeKeys) -> Arrival:
    """Verify and apply one envelope; raises :class:`MessageRefused` (logged) when it is not
    authentic or is a replay."""
    import hashlib

    digest = hashlib.sha256(body).hexdigest()
    own = keys.identity.country
    with database.reader() as session:
        trusted = trusted_identities(session)
    try:
        identity, message = open_envelope(body, trusted, own)
    except MessageRefused as refused:
        _refused(database, digest, refused, None)
        raise
    with database.transaction() as session:
        audit.serialize_appends(session)  # one arrival at a time: the checks below hold
        seen = session.scalars(
            select(CycleMessageLogRow).where(
                CycleMessageLogRow.message_id == message.id,
                CycleMessageLogRow.sender == message.sender,
                CycleMessageLogRow.outcome.in_(DONE),
            )
        ).first()
        refusal: MessageRefused | None = None
        if seen is not None and seen.digest == message.digest:
            first = FIRST_APPLIED.said(at=seen.at)
            _log(session, message, identity, "duplicate", None, first)
            return Arrival("duplicate", message.kind, first)
        if seen is not None:
            refusal = MessageRefused("conflicting-id", CONFLICTING_ID.said(id=message.id))
        else:
            last = session.scalar(
                select(func.max(CycleMessageLogRow.seq)).where(
                    CycleMessageLogRow.sender == message.sender,
                    CycleMessageLogRow.outcome.in_(DONE),
                )
            )
            if last is not None and message.seq <= last:
                refusal = MessageRefused(
                    "replayed", REPLAYED.said(seq=message.seq, sender=message.sender, last=last)
                )
    if refusal is not None:
        _refused(database, digest, refusal, message)
        raise refusal
    with database.transaction() as session:
        audit.serialize_appends(session)
        nested = session.begin_nested()
        try:
            _apply(session, identity, message, keys, actor=_receiver(keys))
        except (
            cycles.CycleRefused,
            cycles.CycleNotFound,
            cycle_kinds.StepRefused,
            ForeignCountry,
            LookupError,
        ) as why:
            nested.rollback()
            reason = message_of(why)  # said in Spanish too where it was raised as a message
            detail = in_language(reason, "en")
            log.warning("cycle message %s %s not applied: %s", message.kind, message.id, detail)
            _log(session, message, identity, "workflow", "workflow-refused", reason)
            audit.record(
                session,
                actor=actor_name(_receiver(keys)),
                action="pme.cycle.message.not-applied",
                subject=_subject(message),
                details={
                    "message": message.id,
                    "kind": message.kind,
                    "reason": detail,
                    "by": f"{message.payload.get('by')} ({identity.name})",
                },
            )
            return Arrival("workflow", message.kind, reason)
        nested.commit()
        _log(session, message, identity, "applied", None, None)
    return Arrival("applied", message.kind)


def _refused(
    database: Database, digest: str, refused: MessageRefused, message: CycleMessage | None
) -> None:
    log.warning("cycle message refused: %s", refused)
    with database.transaction() as session:
        session.add(
            CycleMessageLogRow(
                message_id=message.id if message else None,
                sender=message.sender if message else None,
                seq=message.seq if message else None,
                kind=message.kind if message else None,
                digest=digest,
                outcome="refused",
                code=refused.code,
                detail=refused.en,
                detail_es=refused.es,
                at=datetime.now(UTC),
            )
        )


def _log(
    session: Session,
    message: CycleMessage,
    identity: NodeIdentity,
    outcome: str,
    code: str | None,
    detail: str | None,
) -> None:
    """One line of the arrival log; ``detail`` is kept in English and in Spanish (a
    :class:`~alianza.catalogue.Localized` one is said in each; any other text as it is)."""
    session.add(
        CycleMessageLogRow(
            message_id=message.id,
            sender=message.sender,
            fingerprint=identity.fingerprint,
            seq=message.seq,
            digest=message.digest,
            kind=message.kind,
            outcome=outcome,
            code=code,
            detail=detail if detail is None else in_language(detail, "en"),
            detail_es=detail if detail is None else in_language(detail, "es"),
            at=datetime.now(UTC),
        )
    )
    session.flush()


def _same_round(session: Session, key: str, plan: str, wanted: object, *, submit: bool) -> None:
    view = cycles.cycle_view(session, key, plan)
    # a submission opens the next round, or joins the current one the other government opened
    joins = view.state is cycles.CycleState.IN_REVIEW
    here = view.round + 1 if submit and not joins else view.round
    if wanted is not None and wanted != here:
        raise cycles.CycleRefused(
            OTHER_ROUND.said(wanted=wanted, key=key, round=view.round, state=view.state.value)
        )


def _receiver(keys: NodeKeys) -> NodeSelf:
    """Who receives a partner's message here: this node itself, under its key's name."""
    return NodeSelf(keys.identity.name)


def _subject(message: CycleMessage) -> str:
    p = message.payload
    if "subject" in p:  # a registered kind names what it is about
        return str(p["subject"])
    return f"plan:{p.get('plan')}/cycle:{p.get('cycle')}"


def _apply(
    session: Session, identity: NodeIdentity, message: CycleMessage, keys: NodeKeys, *, actor: Actor
) -> None:
    """Apply one verified message; ``actor``: this node, receiving it."""
    registered = cycle_kinds.handler_for(message.kind)
    if registered is not None:  # another domain's kind (alianza.pme.cycle_kinds)
        registered(session, identity, message, actor)
        return
    p = message.payload
    key, plan, kind = str(p["cycle"]), str(p["plan"]), message.kind
    # the partner's writer or approver: a recorded fact about the partner, not an actor here
    partner = cycles.PartnerAct(identity, str(p["by"]))
    if kind in ("submit", "return", "approve", "waive", "lock"):
        _same_round(session, key, plan, p.get("round"), submit=kind == "submit")
    if kind == "open":
        cycles.open_cycle(
            session,
            key,
            as_of=date.fromisoformat(p["as_of"]),
            due=date.fromisoformat(p["due"]) if p.get("due") else None,
            label_en=p["label_en"],
            label_es=p["label_es"],
            actor=actor,
            plan_key=plan,
            partner=partner,
        )
    elif kind == "enter":
        cycles.enter_status(
            session,
            key,
            p["action"],
            government=cycles.Government(p["government"]),
            language=p["language"],
            text=p["text"],
            position=int(p["position"]),
            actor=actor,
            plan_key=plan,
            partner=partner,
        )
    elif kind == "withdraw":
        cycles.withdraw_status(
            session,
            key,
            p["action"],
            government=cycles.Government(p["government"]),
            position=int(p["position"]),
            reason=p["reason"],
            actor=actor,
            plan_key=plan,
            partner=partner,
        )
    elif kind == "submit":
        texts, measures = p.get("texts"), p.get("measures")
        if measures is not None and not isinstance(measures, list):
            raise cycles.CycleRefused(MEASURES_NOT_LIST.said())
        cycles.submit_cycle(
            session, key, actor=actor, plan_key=plan, partner=partner,
            texts=list(texts) if isinstance(texts, list) else [], measures=measures,
        )  # fmt: skip
    elif kind == "return":
        cycles.return_cycle(
            session,
            key,
            government=cycles.Government(p["government"]),
            comment=p["comment"],
            actor=actor,
            plan_key=plan,
            partner=partner,
        )
    elif kind in ("approve", "waive"):
        government = cycles.Government(p["government"])
        if kind == "approve":
            cycles.approve_cycle(
                session, key, government=government, language=p["language"],
                comment=p.get("comment"), actor=actor, plan_key=plan, partner=partner,
            )  # fmt: skip
        else:
            cycles.waive_approval(
                session, key, government=government, language=p["language"],
                reason=p["reason"], actor=actor, plan_key=plan, partner=partner,
            )  # fmt: skip
    elif kind == "lock":
        cycles.lock_cycle(session, key, actor=actor, plan_key=plan, partner=partner)
    elif kind in ("publish", "sign"):
        _publication(session, partner, key, plan, p, keys, actor=actor)
    else:
        raise cycles.CycleRefused(UNKNOWN_KIND.said(kind=kind))


def _publication(
    session: Session,
    partner: cycles.PartnerAct,
    key: str,
    plan: str,
    p: dict[str, object],
    keys: NodeKeys,
    *,
    actor: Actor,
) -> None:
    """The partner published (or signed) its edition: publish here too when locked, compare
    the hashes, keep the partner's signature; this node's goes back as a ``sign`` message."""
    identity = partner.identity
    sha256, entry = str(p["sha256"]), p.get("signature")
    if not isinstance(entry, dict) or not (
        entry.get("fingerprint") == identity.fingerprint
        and entry.get("sha256") == sha256
        and signature_holds(identity, plan, key, sha256, str(entry.get("signature")))
    ):
        raise cycles.CycleRefused(SIGNATURE_FAILS.said(sha256=sha256))
    view = cycles.cycle_view(session, key, plan)
    if view.state is cycles.CycleState.LOCKED:
        ours = cycle_publish.publish_cycle(
            session, key, actor=actor, plan_key=plan, partner=partner, keys=keys
        )
        signature = cycle_publish.edition_file(session, key, plan)["signatures"]
        own = [s for s in signature if s["country"] == keys.identity.country]
        payload = {"plan": plan, "cycle": key, "by": keys.identity.name, "sha256": ours.sha256}
        cycle_outbox.queue(session, "sign", {**payload, "signature": own[0] if own else None})
    elif view.state is cycles.CycleState.PUBLISHED:
        ours = cycle_publish.publication(session, key, plan)
    else:
        raise cycles.CycleRefused(NOT_LOCKED.said(key=key, state=view.state.value))
    if ours.sha256 != sha256:
        raise cycles.CycleRefused(EDITIONS_DIFFER.said(theirs=sha256, ours=ours.sha256))
    cycle_publish.record_edition_signature(
        session, key, {k: str(v) for k, v in entry.items()}, plan
    )


@dataclass(frozen=True)
class LoggedArrival:
    """One line of the arrival log: what came, from whom, and what became of it (``detail``
    in English; ``detail_es`` its Spanish, ``None`` for a line logged before pme_engine_0006)."""

    at: datetime
    sender: str | None
    seq: int | None
    kind: str | None
    outcome: str
    code: str | None
    detail: str | None
    detail_es: str | None

    def detail_in(self, language: str = "en") -> str | None:
        """Why, in ``language`` (the English where the Spanish was not kept)."""
        return self.detail_es if language == "es" and self.detail_es else self.detail


def arrivals(session: Session, limit: int | None = None) -> list[LoggedArrival]:
    """The cycle messages that arrived, oldest first (the latest ``limit`` when given)."""
    query = select(CycleMessageLogRow).order_by(CycleMessageLogRow.id.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query))[::-1]
    return [
        LoggedArrival(r.at, r.sender, r.seq, r.kind, r.outcome, r.code, r.detail, r.detail_es)
        for r in rows
    ]


def message_log(session: Session, language: str = "en") -> list[str]:
    """The cycle messages that arrived, one line each, oldest first; why in ``language``."""
    lines = []
    for r in arrivals(session):
        detail = r.detail_in(language)
        lines.append(
            f"{r.at:%Y-%m-%d %H:%M} {r.sender or '?'} {r.seq or '-':>5} {r.kind or '?':<9} "
            f"{r.outcome}{f' [{r.code}]' if r.code else ''}{f': {detail}' if detail else ''}"
        )
    return lines
