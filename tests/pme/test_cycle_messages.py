"""A reporting cycle across two real nodes over HTTP: each government writes, returns and
approves on its own node; the steps travel as signed cycle messages; both nodes publish the
same edition, signed by both governments. Forged, tampered, replayed and untrusted messages
are refused and change nothing; a re-delivery is applied once."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import httpx2 as httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.cli import cli
from alianza.exchange.keys import create_node_keys
from alianza.exchange.partners import set_partner_url, trusted_identities
from alianza.pme import cycle_publish, cycles
from alianza.pme.cycle_envelope import MessageRefused, seal
from alianza.pme.cycle_inbox import receive_envelope
from alianza.pme.cycle_outbox import all_messages
from alianza.pme.cycle_transport import (
    ENDPOINT,
    envelope_of,
    receive_cycle_files,
    send_cycle_messages,
)
from alianza.pme.cycles import CycleState, Government
from alianza.pme.edition import verify_edition
from alianza.pme.engine_models import CycleMessageLogRow, CycleStepRow, StatusTextRow
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.exchange.conftest import Node, introduce, make_node
from tests.exchange.test_http import serving

KEY = "2000-02"
US_EN = "The US Customs Service trained 40 Mexican inspectors in 1999."
US_ES = "El Servicio de Aduanas de EE. UU. capacitó a 40 inspectores mexicanos en 1999."
MX_EN = "The AGA deployed X-ray units at six crossings."
MX_ES = "La AGA desplegó equipos de rayos X en seis cruces."
MX_ES_REVISED = "La AGA desplegó equipos de rayos X en seis cruces fronterizos."
RETURN_REASON = "MX: name the crossings in the Spanish text / nombrar los cruces"


@pytest.fixture
def us_node(database_url: str, tmp_path: Path) -> Iterator[Node]:
    node = make_node(tmp_path / "us", database_url, "US node (CBP)", "US")
    import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
    yield node
    node.database.dispose()


@pytest.fixture
def mx_node(tmp_path: Path, us_node: Node) -> Iterator[Node]:
    node = make_node(tmp_path / "mx", f"sqlite:///{tmp_path / 'mx.db'}", "Nodo MX (SRE)", "MX")
    import_report_file(node.database, SEED_REPORT, actor=NodeSelf("test"))
    introduce(us_node, node)
    yield node
    node.database.dispose()


def state(node: Node) -> CycleState:
    with node.database.reader() as session:
        return cycles.cycle_view(session, KEY).state


def snapshot(node: Node) -> tuple[int, int, int]:
    """Rows that a refused message must not change: texts, steps, audit entries."""
    with node.database.reader() as session:
        return (
            session.scalar(select(func.count()).select_from(StatusTextRow)) or 0,
            session.scalar(select(func.count()).select_from(CycleStepRow)) or 0,
            session.scalar(select(func.count()).select_from(AuditEntry)) or 0,
        )


def send(node: Node) -> dict[str, int]:
    report = send_cycle_messages(node.database, node.keys, sleep=lambda _: None)
    assert report.error is None, report.error
    return report.outcomes


def register_urls(us: Node, us_url: str, mx: Node, mx_url: str) -> None:
    with us.database.transaction() as session:
        set_partner_url(session, mx.keys.identity.name, mx_url, actor=NodeSelf("test"))
    with mx.database.transaction() as session:
        set_partner_url(session, us.keys.identity.name, us_url, actor=NodeSelf("test"))


def write(node: Node, government: Government, en: str, es: str, by: str) -> None:
    with node.database.transaction() as session:
        for language, text in (("en", en), ("es", es)):
            cycles.enter_status(
                session,
                KEY,
                "10.3",
                government=government,
                language=language,
                text=text,
                actor=NodeSelf(by),
            )


def approve(node: Node, government: Government, by: str) -> None:
    with node.database.transaction() as session:
        for language in ("en", "es"):
            cycles.approve_cycle(
                session, KEY, government=government, language=language, actor=NodeSelf(by)
            )


def run_cycle_to_publication(
    us: Node, mx: Node, *, before_resubmitting: Callable[[], None] | None = None
) -> None:
    with us.database.transaction() as session:
        cycles.open_cycle(
            session,
            KEY,
            as_of=date(2000, 2, 29),
            label_en="Status as of 29 Feb 2000",
            label_es="Estado al 29 feb 2000",
            actor=NodeSelf("coordinator-us"),
        )
    assert send(us) == {"applied": 1}
    write(us, Government.US, US_EN, US_ES, "coordinator-us")
    write(mx, Government.MX, MX_EN, MX_ES, "coordinador-mx")
    assert send(us) == send(mx) == {}  # texts being written stay on their node
    with us.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinator-us"))
    assert send(us) == {"applied": 1}
    assert state(mx) is CycleState.IN_REVIEW
    with mx.database.transaction() as session:  # Mexico submits its texts into the round
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinador-mx"))
    assert send(mx) == {"applied": 1}
    with mx.database.transaction() as session:
        cycles.return_cycle(
            session,
            KEY,
            government=Government.MX,
            comment=RETURN_REASON,
            actor=NodeSelf("coordinador-mx"),
        )
    send(mx)
    assert state(us) is CycleState.RETURNED
    with mx.database.transaction() as session:
        cycles.enter_status(
            session,
            KEY,
            "10.3",
            government=Government.MX,
            language="es",
            text=MX_ES_REVISED,
            position=1,
            actor=NodeSelf("analista-mx"),
        )
    assert send(mx) == {}
    if before_resubmitting is not None:
        before_resubmitting()
    with us.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinator-us"))
    send(us)
    with mx.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinador-mx"))
    send(mx)
    approve(us, Government.US, "coordinator-us")
    approve(mx, Government.MX, "coordinador-mx")
    assert send(us) == {"applied": 2}
    assert send(mx) == {"applied": 2}
    assert state(us) is state(mx) is CycleState.APPROVED
    with us.database.transaction() as session:
        cycles.lock_cycle(session, KEY, actor=NodeSelf("coordinator-us"))
    send(us)
    assert state(mx) is CycleState.LOCKED
    with us.database.transaction() as session:
        cycle_publish.publish_cycle(session, KEY, actor=NodeSelf("coordinator-us"), keys=us.keys)
    assert send(us) == {"applied": 1}  # the MX node publishes too, and signs
    # its signature goes back (the MX node pushes it at once; sending again is harmless)
    assert set(send(mx)) <= {"applied", "duplicate"}


def trusted(node: Node) -> dict[str, object]:
    with node.database.reader() as session:
        keys = dict(trusted_identities(session))
    keys[node.keys.identity.fingerprint] = node.keys.identity
    return keys


def test_cycle_across_two_nodes_publishes_the_same_signed_edition(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node)
        files = {}
        for name, node in (("us", us_node), ("mx", mx_node)):
            assert state(node) is CycleState.PUBLISHED
            with node.database.reader() as session:
                files[name] = cycle_publish.edition_file(session, KEY)
        # the same content, hashed independently of the code under test
        canonical = json.dumps(
            files["us"]["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
        ).encode()
        expected = hashlib.sha256(canonical).hexdigest()
        assert files["us"]["sha256"] == files["mx"]["sha256"] == expected
        assert files["us"]["content"] == files["mx"]["content"]
        for name, node in (("us", us_node), ("mx", mx_node)):
            assert [s["country"] for s in files[name]["signatures"]] == ["US", "MX"]
            check = verify_edition(files[name], trusted(node))  # type: ignore[arg-type]
            assert check.ok, check.lines
        # who wrote and who approved, as both nodes hold it
        status = {(s["government"], s["position"]): s for s in files["mx"]["content"]["status"]}
        assert status[("US", 1)]["en"]["written_by"] == {
            "account": "coordinator-us",
            "government": "US",
        }
        assert status[("MX", 1)]["es"]["text"] == MX_ES_REVISED
        assert status[("MX", 1)]["es"]["written_by"] == {
            "account": "analista-mx",
            "government": "MX",
        }
        workflow = files["us"]["content"]["workflow"]
        returned = [s for s in workflow if s["step"] == "return"]
        assert returned == [
            {
                "round": 1,
                "step": "return",
                "government": "MX",
                "language": None,
                "comment": RETURN_REASON,
                "by": {"account": "coordinador-mx", "government": "MX"},
            }
        ]
        approvals = {
            (s["by"]["government"], s["language"]) for s in workflow if s["step"] == "approve"
        }
        assert approvals == {("US", "en"), ("US", "es"), ("MX", "en"), ("MX", "es")}
        # on the US node, Mexico's paragraph is the partner's, marked so, and audited
        with us_node.database.reader() as session:
            view = cycles.cycle_view(session, KEY)
            mx_text = next(t for t in view.texts if t.government == "MX" and t.language == "en")
            assert mx_text.written_by == "coordinador-mx (Nodo MX (SRE))"
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "pme.cycle.return")
            ).one()
            assert entry.details["account"] == "coordinador-mx"
            assert entry.details["country"] == "MX"
            assert entry.details["via"].startswith("MX node Nodo MX (SRE), key ")
        # a re-delivery of every message the US node sent changes nothing
        before = snapshot(mx_node)
        with us_node.database.reader() as session:
            rows = all_messages(session)
        for row in rows:
            assert (
                receive_envelope(
                    mx_node.database, envelope_of(us_node.keys, row), keys=mx_node.keys
                ).outcome
                == "duplicate"
            )
        assert snapshot(mx_node) == before
        # over HTTP, a tampered message is refused with its code, and changes nothing
        envelope = json.loads(envelope_of(us_node.keys, rows[-1]))
        envelope["message"] = envelope["message"].replace('"sha256":"', '"sha256":"0')
        answer = httpx.post(mx_url + ENDPOINT, content=json.dumps(envelope).encode())
        assert answer.status_code == 403
        assert answer.json()["error"]["code"] == "bad-signature"
        assert snapshot(mx_node) == before
        # a published file verifies from the command line, in both languages; altered, it fails
        path = tmp_path / "edition.json"
        path.write_text(json.dumps(files["mx"], ensure_ascii=False), "utf-8")
        env = {"ALIANZA_DATABASE_URL": us_node.database.url}
        verify = ["--home", str(us_node.home), "pme", "cycle", "verify", str(path)]
        result = CliRunner().invoke(cli, verify, env=env)
        assert result.exit_code == 0, result.output
        assert expected in result.output
        assert "firmado por Nodo MX (SRE)" in result.output
        files["mx"]["content"]["status"][0]["en"]["text"] += " (edited)"
        path.write_text(json.dumps(files["mx"], ensure_ascii=False), "utf-8")
        result = CliRunner().invoke(cli, verify, env=env)
        assert result.exit_code == 1
        assert "FAIL" in result.output
        assert "FALLA" in result.output


def opened_on_both(us: Node, mx: Node) -> bytes:
    """Open the cycle on the US node, deliver it by file; the US texts are written and
    submitted; returns the submission (the next US message, not delivered)."""
    with us.database.transaction() as session:
        cycles.open_cycle(
            session,
            KEY,
            as_of=date(2000, 2, 29),
            label_en="Feb 2000",
            label_es="feb 2000",
            actor=NodeSelf("coordinator-us"),
        )
    outbox = us.home / "outbox"
    send_cycle_messages(us.database, us.keys, folder=outbox)
    [arrival] = receive_cycle_files(mx.database, mx.keys, [outbox / "MX"])
    assert arrival.arrival is not None
    assert arrival.arrival.outcome == "applied"
    write(us, Government.US, US_EN, US_ES, "coordinator-us")
    with us.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinator-us"))
    with us.database.reader() as session:
        return envelope_of(us.keys, all_messages(session)[1])


def refused_code(node: Node, body: bytes) -> str:
    with pytest.raises(MessageRefused) as refused:
        receive_envelope(node.database, body, keys=node.keys)
    return refused.value.code


def test_tampered_message_is_refused_and_changes_nothing(us_node: Node, mx_node: Node) -> None:
    body = opened_on_both(us_node, mx_node)
    envelope = json.loads(body)
    envelope["message"] = envelope["message"].replace("40 Mexican", "400 Mexican")
    before = snapshot(mx_node)
    assert refused_code(mx_node, json.dumps(envelope).encode()) == "bad-signature"
    assert snapshot(mx_node) == before
    with mx_node.database.reader() as session:
        logged = session.scalars(select(CycleMessageLogRow.code)).all()
    assert logged == [None, "bad-signature"]
    # the genuine message still applies afterwards
    assert receive_envelope(mx_node.database, body, keys=mx_node.keys).outcome == "applied"


def test_message_signed_by_an_untrusted_or_rotated_out_key_is_refused(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    opened_on_both(us_node, mx_node)
    stranger = create_node_keys(tmp_path / "stranger", name="US node (CBP)", country="US")
    payload = {"plan": "bnds-1999", "cycle": KEY, "by": "intruder", "round": 1}
    forged = seal(
        stranger,
        message_id="f0000000-0000-0000-0000-000000000001",
        seq=99,
        destination="MX",
        kind="submit",
        payload=payload,
        created_at="2000-03-01",
    )
    before = snapshot(mx_node)
    assert refused_code(mx_node, forged) == "unknown-signer"
    assert snapshot(mx_node) == before
    # the US node rotates its key; the MX node trusts only the new one: the old is refused
    from alianza.exchange.rotation import accept_rotation, rotate_node_keys

    old_keys = us_node.keys
    new_keys, notice = rotate_node_keys(us_node.home)
    with mx_node.database.transaction() as session:
        accept_rotation(
            session,
            notice,
            own_fingerprint=mx_node.keys.identity.fingerprint,
            actor=NodeSelf("test"),
        )
    with us_node.database.reader() as session:
        row = all_messages(session)[1]
    before = snapshot(mx_node)
    assert refused_code(mx_node, envelope_of(old_keys, row)) == "unknown-signer"
    assert snapshot(mx_node) == before
    assert state(mx_node) is CycleState.OPEN
    assert receive_envelope(mx_node.database, envelope_of(new_keys, row), keys=mx_node.keys)


def test_replayed_message_is_refused_and_redelivery_is_applied_once(
    us_node: Node, mx_node: Node
) -> None:
    submission = opened_on_both(us_node, mx_node)
    assert receive_envelope(mx_node.database, submission, keys=mx_node.keys).outcome == "applied"
    before = snapshot(mx_node)
    assert receive_envelope(mx_node.database, submission, keys=mx_node.keys).outcome == "duplicate"
    assert snapshot(mx_node) == before
    # a message the MX node never applied, older than one it applied: a replay
    with us_node.database.transaction() as session:
        for language in ("en", "es"):
            cycles.approve_cycle(
                session,
                KEY,
                government=Government.US,
                language=language,
                actor=NodeSelf("coordinator-us"),
            )
    with us_node.database.reader() as session:
        english, spanish = all_messages(session)[2:4]
    assert (
        receive_envelope(
            mx_node.database, envelope_of(us_node.keys, spanish), keys=mx_node.keys
        ).outcome
        == "applied"
    )
    after_later = snapshot(mx_node)
    assert refused_code(mx_node, envelope_of(us_node.keys, english)) == "replayed"
    assert snapshot(mx_node) == after_later != before
    with mx_node.database.reader() as session:
        approvals = cycles.cycle_view(session, KEY).approvals()
    # the English approval was not applied
    assert approvals == {("US", "es"): "approved"}


def test_own_government_only_on_each_node(us_node: Node, mx_node: Node) -> None:
    opened_on_both(us_node, mx_node)
    from alianza.node import ForeignCountry

    with pytest.raises(ForeignCountry), mx_node.database.transaction() as session:
        cycles.enter_status(
            session,
            KEY,
            "10.3",
            government=Government.US,
            language="en",
            text="written for the US on the MX node",
            actor=NodeSelf("coordinador-mx"),
        )


def test_crossed_step_is_answered_workflow_and_changes_nothing(
    us_node: Node, mx_node: Node
) -> None:
    """The US node submits and approves while the MX node, not yet told, submits its
    paragraphs: they reach a cycle already approved in part and are not applied there; the
    sender is told why."""
    opened_on_both(us_node, mx_node)
    approve(us_node, Government.US, "coordinator-us")
    write(mx_node, Government.MX, MX_EN, MX_ES, "coordinador-mx")
    with mx_node.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinador-mx"))
    with mx_node.database.reader() as session:
        first = envelope_of(mx_node.keys, all_messages(session)[0])
    before = snapshot(us_node)
    arrival = receive_envelope(us_node.database, first, keys=us_node.keys)
    assert arrival.outcome == "workflow"
    assert "in_review" in arrival.detail
    with us_node.database.reader() as session:
        assert [t.government for t in cycles.cycle_view(session, KEY).texts] == ["US", "US"]
        outcomes = session.scalars(select(CycleMessageLogRow.outcome)).all()
    assert outcomes == ["workflow"]
    texts, steps, audit_entries = snapshot(us_node)
    assert (texts, steps) == before[:2]
    assert audit_entries == before[2] + 1  # pme.cycle.message.not-applied


def test_verify_refuses_an_edition_signed_by_one_government_only(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    from alianza.pme.edition import edition_hash, sign_edition

    content = {"plan": "bnds-1999", "cycle": {"key": KEY}, "status": []}
    digest = edition_hash(content)
    document = {
        "sha256": digest,
        "content": content,
        "signatures": [sign_edition(us_node.keys, "bnds-1999", KEY, digest)],
    }
    check = verify_edition(document, trusted(us_node))  # type: ignore[arg-type]
    assert not check.ok
    assert ("FAIL  MX: no signature", "FALLA MX: sin firma del gobierno de MX") in check.lines
    # the MX signature by a key nobody trusts does not count either
    stranger = create_node_keys(tmp_path / "stranger", name="Nodo MX (falso)", country="MX")
    document["signatures"].append(sign_edition(stranger, "bnds-1999", KEY, digest))
    check = verify_edition(document, trusted(us_node))  # type: ignore[arg-type]
    assert not check.ok
    key = stranger.identity.fingerprint[:16]
    assert (  # the reason is said in each line's language
        f"FAIL  MX: key {key}… is not a trusted MX key",
        f"FALLA MX: firma no válida (la llave {key}… no es una llave de confianza de MX)",
    ) in check.lines
    document["signatures"][1] = sign_edition(mx_node.keys, "bnds-1999", KEY, digest)
    assert verify_edition(document, trusted(us_node)).ok  # type: ignore[arg-type]


def test_drafts_stay_on_their_node_until_the_government_submits(
    us_node: Node, mx_node: Node
) -> None:
    """Texts written, revised and withdrawn before the submission never leave the MX node;
    the submission carries the texts as submitted (and a re-delivery changes nothing)."""
    opened_on_both(us_node, mx_node)
    draft = "BORRADOR-INTERNO: cifra sin confirmar"
    write(mx_node, Government.MX, MX_EN, draft, "analista-mx")
    with mx_node.database.transaction() as session:
        cycles.enter_status(
            session, KEY, "10.3", government=Government.MX, language="en",
            text="A second paragraph, withdrawn before submission.", actor=NodeSelf("analista-mx"),
        )  # fmt: skip
        cycles.withdraw_status(
            session, KEY, "10.3", government=Government.MX, position=2,
            reason="not ready", actor=NodeSelf("analista-mx"),
        )  # fmt: skip
        cycles.enter_status(
            session, KEY, "10.3", government=Government.MX, language="es", text=MX_ES,
            position=1, actor=NodeSelf("coordinador-mx"),
        )  # fmt: skip
    with mx_node.database.reader() as session:
        assert all_messages(session) == []  # nothing queued for the partner
    with us_node.database.reader() as session:
        submission = envelope_of(us_node.keys, all_messages(session)[1])
    assert receive_envelope(mx_node.database, submission, keys=mx_node.keys).outcome == "applied"
    with mx_node.database.transaction() as session:
        cycles.submit_cycle(session, KEY, actor=NodeSelf("coordinador-mx"))
    with mx_node.database.reader() as session:
        [message] = all_messages(session)
        body = envelope_of(mx_node.keys, message)
    assert message.kind == "submit"
    assert draft.encode() not in body
    assert b"withdrawn before" not in body
    assert [(t["language"], t["text"], t["by"]) for t in message.payload["texts"]] == [
        ("en", MX_EN, "analista-mx"),
        ("es", MX_ES, "coordinador-mx"),
    ]
    assert receive_envelope(us_node.database, body, keys=us_node.keys).outcome == "applied"
    before = snapshot(us_node)
    assert receive_envelope(us_node.database, body, keys=us_node.keys).outcome == "duplicate"
    assert snapshot(us_node) == before
    with us_node.database.reader() as session:
        view = cycles.cycle_view(session, KEY)
        mx = [(t.position, t.language, t.text, t.state) for t in view.texts if t.government == "MX"]
        assert "BORRADOR" not in json.dumps(
            [e.details for e in session.scalars(select(AuditEntry))], ensure_ascii=False
        )
    assert sorted(mx) == [(1, "en", MX_EN, "source"), (1, "es", MX_ES, "draft")]
    assert view.state is CycleState.IN_REVIEW
    assert view.round == 1


def test_rendered_downloads_show_the_hash_and_both_signatures(
    us_node: Node, mx_node: Node, tmp_path: Path
) -> None:
    """The DOCX, HTML and Markdown of the published cycle, in each language, show the
    content hash and each government's signature (government, node, key fingerprint, time)
    with English and Spanish labels."""
    import re
    import zipfile

    from alianza.pme.publication import write_publication

    with serving(us_node) as us_url, serving(mx_node) as mx_url:
        register_urls(us_node, us_url, mx_node, mx_url)
        run_cycle_to_publication(us_node, mx_node)
    with mx_node.database.reader() as session:
        document = cycle_publish.edition_file(session, KEY)
        written = write_publication(session, KEY, tmp_path / "out", formats=("md", "html", "docx"))
    canonical = json.dumps(
        document["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode()
    digest = hashlib.sha256(canonical).hexdigest()
    times = {s["country"]: s["signed_at"] for s in document["signatures"]}
    assert set(times) == {"US", "MX"}
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", t) for t in times.values())
    assert len(written) == 6
    for file in written:
        data = file.path.read_bytes()
        if file.path.suffix == ".docx":
            with zipfile.ZipFile(file.path) as docx:
                data = docx.read("word/document.xml")
        text = data.decode()
        assert digest in text, file.path
        assert "SHA-256 del contenido" in text
        assert "Content SHA-256" in text
        for node, en, es in (
            (us_node, "United States", "Estados Unidos"),
            (mx_node, "Mexico", "México"),
        ):
            line = (
                f"Signed by the government of {en} / Firmado por el gobierno de {es}: "
                f"{node.keys.identity.name}, key / clave {node.keys.identity.fingerprint}, "
                f"{times[node.keys.identity.country]}"
            )
            assert line in text.replace("&amp;", "&"), (file.path, line)
