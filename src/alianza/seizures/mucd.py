"""MUCD's monthly municipal marijuana files (México Unido contra la Delincuencia): import a
folder of them with the built-in ``mx-mucd`` profile, exactly as published.

Each file is one month; a row is a municipality-month total (marijuana and marijuana seed in
kilograms, crop eradication beside them, no count of events). See ``docs/seizures.md``.
"""

from __future__ import annotations

from pathlib import Path

from alianza.actors import Actor
from alianza.catalogue import declare
from alianza.db import Database
from alianza.seizures.service import ImportOutcome, import_file

PROFILE = "mx-mucd"
# The thirteen published monthly files (Dec 2018 – Dec 2019), byte for byte, for the demo's MX
# node: see data/mx/mucd/PROVENANCE.md.
PACKAGED_MUCD = Path(__file__).parent / "data" / "mx" / "mucd"
NO_FILE = declare("seizures.mucd.no-file", "no MUCD_DataDASAACSV*.csv file in {directory}")


def mucd_files(directory: Path) -> list[Path]:
    """The MUCD files of a folder (``MUCD_DataDASAACSV*.csv``), in name order."""
    return sorted(directory.glob("MUCD_DataDASAACSV*.csv"))


def import_mucd(
    database: Database,
    directory: Path,
    *,
    actor: Actor,
    provenance: str | None = None,
) -> dict[str, ImportOutcome]:
    """Import every MUCD file of ``directory`` (one import each, by file name); the
    profile's provenance is stored with each import unless ``provenance`` is given."""
    files = mucd_files(directory)
    if not files:
        raise FileNotFoundError(NO_FILE.said(directory=directory))
    return {
        path.name: import_file(database, path, PROFILE, actor=actor, provenance=provenance)
        for path in files
    }
