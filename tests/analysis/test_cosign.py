"""The joint edition's co-signature travels as a signed cycle message (issue 20, Build 2): two
real nodes, served over HTTP, exchange a quarter's packages both ways; each signs its edition
and the signature reaches the other through the cycle-message transport (sealed, retried,
applied once). A tampered, replayed or untrusted message is refused and keeps nothing; a
message whose inner signature does not hold is answered ``workflow`` and keeps nothing."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import httpx2 as httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.analysis.cosign import KIND, sign_and_send, signature_state
from alianza.analysis.joint import joint_analysis
from alianza.analysis.models import EditionSignatureRow
from alianza.analysis.render import content_hash
from alianza.catalogue import in_language
from alianza.cli import cli
from alianza.exchange.keys import create_node_keys
from alianza.exchange.partners import set_partner_url
from alianza.exchange.service import build_and_record, record_acknowledgement, record_sent
from alianza.exchange.transport import send_package
from alianza.pme.cycle_envelope import MessageRefused, seal
from alianza.pme.cycle_inbox import receive_envelope
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycle_transport import ENDPOINT, envelope_of, send_cycle_messages
from alianza.pme.engine_models import CycleMessageLogRow
from tests.exchange.conftest import COVERAGE, Node, sample_tables
from tests.exchange.test_http import serving

QUARTER = "2019-Q1"


def exchanged(us: Node, mx: Node, urls: dict[str, str]) -> None:
    """Each node builds its package of the quarter and sends it to the other over HTTP."""
    for sender, receiver in ((us, mx), (mx, us)):
        country = sender.keys.identity.country
        data, _ = build_and_record(
            sender.database,
            sender.keys,
            quarter=QUARTER,
            tables=sample_tables(country, QUARTER, seed=len(country)),
            coverage=COVERAGE,
            actor=NodeSelf("test"),
        )
        url = urls[receiver.keys.identity.country]
        delivery = send_package(data, url)
        assert delivery.status == "stored"
        sha256 = hashlib.sha256(data).hexdigest()
        record_sent(sender.database, sha256, url)
        assert record_acknowledgement(sender.database, delivery.receipt, sent=sha256)


def edition_hash(node: Node) -> str:
    with node.database.reader() as session:
        analysis = joint_analysis(
            session, QUARTER, own_country=node.keys.identity.country, inputs="packages"
        )
    assert all(analysis.available.values())
    return content_hash(analysis)


def signed_by(node: Node, digest: str) -> dict[str, str | None]:
    with node.database.reader() as session:
        states = signature_state(session, QUARTER, digest, ("US", "MX"))
    return {s.country: s.signature.via if s.signature else None for s in states}


def kept(node: Node) -> int:
    with node.database.reader() as session:
        return session.scalar(select(func.count()).select_from(EditionSignatureRow)) or 0


def send(node: Node) -> dict[str, int]:
    report = send_cycle_messages(node.database, node.keys, sleep=lambda _: None)
    assert report.error is None, report.error
    return report.outcomes


def refused_code(node: Node, body: bytes) -> str:
    with pytest.raises(MessageRefused) as refused:
        receive_envelope(node.database, body, keys=node.keys)
    return refused.value.code


def test_each_government_signs_and_the_signature_reaches_the_other_node(
    us_node: Node, mx_node: Node
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        exchanged(us_node, mx_node, {"US": us_url, "MX": mx_url})
        digest = edition_hash(us_node)
        assert edition_hash(mx_node) == digest
        with us_node.database.transaction() as session:
            set_partner_url(session, mx_node.keys.identity.name, mx_url, actor=NodeSelf("test"))
        with mx_node.database.transaction() as session:
            set_partner_url(session, us_node.keys.identity.name, us_url, actor=NodeSelf("test"))

        with us_node.database.transaction() as session:
            sign_and_send(
                session, us_node.keys, quarter=QUARTER, content_hash=digest, actor=NodeSelf("ana")
            )
        assert signed_by(us_node, digest) == {"US": "own", "MX": None}
        assert signed_by(mx_node, digest) == {"US": None, "MX": None}
        assert send(us_node) == {"applied": 1}
        assert signed_by(mx_node, digest) == {"US": "message", "MX": None}

        # a re-delivery over HTTP is answered "duplicate" and keeps nothing more
        with us_node.database.reader() as session:
            [row] = all_messages(session)
        assert row.kind == KIND
        body = envelope_of(us_node.keys, row)
        answer = httpx.post(mx_url + ENDPOINT, content=body)
        assert answer.status_code == 200
        assert answer.json()["outcome"] == "duplicate"
        assert kept(mx_node) == 1

        # tampered in transit (the hash the signature names): refused with its code
        envelope = json.loads(body)
        envelope["message"] = envelope["message"].replace(digest, "0" * 64)
        answer = httpx.post(mx_url + ENDPOINT, content=json.dumps(envelope).encode())
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "bad-signature"
        assert kept(mx_node) == 1

        # Mexico signs its own edition, the same hash: both nodes hold both signatures
        with mx_node.database.transaction() as session:
            sign_and_send(
                session, mx_node.keys, quarter=QUARTER, content_hash=digest, actor=NodeSelf("eva")
            )
        assert send(mx_node) == {"applied": 1}
        assert signed_by(us_node, digest) == {"US": "own", "MX": "message"}
        assert signed_by(mx_node, digest) == {"US": "message", "MX": "own"}


def test_replayed_untrusted_and_forged_signatures_keep_nothing(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        exchanged(us_node, mx_node, {"US": us_url, "MX": mx_url})
    digest = edition_hash(mx_node)
    with us_node.database.transaction() as session:
        sign_and_send(
            session, us_node.keys, quarter=QUARTER, content_hash="1" * 64, actor=NodeSelf("ana")
        )
        sign_and_send(
            session, us_node.keys, quarter=QUARTER, content_hash=digest, actor=NodeSelf("ana")
        )
    with us_node.database.reader() as session:
        first, second = all_messages(session)
    assert receive_envelope(
        mx_node.database, envelope_of(us_node.keys, second), keys=mx_node.keys
    ).outcome == "applied"  # fmt: skip
    assert kept(mx_node) == 1
    # the older message, never applied here, arrives after a newer one: a replay
    assert refused_code(mx_node, envelope_of(us_node.keys, first)) == "replayed"
    assert kept(mx_node) == 1

    # a stranger's key, although the message names the US node
    stranger = create_node_keys(tmp_path / "stranger", name="US node (CBP)", country="US")
    payload = dict(second.payload)
    forged = seal(
        stranger,
        message_id="f0000000-0000-0000-0000-000000000001",
        seq=99,
        destination="MX",
        kind=KIND,
        payload=payload,
        created_at="2019-04-20T00:00:00+00:00",
    )
    assert refused_code(mx_node, forged) == "unknown-signer"

    # sealed by the trusted partner, but the signature inside does not hold for the hash it
    # names: authentic message, not applied ("workflow"), nothing kept
    inner = {**payload["signature"], "content_hash": "2" * 64}
    sealed = seal(
        us_node.keys,
        message_id="f0000000-0000-0000-0000-000000000002",
        seq=100,
        destination="MX",
        kind=KIND,
        payload={**payload, "signature": inner},
        created_at="2019-04-20T00:00:00+00:00",
    )
    arrival = receive_envelope(mx_node.database, sealed, keys=mx_node.keys)
    assert arrival.outcome == "workflow"
    assert arrival.detail == "the signature does not verify"
    # the refusal stays a catalogue message: said in Spanish, and kept in Spanish in the log
    assert in_language(arrival.detail, "es") == "la firma no se verifica"
    with mx_node.database.reader() as session:
        logged = session.scalars(
            select(CycleMessageLogRow).order_by(CycleMessageLogRow.id.desc())
        ).first()
    assert logged is not None
    assert (logged.detail, logged.detail_es) == (
        "the signature does not verify",
        "la firma no se verifica",
    )
    # the partner's node cannot sign for this node's government either
    mine = {**payload["signature"], "country": "MX"}
    sealed = seal(
        us_node.keys,
        message_id="f0000000-0000-0000-0000-000000000003",
        seq=101,
        destination="MX",
        kind=KIND,
        payload={**payload, "signature": mine},
        created_at="2019-04-20T00:00:00+00:00",
    )
    assert receive_envelope(mx_node.database, sealed, keys=mx_node.keys).outcome == "workflow"
    assert kept(mx_node) == 1
    assert signed_by(mx_node, digest) == {"US": "message", "MX": None}


def test_cli_signs_queues_and_lists_the_signatures(us_node: Node, mx_node: Node) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        exchanged(us_node, mx_node, {"US": us_url, "MX": mx_url})
        folder = us_node.home / "courier"

        def run(node: Node, *args: str, language: str = "en") -> str:
            result = CliRunner().invoke(
                cli,
                ["--home", str(node.home), *args],
                env={"ALIANZA_DATABASE_URL": node.database.url, "ALIANZA_LANGUAGE": language},
            )
            assert result.exit_code == 0, result.output
            return result.output

        out = run(us_node, "analysis", "sign", "--quarter", QUARTER, "--by", "ana")
        assert "queued for the partner node" in out
        # the courier route of cycle messages carries it too
        run(us_node, "pme", "cycle", "send", "--folder", str(folder))
        run(mx_node, "pme", "cycle", "receive", str(folder / "MX"))
        assert f"joint-analysis:{QUARTER}" in run(us_node, "pme", "cycle", "messages")
        listed = run(mx_node, "analysis", "signatures", "--quarter", QUARTER)
        assert f"US: signed by {us_node.keys.identity.name}" in listed
        assert "via message" in listed
        assert "MX: not signed" in listed
        # in the user's language, one language a line (no "English / Spanish" pairs)
        listado = run(mx_node, "analysis", "signatures", "--quarter", QUARTER, language="es")
        assert f"US: firmada por {us_node.keys.identity.name}" in listado
        assert "vía message" in listado
        assert "MX: sin firmar" in listado
        assert "signed" not in listado


def test_a_signature_file_of_the_partner_cannot_speak_for_this_government(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """Red team (sec22): the file route (``alianza analysis verify``) kept whatever country the
    document named, once the signature verified. The US node's key signs a document that says
    ``"country": "MX"``: the MX node then showed its own government as having signed."""
    import base64

    from alianza.analysis.signing import _payload, sign_edition

    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        exchanged(us_node, mx_node, {"US": us_url, "MX": mx_url})
    digest = edition_hash(mx_node)
    genuine = sign_edition(us_node.keys, quarter=QUARTER, content_hash=digest)
    claimed = {**genuine, "country": "MX", "node": mx_node.keys.identity.name}
    claimed["signature"] = base64.b64encode(us_node.keys.sign(_payload(claimed))).decode()
    forged = tmp_path / "signature-mx.json"
    forged.write_text(json.dumps(claimed), "utf-8")

    result = CliRunner().invoke(
        cli,
        ["--home", str(mx_node.home), "analysis", "verify", "--quarter", QUARTER, str(forged)],
        env={"ALIANZA_DATABASE_URL": mx_node.database.url, "ALIANZA_LANGUAGE": "en"},
    )
    assert result.exit_code != 0, result.output
    assert "names MX" in result.output
    assert kept(mx_node) == 0
    from alianza.analysis.signing import EditionSignatureInvalid, verify_edition_signature
    from alianza.catalogue import message_of
    from alianza.exchange.service import signing_identities

    with mx_node.database.reader() as session:
        identities = signing_identities(session, mx_node.keys.identity)
    with pytest.raises(EditionSignatureInvalid) as refused:
        verify_edition_signature(claimed, identities, content_hash=digest)
    assert in_language(message_of(refused.value), "es").startswith("la firma dice ser de MX")
    assert signed_by(mx_node, digest) == {"US": None, "MX": None}
    # the genuine document of the same key is kept, under its own country
    genuine_file = tmp_path / "signature-us.json"
    genuine_file.write_text(json.dumps(genuine), "utf-8")
    result = CliRunner().invoke(
        cli,
        ["--home", str(mx_node.home), "analysis", "verify", "--quarter", QUARTER,
         str(genuine_file)],
        env={"ALIANZA_DATABASE_URL": mx_node.database.url, "ALIANZA_LANGUAGE": "en"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert signed_by(mx_node, digest) == {"US": "file", "MX": None}
