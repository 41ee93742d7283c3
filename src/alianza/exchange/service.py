"""Whole exchange jobs, as the CLI and the web layer call them."""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alianza import refusals
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting, acting_on
from alianza.db import Database
from alianza.exchange import messages as m
from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature
from alianza.exchange.models import Event, Observation, Package
from alianza.exchange.package import (
    PackageRefused,
    build_package,
    verify_package,
)
from alianza.exchange.partners import trusted_identities
from alianza.exchange.periods import (
    parse_quarter,
    quarter_end,
    quarter_of,
    quarter_start,
    quarters_between,
)
from alianza.exchange.sdmx import Observation as Obs
from alianza.exchange.store import StoreResult, current_package, log_event, store_package
from alianza.operations.metrics import count_exchange

DEFAULT_GRACE_DAYS = 45


def next_version(session: Session, country: str, quarter: str, period_kind: str) -> int:
    highest = session.scalar(
        select(func.max(Package.version)).where(
            Package.direction == "outbound",
            Package.country == country,
            Package.quarter == quarter,
            Package.period_kind == period_kind,
        )
    )
    return (highest or 0) + 1


def build_and_record(
    database: Database,
    keys: NodeKeys,
    *,
    quarter: str,
    tables: Mapping[str, list[Obs]],
    coverage: Mapping[str, Any],
    period_kind: str = "calendar",
    actor: Actor,
) -> tuple[bytes, StoreResult]:
    """Build the next version of this node's package for ``quarter`` and keep it (outbound);
    a user needs exchange.manage."""
    identity = keys.identity
    with database.transaction() as session:
        acting(session, actor, Permission.EXCHANGE_MANAGE)
        version = next_version(session, identity.country, quarter, period_kind)
        data = build_package(
            keys,
            quarter=quarter,
            tables=tables,
            coverage=coverage,
            version=version,
            extracted_at=datetime.now(UTC).replace(microsecond=0),
            period_kind=period_kind,
        )
        verified = verify_package(data, {identity.fingerprint: identity})  # self-check
        result = store_package(session, verified, data, direction="outbound", actor=actor)
    return data, result


def receive(
    database: Database,
    data: bytes,
    *,
    codes: Mapping[str, set[str]] | None = None,
    actor: Actor,
    today: date | None = None,
) -> tuple[StoreResult, str, str]:
    """Verify and store a partner's package in one transaction. Returns the result, the
    country and the quarter; raises :class:`PackageRefused` with nothing written. Besides
    :func:`verify_package`, the content must be plausible (:mod:`alianza.exchange.checks`)
    as of ``today`` (default: this node's clock, UTC). A user needs exchange.manage; a
    partner's push is the node itself (``NodeSelf("exchange-endpoint")``)."""
    from alianza.exchange.checks import check_content

    if codes is None:
        from alianza.exchange.cube import exchange_codes

        codes = exchange_codes()
    with database.transaction() as session:
        acting(session, actor, Permission.EXCHANGE_MANAGE)
        verified = verify_package(data, trusted_identities(session), codes, legacy=False)
        check_content(verified, today=today or datetime.now(UTC).date())
        result = store_package(session, verified, data, direction="inbound", actor=actor)
    return result, verified.info.country, verified.info.quarter


def partner_tables(
    session: Session,
    country: str,
    quarter: str,
    period_kind: str = "calendar",
    only: str | None = None,
) -> dict[str, list[Obs]]:
    """The tables of the current package of ``country`` for ``quarter`` (inbound); ``only``:
    that table alone."""
    package = current_package(session, "inbound", country, quarter, period_kind)
    if package is None:
        return {}
    return package_tables(session, package, only)


def package_tables(
    session: Session, package: Package, only: str | None = None
) -> dict[str, list[Obs]]:
    """The tables of a stored package (inbound or outbound), as observations; ``only``: that
    table alone (the threat assessment reads the totals of four packages: reading every table
    of each took 85 ms)."""
    query = select(
        Observation.table,
        Observation.ref_area,
        Observation.drug,
        Observation.location,
        Observation.concealment,
        Observation.transport_mode,
        Observation.measure,
        Observation.time_period,
        Observation.value,
        Observation.status,
        Observation.unit_measure,
    ).where(Observation.package_id == package.id)
    if only is not None:
        query = query.where(Observation.table == only)
    tables: dict[str, list[Obs]] = {}
    for row in session.execute(query):
        tables.setdefault(row.table, []).append(
            Obs(
                row.ref_area,
                row.drug,
                row.location,
                row.concealment,
                row.transport_mode,
                row.measure,
                row.time_period,
                row.value,
                row.status,
                row.unit_measure or "",
            )
        )
    return {name: sorted(rows, key=Obs.key) for name, rows in tables.items()}


def write_package_file(data: bytes, path: Path) -> None:
    path.write_bytes(data)


# Receipts: the receiving node signs "received <sha256> at <time>" so the sender can record
# an acknowledgement that it can prove.


def make_receipt(keys: NodeKeys, sha256: str, status: str) -> dict[str, str]:
    body = {
        "sha256": sha256,
        "status": status,
        "received_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "receiver": keys.identity.fingerprint,
    }
    signed = json.dumps(body, sort_keys=True).encode()
    return {**body, "signature": base64.b64encode(keys.sign(signed)).decode("ascii")}


def record_acknowledgement(database: Database, receipt: Mapping[str, str], *, sent: str) -> bool:
    """Check a receipt against the trusted partners and log the acknowledgement of the package
    ``sent`` (its SHA-256): a partner's signed receipt of another package (a replayed or cached
    answer) acknowledges nothing."""
    try:  # what the partner's address answered: a receipt that does not hold proves nothing
        body = {k: str(receipt[k]) for k in ("sha256", "status", "received_at", "receiver")}
        signature = base64.b64decode(str(receipt["signature"]), validate=True)
    except (KeyError, TypeError, ValueError):
        return False
    if body["sha256"] != sent:
        return False
    with database.transaction() as session:
        partner = trusted_identities(session).get(body["receiver"])
        if partner is None:
            return False
        if not verify_signature(
            partner.public_key, signature, json.dumps(body, sort_keys=True).encode()
        ):
            return False
        package = session.scalars(
            select(Package).where(Package.direction == "outbound", Package.sha256 == body["sha256"])
        ).one_or_none()
        if package is None:
            return False
        log_event(
            session,
            "acknowledged",
            country=package.country,
            quarter=package.quarter,
            package_id=package.id,
            detail=m.ACKNOWLEDGED(name=partner.name, at=body["received_at"]),
        )
    return True


def record_sent(database: Database, sha256: str, destination: str) -> None:
    with database.transaction() as session:
        package = session.scalars(
            select(Package).where(Package.direction == "outbound", Package.sha256 == sha256)
        ).one_or_none()
        if package is not None:
            log_event(
                session,
                "sent",
                country=package.country,
                quarter=package.quarter,
                package_id=package.id,
                detail=destination,
            )
    count_exchange("sent")


@dataclass(frozen=True)
class QuarterStatus:
    country: str
    direction: str
    quarter: str
    due: date
    built: datetime | None
    sent: datetime | None
    received: datetime | None
    acknowledged: datetime | None
    versions: int
    state: str  # on-time | late | missing | not-due

    @property
    def arrived(self) -> datetime | None:
        return self.received if self.direction == "inbound" else self.acknowledged


def exchange_status(
    session: Session, *, today: date, grace_days: int = DEFAULT_GRACE_DAYS
) -> list[QuarterStatus]:
    """Per country and quarter: when packages were built, sent, received, acknowledged, and
    whether the quarter is late (no package within ``grace_days`` after its end)."""
    packages = session.scalars(select(Package).where(Package.period_kind == "calendar")).all()
    if not packages:
        return []
    events = session.scalars(select(Event).order_by(Event.at)).all()
    first_quarter = min(p.quarter for p in packages)
    last_ended = quarter_of(quarter_start(quarter_of(today)) - timedelta(days=1))
    last_quarter = max([last_ended, *(p.quarter for p in packages)], key=parse_quarter)
    pairs = sorted({(p.direction, p.country) for p in packages})
    result = []
    for direction, country in pairs:
        for quarter in quarters_between(first_quarter, last_quarter):
            due = quarter_end(quarter) + timedelta(days=grace_days)
            ids = {
                p.id
                for p in packages
                if (p.direction, p.country, p.quarter) == (direction, country, quarter)
            }

            def first(kind: str, ids: set[int] = ids) -> datetime | None:
                times = [e.at for e in events if e.package_id in ids and e.kind == kind]
                return min(times) if times else None

            built, sent, received, acked = (
                first("built"),
                first("sent"),
                first("received"),
                first("acknowledged"),
            )
            arrived = received if direction == "inbound" else acked
            if arrived is not None:
                state = "on-time" if arrived.date() <= due else "late"
            elif today > due:
                state = "missing"
            else:
                state = "not-due"
            result.append(
                QuarterStatus(
                    country, direction, quarter, due, built, sent, received, acked, len(ids), state
                )
            )
    return result


def build_quarter(
    database: Database,
    keys: NodeKeys,
    quarter: str,
    *,
    period_kind: str = "calendar",
    all_regions: bool = False,
    actor: Actor,
) -> tuple[bytes, StoreResult]:
    """Compute this node's tables of ``quarter`` (bilateral records of the common border's
    regions unless ``all_regions``) and build and keep the next version of its package. A user
    needs exchange.manage (checked before the node's records are read)."""
    from alianza.exchange.cube import COMMON_BORDER, quarter_tables

    acting_on(database, actor, Permission.EXCHANGE_MANAGE)

    parse_quarter(quarter)
    with database.reader() as session:
        tables, coverage = quarter_tables(
            session,
            country=keys.identity.country,
            quarter=quarter,
            period_kind=period_kind,
            regions=None if all_regions else COMMON_BORDER,
        )
    return build_and_record(
        database,
        keys,
        quarter=quarter,
        tables=tables,
        coverage=coverage,
        period_kind=period_kind,
        actor=actor,
    )


def send_stored(
    database: Database, package_id: int, url: str, *, attempts: int = 3
) -> tuple[str, bool]:
    """Push a stored outbound package to a partner's endpoint (with retries), log it as sent
    and log the partner's signed receipt. Returns the partner's answer (stored | duplicate)
    and whether the receipt verified. Raises ``transport.SendFailed``."""
    from alianza.exchange.transport import send_package

    with database.reader() as session:
        package = session.get(Package, package_id)
        if package is None or package.direction != "outbound":
            raise LookupError(refusals.not_found("outbound package", package_id))
        data, sha256 = package.content, package.sha256
    delivery = send_package(data, url, attempts=attempts)
    record_sent(database, sha256, url)
    return delivery.status, record_acknowledgement(database, delivery.receipt, sent=sha256)


__all__ = ["PackageRefused", "build_and_record", "exchange_status", "receive"]


def signing_identities(session: Session, own: NodeIdentity) -> dict[str, NodeIdentity]:
    """Fingerprint → identity of the keys whose signatures this node accepts: its own and
    its trusted partners'."""
    return {**trusted_identities(session), own.fingerprint: own}
