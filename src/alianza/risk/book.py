"""Rules and watchlists held in the node's database: versioned, owned, expiring, retired, audited.

``add_rule`` stores a new version of a rule (the next number for its code); ``add_watch`` puts an
entity on a watchlist (a new version when it is already there); ``retire_rule`` and
``retire_watch`` stop a version from hitting in later selections and keep it for ever, so that a
recorded hit (``risk_rule_hit``: shipment, rule code, version) can always be traced back to the
text that fired. ``load_rule_book`` builds the :class:`~alianza.risk.rules.RuleBook` a selection
applies: every version not retired, the version in force on each shipment's day winning.
``import_rule_file`` loads a TOML rule file (docs/risk.md) into the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.catalogue import message_of
from alianza.db import Database
from alianza.risk import messages as words
from alianza.risk.messages import COLUMN_NOT_HELD
from alianza.risk.models import RuleVersion, ShipmentImport, WatchlistEntry
from alianza.risk.read import PROFILES
from alianza.risk.rules import (
    Condition,
    Rule,
    RuleBook,
    rule_terms,
    watchlist_rules,
)

# Columns a rule or watchlist may test (core columns and the profiles' own codes and numbers).
TEXT_COLUMNS = (
    "port",
    "mode",
    "declarant",
    "importer",
    "shipper",
    "carrier",
    "hs6",
    "origin",
    "departure",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "tax_type",
    "origin_indicator",
)
NUMBER_COLUMNS = ("net_mass_kg", "value", "tax_rate", "packages")
WATCH_COLUMNS = ("importer", "shipper", "declarant", "carrier", "consignee")


class RuleRefused(ValueError):
    """A rule or watchlist entry that cannot be stored, with the reason."""


@dataclass(frozen=True)
class RuleSpec:
    """What an officer writes to add a rule version (the number is given by the store)."""

    code: str
    owner: str
    reason: str
    valid_from: date
    expires: date | None = None
    weight: float = 0.0
    mandatory: bool = False
    lane: str | None = None
    conditions: tuple[Condition, ...] = ()


def parse_condition(text: str) -> Condition:
    """``COLUMN in A,B*`` · ``COLUMN not-in A`` · ``COLUMN differs OTHER`` · ``COLUMN above N``
    · ``COLUMN below N`` · ``COLUMN first-time``."""
    parts = text.split()
    if len(parts) < 2:
        raise RuleRefused(words.CONDITION_SHAPE.said(text=text))
    column, kind, rest = parts[0], parts[1], " ".join(parts[2:])
    try:
        if kind in ("in", "not-in"):
            values = tuple(v.strip() for v in rest.split(",") if v.strip())
            if not values:
                raise RuleRefused(words.CONDITION_NEEDS_VALUES.said(text=text, kind=kind))
            return checked(Condition(kind, column, values=values))
        if kind == "differs":
            return checked(Condition(kind, column, other=rest or None))
        if kind in ("above", "below"):
            try:
                threshold = float(rest)
            except ValueError:
                raise RuleRefused(words.CONDITION_NOT_NUMBER.said(text=text, value=rest)) from None
            return checked(Condition(kind, column, threshold=threshold))
        if kind == "first-time" and rest:
            raise RuleRefused(words.CONDITION_NO_ARGUMENT.said(text=text))
        return checked(Condition(kind, column))
    except ValueError as error:
        if isinstance(error, RuleRefused):
            raise
        refusal = words.CONDITION_REFUSED.said(text=text, error=message_of(error))
        raise RuleRefused(refusal) from None


def checked(condition: Condition) -> Condition:
    numeric = condition.kind in ("above", "below")
    allowed = NUMBER_COLUMNS if numeric else TEXT_COLUMNS
    for column in (condition.column, condition.other):
        if column is not None and column not in allowed:
            raise RuleRefused(
                words.CONDITION_COLUMN.said(
                    column=column, kind=condition.kind, columns=", ".join(allowed)
                )
            )
    return condition


def condition_dict(condition: Condition) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": condition.kind, "column": condition.column}
    if condition.values:
        out["values"] = list(condition.values)
    if condition.other is not None:
        out["other"] = condition.other
    if condition.threshold is not None:
        out["threshold"] = condition.threshold
    return out


def condition_text(raw: dict[str, Any]) -> str:
    """The CLI form of a stored condition (``hs6 in 1211*,1302*``)."""
    argument = ",".join(raw.get("values", [])) or raw.get("other") or ""
    if raw.get("threshold") is not None:
        argument = f"{raw['threshold']:g}"
    return f"{raw['column']} {raw['kind']} {argument}".strip()


def _condition(raw: dict[str, Any]) -> Condition:
    return Condition(
        kind=str(raw["kind"]),
        column=str(raw["column"]),
        values=tuple(str(v) for v in raw.get("values", ())),
        other=raw.get("other"),
        threshold=raw.get("threshold"),
    )


def _check_spec(spec: RuleSpec) -> None:
    if not spec.code.strip() or spec.code.startswith("watchlist:"):
        raise RuleRefused(words.RULE_CODE.said(code=spec.code))
    if not spec.owner.strip() or not spec.reason.strip():
        raise RuleRefused(words.RULE_OWNER.said(code=spec.code))
    if spec.mandatory and not spec.lane:
        raise RuleRefused(words.RULE_NO_LANE.said(code=spec.code))
    if spec.expires is not None and spec.expires < spec.valid_from:
        raise RuleRefused(words.RULE_EXPIRES.said(code=spec.code, expires=spec.expires))
    if not spec.conditions:
        raise RuleRefused(words.RULE_NO_CONDITION.said(code=spec.code))
    if spec.weight < 0:
        raise RuleRefused(words.RULE_NEGATIVE_WEIGHT.said(code=spec.code))


def add_rule(session: Session, spec: RuleSpec, *, actor: Actor) -> RuleVersion:
    """Store the next version of ``spec.code``; audited. A user needs risk.manage."""
    by = acting(session, actor, Permission.RISK_MANAGE)
    _check_spec(spec)
    for condition in spec.conditions:
        checked(condition)
    latest = session.scalar(
        select(func.max(RuleVersion.version)).where(RuleVersion.code == spec.code)
    )
    row = RuleVersion(
        code=spec.code,
        version=(latest or 0) + 1,
        owner=spec.owner.strip(),
        reason=spec.reason.strip(),
        valid_from=spec.valid_from,
        expires=spec.expires,
        weight=spec.weight,
        mandatory=spec.mandatory,
        lane=spec.lane,
        conditions=[condition_dict(c) for c in spec.conditions],
        created_at=datetime.now(UTC),
        actor=by,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="risk.rule.add",
        subject=f"risk_rule:{row.code}@{row.version}",
        details=rule_dict(row),
    )
    return row


def add_watch(
    session: Session,
    *,
    watchlist: str,
    column: str,
    value: str,
    owner: str,
    reason: str,
    valid_from: date,
    expires: date | None = None,
    weight: float = 0.0,
    mandatory: bool = False,
    lane: str | None = None,
    actor: Actor,
) -> WatchlistEntry:
    """Put an entity on a watchlist (the next version if it is already listed); audited. A
    user needs risk.manage."""
    by = acting(session, actor, Permission.RISK_MANAGE)
    if column not in WATCH_COLUMNS:
        raise RuleRefused(words.WATCH_COLUMN.said(column=column, columns=", ".join(WATCH_COLUMNS)))
    if not watchlist.strip() or not value.strip():
        raise RuleRefused(words.WATCH_NEEDS_NAME.said())
    if not owner.strip() or not reason.strip():
        raise RuleRefused(words.WATCH_OWNER.said(value=value))
    if mandatory and not lane:
        raise RuleRefused(words.WATCH_NO_LANE.said(value=value))
    if expires is not None and expires < valid_from:
        raise RuleRefused(words.WATCH_EXPIRES.said(value=value, expires=expires))
    listed = session.scalars(
        select(WatchlistEntry.column).where(WatchlistEntry.watchlist == watchlist).limit(1)
    ).first()
    if listed is not None and listed != column:
        raise RuleRefused(
            words.WATCH_OTHER_COLUMN.said(watchlist=watchlist, listed=listed, column=column)
        )
    latest = session.scalar(
        select(func.max(WatchlistEntry.version)).where(
            WatchlistEntry.watchlist == watchlist, WatchlistEntry.value == value
        )
    )
    row = WatchlistEntry(
        watchlist=watchlist.strip(),
        column=column,
        value=value.strip(),
        version=(latest or 0) + 1,
        owner=owner.strip(),
        reason=reason.strip(),
        valid_from=valid_from,
        expires=expires,
        weight=weight,
        mandatory=mandatory,
        lane=lane,
        created_at=datetime.now(UTC),
        actor=by,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="risk.watchlist.add",
        subject=f"risk_watchlist:{row.watchlist}:{row.value}@{row.version}",
        details=watch_dict(row),
    )
    return row


def retire_rule(
    session: Session, code: str, *, version: int | None = None, actor: Actor, reason: str
) -> list[RuleVersion]:
    """Retire one version, or every version still active, of a rule; audited. A user needs
    risk.manage."""
    by = acting(session, actor, Permission.RISK_MANAGE)
    query = select(RuleVersion).where(RuleVersion.code == code, RuleVersion.retired_at.is_(None))
    if version is not None:
        query = query.where(RuleVersion.version == version)
    rows = list(session.scalars(query))
    if not rows:
        if version is None:
            raise LookupError(words.NO_ACTIVE_RULE.said(code=code))
        raise LookupError(words.NO_ACTIVE_RULE_VERSION.said(code=code, version=version))
    _retire(rows, by, reason)
    audit.record(
        session,
        actor=by,
        action="risk.rule.retire",
        subject=f"risk_rule:{code}",
        details={"versions": [r.version for r in rows], "reason": reason},
    )
    return rows


def retire_watch(
    session: Session, watchlist: str, value: str, *, actor: Actor, reason: str
) -> list[WatchlistEntry]:
    """Take ``value`` off ``watchlist`` (every version still active); audited. A user needs
    risk.manage."""
    by = acting(session, actor, Permission.RISK_MANAGE)
    rows = list(
        session.scalars(
            select(WatchlistEntry).where(
                WatchlistEntry.watchlist == watchlist,
                WatchlistEntry.value == value,
                WatchlistEntry.retired_at.is_(None),
            )
        )
    )
    if not rows:
        raise LookupError(words.NOT_ON_WATCHLIST.said(value=value, watchlist=watchlist))
    _retire(rows, by, reason)
    audit.record(
        session,
        actor=by,
        action="risk.watchlist.retire",
        subject=f"risk_watchlist:{watchlist}:{value}",
        details={"versions": [r.version for r in rows], "reason": reason},
    )
    return rows


def _retire(rows: list[Any], retired_by: str, reason: str) -> None:
    if not reason.strip():
        raise RuleRefused(words.RETIRE_REASON.said())
    now = datetime.now(UTC)
    for row in rows:
        row.retired_at = now
        row.retired_by = retired_by
        row.retired_reason = reason.strip()


def list_rules(session: Session, *, include_retired: bool = False) -> list[RuleVersion]:
    query = select(RuleVersion).order_by(RuleVersion.code, RuleVersion.version)
    if not include_retired:
        query = query.where(RuleVersion.retired_at.is_(None))
    return list(session.scalars(query))


def list_watches(
    session: Session, *, watchlist: str | None = None, include_retired: bool = False
) -> list[WatchlistEntry]:
    query = select(WatchlistEntry).order_by(
        WatchlistEntry.watchlist, WatchlistEntry.value, WatchlistEntry.version
    )
    if watchlist is not None:
        query = query.where(WatchlistEntry.watchlist == watchlist)
    if not include_retired:
        query = query.where(WatchlistEntry.retired_at.is_(None))
    return list(session.scalars(query))


def rule_dict(row: RuleVersion) -> dict[str, Any]:
    return {
        "code": row.code,
        "version": row.version,
        "owner": row.owner,
        "reason": row.reason,
        "valid_from": row.valid_from.isoformat(),
        "expires": row.expires.isoformat() if row.expires else None,
        "weight": row.weight,
        "mandatory": row.mandatory,
        "lane": row.lane,
        "conditions": row.conditions,
        "created_by": row.actor,
        "retired_at": row.retired_at.isoformat() if row.retired_at else None,
        "retired_reason": row.retired_reason,
    }


def watch_dict(row: WatchlistEntry) -> dict[str, Any]:
    return {
        "watchlist": row.watchlist,
        "column": row.column,
        "value": row.value,
        "version": row.version,
        "owner": row.owner,
        "reason": row.reason,
        "valid_from": row.valid_from.isoformat(),
        "expires": row.expires.isoformat() if row.expires else None,
        "weight": row.weight,
        "mandatory": row.mandatory,
        "lane": row.lane,
        "created_by": row.actor,
        "retired_at": row.retired_at.isoformat() if row.retired_at else None,
        "retired_reason": row.retired_reason,
    }


def load_rule_book(session: Session) -> RuleBook:
    """The rules and watchlist entries not retired, as the rule book a selection applies."""
    book = RuleBook()
    for row in list_rules(session):
        book.add(
            Rule(
                code=row.code,
                version=row.version,
                owner=row.owner,
                reason=row.reason,
                valid_from=row.valid_from,
                expires=row.expires,
                weight=row.weight,
                mandatory=row.mandatory,
                lane=row.lane,
                conditions=tuple(_condition(c) for c in row.conditions),
            )
        )
    for entry in list_watches(session):
        for rule in watchlist_rules(entry.watchlist, entry.column, [watch_dict(entry)]):
            book.add(rule)
    return book


def held_profiles(session: Session) -> list[str]:
    """The import profiles of the declarations imported on this node, sorted."""
    return sorted(set(session.scalars(select(ShipmentImport.profile).distinct())))


def check_held_columns(session: Session, book: RuleBook) -> None:
    """Refuse (:class:`RuleRefused`) a rule book with a rule or watchlist entry testing a
    column that no import profile held on the node gives (a rule on ``process_type`` where
    only ``alianza`` declarations are held): it could never hit, and must not be dropped
    silently. A column some held profile gives is tested, and false on the rows of a profile
    without it (:meth:`alianza.risk.rules.Condition.mask`). A node holding nothing is not
    checked (there is nothing to select)."""
    profiles = [name for name in held_profiles(session) if name in PROFILES]
    if not profiles:
        return
    given: set[str] = set()
    for name in profiles:
        given |= set(PROFILES[name].text.values()) | set(PROFILES[name].number.values())
    for rule in sorted(book.rules, key=lambda r: (r.code, r.version)):
        for condition in rule.conditions:
            for column in (condition.column, condition.other):
                if column is not None and column not in given:
                    raise RuleRefused(
                        COLUMN_NOT_HELD.said(
                            rule=rule.code, column=column, profiles=", ".join(profiles)
                        )
                    )


def import_rule_file(session: Session, path: Path, *, actor: Actor) -> tuple[int, int]:
    """Load a TOML rule file (``[[rule]]``, ``[[watchlist]]``) into the database: each rule
    becomes a new version of its code unless its latest active version says the same; each
    watchlist entry likewise. Returns (stored, unchanged). A user needs risk.manage."""
    acting(session, actor, Permission.RISK_MANAGE)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise RuleRefused(words.FILE_NOT_TOML.said(file=path.name, error=str(error))) from None
    stored = unchanged = 0
    for number, raw in enumerate(data.get("rule", []), start=1):
        try:
            spec = RuleSpec(
                code=str(raw["code"]),
                **rule_terms(raw),
                conditions=tuple(checked(_condition(c)) for c in raw.get("when", [])),
            )
        except (KeyError, ValueError) as error:
            raise RuleRefused(
                words.FILE_RULE.said(file=path.name, number=number, error=message_of(error))
            ) from None
        latest = session.scalars(
            select(RuleVersion)
            .where(RuleVersion.code == spec.code, RuleVersion.retired_at.is_(None))
            .order_by(RuleVersion.version.desc())
            .limit(1)
        ).first()
        if latest is not None and _same_rule(latest, spec):
            unchanged += 1
            continue
        add_rule(session, spec, actor=actor)
        stored += 1
    for raw in data.get("watchlist", []):
        for entry in raw.get("entry", []):
            try:
                fields = {
                    "watchlist": str(raw["name"]),
                    "column": str(raw["column"]),
                    "value": str(entry["value"]),
                    **rule_terms(entry),
                }
            except (KeyError, ValueError) as error:
                raise RuleRefused(
                    words.FILE_WATCH.said(file=path.name, error=message_of(error))
                ) from None
            held = [
                w
                for w in list_watches(session, watchlist=fields["watchlist"])
                if w.value == fields["value"]
            ]
            if held and all(getattr(held[-1], k) == v for k, v in fields.items()):
                unchanged += 1
                continue
            add_watch(session, actor=actor, **fields)
            stored += 1
    return stored, unchanged


def rule_book_from_file(database: Database, path: Path, *, actor: Actor) -> RuleBook:
    """The rules of a TOML file, as a selection applies them: the file is first stored on the
    node (:func:`import_rule_file`: a changed rule becomes a new version, an unchanged one is
    kept), then the held versions of the file's rules and watchlist entries make the book, so
    that every recorded hit names a version the node holds."""
    with database.transaction() as session:
        import_rule_file(session, path, actor=actor)
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        codes = {str(raw["code"]) for raw in data.get("rule", [])}
        for raw in data.get("watchlist", []):
            codes |= {f"watchlist:{raw['name']}:{e['value']}" for e in raw.get("entry", [])}
        book = RuleBook([r for r in load_rule_book(session).rules if r.code in codes])
        check_held_columns(session, book)  # refused: the file's versions are not stored
    return book


def _same_rule(row: RuleVersion, spec: RuleSpec) -> bool:
    return (
        row.owner,
        row.reason,
        row.valid_from,
        row.expires,
        row.weight,
        row.mandatory,
        row.lane,
        row.conditions,
    ) == (
        spec.owner.strip(),
        spec.reason.strip(),
        spec.valid_from,
        spec.expires,
        spec.weight,
        spec.mandatory,
        spec.lane,
        [condition_dict(c) for c in spec.conditions],
    )
