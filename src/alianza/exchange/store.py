"""Store packages: outbound ones as built, inbound ones once verified. Writes happen only after
every check passed; the same package twice is stored once; an older version is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting
from alianza.exchange import messages as m
from alianza.exchange.messages import Message
from alianza.exchange.models import Event, Observation, Package
from alianza.exchange.package import PackageRefused, VerifiedPackage


@dataclass(frozen=True)
class StoreResult:
    status: str  # stored | duplicate
    package_id: int
    superseded: int | None = None  # the version this one replaced


def log_event(
    session: Session,
    kind: str,
    *,
    country: str,
    quarter: str,
    package_id: int | None = None,
    detail: str | Message = "",
    at: datetime | None = None,
) -> None:
    """Add an event to the exchange log; a :class:`Message` detail keeps its Spanish text too."""
    text = detail.en if isinstance(detail, Message) else detail
    text_es = detail.es if isinstance(detail, Message) else None
    session.add(
        Event(
            package_id=package_id,
            country=country,
            quarter=quarter,
            kind=kind,
            at=at or datetime.now(UTC),
            detail=text,
            detail_es=text_es,
        )
    )


def current_package(
    session: Session, direction: str, country: str, quarter: str, period_kind: str
) -> Package | None:
    return session.scalars(
        select(Package).where(
            Package.direction == direction,
            Package.country == country,
            Package.quarter == quarter,
            Package.period_kind == period_kind,
            Package.superseded_at.is_(None),
        )
    ).one_or_none()


def store_package(
    session: Session,
    package: VerifiedPackage,
    content: bytes,
    *,
    direction: str,
    actor: Actor,
) -> StoreResult:
    """Store a verified package and its observations; raises ``stale-version``. A user needs
    exchange.manage (the callers in :mod:`alianza.exchange.service` check it first too)."""
    by = acting(session, actor, Permission.EXCHANGE_MANAGE)
    existing = session.scalars(
        select(Package).where(Package.direction == direction, Package.sha256 == package.sha256)
    ).one_or_none()
    if existing is not None and existing.superseded_at is None:
        return StoreResult("duplicate", existing.id)
    if existing is not None:
        raise PackageRefused(
            "stale-version",
            m.REPLACED_VERSION(
                version=existing.version, country=existing.country, quarter=existing.quarter
            ),
        )
    info = package.info
    current = current_package(session, direction, info.country, info.quarter, info.period_kind)
    if current is not None and current.version >= info.version:
        raise PackageRefused(
            "stale-version",
            m.OLDER_VERSION(
                version=info.version,
                country=info.country,
                quarter=info.quarter,
                held=current.version,
            ),
        )
    now = datetime.now(UTC)
    row = Package(
        direction=direction,
        node=info.node,
        country=info.country,
        fingerprint=package.signer.fingerprint,
        quarter=info.quarter,
        period_kind=info.period_kind,
        version=info.version,
        sha256=package.sha256,
        size=package.size,
        extracted_at=info.extracted_at,
        created_at=now,
        coverage=package.coverage,
        content=content,
    )
    if current is not None:
        current.superseded_at = now
    session.add(row)
    session.flush()
    session.add_all(
        Observation(
            package_id=row.id,
            table=table,
            ref_area=o.ref_area,
            drug=o.drug,
            location=o.location,
            concealment=o.concealment,
            transport_mode=o.transport_mode,
            measure=o.measure,
            unit_measure=o.unit_measure,
            time_period=o.time_period,
            value=o.value,
            status=o.status,
        )
        for table, observations in package.tables.items()
        for o in observations
    )
    kind = "built" if direction == "outbound" else "received"
    log_event(
        session,
        kind,
        country=info.country,
        quarter=info.quarter,
        package_id=row.id,
        detail=m.STORED(version=info.version, size=package.size, sha256=package.sha256),
    )
    audit.record(
        session,
        actor=by,
        action=f"exchange.package.{kind}",
        subject=f"package:{info.country}:{info.quarter}:v{info.version}",
        details={
            "sha256": package.sha256,
            "signer": package.signer.fingerprint,
            "supersedes": current.version if current else None,
        },
    )
    return StoreResult("stored", row.id, current.version if current else None)
