"""What ``alianza coop`` prints: English here, Spanish in the message catalogue (keys
``cli.coop.…``), said in the user's language. Record ids, keys, dates and JSON stay as they
are."""

from __future__ import annotations

from alianza.catalogue import declare

NO_RECORDS = declare("cli.coop.no-records", "(none)")
RECORDED = declare("cli.coop.recorded", "recorded {record}")
RECORDED_KEY = declare("cli.coop.recorded-key", "recorded {record} ({key})")
ENDED = declare("cli.coop.ended", "{record} ended on {date}")
COMPLETED = declare("cli.coop.completed", "{record} ({key}) completed on {date}")
COMPLETED_EVENT = declare(
    "cli.coop.completed-event", "{record} ({key}) completed on {date}; event {event!r} recorded"
)
BOUND = declare("cli.coop.bound", "{measurement} bound to {measure} {params} vs {target}")
NO_BINDINGS = declare("cli.coop.no-bindings", "(no bindings)")
FACTS_RECORDED = declare("cli.coop.facts-recorded", "{source}: recorded {created}")
FACTS_ALREADY = declare("cli.coop.facts-already", "{source}: already recorded")
MEASUREMENTS_BOUND = declare(
    "cli.coop.measurements-bound", ("1 measurement bound", "{n} measurements bound")
)
DRAFT_WRITTEN = declare("cli.coop.draft-written", "draft written to {path}")
FIX_INCIDENT_ROWS = declare(
    "cli.coop.fix-incident-rows", "Fix the rows above and run: alianza coop incidents import {path}"
)
