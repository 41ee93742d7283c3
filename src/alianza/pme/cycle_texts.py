"""A government's status texts travel with its submission, never before.

While a cycle is open (or returned) the texts a government writes on its node are its working
state: entering, revising and withdrawing them stays on that node. When the government submits
(:func:`alianza.pme.cycles.submit_cycle`), the ``submit`` message carries the texts it submits:
every current paragraph its people wrote, in each language, with its translation state and
writer (:func:`submitted_texts`). The partner node makes its copy of that government's texts
equal to them (:func:`apply_submitted_texts`): new and changed ones written, those no longer
there withdrawn, the same ones left alone (a re-delivery changes nothing).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.catalogue import declare
from alianza.exchange.keys import NodeIdentity
from alianza.pme.deadline_store import action_ids
from alianza.pme.engine_models import CycleRow, StatusTextRow

STATES = ("source", "draft", "approved", "stale")

# Why the partner's submitted texts are refused (nothing of them is kept).
OTHER_GOVERNMENTS_TEXT = declare(
    "pme.cycle-texts.other-government",
    "the {country} node submitted a text of {government}; it may submit only its own "
    "government's and joint ones",
)
NO_VALID_LANGUAGE = declare(
    "pme.cycle-texts.no-valid-language",
    "{action} {government}: a submitted text has no valid language or translation state",
)
LACKS_TEXT = declare(
    "pme.cycle-texts.lacks-text", "{action} {government}: a submitted text lacks its text or writer"
)


def _current(session: Session, row: CycleRow) -> list[StatusTextRow]:
    return list(
        session.scalars(
            select(StatusTextRow)
            .where(StatusTextRow.cycle_id == row.id, StatusTextRow.superseded_at.is_(None))
            .order_by(StatusTextRow.id)
        )
    )


def submitted_texts(
    session: Session, row: CycleRow, plan_key: str, country: str
) -> list[dict[str, Any]]:
    """The texts ``country``'s government submits: its people's current paragraphs."""
    numbers = {v: k for k, v in action_ids(session, plan_key).items()}
    return [
        {
            "action": numbers[t.action_id],
            "government": t.government,
            "position": t.position,
            "language": t.language,
            "text": t.text,
            "state": t.state,
            "by": t.writer_account or t.written_by,
        }
        for t in _current(session, row)
        if t.writer_country == country
    ]


def apply_submitted_texts(
    session: Session,
    row: CycleRow,
    plan_key: str,
    texts: list[dict[str, Any]],
    partner: NodeIdentity,
    recorded_by: str,
) -> int:
    """Make this node's copy of the partner government's texts equal to those it submitted;
    returns how many texts were written or withdrawn (the audit log names ``recorded_by``, the
    node that received them, and the partner's writer in its details). Raises ``ValueError``
    (nothing kept: the caller's transaction is rolled back) on a text the partner may not
    write."""
    from alianza.pme.cycles import CycleRefused

    ids = action_ids(session, plan_key)
    numbers = {v: k for k, v in ids.items()}
    wanted: dict[tuple[int, str, int, str], dict[str, Any]] = {}
    for item in texts:
        action, government = str(item.get("action")), str(item.get("government"))
        if action not in ids:
            raise CycleRefused(refusals.not_found_in_plan("action", action, plan_key))
        if government not in (partner.country, "JOINT"):
            raise CycleRefused(
                OTHER_GOVERNMENTS_TEXT.said(country=partner.country, government=government)
            )
        if item.get("language") not in ("en", "es") or item.get("state") not in STATES:
            raise CycleRefused(NO_VALID_LANGUAGE.said(action=action, government=government))
        if not str(item.get("text") or "").strip() or not str(item.get("by") or "").strip():
            raise CycleRefused(LACKS_TEXT.said(action=action, government=government))
        address = (ids[action], government, int(item["position"]), str(item["language"]))
        wanted[address] = item
    now = datetime.now(UTC)
    via = f"{partner.country} node {partner.name}, key {partner.fingerprint}"
    changed = 0
    for text in _current(session, row):
        address = (text.action_id, text.government, text.position, text.language)
        found = wanted.get(address)
        if found is None:
            if text.writer_country == partner.country:  # withdrawn before this submission
                text.superseded_at = now
                changed += 1
                audit.record(
                    session,
                    actor=recorded_by,
                    action="pme.cycle.withdraw",
                    subject=f"plan:{plan_key}/cycle:{row.key}/{numbers[text.action_id]}/"
                    f"{text.government}/{text.position}/{text.language}",
                    details={"texts": {text.language: text.text}, "via": via,
                             "by": f"{text.writer_account} ({partner.name})",
                             "reason": "not in the partner's submission"},
                )  # fmt: skip
            continue
        item = wanted.pop(address)
        same = (text.text, text.state, text.writer_account, text.writer_country) == (
            item["text"], item["state"], item["by"], partner.country,
        )  # fmt: skip
        if same:
            continue
        text.superseded_at = now
        _write(session, row, plan_key, address, item, (partner, recorded_by), via, now, numbers,
               text.text)  # fmt: skip
        changed += 1
    for address, item in wanted.items():
        _write(session, row, plan_key, address, item, (partner, recorded_by), via, now, numbers,
               None)  # fmt: skip
        changed += 1
    session.flush()
    return changed


def _write(
    session: Session,
    row: CycleRow,
    plan_key: str,
    address: tuple[int, str, int, str],
    item: dict[str, Any],
    received: tuple[NodeIdentity, str],
    via: str,
    now: datetime,
    numbers: dict[int, str],
    previous: str | None,
) -> None:
    action_id, government, position, language = address
    partner, recorded_by = received
    shown = f"{item['by']} ({partner.name})"
    session.add(
        StatusTextRow(
            cycle_id=row.id,
            action_id=action_id,
            government=government,
            position=position,
            language=language,
            text=str(item["text"]).strip(),
            state=str(item["state"]),
            written_by=shown,
            written_at=now,
            writer_account=str(item["by"]),
            writer_country=partner.country,
        )
    )
    audit.record(
        session,
        actor=recorded_by,
        action="pme.cycle.enter",
        subject=f"plan:{plan_key}/cycle:{row.key}/{numbers[action_id]}/{government}/"
        f"{position}/{language}",
        details={"text": item["text"], "state": item["state"], "previous": previous,
                 "by": shown, "account": item["by"], "country": partner.country, "via": via},
    )  # fmt: skip
