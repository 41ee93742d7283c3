"""Node key rotation: the partner replaces the key it trusts only when the old key signed the
rotation (issue 15). Two real nodes: their own homes, keys and databases."""

from __future__ import annotations

import base64
import copy
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.exchange.keys import NodeIdentity, create_node_keys, fingerprint, load_node_keys
from alianza.exchange.models import Partner
from alianza.exchange.partners import trust_partner, trusted_identities
from alianza.exchange.rotation import RotationRefused, accept_rotation, rotate_node_keys


@pytest.fixture
def mx_db(tmp_path: Path) -> Database:
    database = Database(f"sqlite:///{tmp_path / 'mx.db'}")
    database.migrate()
    return database


@pytest.fixture
def nodes(tmp_path: Path, mx_db: Database) -> tuple[Path, Path]:
    """A US home and an MX home whose database trusts the US key."""
    us_home, mx_home = tmp_path / "us", tmp_path / "mx"
    us = create_node_keys(us_home, name="US node", country="US")
    mx = create_node_keys(mx_home, name="Nodo MX", country="MX")
    with mx_db.transaction() as session:
        trust_partner(
            session, us.identity, own_fingerprint=mx.identity.fingerprint, actor=NodeSelf("test")
        )
    return us_home, mx_home


def accept(database: Database, mx_home: Path, document: dict[str, Any]) -> str:
    own = load_node_keys(mx_home).identity.fingerprint
    with database.transaction() as session:
        return accept_rotation(
            session, document, own_fingerprint=own, actor=NodeSelf("t")
        ).fingerprint


def test_the_partner_trusts_the_new_key_and_revokes_the_old(
    nodes: tuple[Path, Path], mx_db: Database
) -> None:
    us_home, mx_home = nodes
    old = load_node_keys(us_home).identity.fingerprint
    new_keys, document = rotate_node_keys(us_home)
    new = new_keys.identity.fingerprint
    assert new != old
    assert load_node_keys(us_home).identity.fingerprint == new  # the node signs with it now
    retired = us_home / "keys" / "retired" / f"node-ed25519-{old[:16]}.pem"
    assert retired.stat().st_mode & 0o777 == 0o600
    assert accept(mx_db, mx_home, document) == new
    with mx_db.reader() as session:
        assert set(trusted_identities(session)) == {new}
        revoked = session.scalars(select(Partner).where(Partner.fingerprint == old)).one()
        assert revoked.revoked_at is not None


def signed_by(key: Ed25519PrivateKey, body: dict[str, Any]) -> str:
    data = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    return base64.b64encode(key.sign(data)).decode("ascii")


def forged_documents(document: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """Rotation documents that the old key did not sign as they are."""
    stranger = Ed25519PrivateKey.generate()
    swapped = copy.deepcopy(document)  # an attacker's key in place of the new one
    other = NodeIdentity("US node", "US", stranger.public_key(), "2026-12-04T08:00:00+00:00")
    swapped["rotation"]["new_key"] = other.document()
    swapped["signature_new"] = signed_by(stranger, swapped["rotation"])
    self_signed = copy.deepcopy(swapped)
    self_signed["signature_old"] = signed_by(stranger, swapped["rotation"])
    unknown = copy.deepcopy(document)
    unknown["rotation"]["old_fingerprint"] = fingerprint(stranger.public_key())
    return [
        ("new key swapped", swapped),
        ("signed by the new key only", self_signed),
        ("old key not trusted", unknown),
        ("not a rotation", {"kind": "something else"}),
    ]


def test_a_rotation_not_signed_by_the_trusted_key_changes_nothing(
    nodes: tuple[Path, Path], mx_db: Database
) -> None:
    us_home, mx_home = nodes
    old = load_node_keys(us_home).identity.fingerprint
    _keys, document = rotate_node_keys(us_home)
    for label, forged in forged_documents(document):
        with pytest.raises(RotationRefused):
            accept(mx_db, mx_home, forged)
        with mx_db.reader() as session:
            assert set(trusted_identities(session)) == {old}, label


def refusal(database: Database, mx_home: Path, document: dict[str, Any]) -> tuple[str, str]:
    with pytest.raises(RotationRefused) as refused:
        accept(database, mx_home, document)
    return str(refused.value), in_language(message_of(refused.value), "es")


def test_a_refused_rotation_says_why_in_both_languages(
    nodes: tuple[Path, Path], mx_db: Database
) -> None:
    us_home, mx_home = nodes
    old = load_node_keys(us_home)
    _keys, document = rotate_node_keys(us_home)
    forged = dict(forged_documents(document))
    swapped, unknown = forged["new key swapped"], forged["old key not trusted"]
    not_rotation = forged["not a rotation"]
    assert refusal(mx_db, mx_home, swapped) == (
        "key rotation: the signature of 'US node''s current key does not verify; nothing changed",
        "rotación de llave: la firma con la llave vigente de 'US node' no se verifica; no se"
        " cambió nada",
    )
    stranger = unknown["rotation"]["old_fingerprint"]
    assert refusal(mx_db, mx_home, unknown) == (
        f"key rotation: '{stranger}' is not the key of a trusted partner; nothing changed (trust"
        " the new key by another channel: alianza node trust)",
        f"rotación de llave: '{stranger}' no es la llave de un socio de confianza; no se cambió"
        " nada (confíe en la nueva llave por otro medio: alianza node trust)",
    )
    assert refusal(mx_db, mx_home, not_rotation) == (
        "not an Alianza key rotation document (kind)",
        "no es un documento de rotación de llave de Alianza (tipo)",
    )
    assert refusal(mx_db, mx_home, {**document, "signature_old": "not base64!"}) == (
        "key rotation: signature_old is not base64",
        "rotación de llave: signature_old no está en base64",
    )

    def signed_by_the_old_key(body: dict[str, Any], new: Ed25519PrivateKey) -> dict[str, Any]:
        return {
            "rotation": body,
            "signature_old": signed_by(old.private_key, body),
            "signature_new": signed_by(new, body),
        }

    stranger_key = Ed25519PrivateKey.generate()
    body = {k: v for k, v in document["rotation"].items() if k != "new_key"}
    assert refusal(mx_db, mx_home, signed_by_the_old_key(body, stranger_key)) == (
        "key rotation: new_key missing",
        "rotación de llave: falta new_key",
    )
    mexican = NodeIdentity("Nodo", "MX", stranger_key.public_key(), "2026-12-04T08:00:00+00:00")
    body = {**document["rotation"], "new_key": mexican.document()}
    assert refusal(mx_db, mx_home, signed_by_the_old_key(body, stranger_key)) == (
        "key rotation: the new key is for MX, the partner is US; nothing changed",
        "rotación de llave: la nueva llave es de MX y el socio es de US; no se cambió nada",
    )
    body = document["rotation"]  # the new key's document, signed by another key
    assert refusal(mx_db, mx_home, signed_by_the_old_key(body, stranger_key)) == (
        "key rotation: the new key's signature does not verify",
        "rotación de llave: la firma de la nueva llave no se verifica",
    )
    with mx_db.reader() as session:
        assert set(trusted_identities(session)) == {old.identity.fingerprint}


def test_rotate_and_trust_rotation_from_the_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIANZA_")}

    def alianza(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "alianza", "--home", str(home), *args],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    us, mx = tmp_path / "us", tmp_path / "mx"
    assert alianza(us, "node", "init", "--country", "US", "--name", "US").returncode == 0
    assert alianza(mx, "node", "init", "--country", "MX", "--name", "MX").returncode == 0
    assert alianza(us, "node", "export-key", "-o", str(tmp_path / "us.json")).returncode == 0
    assert alianza(mx, "node", "trust", str(tmp_path / "us.json")).returncode == 0
    rotation = tmp_path / "rotation.json"
    rotated = alianza(us, "node", "rotate-key", "-o", str(rotation))
    assert rotated.returncode == 0, rotated.stderr
    new = json.loads(rotation.read_text())["rotation"]["new_key"]["fingerprint"]
    trusted = alianza(mx, "node", "trust-rotation", str(rotation))
    assert trusted.returncode == 0, trusted.stderr
    assert new in trusted.stdout
    again = alianza(mx, "node", "trust-rotation", str(rotation))
    assert again.returncode == 1  # the old key is no longer trusted
    assert "not the key of a trusted partner" in again.stderr
    shown = alianza(mx, "node", "show").stdout
    assert f"trusted, fingerprint {new}" in shown
