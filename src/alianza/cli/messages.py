"""The command line's own errors and refusals: English here, Spanish in the message catalogue
(keys ``cli.…``; :mod:`alianza.catalogue`). A command says them, and the refusals the library
raises, in the user's language: ``ALIANZA_LANGUAGE``, else the locale
(:func:`alianza.operations.problems.message_language`). The commands' normal output (their
sentences, labels, column names and summaries) is said the same way, from the ``cli/output_*``
modules (keys ``cli.<area>.…``); data and what is printed for machines (JSON, CSV) stay as
they are."""

from __future__ import annotations

from alianza.catalogue import declare

NO_PORT_FILTER = declare("cli.evaluate-port", "--port is not supported by evaluate yet")
DRIFT_REFERENCE = declare(
    "cli.drift-reference", "give --reference-from and --reference-to, or --seasonal"
)
MESSAGES_WAITING = declare(
    "cli.messages-waiting",
    (
        "1 message still waiting: {error}; run this command again",
        "{n} messages still waiting: {error}; run this command again",
    ),
)
NOT_JSON = declare("cli.not-json", "{file}: not JSON ({error})")
PACKAGE_REFUSED = declare(
    "cli.package-refused", "{file}: refused, nothing was written: {message} [{code}]"
)
EXPECTED_CAPACITY = declare(
    "cli.expected-capacity", "{value!r}: expected NAME=CAPACITY, e.g. physical=5"
)
EXPECTED_THRESHOLD = declare(
    "cli.expected-threshold", "{value!r}: expected NAME=THRESHOLD, e.g. physical=0.5"
)
EXPECTED_PARTY = declare(
    "cli.expected-party", "{value!r}: expected COUNTRY:LEVEL[:AGENCY], e.g. US:federal:CBP"
)
EXPECTED_PARAMETER = declare("cli.expected-parameter", "{value!r}: expected NAME=VALUE")
GIVE_NAME = declare("cli.give-name", "give a name")
NOT_KEY_VALUE = declare("cli.not-key-value", "{value!r} is not KEY=VALUE")
NOT_SHIFT = declare("cli.not-shift", "{value!r} is not HH:MM-HH:MM")
NO_DIRECTORY = declare(
    "cli.no-directory", "no directory for port {code} yet (alianza ports contact add)"
)
NO_PARTNER_URL = declare(
    "cli.no-partner-url",
    "no partner URL: alianza node set-url PARTNER https://… (or ALIANZA_PORTS_PARTNER_URL)",
)
GIVE_PORT = declare("cli.give-port", "give --port (repeatable) or --city")
NO_WAITS = declare("cli.no-waits", "no historical waits for crossing {crossing}; import them")
NOT_A_DATE = declare("cli.not-a-date", "{value!r} is not a date like 1999-08-31")
GIVE_THROTTLE = declare("cli.give-throttle", "give KEY (account:NAME or address:IP) or --all")
FILE_ERROR = declare("cli.file-error", "{file}: {error}")
AUDIT_BROKEN = declare("cli.audit-broken", "audit log broken at entry {entry}: {reason}")
AUDIT_EMPTY = declare("cli.audit-empty", "the audit log is empty: nothing to checkpoint")
NO_TABLES = declare(
    "cli.no-tables",
    "no seizure tables for {quarter} on either side (build this node's package: alianza "
    "exchange build --quarter {quarter})",
)
NEEDS_OUTPUT = declare("cli.needs-output", "--format {format} needs -o FILE")
