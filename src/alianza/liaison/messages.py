"""What the counterpart alerts and their directory say to people: the alert templates' titles
and texts, and the refusals of an alert or a directory entry.

English here, Spanish in the message catalogue (keys ``liaison.…``; :mod:`alianza.catalogue`).
An alert is not sent as text: the message to the partner node carries its template and fields,
and each side says it from these (a notification carries both languages: ``Text.both``).
"""

from __future__ import annotations

from alianza.catalogue import declare

# The alert templates (alianza.liaison.alerts.TEMPLATES): {heading} is worded from the sender's
# side, the other placeholders are the template's fields.
TITLES = {
    "port-runner": declare("liaison.template.port-runner.title", "Port runner"),
    "lane-closure": declare("liaison.template.lane-closure.title", "Lane closure"),
    "suspicious-vehicle": declare(
        "liaison.template.suspicious-vehicle.title", "Suspicious vehicle"
    ),
    "security-incident": declare("liaison.template.security-incident.title", "Security incident"),
}
TEXTS = {
    "port-runner": declare(
        "liaison.template.port-runner.text",
        "Port runner heading {heading} from lane {lane}: {vehicle}",
    ),
    "lane-closure": declare(
        "liaison.template.lane-closure.text", "{lanes} lane(s) closed until {until}"
    ),
    "suspicious-vehicle": declare(
        "liaison.template.suspicious-vehicle.text",
        "Suspicious vehicle heading {direction}: {vehicle}",
    ),
    "security-incident": declare(
        "liaison.template.security-incident.text", "Security incident at {location}"
    ),
}
# A runner leaving the US port heads south, one leaving the Mexican port north.
HEADING = {
    "US": declare("liaison.heading.south", "south"),
    "MX": declare("liaison.heading.north", "north"),
}

# Refusals of an alert (alianza.liaison.alerts).
REASON_NEEDED = declare("liaison.reason-needed", "a reason is needed")
DUE_TIMES_FORM = declare(
    "liaison.due-times-form", "due times: {item} is not PRIORITY=Nh or PRIORITY=Nd"
)
DUE_TIMES_NUMBER = declare("liaison.due-times-number", "due times: {item} has no number")
SEVERITY = declare("liaison.severity", "severity must be one of {allowed}, not {value}")
PRIORITY = declare("liaison.priority", "priority must be one of {allowed}, not {value}")
EXPIRY_FUTURE = declare("liaison.expiry-future", "expiry must be in the future")
EXPIRY_MINUTES = declare("liaison.expiry-minutes", "expiry must be minutes")
UNKNOWN_TEMPLATE = declare(
    "liaison.unknown-template", "unknown template {name} (templates: {known})"
)
TEMPLATE_NEEDS = declare("liaison.template-needs", "template {name} needs {missing}")
ALERT_COUNTRY = declare("liaison.alert-country", "country must be US or MX, not {country}")
OWN_PORT_ONLY = declare(
    "liaison.own-port-only",
    "an official of {country} sends alerts from the {country} port only, not from {side}",
)
DELAY_REASON = declare(
    "liaison.delay-reason", "this request was due at {due}: give the reason for the delay"
)

# Refusals of a directory entry (alianza.liaison.directory).
CONTACT_COUNTRY = declare(
    "liaison.contact-country", "country must be one of {allowed}, not {value}"
)
CONTACT_ROLE = declare("liaison.contact-role", "role must be one of {allowed}, not {value}")
CHANNELS = declare("liaison.channels", "channels must be at least one of {allowed} (got {got})")
NO_CHANNEL = declare("liaison.no-channel", "none")
ADDRESS_EMPTY = declare("liaison.address-empty", "channel {kind}: the address is empty")
ADDRESS_FORM = {
    "email": declare("liaison.address.email", "channel {kind}: {address} is not name@domain"),
    "webhook": declare(
        "liaison.address.webhook", "channel {kind}: {address} is not an http(s):// URL"
    ),
    "sms": declare("liaison.address.sms", "channel {kind}: {address} is not + and digits"),
}
# Refusals of a message from the partner node (alianza.liaison.alerts.receive_many): the
# partner's node reads them (their English is unchanged), a person the log and the pages.
MESSAGE_CLAIMS_OTHER_SIDE = declare(
    "liaison.message.claims-other-side", "message {id}: an alert from {sender} claims another side"
)
MESSAGE_NO_PORT = declare("liaison.message.no-port", "no US–Mexico port {code!r}")
MESSAGE_ACK_NOT_RECEIVED = declare(
    "liaison.message.ack-not-received",
    "message {id}: {sender} acknowledges an alert it did not receive",
)
MESSAGE_ESCALATION_NOT_RECEIVED = declare(
    "liaison.message.escalation-not-received",
    "message {id}: {sender} escalates an alert it did not receive",
)
MESSAGE_OTHER_DIRECTORY = declare(
    "liaison.message.other-directory", "message {id}: {sender} publishes another side's directory"
)
MESSAGE_OTHER_DRILL = declare(
    "liaison.message.other-drill", "message {id}: {sender} records another side's drill"
)
MESSAGE_REFUSED = declare("liaison.message.refused", "message {id}: {reason}")
MESSAGE_UNKNOWN_KIND = declare("liaison.message.unknown-kind", "unknown message kind {kind!r}")
# Carrying messages to the partner node (alianza.liaison.transport): why a batch stays queued.
NO_PARTNER_URL = declare(
    "liaison.transport.no-partner-url",
    "no partner URL for {destination} (ALIANZA_PORTS_PARTNER_URL)",
)
PARTNER_UNREACHABLE = declare("liaison.transport.unreachable", "could not reach the partner's node")
PARTNER_FAILED = declare("liaison.transport.failed", "the partner's node failed (HTTP {status}xx)")
PARTNER_REFUSED = declare(
    "liaison.transport.refused", "the partner's node refused the messages ({summary})"
)
NODE_UNREACHABLE = declare("liaison.transport.node-unreachable", "node {destination} unreachable")
# Why a notification to a person was not sent (alianza.liaison.notify): stored in English
# with the notification, as before.
NO_SMTP_RELAY = declare(
    "liaison.notify.no-smtp-relay", "no SMTP relay configured (ALIANZA_PORTS_SMTP_HOST)"
)
NO_SMS_GATEWAY = declare(
    "liaison.notify.no-sms-gateway", "no SMS gateway configured (ALIANZA_PORTS_SMS_GATEWAY_URL)"
)
CHANNEL_NOT_SENT = declare(
    "liaison.notify.channel-not-sent", "channel {channel!r} is not sent by the node"
)
# A signed batch of messages from the partner node that cannot be read
# (alianza.liaison.signing.receive_batch): the partner's node reads it, in English as before.
NOT_A_BATCH = declare("liaison.batch.not-a-batch", "not a batch of port messages")
BATCH_UNREADABLE = declare("liaison.batch.unreadable", "batch unreadable: {error}")
NO_CONTACT = declare("liaison.no-contact", "no directory entry {id}")
PARTNER_NO_ANSWER = declare(
    "liaison.partner-no-answer",
    "the partner's node answered HTTP 200 without its answer (applied, duplicates): the "
    "messages stay queued",
)
NO_DRILL = declare("liaison.no-drill", "no drill {id}")
# Refusals of a drill (alianza.liaison.drills).
DRILL_CHANNEL = declare("liaison.drill.channel", "channel must be one of {allowed}")
DRILL_HAS_RESULT = declare("liaison.drill.has-result", "drill {id} already has a result")
# why a signed batch of port messages is refused (liaison/signing.py: the partner's node gets
# the code and the English; this node's operator reads them in the log and in the API answer)
BATCH_UNSIGNED = declare(
    "liaison.batch.unsigned", "{signer_header} and {signature_header} are required"
)
BATCH_UNKNOWN_SIGNER = declare(
    "liaison.batch.unknown-signer", "key {key}… is not a trusted partner's"
)
BATCH_NOT_BASE64 = declare("liaison.batch.not-base64", "the signature is not base64")
BATCH_SIGNATURE_MISMATCH = declare(
    "liaison.batch.signature-mismatch", "the signature does not match {name}'s key"
)
BATCH_WRONG_SENDER = declare(
    "liaison.batch.wrong-sender", "signed by {name} ({country}) but sent as {sent}"
)
BATCH_WRONG_DESTINATION = declare(
    "liaison.batch.wrong-destination", "addressed to {to}, this node is {node}"
)
BATCH_BUSY = declare("liaison.batch.busy", "concurrent deliveries; send again")
BATCH_INCOMPLETE = declare("liaison.batch.incomplete", "a message is incomplete: {error}")
