"""CBP's public drug-seizure files, shipped gzip-compressed with the package for the demo
(byte-identical to ``shared/data/cbp/`` once decompressed; see ``tests/data/seizures``)."""

from __future__ import annotations

from pathlib import Path

from alianza.actors import Actor
from alianza.db import Database
from alianza.seizures.service import ImportOutcome, import_file

CBP_DATA = Path(__file__).parent / "data" / "cbp"
CBP_PUBLIC_FILES = {
    "nationwide-drugs-fy19-fy22.csv.gz": "cbp-nationwide",
    "nationwide-drugs-fy23-fy26-dec.csv.gz": "cbp-nationwide",
    "amo-drug-seizures-fy19-fy22.csv.gz": "cbp-amo",
    "amo-drug-seizures-fy23-fy26-dec.csv.gz": "cbp-amo",
}


def import_cbp_public_files(database: Database, *, actor: Actor) -> dict[str, ImportOutcome]:
    """Import the four packaged CBP files (idempotent: a second call changes nothing)."""
    return {
        name: import_file(database, CBP_DATA / name, profile, actor=actor)
        for name, profile in CBP_PUBLIC_FILES.items()
    }
