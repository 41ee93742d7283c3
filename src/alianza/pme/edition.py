"""The published edition of a reporting cycle: its canonical form, its content hash and the
two governments' signatures over that hash.

Both nodes assemble the edition from what they hold (their own government's texts and steps,
and the partner's from its signed messages); the content names who wrote and who approved, by
account and government, never node-local times or ids, so that the two nodes' editions of the
same cycle are byte for byte the same in canonical form (JSON, sorted keys, no spaces, UTF-8)
and have the same SHA-256. Each node signs that hash with its node key
(:class:`~alianza.exchange.keys.NodeKeys`) and sends its signature to the partner as a cycle
message; a published file (``alianza pme cycle render --format json``) carries the content,
the hash and both signatures, and :func:`verify_edition` checks it against trusted keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from alianza.catalogue import Joined, Said, declare
from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature

DOCUMENT_KIND = "alianza-pme-edition"
GOVERNMENTS = ("US", "MX")


# The order of an edition's workflow: by round, then by phase, then by government and
# language, so that two nodes that received the same steps in another order agree.
_PHASE = {"open": 0, "submit": 1, "approve": 2, "waive": 2, "return": 3, "lock": 4}


def edition_workflow(steps: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """The workflow as an edition holds it: who did each step (account, government), in an
    order both nodes agree on; no node-local time or name."""
    steps = [
        {
            "round": s["round"],
            "step": s["step"],
            "government": s["government"],
            "language": s["language"],
            "comment": s["comment"],
            "by": {"account": s["account"], "government": s["country"]},
        }
        for s in steps
        if s["step"] in _PHASE
    ]
    return sorted(
        steps,
        key=lambda s: (
            s["round"],
            _PHASE[s["step"]],
            s["government"] or "",
            s["language"] or "",
            s["by"]["account"],
            s["comment"] or "",
        ),
    )


def canonical_bytes(content: Any) -> bytes:
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def edition_hash(content: Any) -> str:
    """SHA-256 (hex) of the edition's canonical form."""
    return hashlib.sha256(canonical_bytes(content)).hexdigest()


def signed_bytes(plan: str, cycle: str, sha256: str) -> bytes:
    """What a government signs: the kind, the plan, the cycle and the edition hash."""
    return f"{DOCUMENT_KIND}\n{plan}\n{cycle}\n{sha256}".encode()


def sign_edition(keys: NodeKeys, plan: str, cycle: str, sha256: str) -> dict[str, str]:
    """This node's signature over an edition hash, as a published file carries it."""
    identity = keys.identity
    return {
        "country": identity.country,
        "node": identity.name,
        "fingerprint": identity.fingerprint,
        "sha256": sha256,
        "signature": base64.b64encode(keys.sign(signed_bytes(plan, cycle, sha256))).decode(),
        # when it was signed, as the signer says (not itself signed: the signature is over
        # the hash)
        "signed_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def signature_holds(
    identity: NodeIdentity, plan: str, cycle: str, sha256: str, signature: str
) -> bool:
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        return False
    return verify_signature(identity.public_key, raw, signed_bytes(plan, cycle, sha256))


# What :func:`verify_edition` says (keys ``pme.edition.check.…``; Spanish in the catalogue).
NOT_AN_EDITION = declare("pme.edition.check.not-an-edition", "not a published edition (no content)")
ALTERED = declare(
    "pme.edition.check.altered",
    "content hash {sha256} differs from the stated {stated} (the content was altered)",
)
CONTENT_HASH = declare("pme.edition.check.content-hash", "content hash {sha256}")
NO_SIGNATURE = declare("pme.edition.check.no-signature", "{government}: no signature")
SIGNED_BY = declare("pme.edition.check.signed-by", "{government}: signed by {node} (key {key}…)")
INVALID_SIGNATURE = declare("pme.edition.check.invalid-signature", "{government}: {why}")
UNTRUSTED_KEY = declare(
    "pme.edition.check.untrusted-key", "key {key}… is not a trusted {government} key"
)
OTHER_HASH = declare("pme.edition.check.other-hash", "signed another hash ({sha256}…)")
DOES_NOT_VERIFY = declare(
    "pme.edition.check.does-not-verify", "the signature does not verify with {node}'s key"
)
FAIL = declare("pme.edition.check.fail", "FAIL  {line}")
OK = declare("pme.edition.check.ok", "ok    {line}")


@dataclass
class EditionCheck:
    """What :func:`verify_edition` found: each line in English and Spanish."""

    sha256: str = ""
    ok: bool = True
    lines: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, line: Said) -> None:
        self.ok = False
        self.lines.append(FAIL.both(line=line))

    def good(self, line: Said) -> None:
        self.lines.append(OK.both(line=line))


def verify_edition(document: Any, trusted: dict[str, NodeIdentity]) -> EditionCheck:
    """Check a published edition file: its hash over the canonical content, and a valid
    signature of each government (US and MX) by a key in ``trusted`` (fingerprint → identity:
    this node's own and its trusted partners')."""
    check = EditionCheck()
    if not isinstance(document, dict) or not isinstance(document.get("content"), dict):
        check.fail(NOT_AN_EDITION.said())
        return check
    content = document["content"]
    check.sha256 = edition_hash(content)
    if document.get("sha256") != check.sha256:
        check.fail(ALTERED.said(sha256=check.sha256, stated=document.get("sha256")))
        return check
    check.good(CONTENT_HASH.said(sha256=check.sha256))
    plan, cycle = str(content.get("plan")), str(content.get("cycle", {}).get("key"))
    signatures = document.get("signatures")
    by_country: dict[str, list[dict[str, Any]]] = {}
    for entry in signatures if isinstance(signatures, list) else []:
        if isinstance(entry, dict):
            by_country.setdefault(str(entry.get("country")), []).append(entry)
    for government in GOVERNMENTS:
        _check_government(check, government, by_country.get(government, []), plan, cycle, trusted)
    return check


def _check_government(
    check: EditionCheck,
    government: str,
    entries: list[dict[str, Any]],
    plan: str,
    cycle: str,
    trusted: dict[str, NodeIdentity],
) -> None:
    if not entries:
        check.fail(NO_SIGNATURE.said(government=government))
        return
    reasons: list[str] = []
    for entry in entries:
        fingerprint = str(entry.get("fingerprint"))
        identity = trusted.get(fingerprint)
        if identity is None or identity.country != government:
            reasons.append(UNTRUSTED_KEY.said(key=fingerprint[:16], government=government))
        elif entry.get("sha256") != check.sha256:
            reasons.append(OTHER_HASH.said(sha256=str(entry.get("sha256"))[:16]))
        elif not signature_holds(identity, plan, cycle, check.sha256, str(entry.get("signature"))):
            reasons.append(DOES_NOT_VERIFY.said(node=identity.name))
        else:
            check.good(
                SIGNED_BY.said(government=government, node=identity.name, key=fingerprint[:16])
            )
            return
    check.fail(INVALID_SIGNATURE.said(government=government, why=Joined("; ", reasons)))
