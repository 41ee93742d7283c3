"""The signatures a node holds over its published editions: its own, made when it published,
and the partner government's, from its verified cycle message."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from alianza.pme.edition import DOCUMENT_KIND
from alianza.pme.engine_models import EditionSignatureRow, PublicationRow


def save_signature(session: Session, cycle_id: int, entry: dict[str, str]) -> bool:
    """Keep one government's signature (see :func:`alianza.pme.edition.sign_edition`), once;
    returns False when it was already held."""
    held = session.scalars(
        select(EditionSignatureRow).where(
            EditionSignatureRow.cycle_id == cycle_id,
            EditionSignatureRow.country == entry["country"],
            EditionSignatureRow.sha256 == entry["sha256"],
        )
    ).first()
    if held is not None:
        return False
    session.add(
        EditionSignatureRow(
            cycle_id=cycle_id,
            country=entry["country"],
            node=entry["node"],
            fingerprint=entry["fingerprint"],
            sha256=entry["sha256"],
            signature=entry["signature"],
            at=_signed_at(entry.get("signed_at")),
        )
    )
    session.flush()
    return True


def _signed_at(value: str | None) -> datetime:
    """The signer's time, else now (a signature sent before signatures carried their time)."""
    try:
        at = datetime.fromisoformat(value) if value else datetime.now(UTC)
    except ValueError:
        at = datetime.now(UTC)
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def signatures(session: Session, cycle_id: int, sha256: str) -> list[dict[str, str]]:
    """The signatures held over ``sha256``, US first."""
    rows = session.scalars(
        select(EditionSignatureRow).where(
            EditionSignatureRow.cycle_id == cycle_id, EditionSignatureRow.sha256 == sha256
        )
    )
    return [
        {
            "country": r.country,
            "node": r.node,
            "fingerprint": r.fingerprint,
            "sha256": r.sha256,
            "signature": r.signature,
            "signed_at": _utc(r.at).isoformat(timespec="seconds"),
        }
        for r in sorted(rows, key=lambda r: (r.country != "US", r.country))
    ]


def edition_document(session: Session, row: PublicationRow) -> dict[str, Any]:
    """The published file of one edition: content, hash and the signatures held."""
    return {
        "kind": DOCUMENT_KIND,
        "sha256": row.sha256,
        "signatures": signatures(session, row.cycle_id, row.sha256),
        "content": row.content,
    }


def _utc(at: datetime) -> datetime:
    return at if at.tzinfo else at.replace(tzinfo=UTC)  # SQLite returns naive times
