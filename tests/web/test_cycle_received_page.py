"""The cycles page lists the cycle messages received from the partner node with why each was
refused or not applied, in the page's language: the arrival log keeps the reason in English
and Spanish (issue 18), not only the English of ``str(error)``."""

from __future__ import annotations

from datetime import UTC, datetime
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.pme.cycle_envelope import MessageRefused, seal
from alianza.pme.cycle_inbox import receive_envelope
from alianza.pme.engine_models import CycleMessageLogRow
from tests.web.conftest import log_in

# The refusal of a message signed by a key this node does not trust, as a person reads it.
UNTRUSTED_EN = "which is not a trusted partner's current key (untrusted, revoked or rotated out)"
UNTRUSTED_ES = (
    "que no es la llave vigente de un socio de confianza (no confiable, revocada o rotada)"
)


def _refuse_untrusted(database: Database, tmp_path: Path) -> str:
    """A message from a node this one never trusted; returns the stranger's key prefix."""
    own = create_node_keys(tmp_path / "us", name="US node (test)", country="US")
    stranger = create_node_keys(tmp_path / "mx", name="Nodo MX (desconocido)", country="MX")
    envelope = seal(
        stranger,
        message_id="m-1",
        seq=1,
        destination="US",
        kind="open",
        payload={"plan": "x", "cycle": "2000-02"},
        created_at="2000-02-01T00:00:00+00:00",
    )
    with pytest.raises(MessageRefused) as refused:
        receive_envelope(database, envelope, keys=own)
    assert refused.value.code == "unknown-signer"
    return stranger.identity.fingerprint[:16]


def _received_section(page: str) -> str:
    start = page.index('id="cycle-received-log"')
    return unescape(page[start : page.index("</table>", start)])


def test_spanish_cycles_page_shows_the_spanish_reason_of_a_refused_message(
    web_db: Database, client: TestClient, tmp_path: Path
) -> None:
    key = _refuse_untrusted(web_db, tmp_path)
    log_in(client, "viewer")
    client.cookies.set("lang", "es")
    page = client.get("/pme/cycles")
    assert page.status_code == 200, page.text
    assert "Mensajes recibidos del nodo socio" in page.text
    received = _received_section(page.text)
    assert f"firmado con la llave {key}…, {UNTRUSTED_ES}" in received
    assert "rechazado <code>unknown-signer</code>" in received
    assert UNTRUSTED_EN not in received


def test_english_cycles_page_shows_the_english_reason(
    web_db: Database, client: TestClient, tmp_path: Path
) -> None:
    key = _refuse_untrusted(web_db, tmp_path)
    log_in(client, "viewer")
    client.cookies.set("lang", "en")
    received = _received_section(client.get("/pme/cycles").text)
    assert f"signed by key {key}…, {UNTRUSTED_EN}" in received
    assert UNTRUSTED_ES not in received


def test_a_reason_logged_without_spanish_is_shown_in_english_marked_as_english(
    web_db: Database, client: TestClient
) -> None:
    """A line logged before the Spanish was kept (pme_engine_0006) has only its English."""
    with web_db.transaction() as session:
        session.add(
            CycleMessageLogRow(
                digest="0" * 64,
                outcome="refused",
                code="malformed",
                detail="not a cycle message envelope (old line)",
                at=datetime(2000, 2, 1, tzinfo=UTC),
            )
        )
    log_in(client, "viewer")
    client.cookies.set("lang", "es")
    received = _received_section(client.get("/pme/cycles").text)
    assert '<td data-label="Motivo" lang="en">not a cycle message envelope (old line)' in received
