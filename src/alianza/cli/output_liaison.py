"""What the ``alianza ports`` commands of counterpart communication (10.6: directory, alerts,
outbox, drills, measures) print: English here, Spanish in the message catalogue (keys
``cli.liaison.…``), said in the user's language (``say(NAME.said(...))``). Codes, ids, names,
numbers and the JSON output stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

CONTACT_ADDED = declare(
    "cli.liaison.contact-added", "contact {id}: {country} {role} #{position} at pair {code}"
)
PAIR_HEADING = declare("cli.liaison.pair-heading", "pair {code} {us_name} – {mx_name}")
CONTACT_ENDED_NOTE = declare("cli.liaison.contact-ended-note", "  [ended {day} by {who}]")
PARTNER_ROW = declare(
    "cli.liaison.partner-row",
    "  partner {country} #{position} {role} {name} {shift}  {ways}  (published {published} UTC)",
)
DIRECTORY_QUEUED = declare(
    "cli.liaison.directory-queued",
    (
        "directory queued for the partner: {n} entr(y/ies)",
        "directory queued for the partner: {n} entr(y/ies)",
    ),
)
CONTACT_ENDED = declare("cli.liaison.contact-ended", "contact {id} ended ({role} #{position})")
ALERT_QUEUED = declare("cli.liaison.alert-queued", "alert {id} queued for {country}: {text}")
ALERT_ROW = declare(
    "cli.liaison.alert-row",
    "{id} {code} {route} {state} {severity} level {level}  {local}  {text}",
)
ALERT_ACKNOWLEDGED = declare("cli.liaison.alert-acknowledged", "alert {id} acknowledged")
ALERT_ALREADY_ACKNOWLEDGED = declare(
    "cli.liaison.alert-already-acknowledged", "alert {id} was already acknowledged"
)
REASON_RECORDED = declare("cli.liaison.reason-recorded", "alert {id}: reason recorded")
ALERT_ESCALATED = declare(
    "cli.liaison.alert-escalated", "alert {id} -> {role} #{position} (level {level})"
)
ESCALATION_SUMMARY = declare(
    "cli.liaison.escalation-summary",
    (
        "{n} alert(s) escalated, {late} request(s) newly overdue",
        "{n} alert(s) escalated, {late} request(s) newly overdue",
    ),
)
LOOP_RUNNING = declare(
    "cli.liaison.loop-running",
    "nothing sent: a running delivery loop (alianza serve) holds the delivery lease and "
    "delivers the outbox",
)
DELIVERED = declare("cli.liaison.delivered", "{delivered} delivered, {failed} failed")
RECEIVED = declare("cli.liaison.received", "{applied} applied, {duplicates} already held")
DRILL_SCHEDULED = declare("cli.liaison.drill-scheduled", "drill {id} scheduled")
DRILL_PASSED = declare("cli.liaison.drill-passed", "drill {id}: passed")
DRILL_FAILED = declare("cli.liaison.drill-failed", "drill {id}: failed")
MEASURES_HEADING = declare(
    "cli.liaison.measures-heading",
    "pair quarter  delivered  ack  median_s  p90_s  within_5min  drills held/passed",
)
NOTIFICATIONS = declare(
    "cli.liaison.notifications",
    (
        "{n} notification(s) sent, {failed} not sent (kept queued with the reason)",
        "{n} notification(s) sent, {failed} not sent (kept queued with the reason)",
    ),
)
