"""What ``alianza node`` prints: English here, Spanish in the message catalogue (keys
``cli.node.…``), said in the user's language. Names, fingerprints, paths and URLs stay as
they are."""

from __future__ import annotations

from alianza.catalogue import declare

CREATED = declare(
    "cli.node.created", "node {name!r} ({country}) created; key fingerprint {fingerprint}"
)
SHARE_KEY = declare(
    "cli.node.share-key", "Share the public key with the partner: alianza node export-key -o FILE"
)
SESSION_KEY_WRITTEN = declare("cli.node.session-key-written", "wrote {path} (mode 0600)")
SECRET_KEY_WINS = declare(
    "cli.node.secret-key-wins",
    "note: ALIANZA_SECRET_KEY is set and takes precedence over this file",
)
KEY_EXPORTED = declare("cli.node.key-exported", "wrote {path} (fingerprint {fingerprint})")
TRUSTING = declare("cli.node.trusting", "trusting {name!r} ({country}), fingerprint {fingerprint}")
TRUSTING_AT = declare(
    "cli.node.trusting-at",
    "trusting {name!r} ({country}), fingerprint {fingerprint}, endpoint {url}",
)
ENDPOINT = declare("cli.node.endpoint", "{name}: endpoint {url}")
THIS_NODE = declare("cli.node.this-node", "this node: {name} ({country})")
FINGERPRINT = declare("cli.node.fingerprint", "fingerprint {fingerprint}")
NO_KEYS = declare("cli.node.no-keys", "this node: no keys ({error})")
PARTNERS = declare("cli.node.partners", "partners: {n}")
PARTNER_TRUSTED = declare(
    "cli.node.partner-trusted", "{name} ({country}) trusted, fingerprint {fingerprint}"
)
PARTNER_REVOKED = declare(
    "cli.node.partner-revoked", "{name} ({country}) revoked, fingerprint {fingerprint}"
)
PARTNER_ENDPOINT = declare("cli.node.partner-endpoint", "endpoint {url}")
NO_ENDPOINT = declare("cli.node.no-endpoint", "no endpoint")
BACKED_UP = declare(
    "cli.node.backed-up",
    (
        "wrote {path}: {backend} database at {revisions}, 1 file",
        "wrote {path}: {backend} database at {revisions}, {n} files",
    ),
)
RESTORED = declare(
    "cli.node.restored",
    (
        "restored {path} ({backend}, made {created_at} by Alianza {version}): database and 1 file",
        "restored {path} ({backend}, made {created_at} by Alianza {version}): database and {n} "
        "files",
    ),
)
CHECK_IT = declare("cli.node.check-it", "Check it: alianza audit verify")
ROTATED = declare("cli.node.rotated", "new key fingerprint {fingerprint} (was {old})")
ROTATION_WRITTEN = declare(
    "cli.node.rotation-written",
    "wrote {path}: the partner runs `alianza node trust-rotation {name}`",
)
ROTATION_TRUSTED = declare(
    "cli.node.rotation-trusted", "trusting {name!r} with its new key, fingerprint {fingerprint}"
)
