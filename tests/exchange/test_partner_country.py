"""Red team (sec22): a partner is the other government's node. A key file that claims this
node's own country (or no government at all) must not become a trusted partner: with it, the
"partner" signed port alerts that this node showed as sent by its own side, and packages of its
own country."""

from __future__ import annotations

import base64
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.exchange.keys import create_node_keys, raw_public
from alianza.exchange.models import Partner
from alianza.exchange.partners import trust_partner, trusted_identities
from alianza.liaison.models import Alert
from alianza.liaison.signing import (
    SIGNATURE_HEADER,
    SIGNER_HEADER,
    MessagesRefused,
    receive_batch,
    sign_batch,
)
from alianza.node import PartnerOfOwnCountry
from tests.exchange.conftest import Node

NOW = datetime(2026, 11, 28, 18, 0, tzinfo=UTC)


def own_side_alert() -> dict[str, object]:
    alert_id = str(uuid.uuid4())
    return {
        "kind": "alert",
        "message_id": alert_id,
        "alert": {
            "id": alert_id,
            "us_port_code": "2504",
            "from_country": "MX",  # as if this node's own officials had sent it
            "template": "security-incident",
            "details": {"location": "carril 3"},
            "free_text": "",
            "created_at": NOW.isoformat(),
            "created_by": "impostor",
            "nominal": {},
        },
    }


@pytest.mark.parametrize("claimed", ["MX", "XX"])
def test_a_key_of_this_nodes_own_country_is_not_trusted(
    us_node: Node, mx_node: Node, tmp_path: Path, claimed: str
) -> None:
    impostor = create_node_keys(tmp_path / "impostor", name="Nodo MX (SRE)", country=claimed)
    key_file = tmp_path / "partner-key.json"
    key_file.write_text(json.dumps(impostor.identity.document()), "utf-8")
    result = CliRunner().invoke(
        cli,
        ["--home", str(mx_node.home), "node", "trust", str(key_file)],
        env={"ALIANZA_DATABASE_URL": mx_node.database.url, "ALIANZA_LANGUAGE": "en"},
    )
    assert result.exit_code != 0, result.output
    assert "a partner is the other government's node" in result.output
    with mx_node.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Partner)) == 1  # the US node
        with pytest.raises(PartnerOfOwnCountry) as refused:
            trust_partner(
                session,
                impostor.identity,
                own_fingerprint=mx_node.keys.identity.fingerprint,
                actor=NodeSelf("test"),
            )
    said = in_language(message_of(refused.value), "es")
    assert said.startswith(f"la llave {impostor.identity.fingerprint[:16]}… es de {claimed}")


def test_a_partner_row_of_this_nodes_own_country_signs_nothing(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """An older database that already holds such a row: its key is not a trusted partner's."""
    impostor = create_node_keys(tmp_path / "impostor", name="Nodo MX (SRE)", country="MX")
    with mx_node.database.transaction() as session:
        session.add(
            Partner(
                name=impostor.identity.name,
                country="MX",
                fingerprint=impostor.identity.fingerprint,
                public_key=base64.b64encode(raw_public(impostor.identity.public_key)).decode(),
                added_at=NOW,
            )
        )
    with mx_node.database.reader() as session:
        trusted = trusted_identities(session)
    assert set(trusted) == {us_node.keys.identity.fingerprint}
    body, headers = sign_batch(impostor, "MX", [own_side_alert()])
    with pytest.raises(MessagesRefused) as refused:
        receive_batch(
            mx_node.database,
            body,
            signer=headers[SIGNER_HEADER],
            signature=headers[SIGNATURE_HEADER],
            own_country="MX",
            now=NOW,
        )
    assert refused.value.code == "unknown-signer"
    with mx_node.database.reader() as session:
        assert session.scalar(select(func.count()).select_from(Alert)) == 0
