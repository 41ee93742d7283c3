"""What ``alianza db``, ``alianza audit`` and ``alianza serve`` print: English here, Spanish in
the message catalogue (keys ``cli.db.…``, ``cli.audit.…``, ``cli.serve.…``), said in the user's
language. Revisions, URLs and the checkpoint's JSON stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

SCHEMA_AT = declare("cli.db.schema-at", "schema is at {revisions}")
DATABASE = declare("cli.db.database", "database: {url}")
CURRENT = declare("cli.db.current", "current:  {revisions}")
EMPTY = declare("cli.db.empty", "(empty)")
NEWEST = declare("cli.db.newest", "newest:   {revisions}")
UP_TO_DATE = declare("cli.db.up-to-date", "up to date")
PENDING = declare("cli.db.pending", "pending migrations: run `alianza db upgrade`")

AUDIT_INTACT = declare(
    "cli.audit.intact",
    (
        "audit log intact: {entries} entries, {n} checkpoint(s) found",
        "audit log intact: {entries} entries, {n} checkpoint(s) found",
    ),
)

SERVING = declare("cli.serve.serving", "Alianza at {url}  (API: {api})")
