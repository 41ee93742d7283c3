"""What the ``alianza exchange`` and ``alianza analysis`` commands print: English here,
Spanish in the message catalogue (keys ``cli.exchange.…``, ``cli.analysis.…``), said in the
user's language. Countries, quarters, versions, hashes, fingerprints, file paths and the
edition itself (written or printed for machines and readers in its own language) stay as they
are."""

from __future__ import annotations

from alianza.catalogue import declare

BUILT = declare(
    "cli.exchange.built",
    "wrote {output}: {country} {quarter} ({kind}), version {version}, {count} observations, "
    "{size} bytes, sha256 {sha256}",
)
DSD_WRITTEN = declare("cli.exchange.dsd-written", "wrote {output} ({dataflow})")
ALREADY_RECEIVED = declare(
    "cli.exchange.already-received", "{file}: {country} {quarter} already received; nothing changed"
)
LOADED = declare("cli.exchange.loaded", "{file}: {country} {quarter} verified and loaded")
LOADED_REPLACING = declare(
    "cli.exchange.loaded-replacing",
    "{file}: {country} {quarter} verified and loaded, replacing version {version}",
)
RECEIPT_VERIFIED = declare("cli.exchange.receipt-verified", "verified and logged")
RECEIPT_NOT_VERIFIED = declare("cli.exchange.receipt-not-verified", "NOT verified")
SENT = declare(
    "cli.exchange.sent",
    (
        "{file}: {status} by the partner after {n} attempt(s); receipt {receipt}",
        "{file}: {status} by the partner after {n} attempt(s); receipt {receipt}",
    ),
)
NO_PACKAGES = declare("cli.exchange.no-packages", "no packages built or received yet")
# The status table's column names, left-aligned over their columns (9, 3, 8, 10 × 5 wide; ver
# right-aligned, 3 wide).
STATUS_COLUMNS = declare(
    "cli.exchange.status-columns",
    "direction cty quarter  due        built      sent       received   acked      ver state",
)

WROTE_EDITION = declare("cli.analysis.wrote", "wrote {output} ({format}, {size} bytes)")
CONTENT_HASH = declare("cli.analysis.content-hash", "content hash: {hash}")
SIGNED = declare(
    "cli.analysis.signed",
    "signed {hash} ({quarter}); queued for the partner node (alianza pme cycle send)",
)
SIGNATURE_WRITTEN = declare("cli.analysis.signature-written", "signature written to {output}")
VERIFIED = declare("cli.analysis.verified", "OK: {name} ({country}, {fingerprint}…) signed {hash}")
EDITION = declare("cli.analysis.edition", "{quarter} joint edition {hash}")
NOT_SIGNED = declare("cli.analysis.not-signed", "  {country}: not signed")
SIGNED_BY = declare(
    "cli.analysis.signed-by", "  {country}: signed by {node} ({fingerprint}…) {at} UTC via {via}"
)
OTHER_EDITION = declare(
    "cli.analysis.other-edition",
    "  {country} signed another content {hash}… ({at} UTC): not this edition",
)
