"""What ``alianza seizures`` prints: English here, Spanish in the message catalogue (keys
``cli.seizures.…``), said in the user's language (the import's lines in the report's
language). Codes, file names, counts, CSV and JSON stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

IMPORTING = declare("cli.seizures.importing", "Importing {file}")
REVISED = declare(
    "cli.seizures.revised",
    "revised {revised}, released from quarantine {released}, duplicates of other sources "
    "{duplicates}",
)
WIDE_LAYOUT = declare(
    "cli.seizures.wide-layout",
    "wide layout: each row gives {count} records (one per measure column)",
)
STRICT_NOTHING_WRITTEN = declare(
    "cli.seizures.strict-nothing-written", "--strict: nothing written: the file has invalid rows"
)
IN_QUARANTINE = declare(
    "cli.seizures.in-quarantine",
    "Rejected rows are in quarantine: `alianza seizures quarantine`; fix the file and import it "
    "again to release them.",
)
TEMPLATE_WRITTEN = declare("cli.seizures.template-written", "Template written to {path}")
SUMMARY_ROWS = declare("cli.seizures.summary-rows", ("{table}: 1 row", "{table}: {n:,} rows"))
QUARANTINE_EMPTY = declare("cli.seizures.quarantine-empty", "Quarantine is empty.")
QUARANTINED_ROW = declare(
    "cli.seizures.quarantined-row", "{source}, row {row} [{profile}]: {codes}"
)
RELEASED_ROW = declare(
    "cli.seizures.released-row", "{source}, row {row} [{profile}] (released): {codes}"
)
PROFILE_COLUMNS = declare("cli.seizures.profile-columns", ("1 column", "{n} columns"))
PROFILE_UNPIVOTED = declare(
    "cli.seizures.profile-unpivoted", ("1 unpivoted measure", "{n} unpivoted measures")
)
PROFILE_NOT_SEIZURES = declare(
    "cli.seizures.profile-not-seizures",
    ("1 column that is not seizures", "{n} columns that are not seizures"),
)
PROFILE_EVENTS_NOT_REPORTED = declare(
    "cli.seizures.profile-events-not-reported", "count of events not reported"
)
PROFILE_OK = declare("cli.seizures.profile-ok", "OK: profile {name!r} ({record}; {parts})")
