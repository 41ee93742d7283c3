"""Each side signs the joint edition's content hash with its node key.

A signature is a small JSON document: what was signed (``kind``, quarter, content hash) and
who signed it (node, country, key fingerprint), with the Ed25519 signature over the canonical
JSON of those fields. Both nodes assemble the same content hash from the same packages
(:mod:`alianza.analysis.render`), so the partner's signature verifies on this node's edition.

Hook for the two-node cycle messages (being built on another branch, ``cyclemsg``): a node
sends :func:`sign_edition`'s document to its partner as a cycle message, and the receiving
node checks it with :func:`verify_edition_signature` against its trusted partners
(:func:`alianza.exchange.partners.trusted_identities`). Until then the document travels as a
file (``alianza analysis sign`` / ``alianza analysis verify``).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from typing import Any

from alianza.catalogue import declare
from alianza.exchange.keys import NodeIdentity, NodeKeys, verify_signature

KIND = "alianza-joint-edition-signature"
SIGNED_FIELDS = ("kind", "quarter", "content_hash", "node", "country", "fingerprint")


class EditionSignatureInvalid(ValueError):
    """A joint-edition signature that does not verify (wrong hash, unknown or bad key)."""


# Why a signature is refused (keys ``analysis.signature.…``; Spanish in the catalogue).
NOT_A_SIGNATURE = declare("analysis.signature.not-a-signature", "not a joint-edition signature")
OTHER_CONTENT = declare(
    "analysis.signature.other-content",
    "the signature is for content {signed}…, this edition is {edition}…",
)
UNTRUSTED_KEY = declare(
    "analysis.signature.untrusted-key", "key {key}… is not trusted by this node"
)
DOES_NOT_VERIFY = declare("analysis.signature.does-not-verify", "the signature does not verify")
OTHER_COUNTRY = declare(
    "analysis.signature.other-country",
    "the signature names {claimed}, but key {key}… is {country}'s: a key signs only for its "
    "own government",
)


def _payload(document: Mapping[str, Any]) -> bytes:
    return json.dumps({k: document[k] for k in SIGNED_FIELDS}, sort_keys=True).encode("utf-8")


def sign_edition(keys: NodeKeys, *, quarter: str, content_hash: str) -> dict[str, str]:
    identity = keys.identity
    document = {
        "kind": KIND,
        "quarter": quarter,
        "content_hash": content_hash,
        "node": identity.name,
        "country": identity.country,
        "fingerprint": identity.fingerprint,
    }
    signature = keys.sign(_payload(document))
    return {**document, "algorithm": "Ed25519", "signature": base64.b64encode(signature).decode()}


def verify_edition_signature(
    document: Mapping[str, Any], identities: Mapping[str, NodeIdentity], *, content_hash: str
) -> NodeIdentity:
    """The identity that signed ``content_hash``; raises :class:`EditionSignatureInvalid`
    (with a :class:`~alianza.catalogue.Said`) otherwise. ``identities``: fingerprint →
    identity (this node's own and its trusted partners)."""
    if document.get("kind") != KIND or any(
        not isinstance(document.get(k), str) for k in SIGNED_FIELDS
    ):
        raise EditionSignatureInvalid(NOT_A_SIGNATURE.said())
    signed = str(document["content_hash"])[:16]
    if document["content_hash"] != content_hash:
        raise EditionSignatureInvalid(OTHER_CONTENT.said(signed=signed, edition=content_hash[:16]))
    identity = identities.get(str(document["fingerprint"]))
    if identity is None:
        raise EditionSignatureInvalid(UNTRUSTED_KEY.said(key=document["fingerprint"][:16]))
    if document["country"] != identity.country:  # the key says who signed, not the document
        raise EditionSignatureInvalid(
            OTHER_COUNTRY.said(
                claimed=document["country"], key=identity.fingerprint[:16], country=identity.country
            )
        )
    try:
        signature = base64.b64decode(str(document.get("signature", "")), validate=True)
    except ValueError:
        signature = b""
    if not verify_signature(identity.public_key, signature, _payload(document)):
        raise EditionSignatureInvalid(DOES_NOT_VERIFY.said())
    return identity
