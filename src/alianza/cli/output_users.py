"""What ``alianza users`` prints: English here, Spanish in the message catalogue (keys
``cli.users.…``), said in the user's language. Usernames, roles, countries, agencies, keys and
tokens stay as they are."""

from __future__ import annotations

from alianza.catalogue import declare

CREATED = declare("cli.users.created", "user {username} created ({role}, {country}, {agency})")
NO_USERS = declare("cli.users.no-users", "no users; add one with `alianza users add`")
ACTIVE = declare("cli.users.active", "active")
DISABLED = declare("cli.users.disabled", "disabled")
OTHER_GOVERNMENT = declare(
    "cli.users.other-government", "OTHER GOVERNMENT (see: alianza users check)"
)
NO_FOREIGN_ACCOUNTS = declare(
    "cli.users.no-foreign-accounts", "no accounts of another government on the {own} node"
)
FOREIGN_ACCOUNTS = declare(
    "cli.users.foreign-accounts",
    (
        "this node is the {own} node; 1 account of another government (it cannot sign in here):",
        "this node is the {own} node; {n} accounts of another government (they cannot sign in "
        "here):",
    ),
)
DISABLE_THEM = declare("cli.users.disable-them", "disable them with: alianza users check --disable")
USER_DISABLED = declare("cli.users.user-disabled", "user {username} disabled")
ROLE_SET = declare("cli.users.role-set", "user {username} is now {role}")
PASSWORD_SET = declare(
    "cli.users.password-set", "password of {username} changed; their sessions ended"
)
NO_FAILED_LOGINS = declare("cli.users.no-failed-logins", "no failed logins recorded")
WAITS = declare("cli.users.waits", "waits {seconds:.0f} s")
NOT_DELAYED = declare("cli.users.not-delayed", "not delayed")
FAILURES = declare(
    "cli.users.failures",
    (
        "{key:<40} {n:>4} failure, last {last}, {state}",
        "{key:<40} {n:>4} failures, last {last}, {state}",
    ),
)
CLEARED = declare("cli.users.cleared", ("cleared 1 throttle key", "cleared {n} throttle keys"))
