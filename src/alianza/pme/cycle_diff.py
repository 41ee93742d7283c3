"""What changed between two reporting cycles: status paragraphs added, removed or reworded."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from alianza.catalogue import declare
from alianza.pme.cycle_publish import cycle_status
from alianza.pme.cycles import (
    LANGUAGES,
)
from alianza.pme.load import DEFAULT_PLAN


@dataclass(frozen=True)
class Change:
    kind: str  # "added", "removed", "changed"
    action: str
    government: str
    position: int
    language: str
    before: str | None
    after: str | None

    @property
    def address(self) -> str:
        return f"{self.action}/{self.government}/{self.position}/{self.language}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "address": self.address,
            "before": self.before,
            "after": self.after,
        }


def _texts(status: list[dict[str, Any]]) -> dict[tuple[str, str, int, str], str]:
    texts = {}
    for entry in status:
        for language in LANGUAGES:
            if language in entry:
                key = (entry["action"], entry["government"], entry["position"], language)
                texts[key] = entry[language]["text"]
    return texts


def _order(key: tuple[str, str, int, str]) -> tuple[list[int], str, int, str]:
    action, government, position, language = key
    return ([int(p) for p in action.split(".")], government, position, language)


def diff_cycles(
    session: Session, before_key: str, after_key: str, plan_key: str = DEFAULT_PLAN
) -> list[Change]:
    """Changes from cycle ``before_key`` to ``after_key`` (published: their frozen content)."""
    before = _texts(cycle_status(session, before_key, plan_key))
    after = _texts(cycle_status(session, after_key, plan_key))
    changes = []
    for key in sorted(before.keys() | after.keys(), key=_order):
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        kind = "added" if old is None else "removed" if new is None else "changed"
        changes.append(Change(kind, *key, before=old, after=new))
    return changes


NO_CHANGE = declare("pme.diff.no-change", "No status text changed from {before} to {after}.")
CHANGES = declare(
    "pme.diff.changes",
    ("{n} change(s) from {before} to {after}:", "{n} change(s) from {before} to {after}:"),
)
# A change's kind as the text shows it (the JSON keeps the kind itself).
KIND_WORDS = {
    kind: declare(f"pme.diff.kind.{kind}", kind) for kind in ("added", "removed", "changed")
}


def diff_text(changes: list[Change], before_key: str, after_key: str, language: str = "en") -> str:
    """The changes as a person reads them, in ``language`` (the status texts as written)."""
    if not changes:
        return NO_CHANGE(language, before=before_key, after=after_key) + "\n"
    lines = [CHANGES(language, n=len(changes), before=before_key, after=after_key)]
    for change in changes:
        kind = KIND_WORDS[change.kind](language) if change.kind in KIND_WORDS else change.kind
        lines.append(f"{kind:<8} {change.address}")
        if change.before is not None:
            lines.append(f"  - {change.before}")
        if change.after is not None:
            lines.append(f"  + {change.after}")
    return "\n".join(lines) + "\n"
