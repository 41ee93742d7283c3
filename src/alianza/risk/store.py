"""Shipments and inspection outcomes in the node's database.

``import_shipments`` loads a declarations file in one transaction (idempotent: a row already
held with the same content is *unchanged*; a reference held with different content is refused
and reported). ``record_outcomes`` stores inspection results, which become labels.
``declarations_between`` reads shipments back as a :class:`~alianza.risk.table.Declarations`
table with their labels (-1 where not inspected).
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from alianza import audit
from alianza.accounts.permissions import Permission
from alianza.actors import Actor, acting_on
from alianza.db import Database
from alianza.risk import messages as words
from alianza.risk import problems
from alianza.risk.models import Inspection, QuarantinedShipment, Shipment, ShipmentImport
from alianza.risk.read import PROFILES, Rejected, read_declarations
from alianza.risk.table import UNKNOWN, Declarations, day_date, day_number
from alianza.tabular import UnreadableFile, open_table, unreadable_issue
from alianza.validation import Issue, ValidationReport, issue_type

CORE_TEXT = (
    "port",
    "mode",
    "declarant",
    "importer",
    "shipper",
    "carrier",
    "hs6",
    "origin",
    "departure",
)
CORE_NUMBER = ("net_mass_kg", "value")

REFERENCE_CONFLICT = issue_type(
    "risk-reference-conflict",
    "Declaration already held with other values",
    "declaration {value!r} is already held (import {held_import}) with different values; "
    "it was not changed",
)
UNKNOWN_SHIPMENT = issue_type(
    "risk-unknown-shipment",
    "Outcome for a shipment not held",
    "no shipment {value!r} is held; import the declaration first (alianza risk import)",
)
BAD_RESULT = issue_type(
    "risk-bad-result",
    "Unknown inspection result",
    "{value!r} is not one of clear, violation, critical",
)
OUTCOME_CONFLICT = issue_type(
    "risk-outcome-conflict",
    "Shipment already has another outcome",
    "shipment {value!r} already has the outcome {held!r}; it was not changed",
)
OUTCOME_FIELDS = ("reference", "lane", "exam_type", "inspected_on", "result")


def fingerprint(record: dict[str, Any]) -> str:
    canonical = json.dumps(
        record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def import_shipments(
    database: Database, path: Path, *, profile: str = "kcs", actor: Actor
) -> ValidationReport:
    """Read, check and load a declarations file; labels in the file become past outcomes."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    if profile not in PROFILES:
        raise ValueError(words.UNKNOWN_PROFILE.said(profile=profile, known=", ".join(PROFILES)))
    rejected: list[Rejected] = []
    file_rows: list[int] = []  # the file row of each table row (refused rows are not in it)
    table, report = read_declarations(
        path, profile=PROFILES[profile], rejected=rejected, source_rows=file_rows
    )
    if len(table) == 0 and not rejected:
        return report
    data = path.read_bytes()
    now = datetime.now(UTC)
    with database.transaction() as session:
        batch = ShipmentImport(
            source=path.name,
            sha256=hashlib.sha256(data).hexdigest(),
            profile=profile,
            imported_at=now,
            actor=by,
            report={},
        )
        session.add(batch)
        session.flush()
        held = {
            ref: (fp, imp)
            for ref, fp, imp in session.execute(
                select(Shipment.reference, Shipment.fingerprint, Shipment.import_id)
            )
        }
        new_rows: list[dict[str, Any]] = []
        labels: dict[str, tuple[int, int, date]] = {}
        for i in range(len(table)):
            record = _record(table, i)
            reference = str(table.ids[i])
            fp = fingerprint(record)
            if reference in held:
                if held[reference][0] == fp:
                    report.unchanged += 1
                else:
                    conflict = Issue.of(
                        REFERENCE_CONFLICT,
                        row=file_rows[i],
                        field=PROFILES[profile].id_column,
                        value=reference,
                        held_import=held[reference][1],
                    )
                    report.add(conflict)
                    report.quarantined += 1
                    rejected.append(
                        Rejected(file_rows[i], reference, _raw_of(record, reference), [conflict])
                    )
                report.loaded -= 1
                continue
            new_rows.append(
                {
                    **record,
                    "reference": reference,
                    "import_id": batch.id,
                    "source_row": file_rows[i],
                    "fingerprint": fp,
                }
            )
            if table.fraud[i] != UNKNOWN:
                labels[reference] = (
                    int(table.fraud[i]),
                    int(table.critical[i]),
                    record["declared_on"],
                )
        if new_rows:
            session.execute(insert(Shipment), new_rows)
        if labels:
            query = select(Shipment.reference, Shipment.id).where(Shipment.import_id == batch.id)
            ids = dict(session.execute(query).tuples().all())
            session.execute(
                insert(Inspection),
                [
                    {
                        "shipment_id": ids[ref],
                        "lane": "historical",
                        "exam_type": "unknown",
                        "inspected_on": on,
                        "fraud": bool(f),
                        "critical": bool(c),
                        "seizure_event_id": None,
                        "recorded_at": now,
                        "actor": by,
                    }
                    for ref, (f, c, on) in labels.items()
                ],
            )
        loaded_refs = [row["reference"] for row in new_rows]
        quarantine = quarantine_rows(
            session, batch.id, path.name, profile, rejected, loaded_refs, now
        )
        report.details.update(quarantine)
        batch.report = report.stats()
        audit.record(
            session,
            actor=by,
            action="risk.shipments.import",
            subject=f"risk_import:{batch.id}",
            details={
                "source": path.name,
                "sha256": batch.sha256,
                "stats": report.stats(),
                "outcomes": len(labels),
                "quarantine": quarantine,
            },
        )
    return report


def _raw_of(record: dict[str, Any], reference: str) -> dict[str, str]:
    """The values of a row refused after reading (a reference conflict), as text."""
    flat = {k: v for k, v in record.items() if k not in ("codes", "numbers")}
    flat |= record["codes"] | record["numbers"]
    return {"reference": reference} | {
        k: "" if v is None else str(v) for k, v in sorted(flat.items())
    }


def quarantine_rows(
    session: Session,
    import_id: int,
    source: str,
    profile: str,
    rejected: list[Rejected],
    loaded: list[str],
    now: datetime,
) -> dict[str, int]:
    """Keep refused rows with their raw values and reasons (once: a row already held open is
    not added again), and release open entries whose reference this import loaded."""
    hashes = {_raw_hash(profile, r.raw) for r in rejected}
    held: set[str] = set()
    for part in _chunks(sorted(hashes)):
        held.update(
            session.scalars(
                select(QuarantinedShipment.raw_hash).where(
                    QuarantinedShipment.raw_hash.in_(part),
                    QuarantinedShipment.released_at.is_(None),
                )
            )
        )
    rows = []
    for r in rejected:
        raw_hash = _raw_hash(profile, r.raw)
        if raw_hash in held:
            continue
        held.add(raw_hash)
        rows.append(
            {
                "import_id": import_id,
                "source": source,
                "profile": profile,
                "source_row": r.row,
                "reference": r.reference[:200],
                "raw_hash": raw_hash,
                "raw": r.raw,
                "issues": [i.as_dict() for i in r.issues],
                "quarantined_at": now,
                "released_at": None,
                "released_by_import_id": None,
            }
        )
    if rows:
        session.execute(insert(QuarantinedShipment), rows)
    released = 0
    for part in _chunks(loaded):
        result = session.execute(
            update(QuarantinedShipment)
            .where(
                QuarantinedShipment.profile == profile,
                QuarantinedShipment.released_at.is_(None),
                QuarantinedShipment.import_id != import_id,
                QuarantinedShipment.reference.in_(part),
            )
            .values(released_at=now, released_by_import_id=import_id)
            .execution_options(synchronize_session=False)
        )
        released += int(getattr(result, "rowcount", 0) or 0)
    return {"quarantine_new": len(rows), "released": released}


def open_quarantine(session: Session, *, limit: int = 500) -> list[QuarantinedShipment]:
    """Refused rows not yet released, newest first."""
    query = (
        select(QuarantinedShipment)
        .where(QuarantinedShipment.released_at.is_(None))
        .order_by(QuarantinedShipment.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def _raw_hash(profile: str, raw: dict[str, str]) -> str:
    return fingerprint({"profile": profile, "raw": raw})


def _chunks(values: list[str], size: int = 500) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


def _record(table: Declarations, i: int) -> dict[str, Any]:
    codes = {k: str(v[i]) for k, v in table.text.items() if k not in CORE_TEXT}
    numbers = {
        k: (None if math.isnan(v[i]) else float(v[i]))
        for k, v in table.number.items()
        if k not in CORE_NUMBER
    }
    record: dict[str, Any] = {k: str(table.text[k][i]) for k in CORE_TEXT}
    for k in CORE_NUMBER:
        value = float(table.number[k][i])
        record[k] = None if math.isnan(value) else value
    record["declared_on"] = day_date(int(table.day[i]))
    record["codes"] = codes
    record["numbers"] = numbers
    return record


@dataclass(frozen=True)
class HeldShipments:
    table: Declarations
    shipment_ids: list[int]


def declarations_between(
    session: Session,
    *,
    start: date | None = None,
    end: date | None = None,
    port: str | None = None,
) -> HeldShipments:
    """Shipments declared in [start, end] (at a port), in date then id order, with labels."""
    columns = [getattr(Shipment, name) for name in (*CORE_TEXT, *CORE_NUMBER)]
    query = select(
        Shipment.id,
        Shipment.reference,
        Shipment.declared_on,
        *columns,
        Shipment.codes,
        Shipment.numbers,
        Inspection.fraud,
        Inspection.critical,
    ).outerjoin(Inspection, Inspection.shipment_id == Shipment.id)
    if start is not None:
        query = query.where(Shipment.declared_on >= start)
    if end is not None:
        query = query.where(Shipment.declared_on <= end)
    if port is not None:
        query = query.where(Shipment.port == port)
    rows = session.execute(query.order_by(Shipment.declared_on, Shipment.id)).all()
    # column-wise: one list per field, then arrays
    fields = list(zip(*rows, strict=True)) if rows else [()] * (len(columns) + 7)
    ids, references, days = fields[0], fields[1], fields[2]
    core = fields[3 : 3 + len(columns)]
    codes, numbers, fraud, critical = fields[3 + len(columns) :]
    code_names = sorted({k for c in codes for k in c})
    number_names = sorted({k for n in numbers for k in n})
    text = {k: np.array(core[i], dtype=object) for i, k in enumerate(CORE_TEXT)}
    text |= {k: np.array([c.get(k, "") for c in codes], dtype=object) for k in code_names}
    number = {
        k: np.array([_float(v) for v in core[len(CORE_TEXT) + i]], dtype=np.float64)
        for i, k in enumerate(CORE_NUMBER)
    }
    number |= {
        k: np.array([_float(n.get(k)) for n in numbers], dtype=np.float64) for k in number_names
    }
    table = Declarations(
        ids=np.array(references, dtype=object),
        day=np.array([day_number(d) for d in days], dtype=np.int64),
        text=text,
        number=number,
        fraud=np.array([UNKNOWN if f is None else int(f) for f in fraud], dtype=np.int8),
        critical=np.array([UNKNOWN if c is None else int(c) for c in critical], dtype=np.int8),
    )
    return HeldShipments(table, [int(i) for i in ids])


def _float(value: float | None) -> float:
    return math.nan if value is None else float(value)


def record_outcomes(database: Database, path: Path, *, actor: Actor) -> ValidationReport:
    """Store inspection outcomes from a CSV (reference, lane, exam_type, inspected_on, result
    = clear | violation | critical, optional seizure_event_id). One transaction."""
    report = ValidationReport(source=path.name)
    try:
        source = open_table(path)
        missing = [f for f in OUTCOME_FIELDS if f not in source.header]
        if missing:
            source.close()
            for name in missing:
                report.add(Issue.of(problems.MISSING_COLUMN, field=name))
            return report
        rows = list(source.rows)
    except UnreadableFile as error:
        report.add(unreadable_issue(error))
        return report
    return record_outcome_rows(
        database,
        [row.values for row in rows],
        source=path.name,
        actor=actor,
        report=report,
        numbers=[row.number for row in rows],
    )


def record_outcome_rows(
    database: Database,
    raw_rows: list[dict[str, str]],
    *,
    source: str,
    actor: Actor,
    report: ValidationReport | None = None,
    numbers: list[int] | None = None,
) -> ValidationReport:
    """Store outcomes given as rows of the outcomes CSV's fields (the API and pages' path);
    row numbers in the report are ``numbers`` (a file's own) or count from 2, as in a file
    with a header."""
    by = acting_on(database, actor, Permission.RISK_MANAGE)
    report = report or ValidationReport(source=source)
    now = datetime.now(UTC)
    with database.transaction() as session:
        ids = dict(session.execute(select(Shipment.reference, Shipment.id)).tuples().all())
        held = {
            sid: (f, c)
            for sid, f, c in session.execute(
                select(Inspection.shipment_id, Inspection.fraud, Inspection.critical)
            )
        }
        stored = []
        for offset, raw in enumerate(raw_rows):
            row = numbers[offset] if numbers is not None else offset + 2
            report.rows += 1
            issues = []
            reference = (raw.get("reference") or "").strip()
            result = (raw.get("result") or "").strip().lower()
            if reference not in ids:
                issues.append(
                    Issue.of(UNKNOWN_SHIPMENT, row=row, field="reference", value=reference)
                )
            if result not in ("clear", "violation", "critical"):
                issues.append(Issue.of(BAD_RESULT, row=row, field="result", value=result))
            on_raw = (raw.get("inspected_on") or "").strip()
            try:
                inspected_on = date.fromisoformat(on_raw)
            except ValueError:
                issues.append(
                    Issue.of(problems.BAD_DATE, row=row, field="inspected_on", value=on_raw)
                )
            if issues:
                for issue in issues:
                    report.add(issue)
                report.quarantined += 1
                continue
            fraud, critical = result != "clear", result == "critical"
            sid = ids[reference]
            if sid in held:
                if held[sid] == (fraud, critical):
                    report.unchanged += 1
                else:
                    shown = "critical" if held[sid][1] else "violation" if held[sid][0] else "clear"
                    report.add(
                        Issue.of(
                            OUTCOME_CONFLICT, row=row, field="result", value=reference, held=shown
                        )
                    )
                    report.quarantined += 1
                continue
            held[sid] = (fraud, critical)
            stored.append(
                Inspection(
                    shipment_id=sid,
                    lane=(raw.get("lane") or "").strip(),
                    exam_type=(raw.get("exam_type") or "").strip(),
                    inspected_on=inspected_on,
                    fraud=fraud,
                    critical=critical,
                    seizure_event_id=(raw.get("seizure_event_id") or "").strip() or None,
                    recorded_at=now,
                    actor=by,
                )
            )
            report.loaded += 1
        session.add_all(stored)
        audit.record(
            session,
            actor=by,
            action="risk.outcomes.record",
            subject=source,
            details={
                "stats": report.stats(),
                "outcomes": [
                    [r.shipment_id, r.fraud, r.critical, r.seizure_event_id] for r in stored
                ],
            },
        )
    return report
