"""Node identity and keys: an Ed25519 key pair per node, public keys shared as small JSON files.

The private key is a PEM file readable by its owner only (mode 0600) in the node's keys folder:
``ALIANZA_KEYS_DIR`` when set (a separate disk, a mounted secret), else ``ALIANZA_HOME/keys``
(``Settings.keys_folder``, the one place that decides; :func:`keys_folder` also takes a bare
home folder).
A key's fingerprint is the SHA-256 of its raw 32 bytes, hex.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from alianza.catalogue import declare
from alianza.operations.problems import ensure_writable_folder
from alianza.settings import Settings

PRIVATE_KEY_FILE = "node-ed25519.pem"
IDENTITY_FILE = "node.json"
KEY_DOCUMENT_KIND = "alianza-node-public-key"


class NodeKeyError(ValueError):
    """A key file is missing, malformed or unsafe."""


KEY_NOT_ED25519 = declare("exchange.key.not-ed25519", "not an Ed25519 public key: {error}")
KEY_NOT_DOCUMENT = declare(
    "exchange.key.not-document", "not an Alianza node public key document (kind/algorithm)"
)
KEY_FIELD_MISSING = declare("exchange.key.field-missing", "public key document: {field!r} missing")
KEY_FINGERPRINT_DIFFERS = declare(
    "exchange.key.fingerprint-differs", "public key document: fingerprint does not match the key"
)
KEYS_EXIST = declare("exchange.key.exists", "{path} exists: this node already has keys")
NO_KEYS = declare(
    "exchange.key.none", "this node has no keys ({path} missing): run `alianza node init`"
)
KEY_READABLE = declare(
    "exchange.key.readable", "{path} is readable by others (mode {mode:o}); chmod 600 it"
)
KEY_NOT_PRIVATE = declare("exchange.key.not-private", "{path} is not an Ed25519 private key")
IDENTITY_DIFFERS = declare("exchange.key.identity-differs", "{path} does not match the private key")


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(key: Ed25519PublicKey) -> str:
    return hashlib.sha256(raw_public(key)).hexdigest()


def public_key_from_base64(text: str) -> Ed25519PublicKey:
    try:
        return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))
    except ValueError as error:
        raise NodeKeyError(KEY_NOT_ED25519.said(error=str(error))) from None


@dataclass(frozen=True)
class NodeIdentity:
    """Who a node is: its name, its country and its public key."""

    name: str
    country: str
    public_key: Ed25519PublicKey
    created_at: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def document(self) -> dict[str, Any]:
        return {
            "kind": KEY_DOCUMENT_KIND,
            "name": self.name,
            "country": self.country,
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(raw_public(self.public_key)).decode("ascii"),
            "fingerprint": self.fingerprint,
            "created_at": self.created_at,
        }

    @classmethod
    def from_document(cls, data: dict[str, Any]) -> NodeIdentity:
        if data.get("kind") != KEY_DOCUMENT_KIND or data.get("algorithm") != "Ed25519":
            raise NodeKeyError(KEY_NOT_DOCUMENT.said())
        for field in ("name", "country", "public_key", "fingerprint", "created_at"):
            if not isinstance(data.get(field), str):
                raise NodeKeyError(KEY_FIELD_MISSING.said(field=field))
        identity = cls(
            data["name"],
            data["country"],
            public_key_from_base64(data["public_key"]),
            data["created_at"],
        )
        if identity.fingerprint != data["fingerprint"]:
            raise NodeKeyError(KEY_FINGERPRINT_DIFFERS.said())
        return identity


@dataclass(frozen=True)
class NodeKeys:
    identity: NodeIdentity
    private_key: Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def verify_signature(key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def keys_folder(node: Settings | Path) -> Path:
    """The node's keys folder: ``ALIANZA_KEYS_DIR`` when the settings name one, else the home
    folder's ``keys``. A bare path is a home folder (tests, the demo's second node)."""
    if isinstance(node, Path):
        return node / "keys"
    return node.keys_folder


def create_node_keys(node: Settings | Path, *, name: str, country: str) -> NodeKeys:
    """Create the node's key pair; refuses to overwrite an existing one."""
    folder = keys_folder(node)
    private_path = folder / PRIVATE_KEY_FILE
    if private_path.exists():
        raise NodeKeyError(KEYS_EXIST.said(path=str(private_path)))
    ensure_writable_folder(folder, "ALIANZA_KEYS_DIR or ALIANZA_HOME / --home")
    os.chmod(folder, 0o700)
    private_key = Ed25519PrivateKey.generate()
    pem = private_key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    descriptor = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as file:
        file.write(pem)
    identity = NodeIdentity(
        name, country, private_key.public_key(), datetime.now(UTC).isoformat(timespec="seconds")
    )
    (folder / IDENTITY_FILE).write_text(json.dumps(identity.document(), indent=2) + "\n", "utf-8")
    return NodeKeys(identity, private_key)


def load_node_keys(node: Settings | Path) -> NodeKeys:
    folder = keys_folder(node)
    private_path = folder / PRIVATE_KEY_FILE
    if not private_path.exists():
        raise NodeKeyError(NO_KEYS.said(path=str(private_path)))
    mode = private_path.stat().st_mode & 0o777
    if mode & 0o077:
        raise NodeKeyError(KEY_READABLE.said(path=str(private_path), mode=mode))
    private_key = serialization.load_pem_private_key(private_path.read_bytes(), password=None)
    if not isinstance(private_key, Ed25519PrivateKey):
        raise NodeKeyError(KEY_NOT_PRIVATE.said(path=str(private_path)))
    identity = NodeIdentity.from_document(json.loads((folder / IDENTITY_FILE).read_text("utf-8")))
    if identity.fingerprint != fingerprint(private_key.public_key()):
        raise NodeKeyError(IDENTITY_DIFFERS.said(path=str(folder / IDENTITY_FILE)))
    return NodeKeys(identity, private_key)
