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
NO_CONTACT = declare("liaison.no-contact", "no directory entry {id}")
PARTNER_NO_ANSWER = declare(
    "liaison.partner-no-answer",
    "the partner's node answered HTTP 200 without its answer (applied, duplicates): the "
    "messages stay queued",
)
NO_DRILL = declare("liaison.no-drill", "no drill {id}")
