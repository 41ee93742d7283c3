"""Whole jobs of the ports package, as the CLI and the web layer call them."""

from __future__ import annotations

import hashlib
from pathlib import Path

from alianza.actors import Actor
from alianza.db import Database
from alianza.ports.bts import read_crossings
from alianza.ports.bwt import read_waits
from alianza.ports.load import load_crossings
from alianza.ports.load_waits import load_waits
from alianza.tabular import UnreadableFile, open_table
from alianza.validation import ValidationReport


def import_crossings_file(
    database: Database, path: Path, *, actor: Actor, limit: int = 1000
) -> ValidationReport:
    """Check and load a BTS Border Crossing Entry Data file (either release) in one transaction.

    Returns the validation report; rejected rows are kept in quarantine. Importing the same file
    again changes nothing.
    """
    data = path.read_bytes()
    read = read_crossings(path)
    read.report.limit = limit
    with database.transaction() as session:
        load_crossings(
            session, read, source=path.name, sha256=hashlib.sha256(data).hexdigest(), actor=actor
        )
    return read.report


def import_waits_file(
    database: Database,
    path: Path,
    *,
    crossing: str | None = None,
    actor: Actor,
    limit: int = 1000,
) -> ValidationReport:
    """Check and load a CBP wait-times file (historical averages or a current reading)."""
    data = path.read_bytes()
    read = read_waits(path, crossing=crossing)
    read.report.limit = limit
    with database.transaction() as session:
        load_waits(
            session, read, source=path.name, sha256=hashlib.sha256(data).hexdigest(), actor=actor
        )
    return read.report


def file_kind(path: Path) -> str:
    """``bts`` or ``bwt`` from the file's header (CSV, XLSX or JSON; ``unknown`` otherwise, or
    when the file cannot be read: the import then reports why)."""
    try:
        table = open_table(path)
    except UnreadableFile:
        return "unknown"
    table.close()
    header = set(table.header)
    if {"Port Code", "Measure"} <= header:
        return "bts"
    if header & {"bwt_month", "operational_status"}:
        return "bwt"
    return "unknown"


def import_file(
    database: Database,
    path: Path,
    *,
    crossing: str | None = None,
    actor: Actor,
    limit: int = 1000,
) -> ValidationReport:
    """Import a crossings or wait-times file, recognised by its header."""
    if file_kind(path) == "bts":
        return import_crossings_file(database, path, actor=actor, limit=limit)
    return import_waits_file(database, path, crossing=crossing, actor=actor, limit=limit)
