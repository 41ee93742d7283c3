"""Is the schema at head? Answered without Alembic, so that opening an up-to-date database
costs one small query (issue 18): the heads are read from the revision files' own text, the
database's revisions from its ``alembic_version`` table.

Each domain package listed in :data:`MIGRATION_PACKAGES` keeps its revisions in its own
``migrations`` folder (the core's are in ``alianza/db/migrations/versions``). A revision file
states ``revision = "…"`` and ``down_revision = …`` (a string, a tuple of them, or None) at
its top level; a head is a revision no other one names as its down revision (as Alembic
computes it; ``tests/db/test_migrations.py`` checks both agree). Where a file cannot be read
that way, the heads are unknown and the caller migrates through Alembic as before.
"""

from __future__ import annotations

import ast
import re
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

# Domain packages with tables; the order is the order their models are imported.
MIGRATION_PACKAGES = (
    "alianza.db",
    "alianza.pme",
    "alianza.accounts",
    "alianza.exchange",
    "alianza.seizures",
    "alianza.ports",
    "alianza.liaison",
    "alianza.risk",
    "alianza.cooperation",
    "alianza.analysis",
)

VERSION_TABLE = "alembic_version"  # Alembic's default, as env.py leaves it

_ASSIGNMENT = re.compile(r"^(revision|down_revision)\s*(?::[^=\n]*)?=\s*(.+?)\s*$", re.MULTILINE)


def version_locations() -> list[Path]:
    """The folders of revision files, core first. The domain packages are found, not imported
    (importing them would load their models)."""
    locations = [Path(__file__).parent / "migrations" / "versions"]
    for name in MIGRATION_PACKAGES[1:]:
        spec = find_spec(name)
        assert spec is not None, name
        assert spec.submodule_search_locations, name
        locations.append(Path(next(iter(spec.submodule_search_locations))) / "migrations")
    return locations


def revision_of(path: Path) -> tuple[str, tuple[str, ...]] | None:
    """``(revision, down revisions)`` stated in a revision file, or None where it states no
    revision or states it in a form other than a literal."""
    found: dict[str, object] = {}
    for name, value in _ASSIGNMENT.findall(path.read_text(encoding="utf-8")):
        if name in found:
            return None  # assigned twice: not a form read here
        try:
            found[name] = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return None
    revision, down = found.get("revision"), found.get("down_revision")
    if not isinstance(revision, str) or "down_revision" not in found:
        return None
    if down is None:
        return revision, ()
    if isinstance(down, str):
        return revision, (down,)
    if isinstance(down, tuple | list) and all(isinstance(d, str) for d in down):
        return revision, tuple(down)
    return None


@cache
def head_revisions() -> frozenset[str] | None:
    """The newest revision of every branch, or None where a revision file is not plain."""
    revisions: set[str] = set()
    named_as_down: set[str] = set()
    for folder in version_locations():
        for path in sorted(folder.glob("*.py")):
            if path.name == "__init__.py":
                continue
            read = revision_of(path)
            if read is None:
                return None
            revisions.add(read[0])
            named_as_down.update(read[1])
    return frozenset(revisions - named_as_down)


def current_revisions(engine: Engine) -> frozenset[str] | None:
    """The revisions recorded in the database, or None where it has no version table."""
    with engine.connect() as connection:
        try:
            rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))
        except DBAPIError:  # no such table: a database never migrated
            return None
        return frozenset(rows.scalars())


def schema_is_current(engine: Engine) -> bool:
    """True when the database records exactly the heads of the revision files; False when it
    does not, when it has no version table, or when the heads cannot be read without Alembic
    (the caller then migrates through Alembic, which finds what is left to do)."""
    heads = head_revisions()
    return heads is not None and current_revisions(engine) == heads
