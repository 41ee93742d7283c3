"""Whole jobs of the performance-measures package, as the CLI and the web layer call them."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from alianza.actors import Actor
from alianza.db import Database
from alianza.pme.deadline_store import sync_deadlines
from alianza.pme.load import DEFAULT_PLAN, LoadSummary, load_report
from alianza.pme.problems import Problem
from alianza.pme.read import read_report_bytes

SEED_REPORT = Path(__file__).parent / "data" / "bnds-1999-alliance-point-10.tsv"


@dataclass
class ImportResult:
    summary: LoadSummary
    warnings: list[Problem]


def import_report_file(
    database: Database, path: Path, *, actor: Actor, plan_key: str = DEFAULT_PLAN
) -> ImportResult:
    """:func:`import_report_bytes` of a file on disk."""
    return import_report_bytes(
        database, path.read_bytes(), str(path), plan_key=plan_key, actor=actor
    )


def import_report_bytes(
    database: Database,
    data: bytes,
    name: str,
    *,
    actor: Actor,
    plan_key: str = DEFAULT_PLAN,
) -> ImportResult:
    """Read, check and load a report in one transaction, deadlines synchronised with it.

    The one import: the CLI, the web page and the API all call it. Raises
    :class:`~alianza.pme.problems.ReportRejected` (nothing written) when the file has errors.
    """
    result = read_report_bytes(data, name)
    with database.transaction() as session:
        summary = load_report(
            session,
            result.report,
            source=Path(name).name,
            sha256=hashlib.sha256(data).hexdigest(),
            plan_key=plan_key,
            actor=actor,
        )
        sync = sync_deadlines(session, plan_key, actor=actor, within_import=True)
    summary.notes += [issue.message for issue in sync.issues]
    return ImportResult(summary, result.warnings)
