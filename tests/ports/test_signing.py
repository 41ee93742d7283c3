"""Signed batches applied by the receiving node (library level, both backends)."""

from __future__ import annotations

import base64
import threading
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.exchange.partners import trust_partner
from alianza.liaison.models import Alert, PortPair
from alianza.liaison.signing import (
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
    sign_batch,
)

NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def alert_message() -> dict[str, Any]:
    alert_id = str(uuid.uuid4())
    return {
        "kind": "alert",
        "message_id": alert_id,
        "alert": {
            "id": alert_id,
            "us_port_code": "2504",
            "from_country": "US",
            "template": "security-incident",
            "details": {"location": "lane 3"},
            "free_text": "",
            "created_at": NOW.isoformat(),
            "created_by": "t",
            "nominal": {},
        },
    }


def test_concurrent_first_batches_create_the_pair_once(mx_db: Database, tmp_path: Path) -> None:
    """Eight batches at once on a node that has no pair yet: every alert is applied, one
    pair exists (a batch that loses the race to create it reads it again)."""
    us = create_node_keys(tmp_path / "us", name="US", country="US")
    mx = create_node_keys(tmp_path / "mx", name="MX", country="MX")
    with mx_db.transaction() as session:
        trust_partner(
            session, us.identity, own_fingerprint=mx.identity.fingerprint, actor=NodeSelf("test")
        )
    batches = [sign_batch(us, "MX", [alert_message()]) for _ in range(8)]
    results: list[object] = []
    barrier = threading.Barrier(len(batches))

    def deliver(body: bytes, headers: dict[str, str]) -> None:
        barrier.wait()
        try:
            results.append(
                receive_batch(
                    mx_db,
                    body,
                    signer=headers[SIGNER_HEADER],
                    signature=headers[SIGNATURE_HEADER],
                    own_country="MX",
                    now=NOW,
                ).applied
            )
        except MessagesRefused as refused:
            results.append(refused.code)

    threads = [threading.Thread(target=deliver, args=batch) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [1] * 8
    with mx_db.reader() as session:
        assert session.scalar(select(func.count()).select_from(PortPair)) == 1
        assert session.scalar(select(func.count()).select_from(Alert)) == 8


def test_a_batch_twice_applies_once(mx_db: Database, tmp_path: Path) -> None:
    us = create_node_keys(tmp_path / "us", name="US", country="US")
    mx = create_node_keys(tmp_path / "mx", name="MX", country="MX")
    with mx_db.transaction() as session:
        trust_partner(
            session, us.identity, own_fingerprint=mx.identity.fingerprint, actor=NodeSelf("test")
        )
    message = alert_message()
    body, headers = sign_batch(us, "MX", [message, message])  # twice in one batch, too
    outcomes = [
        receive_batch(
            mx_db,
            body,
            signer=headers[SIGNER_HEADER],
            signature=headers[SIGNATURE_HEADER],
            own_country="MX",
            now=NOW,
        )
        for _ in range(2)
    ]
    assert [(o.applied, o.duplicates) for o in outcomes] == [(1, 1), (0, 2)]


@pytest.mark.parametrize("signer", [None, ""])
def test_unsigned_is_refused(mx_db: Database, signer: str | None) -> None:
    with pytest.raises(MessagesRefused) as refused:
        receive_batch(mx_db, b"{}", signer=signer, signature=None, own_country="MX", now=NOW)
    assert refused.value.code == "unsigned"


def test_an_unreadable_or_refused_batch_is_said_in_both_languages(
    mx_db: Database, tmp_path: Path
) -> None:
    us = create_node_keys(tmp_path / "us", name="US", country="US")
    mx = create_node_keys(tmp_path / "mx", name="MX", country="MX")
    with mx_db.transaction() as session:
        trust_partner(
            session, us.identity, own_fingerprint=mx.identity.fingerprint, actor=NodeSelf("test")
        )

    def refused(body: bytes) -> tuple[str, str, str]:
        signature = base64.b64encode(us.sign(body)).decode("ascii")
        with pytest.raises(MessagesRefused) as error:
            receive_batch(mx_db, body, signer=us.identity.fingerprint, signature=signature,
                          own_country="MX", now=NOW)  # fmt: skip
        message = error.value.message
        return error.value.code, message, in_language(message, "es")

    assert refused(b'{"kind": "something else", "messages": []}') == (
        "malformed",
        "batch unreadable: not a batch of port messages",
        "lote ilegible: no es un lote de mensajes de puertos",
    )
    batch, _headers = sign_batch(us, "MX", [{"kind": "poll", "message_id": "m1"}])
    assert refused(batch) == (
        "refused",
        "unknown message kind 'poll'",
        "tipo de mensaje desconocido 'poll'",
    )


def test_a_batch_refused_before_it_is_read_is_said_in_both_languages(
    mx_db: Database, tmp_path: Path
) -> None:
    us = create_node_keys(tmp_path / "us", name="US", country="US")
    mx = create_node_keys(tmp_path / "mx", name="MX", country="MX")
    with mx_db.transaction() as session:
        trust_partner(
            session, us.identity, own_fingerprint=mx.identity.fingerprint, actor=NodeSelf("test")
        )
    batch, _headers = sign_batch(us, "US", [alert_message()])  # addressed to the US node
    good = base64.b64encode(us.sign(batch)).decode("ascii")
    stranger = mx.identity.fingerprint

    def refused(signer: str | None, signature: str | None) -> tuple[str, str, str]:
        with pytest.raises(MessagesRefused) as error:
            receive_batch(mx_db, batch, signer=signer, signature=signature, own_country="MX",
                          now=NOW)  # fmt: skip
        message = error.value.message
        return error.value.code, message, in_language(message, "es")

    assert refused(None, good) == (
        "unsigned",
        f"{SIGNER_HEADER} and {SIGNATURE_HEADER} are required",
        f"se requieren {SIGNER_HEADER} y {SIGNATURE_HEADER}",
    )
    assert refused(stranger, good) == (
        "unknown-signer",
        f"key {stranger[:16]}… is not a trusted partner's",
        f"la clave {stranger[:16]}… no es de un socio de confianza",
    )
    assert refused(us.identity.fingerprint, "not base64!") == (
        "bad-signature",
        "the signature is not base64",
        "la firma no está en base64",
    )
    other = base64.b64encode(us.sign(batch + b" ")).decode("ascii")
    assert refused(us.identity.fingerprint, other) == (
        "bad-signature",
        "the signature does not match US's key",
        "la firma no corresponde a la clave de US",
    )
    assert refused(us.identity.fingerprint, good) == (
        "wrong-destination",
        "addressed to 'US', this node is MX",
        "dirigido a 'US'; este nodo es MX",
    )
