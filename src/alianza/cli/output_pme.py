"""What ``alianza pme`` deadlines, events, judge, translations, import, export and show print:
English here, Spanish in the message catalogue (keys ``cli.pme.…``), said in the user's
language (``ALIANZA_LANGUAGE``, else the locale). Codes, addresses and JSON stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

DEADLINE_DUE = declare("cli.pme.deadline-due", "due {due}")
DEADLINE_AFTER = declare("cli.pme.deadline-after", "{offset} after: {event}")
DEADLINE_FROM = declare("cli.pme.deadline-from", "{recurrence} from {start}")
DEADLINE_CORRECTED = declare("cli.pme.deadline-corrected", "[corrected by {by}: {reason}]")
UNPARSED_DEADLINE = declare(
    "cli.pme.unparsed-deadline", "unparsed deadline ({language}): {phrase!r}"
)
SYNCED = declare("cli.pme.deadlines-synced", "{parsed} parsed, {kept} kept, {retired} retired")
WARNING = declare("cli.pme.warning", "warning: {message} [{code}]")
EVENT_HAPPENED = declare("cli.pme.event-happened", "happened {date}")
EVENT_NOT_RECORDED = declare("cli.pme.event-not-recorded", "not recorded yet")
EVENT_TARGETS = declare("cli.pme.event-targets", "{when}; targets: {targets}")
EVENT_NO_TARGET = declare("cli.pme.event-no-target", "happened {date}; no target waits")
NO_EVENTS = declare("cli.pme.no-events", "No deadline waits on an event, and no event is recorded.")
EVENT_RECORDED = declare("cli.pme.event-recorded", "recorded {key}: {date}")
EVENT_AWAITED_BY_NONE = declare(
    "cli.pme.event-awaited-by-none",
    "note: no deadline waits on this event (see `alianza pme events list`)",
)
EVENT_GIVES_DUE_DATE = declare("cli.pme.event-gives-due-date", "now gives a due date to: {targets}")
JUDGEMENT_RECORDED = declare(
    "cli.pme.judgement-recorded", "recorded: {subject} {completion} as of {as_of}"
)
APPROVED_BY = declare("cli.pme.approved-by", "approved by {names}")
REPORT_REFUSED = declare(
    "cli.pme.report-refused",
    (
        "{file}: refused, nothing was written (1 problem):",
        "{file}: refused, nothing was written ({n} problems):",
    ),
)
FIX_AND_RETRY = declare(
    "cli.pme.fix-and-retry", "Fix the lines above and run the same command again."
)
WARNINGS = declare("cli.pme.warnings", ("1 warning:", "{n} warnings:"))
EXPORT_WRITTEN = declare("cli.pme.export-written", "wrote {file} ({format}, {size:,} bytes)")
NO_ACTION = declare("cli.pme.no-action", "no action {action} in plan {plan!r} (actions: {known})")
