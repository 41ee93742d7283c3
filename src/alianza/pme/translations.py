"""Translation state of the plan's own text (action, baseline, targets, measurements, status).

Each cell of the plan is held per language as versioned :class:`CellVersion` rows (imports of
the English and the Spanish report). For every cell, the language first written is the
``source``; the other language is its translation, in one of these states:

- ``missing``: no text in that language;
- ``stale``: the source changed after the translation was written;
- ``draft``: written, not yet approved by both governments;
- ``approved``: approved by the United States and Mexico (:func:`approve_translation`), for
  that very version; a new version of the translation is a draft again.

Cycle status paragraphs have their own states (:mod:`alianza.pme.cycles`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.accounts.service import Principal
from alianza.actors import Actor, acting
from alianza.catalogue import declare
from alianza.pme.deadline_store import action_ids
from alianza.pme.document import Column
from alianza.pme.engine_models import TranslationApprovalRow
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.models import CellVersion

GOVERNMENTS = ("US", "MX")


class TranslationState(StrEnum):
    MISSING = "missing"
    STALE = "stale"
    DRAFT = "draft"
    APPROVED = "approved"


class TranslationRefused(ValueError):
    """A translation cannot be approved as asked."""


APPROVED_BY = declare("pme.translation.approved-by", "translations are approved by US or MX")
OTHER_GOVERNMENT = declare(
    "pme.translation.other-government",
    "{user} is of the {country} government and cannot approve for {government}",
)
NO_CELL = declare(
    "pme.translation.no-cell",
    "no cell {cell!r} in plan {plan!r} (cells look like 10.4/targets or "
    "10.4/status@1999-08-31; see alianza pme translations list)",
)
# The states a translation cannot be approved in (``language``: en or es, said as its name).
NOT_APPROVABLE = {
    state: declare(
        f"pme.translation.{state.value}",
        f"{{cell}}: the {{language}} translation is {state.value}; import an up-to-date "
        "{language} report first",
    )
    for state in (TranslationState.MISSING, TranslationState.STALE)
}


@dataclass(frozen=True)
class CellTranslation:
    action: str
    column: Column
    as_of: date | None  # status cells: the snapshot's date
    source_language: str
    language: str  # the translation's language
    state: TranslationState
    approved_by: tuple[str, ...]  # governments that approved the current translation version
    cell_version_id: int | None  # the translation's current version

    @property
    def address(self) -> str:
        at = f"@{self.as_of.isoformat()}" if self.column is Column.STATUS and self.as_of else ""
        return f"{self.action}/{self.column.value}{at}"

    def as_dict(self) -> dict[str, object]:
        return {
            "cell": self.address,
            "source": self.source_language,
            "language": self.language,
            "state": self.state.value,
            "approved_by": list(self.approved_by),
        }


def _cells(
    session: Session, plan_key: str
) -> tuple[dict[tuple[int, str, date | None], dict[str, list[CellVersion]]], dict[int, str]]:
    ids = action_ids(session, plan_key)
    grouped: dict[tuple[int, str, date | None], dict[str, list[CellVersion]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = session.scalars(
        select(CellVersion)
        .where(CellVersion.action_id.in_(list(ids.values())))
        .order_by(CellVersion.id)
    )
    for row in rows:
        as_of = row.as_of if row.column == Column.STATUS.value else None
        grouped[(row.action_id, row.column, as_of)][row.language].append(row)
    return grouped, {v: k for k, v in ids.items()}


def translation_states(session: Session, plan_key: str = DEFAULT_PLAN) -> list[CellTranslation]:
    """The translation state of every cell of the plan, in plan order."""
    grouped, numbers = _cells(session, plan_key)
    approvals: dict[int, list[str]] = defaultdict(list)
    for approval in session.scalars(select(TranslationApprovalRow)):
        approvals[approval.cell_version_id].append(approval.government)
    states = []
    for (action_id, column, as_of), languages in grouped.items():
        source = min(languages, key=lambda lang: (languages[lang][0].created_at, lang != "en"))
        other = "es" if source == "en" else "en"
        source_now = _current(languages[source])
        translation = _current(languages.get(other, []))
        approved_by: tuple[str, ...] = ()
        if translation is None:
            state = TranslationState.MISSING
        elif source_now is not None and source_now.created_at > translation.created_at:
            state = TranslationState.STALE
        else:
            approved_by = tuple(sorted(approvals.get(translation.id, [])))
            approved = all(g in approved_by for g in GOVERNMENTS)
            state = TranslationState.APPROVED if approved else TranslationState.DRAFT
        states.append(
            CellTranslation(
                numbers[action_id],
                Column(column),
                as_of,
                source,
                other,
                state,
                approved_by,
                translation.id if translation else None,
            )
        )
    return sorted(states, key=_order)


def _current(versions: list[CellVersion]) -> CellVersion | None:
    return next((v for v in versions if v.superseded_at is None), None)


_COLUMN_ORDER = {c: i for i, c in enumerate(Column)}


def _order(cell: CellTranslation) -> tuple[list[int], int, date]:
    return (
        [int(p) for p in cell.action.split(".")],
        _COLUMN_ORDER[cell.column],
        cell.as_of or date.min,
    )


def approve_translation(
    session: Session,
    cell: str,
    *,
    government: str,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
) -> CellTranslation:
    """One government approves the current translation of one cell (``10.4/targets``).

    A user approves for their own country's government only (the government comes from the
    account); the node's operator names the government (``--gov``)."""
    by = acting(session, actor, Permission.PME_APPROVE)
    if government not in GOVERNMENTS:
        raise TranslationRefused(APPROVED_BY.said())
    if isinstance(actor, Principal) and actor.country.value != government:
        raise TranslationRefused(
            OTHER_GOVERNMENT.said(
                user=actor.username, country=actor.country.value, government=government
            )
        )
    found = next((c for c in translation_states(session, plan_key) if c.address == cell), None)
    if found is None:
        raise TranslationRefused(NO_CELL.said(cell=cell, plan=plan_key))
    if found.state in (TranslationState.MISSING, TranslationState.STALE):
        from alianza.pme.cycles import LANGUAGE_NAMES

        language = LANGUAGE_NAMES[found.language].said()
        raise TranslationRefused(NOT_APPROVABLE[found.state].said(cell=cell, language=language))
    if government in found.approved_by:
        return found
    assert found.cell_version_id is not None
    session.add(
        TranslationApprovalRow(
            cell_version_id=found.cell_version_id,
            government=government,
            approved_by=by,
            approved_at=datetime.now(UTC),
        )
    )
    session.flush()
    audit.record(
        session,
        actor=by,
        action="pme.translation.approve",
        subject=f"plan:{plan_key}/{cell}/{found.language}",
        details={"government": government, "cell_version_id": found.cell_version_id},
    )
    return next(c for c in translation_states(session, plan_key) if c.address == cell)
