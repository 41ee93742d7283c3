"""The outbox and the inbox as people read them: packages with their exchange log, refusals
with their reason, re-verification of a stored package, and a package's content summary.

A refused package is never stored; :func:`record_refusal` keeps only facts about the refused
bytes (checksum, size, the stable reason code and message, and what the descriptor *claims*,
unverified), in a transaction of its own after the refused one was rolled back.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza import audit, refusals
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.db import Database
from alianza.exchange import messages as m
from alianza.exchange.keys import NodeIdentity
from alianza.exchange.messages import Message
from alianza.exchange.models import Event, JunkCount, Observation, Package, Partner, Refusal
from alianza.exchange.package import PackageRefused, verify_package
from alianza.exchange.service import QuarterStatus, receive
from alianza.exchange.store import StoreResult, log_event
from alianza.operations.metrics import count_exchange

# What a stored package passed when it was received (or built): verify_package checks them in
# this order and stores nothing unless all pass.
CHECKS = ("signature", "checksums", "descriptor", "schema", "code_lists", "quarter")


def _claimed(data: bytes) -> tuple[str | None, str | None, str | None]:
    """Node, country and quarter the descriptor claims (unverified; None when unreadable)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            info = archive.getinfo("datapackage.json")
            if info.file_size > 1_000_000:
                return None, None, None
            descriptor = json.loads(archive.read(info))
        alianza = descriptor.get("alianza", descriptor) if isinstance(descriptor, dict) else {}
        node = alianza.get("node") if isinstance(alianza, dict) else None
        country = alianza.get("country") if isinstance(alianza, dict) else None
        quarter = alianza.get("quarter") if isinstance(alianza, dict) else None
    except Exception:  # a refused package may be anything: the claim is only a hint
        return None, None, None

    def text(value: object, length: int) -> str | None:
        return str(value)[:length] if isinstance(value, str | int) else None

    return text(node, 200), text(country, 2), text(quarter, 7)


def record_refusal(
    session: Session, data: bytes, refused: PackageRefused, *, source: str, actor: Actor
) -> Refusal:
    """Log a refused package (``actor``: who handed it in; the audit log records the name).
    A user needs exchange.manage."""
    by = acting(session, actor, Permission.EXCHANGE_MANAGE)
    node, country, quarter = _claimed(data)
    row = Refusal(
        at=datetime.now(UTC),
        source=source,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        code=refused.code,
        message=refused.message,
        reason=refused.reason,
        message_es=refused.message_es,
        claimed_node=node,
        claimed_country=country,
        claimed_quarter=quarter,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor=by,
        action="exchange.package.refused",
        subject=f"refusal:{row.id}",
        details={"sha256": row.sha256, "code": row.code, "source": source},
    )
    return row


def receive_logged(
    database: Database, data: bytes, *, source: str, actor: Actor
) -> tuple[StoreResult, str, str]:
    """:func:`alianza.exchange.service.receive`, and on refusal the refusal is logged (the
    package itself is still not written) before :class:`PackageRefused` is raised again."""
    try:
        result = receive(database, data, actor=actor)
    except PackageRefused as refused:
        with database.transaction() as session:
            if source == "endpoint" and refused.unverified:
                count_junk(session, refused.code, now=datetime.now(UTC))
            else:
                record_refusal(session, data, refused, source=source, actor=actor)
        count_exchange("refused", refused.code)
        raise
    count_exchange("received")
    return result


def count_junk(session: Session, code: str, *, now: datetime) -> None:
    """One more junk submission refused with ``code`` in ``now``'s clock hour (one upsert:
    a flood adds no rows, only counts)."""
    hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    dialect = session.get_bind().dialect.name
    insert: Any
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(JunkCount).values(hour=hour, code=code, count=1)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["hour", "code"], set_={"count": JunkCount.count + 1}
        )
    )


def junk_since(session: Session, since: datetime) -> int:
    """Junk submissions refused in the clock hours that start at or after ``since``'s hour."""
    hour = since.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
    total = session.scalar(select(func.sum(JunkCount.count)).where(JunkCount.hour >= hour))
    return int(total or 0)


@dataclass(frozen=True)
class Reverification:
    package_id: int
    ok: bool
    code: str  # "ok" or the refusal code
    message: Message
    signer: str | None


def reverify(
    database: Database,
    package_id: int,
    trusted: Mapping[str, NodeIdentity],
    *,
    actor: Actor,
) -> Reverification:
    """Verify a stored package's bytes again against ``trusted`` (the keys trusted now) and
    log the outcome in the exchange log (event ``reverified``) and the audit log; a user needs
    exchange.manage."""
    from alianza.exchange.cube import exchange_codes

    with database.transaction() as session:
        by = acting(session, actor, Permission.EXCHANGE_MANAGE)
        package = session.get(Package, package_id)
        if package is None:
            raise LookupError(refusals.not_found("package", package_id))
        try:
            verified = verify_package(package.content, trusted, exchange_codes())
        except PackageRefused as refused:
            said = Message(refused.reason, refused.message, refused.message_es)
            result = Reverification(package_id, False, refused.code, said, None)
        else:
            same = verified.sha256 == package.sha256
            result = Reverification(
                package_id,
                same,
                "ok" if same else "checksum-mismatch",
                m.ALL_PASSED() if same else m.STORED_BYTES_DIFFER(),
                verified.signer.name,
            )
        log_event(
            session,
            "reverified",
            country=package.country,
            quarter=package.quarter,
            package_id=package.id,
            detail=Message(
                result.message.code,
                f"{result.code}: {result.message.en}",
                f"{result.code}: {result.message.es}",
            ),
        )
        audit.record(
            session,
            actor=by,
            action="exchange.package.reverify",
            subject=f"package:{package.country}:{package.quarter}:v{package.version}",
            details={"result": result.code, "sha256": package.sha256},
        )
    return result


@dataclass
class PackageEntry:
    """A package with what the exchange log says about it."""

    id: int
    direction: str
    node: str
    country: str
    quarter: str
    period_kind: str
    version: int
    sha256: str
    size: int
    extracted_at: str
    created_at: datetime
    superseded_at: datetime | None
    fingerprint: str
    signer: str | None  # the partner's name (inbound) or this node's (outbound)
    events: list[Event] = field(default_factory=list)

    def first(self, kind: str) -> Event | None:
        return next((e for e in self.events if e.kind == kind), None)

    def last(self, kind: str) -> Event | None:
        return next((e for e in reversed(self.events) if e.kind == kind), None)

    @property
    def sent_to(self) -> list[str]:
        return sorted({e.detail for e in self.events if e.kind == "sent"})

    @property
    def status(self) -> str:
        """superseded | acknowledged | sent | built (outbound); superseded | received."""
        if self.superseded_at is not None:
            return "superseded"
        if self.direction == "inbound":
            return "received"
        for kind in ("acknowledged", "sent"):
            if self.first(kind) is not None:
                return kind
        return "built"


def _entry(package: Package, events: list[Event], signers: Mapping[str, str]) -> PackageEntry:
    return PackageEntry(
        id=package.id,
        direction=package.direction,
        node=package.node,
        country=package.country,
        quarter=package.quarter,
        period_kind=package.period_kind,
        version=package.version,
        sha256=package.sha256,
        size=package.size,
        extracted_at=package.extracted_at,
        created_at=package.created_at,
        superseded_at=package.superseded_at,
        fingerprint=package.fingerprint,
        signer=signers.get(package.fingerprint, package.node),
        events=events,
    )


def list_packages(session: Session, direction: str) -> list[PackageEntry]:
    """Outbound or inbound packages, newest quarter and version first, with their events."""
    packages = session.scalars(
        select(Package)
        .where(Package.direction == direction)
        .order_by(Package.quarter.desc(), Package.country, Package.version.desc())
    ).all()
    ids = [p.id for p in packages]
    events: dict[int, list[Event]] = {}
    if ids:
        for event in session.scalars(
            select(Event).where(Event.package_id.in_(ids)).order_by(Event.at, Event.id)
        ):
            events.setdefault(event.package_id or 0, []).append(event)
    signers = {p.fingerprint: p.name for p in session.scalars(select(Partner))}
    return [_entry(p, events.get(p.id, []), signers) for p in packages]


def package_quarters(session: Session, period_kind: str = "calendar") -> set[str]:
    """Quarters with a package either way (sent or received)."""
    return set(session.scalars(select(Package.quarter).where(Package.period_kind == period_kind)))


def package_entry(session: Session, package_id: int) -> PackageEntry | None:
    package = session.get(Package, package_id)
    if package is None:
        return None
    events = list(
        session.scalars(
            select(Event).where(Event.package_id == package_id).order_by(Event.at, Event.id)
        )
    )
    signers = {p.fingerprint: p.name for p in session.scalars(select(Partner))}
    return _entry(package, events, signers)


def list_refusals(session: Session, limit: int = 200) -> list[Refusal]:
    return list(
        session.scalars(select(Refusal).order_by(Refusal.at.desc(), Refusal.id.desc()).limit(limit))
    )


@dataclass(frozen=True)
class DrugTotal:
    drug: str
    seizures: float
    kg: float | None  # None: not reported


@dataclass(frozen=True)
class PackageSummary:
    observations: dict[str, int]  # table → number of observations
    totals: list[DrugTotal]  # from the "totals" table
    coverage: dict[str, Any]


def package_summary(session: Session, package_id: int) -> PackageSummary:
    """Counts per table and the totals per drug of a stored package (read from its
    observations as stored)."""
    package = session.get(Package, package_id)
    if package is None:
        raise LookupError(refusals.not_found("package", package_id))
    counts: dict[str, int] = {}
    seizures: dict[str, float] = {}
    kilos: dict[str, float | None] = {}
    for row in session.scalars(select(Observation).where(Observation.package_id == package_id)):
        counts[row.table] = counts.get(row.table, 0) + 1
        if row.table != "totals":
            continue
        if row.measure == "SEIZURES":
            seizures[row.drug] = seizures.get(row.drug, 0.0) + (row.value or 0.0)
        elif row.measure == "AMOUNT_KG":
            previous = kilos.get(row.drug)
            kilos[row.drug] = previous if row.value is None else (previous or 0.0) + row.value
    drugs = sorted(seizures.keys() | kilos.keys())
    totals = [DrugTotal(d, seizures.get(d, 0.0), kilos.get(d)) for d in drugs]
    return PackageSummary(counts, totals, dict(package.coverage or {}))


def package_file(session: Session, package_id: int) -> tuple[str, bytes] | None:
    """A download name and the stored bytes of a package."""
    package = session.get(Package, package_id)
    if package is None:
        return None
    name = (
        f"{package.country.lower()}-{package.quarter}-{package.period_kind}-v{package.version}.zip"
    )
    return name, package.content


@dataclass(frozen=True)
class LateGroup:
    """The late and missing quarters of one country and direction, as runs of consecutive
    quarters (``("2019-Q2", "2026-Q3")``; a single quarter is a run of one)."""

    country: str
    direction: str
    late: list[tuple[str, str]]
    missing: list[tuple[str, str]]
    late_count: int
    missing_count: int


def _runs(quarters: list[str]) -> list[tuple[str, str]]:
    from alianza.exchange.periods import next_quarter, parse_quarter

    runs: list[tuple[str, str]] = []
    for quarter in sorted(quarters, key=parse_quarter):
        if runs and next_quarter(runs[-1][1]) == quarter:
            runs[-1] = (runs[-1][0], quarter)
        else:
            runs.append((quarter, quarter))
    return runs


def late_groups(states: list[QuarterStatus]) -> list[LateGroup]:
    """Per country and direction, the quarters that are late or missing (from
    :func:`alianza.exchange.service.exchange_status`)."""
    keys = sorted({(s.country, s.direction) for s in states if s.state in ("late", "missing")})
    groups = []
    for country, direction in keys:
        mine = [s for s in states if (s.country, s.direction) == (country, direction)]
        late = [s.quarter for s in mine if s.state == "late"]
        missing = [s.quarter for s in mine if s.state == "missing"]
        groups.append(
            LateGroup(country, direction, _runs(late), _runs(missing), len(late), len(missing))
        )
    return groups
