"""What ``alianza pme cycle …`` prints: English here, Spanish in the message catalogue (keys
``cli.cycle.…``), said in the user's language. Cycle keys, states, codes and JSON stay as
they are."""

from __future__ import annotations

from alianza.catalogue import declare

HEADING = declare("cli.cycle.heading", "Cycle {key}: {english} / {spanish}")
DATES = declare(
    "cli.cycle.dates", "as of {as_of}; submission due {due}; state {state}; round {round}"
)
WAITING = declare("cli.cycle.waiting", "waiting")
APPROVALS = declare("cli.cycle.approvals", "approvals this round: {approvals}")
WRITTEN_BY = declare("cli.cycle.written-by", "written by {by}")
WRITTEN_BY_GOVERNMENT = declare(
    "cli.cycle.written-by-government", "written by {by}, {country} government"
)
WORKFLOW = declare("cli.cycle.workflow", "workflow:")
BY = declare("cli.cycle.by", "by {by}")
BY_GOVERNMENT = declare("cli.cycle.by-government", "by {by}, {country} government")
OPENED = declare("cli.cycle.opened", "opened cycle {key}: {label} (as of {as_of})")
WITHDREW = declare(
    "cli.cycle.withdrew",
    ("withdrew {paragraph} (1 language)", "withdrew {paragraph} ({n} languages)"),
)
DONE = declare("cli.cycle.done", "cycle {key}: {step} done")
DONE_SHA = declare("cli.cycle.done-sha", "cycle {key}: {step} done (sha256 {sha256})")
PUBLISHED_SIGNED = declare(
    "cli.cycle.published-signed", "cycle {key}: publish done (sha256 {sha256}; signed)"
)
PUBLISHED_UNSIGNED = declare(
    "cli.cycle.published-unsigned",
    "cycle {key}: publish done (sha256 {sha256}; not signed: this node has no keys "
    "(alianza node init))",
)
RETURNED = declare("cli.cycle.returned", "cycle {key}: returned")
NONE_MISSING = declare("cli.cycle.none-missing", "none")
APPROVED = declare("cli.cycle.approved", "cycle {key}: {state}; approvals still missing: {missing}")
STATE = declare("cli.cycle.state", "cycle {key}: {state}")
WROTE = declare("cli.cycle.wrote", "wrote {path} ({size:,} bytes)")
NOTHING_SENT = declare("cli.cycle.nothing-sent", "nothing")
SENT = declare(
    "cli.cycle.sent",
    ("sent 1 cycle message ({outcomes})", "sent {n} cycle messages ({outcomes})"),
)
MESSAGE_REFUSED = declare("cli.cycle.message-refused", "{path}: REFUSED {code}: {reason}")
SENT_HEADING = declare("cli.cycle.sent-heading", "sent:")
RECEIVED_HEADING = declare("cli.cycle.received-heading", "received:")
VERIFIED = declare("cli.cycle.verified", "{file}: verified")
NOT_VERIFIED = declare("cli.cycle.not-verified", "{file}: NOT verified")
