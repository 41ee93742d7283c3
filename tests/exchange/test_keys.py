"""The node's keys (alianza.exchange.keys): its refusals keep their English and are said in
Spanish, on the command line too (issue 18)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.exchange.keys import (
    IDENTITY_FILE,
    PRIVATE_KEY_FILE,
    NodeIdentity,
    NodeKeyError,
    create_node_keys,
    load_node_keys,
    public_key_from_base64,
)


def refusal(error: pytest.ExceptionInfo[NodeKeyError]) -> tuple[str, str]:
    said = message_of(error.value)
    return str(error.value), in_language(said, "es")


def test_loading_keys_refuses_in_both_languages(tmp_path: Path) -> None:
    folder = tmp_path / "keys"
    with pytest.raises(NodeKeyError) as missing:
        load_node_keys(tmp_path)
    path = folder / PRIVATE_KEY_FILE
    assert refusal(missing) == (
        f"this node has no keys ({path} missing): run `alianza node init`",
        f"este nodo no tiene llaves (falta {path}): ejecute `alianza node init`",
    )

    create_node_keys(tmp_path, name="US node", country="US")
    with pytest.raises(NodeKeyError) as exists:
        create_node_keys(tmp_path, name="US node", country="US")
    assert refusal(exists) == (
        f"{path} exists: this node already has keys",
        f"{path} ya existe: este nodo ya tiene llaves",
    )

    os.chmod(path, 0o640)
    with pytest.raises(NodeKeyError) as readable:
        load_node_keys(tmp_path)
    assert refusal(readable) == (
        f"{path} is readable by others (mode 640); chmod 600 it",
        f"otros usuarios pueden leer {path} (modo 640); aplíquele chmod 600",
    )
    os.chmod(path, 0o600)

    other = tmp_path / "other"
    create_node_keys(other, name="MX node", country="MX")
    (folder / IDENTITY_FILE).write_bytes((other / "keys" / IDENTITY_FILE).read_bytes())
    with pytest.raises(NodeKeyError) as differs:
        load_node_keys(tmp_path)
    assert refusal(differs) == (
        f"{folder / IDENTITY_FILE} does not match the private key",
        f"{folder / IDENTITY_FILE} no coincide con la llave privada",
    )


def test_a_public_key_document_is_refused_in_both_languages(tmp_path: Path) -> None:
    keys = create_node_keys(tmp_path, name="US node", country="US")
    document = keys.identity.document()

    with pytest.raises(NodeKeyError) as kind:
        NodeIdentity.from_document({**document, "algorithm": "RSA"})
    assert refusal(kind) == (
        "not an Alianza node public key document (kind/algorithm)",
        "no es un documento de llave pública de un nodo Alianza (tipo/algoritmo)",
    )
    with pytest.raises(NodeKeyError) as field:
        NodeIdentity.from_document({k: v for k, v in document.items() if k != "country"})
    assert refusal(field) == (
        "public key document: 'country' missing",
        "documento de llave pública: falta 'country'",
    )
    with pytest.raises(NodeKeyError) as fingerprint:
        NodeIdentity.from_document({**document, "fingerprint": "0" * 64})
    assert refusal(fingerprint) == (
        "public key document: fingerprint does not match the key",
        "documento de llave pública: la huella no coincide con la llave",
    )
    with pytest.raises(NodeKeyError) as not_key:
        public_key_from_base64("AAAA")
    english, spanish = refusal(not_key)
    assert english.startswith("not an Ed25519 public key: ")
    assert spanish == "no es una llave pública Ed25519: " + english.split(": ", 1)[1]


def test_node_init_twice_is_refused_in_spanish(tmp_path: Path) -> None:
    env = {"ALIANZA_DATABASE_URL": f"sqlite:///{tmp_path / 'alianza.db'}"}
    args = ["--home", str(tmp_path), "node", "init", "--name", "US node", "--country", "US"]
    assert CliRunner().invoke(cli, args, env={**env, "ALIANZA_LANGUAGE": "en"}).exit_code == 0
    english = CliRunner().invoke(cli, args, env={**env, "ALIANZA_LANGUAGE": "en"})
    spanish = CliRunner().invoke(cli, args, env={**env, "ALIANZA_LANGUAGE": "es"})
    path = tmp_path / "keys" / PRIVATE_KEY_FILE
    assert english.exit_code == spanish.exit_code == 1
    assert f"{path} exists: this node already has keys" in english.output
    assert f"{path} ya existe: este nodo ya tiene llaves" in spanish.output
    assert json.loads((tmp_path / "keys" / IDENTITY_FILE).read_text("utf-8"))["country"] == "US"
