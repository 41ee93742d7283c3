"""Reporting cycles: the full workflow on SQLite and PostgreSQL, translation states, diff."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alianza.accounts.permissions import Country, Role
from alianza.accounts.principal import ForeignAccount
from alianza.accounts.service import Principal
from alianza.actors import NodeSelf
from alianza.audit import AuditEntry, verify_chain
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.db import Database
from alianza.exchange.keys import NodeIdentity
from alianza.node import ForeignCountry
from alianza.pme.cycle_diff import diff_cycles
from alianza.pme.cycle_publish import cycle_status, publication, publish_cycle
from alianza.pme.cycles import (
    CycleRefused,
    CycleState,
    Government,
    PartnerAct,
    StaleTranslation,
    TranslationState,
    approve_cycle,
    cycle_view,
    enter_status,
    lock_cycle,
    open_cycle,
    record_partner_approval,
    record_partner_paragraph,
    return_cycle,
    submit_cycle,
    waive_approval,
    withdraw_status,
)
from tests.pme.samples import mx_node_identity

US, MX, JOINT = Government.US, Government.MX, Government.JOINT
# The tests run on the US node; Mexico's texts and approvals arrive as its node's signed
# messages, recorded with the verified identity of the MX node.
MX_NODE = mx_node_identity()
EN_1 = "Subgroups on public and civic security have been established in all nine BLMs."
ES_1 = "Se han establecido subgrupos de seguridad pública y civil en los nueve MEF."
EN_2 = "SHCP has established a third liaison office (El Paso, Texas)."
ES_2 = "La SHCP ha establecido una tercera oficina de enlace (El Paso, Texas)."


def open_feb_2000(db: Database, key: str = "2000-02") -> None:
    with db.transaction() as session:
        open_cycle(
            session,
            key,
            as_of=date(2000, 2, 29),
            due=date(2000, 3, 31),
            label_en="Status as of 29 Feb 2000",
            label_es="Estado al 29 feb 2000",
            actor=NodeSelf("sre-secretariat"),
        )


def enter(
    db: Database,
    key: str,
    action: str,
    gov: Government,
    lang: str,
    text: str,
    position: int | None = None,
) -> None:
    """Write a paragraph: the next one of that language, or a new version of ``position``."""
    with db.transaction() as session:
        enter_status(
            session,
            key,
            action,
            government=gov,
            language=lang,
            text=text,
            position=position,
            actor=NodeSelf("agency"),
            partner=PartnerAct(MX_NODE, "agency") if gov is MX else None,
        )


def step(db: Database, name: str, key: str, **kwargs: object) -> None:
    functions = {
        "submit": submit_cycle,
        "return": return_cycle,
        "approve": approve_cycle,
        "waive": waive_approval,
        "lock": lock_cycle,
        "publish": publish_cycle,
    }
    by = str(kwargs.pop("by", "official"))
    if kwargs.get("government") is MX:
        kwargs["partner"] = PartnerAct(MX_NODE, by)
    with db.transaction() as session:
        functions[name](session, key, actor=NodeSelf(by), **kwargs)  # type: ignore[operator]


def test_full_cycle_open_enter_submit_return_approve_publish_diff(seeded_db: Database) -> None:
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "en", EN_1)
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "es", ES_1)
    enter(seeded_db, "2000-02", "10.4", MX, "es", ES_2)
    enter(seeded_db, "2000-02", "10.4", MX, "en", EN_2)
    step(seeded_db, "submit", "2000-02")
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="return it first"):
        enter_status(
            session,
            "2000-02",
            "10.4",
            government=MX,
            language="es",
            text="x",
            actor=NodeSelf("node"),
            partner=PartnerAct(MX_NODE, "agency"),
        )
    step(seeded_db, "approve", "2000-02", government=US, language="en")
    step(seeded_db, "return", "2000-02", government=MX, comment="Name the BLMs in 10.4.1.")
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "en", EN_1 + " (Tijuana … Matamoros)", 1)
    with seeded_db.reader() as session:
        view = cycle_view(session, "2000-02")
    states = {t.address: t.state for t in view.texts}
    assert view.state is CycleState.RETURNED
    assert states["10.4.1/JOINT/1/en"] is TranslationState.SOURCE
    assert states["10.4.1/JOINT/1/es"] is TranslationState.STALE
    assert states["10.4/MX/1/es"] is TranslationState.SOURCE
    assert states["10.4/MX/1/en"] is TranslationState.DRAFT
    step(seeded_db, "submit", "2000-02")
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="stale"):
        approve_cycle(
            session,
            "2000-02",
            government=MX,
            language="es",
            actor=NodeSelf("node"),
            partner=PartnerAct(MX_NODE, "sre"),
        )
    step(seeded_db, "return", "2000-02", government=MX, comment="Update the Spanish text.")
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "es", ES_1 + " (Tijuana … Matamoros)", 1)
    step(seeded_db, "submit", "2000-02")
    for gov in (US, MX):
        for lang in ("en", "es"):
            assert cycle_state(seeded_db) is CycleState.IN_REVIEW
            step(seeded_db, "approve", "2000-02", government=gov, language=lang)
    assert cycle_state(seeded_db) is CycleState.APPROVED
    with seeded_db.reader() as session:
        approved = {t.address: t.state for t in cycle_view(session, "2000-02").texts}
    assert approved["10.4.1/JOINT/1/es"] is TranslationState.APPROVED
    assert approved["10.4/MX/1/en"] is TranslationState.APPROVED
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="locked"):
        publish_cycle(session, "2000-02", actor=NodeSelf("sre"))
    step(seeded_db, "lock", "2000-02")
    step(seeded_db, "publish", "2000-02")
    with seeded_db.reader() as session:
        published = publication(session, "2000-02")
        frozen = cycle_status(session, "2000-02")
        entries = [e.action for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
        chain = verify_chain(session)
    assert published.content["cycle"]["label"] == {
        "en": "Status as of 29 Feb 2000",
        "es": "Estado al 29 feb 2000",
    }
    assert [(e["action"], e["government"]) for e in frozen] == [("10.4", "MX"), ("10.4.1", "JOINT")]
    assert len(published.sha256) == 64
    assessed = published.content["assessment"]
    assert assessed["as_of"] == "2000-02-29"
    steps = [e.removeprefix("pme.cycle.") for e in entries if e.startswith("pme.cycle.")]
    assert steps.count("enter") == 6
    assert [s for s in steps if s != "enter"] == [
        "open",
        "submit",
        "approve",
        "return",
        "submit",
        "return",
        "submit",
        "approve",
        "approve",
        "approve",
        "approve",
        "lock",
        "publish",
    ]
    assert chain.ok

    # A later cycle changes one paragraph and adds one; the published one stays as it was.
    open_feb_2000(seeded_db, "2000-08")
    enter(seeded_db, "2000-08", "10.4.1", JOINT, "en", EN_1)
    enter(seeded_db, "2000-08", "10.4", MX, "es", ES_2)
    enter(seeded_db, "2000-08", "10.9", US, "en", "Quarterly exchanges began in 2000-Q1.")
    with seeded_db.reader() as session:
        changes = diff_cycles(session, "2000-02", "2000-08")
        assert cycle_status(session, "2000-02") == frozen
    assert [(c.kind, c.address) for c in changes] == [
        ("removed", "10.4/MX/1/en"),
        ("changed", "10.4.1/JOINT/1/en"),
        ("removed", "10.4.1/JOINT/1/es"),
        ("added", "10.9/US/1/en"),
    ]
    assert changes[1].after == EN_1


def cycle_state(db: Database) -> CycleState:
    with db.reader() as session:
        return cycle_view(session, "2000-02").state


def test_approve_refuses_language_with_missing_text_and_waiver_unblocks(
    seeded_db: Database,
) -> None:
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.9", US, "en", "Quarterly exchanges began.")
    step(seeded_db, "submit", "2000-02")
    with (
        seeded_db.transaction() as session,
        pytest.raises(CycleRefused, match=r"10\.9/US/1: no es"),
    ):
        approve_cycle(
            session,
            "2000-02",
            government=MX,
            language="es",
            actor=NodeSelf("node"),
            partner=PartnerAct(MX_NODE, "sre"),
        )
    step(seeded_db, "approve", "2000-02", government=US, language="en")
    step(seeded_db, "approve", "2000-02", government=MX, language="en")
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="reason"):
        waive_approval(
            session, "2000-02", government=US, language="es", reason=" ", actor=NodeSelf("x")
        )
    for gov in (US, MX):
        step(
            seeded_db,
            "waive",
            "2000-02",
            government=gov,
            language="es",
            reason="Spanish text to follow in the next cycle (HLCG, 3 Mar 2000).",
        )
    with seeded_db.reader() as session:
        view = cycle_view(session, "2000-02")
    assert view.state is CycleState.APPROVED
    assert view.approvals() == {
        ("US", "en"): "approved",
        ("MX", "en"): "approved",
        ("US", "es"): "waived",
        ("MX", "es"): "waived",
    }


def test_open_cycle_refuses_duplicate_and_due_before_as_of(seeded_db: Database) -> None:
    open_feb_2000(seeded_db)
    with pytest.raises(CycleRefused, match="exists already"):
        open_feb_2000(seeded_db)
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="before"):
        open_cycle(
            session,
            "bad",
            as_of=date(2000, 2, 29),
            due=date(2000, 1, 1),
            label_en="x",
            label_es="x",
            actor=NodeSelf("x"),
        )


@pytest.mark.parametrize(
    ("key", "due", "english", "spanish"),
    [
        (
            "a/b",
            None,
            "'a/b' is not a cycle key (letters, digits, dashes)",
            "'a/b' no es una clave de ciclo (letras, dígitos, guiones)",
        ),
        (
            "bad",
            date(2000, 1, 1),
            "the submission due date 2000-01-01 is before the as-of date 2000-02-29",
            "la fecha límite de envío 2000-01-01 es anterior a la fecha de corte 2000-02-29",
        ),
    ],
)
def test_an_open_cycle_refusal_is_said_in_spanish(
    seeded_db: Database, key: str, due: date | None, english: str, spanish: str
) -> None:
    with seeded_db.transaction() as session, pytest.raises(CycleRefused) as refused:
        open_cycle(
            session,
            key,
            as_of=date(2000, 2, 29),
            due=due,
            label_en="x",
            label_es="x",
            actor=NodeSelf("x"),
        )
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish


def test_submit_refuses_empty_cycle(seeded_db: Database) -> None:
    open_feb_2000(seeded_db)
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="no status"):
        submit_cycle(session, "2000-02", actor=NodeSelf("x"))


def test_withdraw_status_removes_paragraph_in_both_languages_keeps_audit(
    seeded_db: Database,
) -> None:
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.4", US, "en", EN_2)
    enter(seeded_db, "2000-02", "10.4", US, "es", ES_2)
    enter(seeded_db, "2000-02", "10.4", US, "en", "A duplicate.")
    with seeded_db.transaction() as session:
        withdrawn = withdraw_status(
            session,
            "2000-02",
            "10.4",
            government=US,
            position=1,
            reason="Wrong action",
            actor=NodeSelf("sre"),
        )
    with seeded_db.reader() as session:
        left = [t.address for t in cycle_view(session, "2000-02").texts]
        details = [
            e.details
            for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
            if e.action == "pme.cycle.withdraw"
        ]
    assert withdrawn == 2
    assert left == ["10.4/US/2/en"]
    assert details == [
        {
            "reason": "Wrong action",
            "texts": {"en": EN_2, "es": ES_2},
            "account": "sre",
            "country": "US",
        }
    ]
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="no paragraph 1"):
        withdraw_status(
            session,
            "2000-02",
            "10.4",
            government=US,
            position=1,
            reason="r",
            actor=NodeSelf("x"),
        )


def test_each_government_writes_and_approves_only_on_its_own_node(seeded_db: Database) -> None:
    """Finding of issue 14: a US coordinator could save text under MX and approve for MX."""
    open_feb_2000(seeded_db)
    with seeded_db.transaction() as session, pytest.raises(ForeignCountry, match="US node"):
        enter_status(
            session, "2000-02", "10.4", government=MX, language="en", text="x", actor=NodeSelf("us")
        )
    enter(seeded_db, "2000-02", "10.4", US, "en", EN_2)
    enter(seeded_db, "2000-02", "10.4", US, "es", ES_2)
    with seeded_db.transaction() as session:
        record_partner_paragraph(
            session,
            "2000-02",
            "10.4",
            partner=PartnerAct(MX_NODE, "sre"),
            language="es",
            text=ES_1,
            actor=NodeSelf("node"),
        )
        record_partner_paragraph(
            session,
            "2000-02",
            "10.4",
            partner=PartnerAct(MX_NODE, "sre"),
            language="en",
            text=EN_1,
            actor=NodeSelf("node"),
        )
    us_identity = NodeIdentity("US node", "US", MX_NODE.public_key, MX_NODE.created_at)
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="US node"):
        record_partner_paragraph(
            session,
            "2000-02",
            "10.4",
            partner=PartnerAct(us_identity, "x"),
            language="en",
            text="x",
            actor=NodeSelf("node"),
        )
    step(seeded_db, "submit", "2000-02")
    with seeded_db.transaction() as session, pytest.raises(ForeignCountry, match="signed"):
        approve_cycle(session, "2000-02", government=MX, language="en", actor=NodeSelf("anyone"))
    step(seeded_db, "approve", "2000-02", government=US, language="en", by="cbp")
    with seeded_db.transaction() as session:
        record_partner_approval(
            session,
            "2000-02",
            partner=PartnerAct(MX_NODE, "sre"),
            language="en",
            actor=NodeSelf("node"),
        )
    with seeded_db.reader() as session:
        view = cycle_view(session, "2000-02")
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    writers = {t.address: t.written_by for t in view.texts}
    assert writers == {
        "10.4/US/1/en": "agency",
        "10.4/US/1/es": "agency",
        "10.4/MX/1/es": "sre (Nodo MX (test))",
        "10.4/MX/1/en": "sre (Nodo MX (test))",
    }
    assert [(s["step"], s["government"], s["by"]) for s in view.steps][-2:] == [
        ("approve", "US", "cbp"),
        ("approve", "MX", "sre (Nodo MX (test))"),
    ]
    partner_entries = [e for e in entries if e.details.get("via")]
    # the node received them (the audit entry's actor); the partner's writer is in the details
    assert [(e.action, e.actor, e.details["by"]) for e in partner_entries] == [
        ("pme.cycle.enter", "node", "sre (Nodo MX (test))"),
        ("pme.cycle.enter", "node", "sre (Nodo MX (test))"),
        ("pme.cycle.approve", "node", "sre (Nodo MX (test))"),
    ]
    assert partner_entries[0].details["via"].endswith(MX_NODE.fingerprint)
    assert {e.details["account"] for e in partner_entries} == {"sre"}


def test_a_user_acts_for_their_own_government_and_never_receives_for_the_partner(
    seeded_db: Database,
) -> None:
    """Issue 14 (one viewer): the government comes from the user's account; a partner's step
    is recorded by the node itself, never under a user's name."""
    open_feb_2000(seeded_db)
    ana = Principal(7, "ana", "Ana", Role.COORDINATOR, Country.US, "CBP", "en")
    with seeded_db.transaction() as session:
        written = enter_status(
            session, "2000-02", "10.9", government=US, language="en", text="Quarterly.", actor=ana
        )
    assert (written.written_by, written.writer_country) == ("ana", "US")
    with seeded_db.transaction() as session, pytest.raises(ForeignCountry, match="MX"):
        enter_status(session, "2000-02", "10.9", government=MX, language="en", text="x", actor=ana)
    pedro = Principal(8, "pedro", "Pedro", Role.COORDINATOR, Country.MX, "SRE", "es")
    with (
        seeded_db.transaction() as session,
        pytest.raises(
            ForeignAccount, match=r"account 'pedro' belongs to the MX government"
        ) as refused,
    ):
        enter_status(
            session, "2000-02", "10.9", government=US, language="en", text="x", actor=pedro
        )
    assert "'pedro'" in in_language(message_of(refused.value), "es")  # said in Spanish too
    with seeded_db.transaction() as session, pytest.raises(CycleRefused, match="NodeSelf"):
        record_partner_paragraph(
            session, "2000-02", "10.4", partner=PartnerAct(MX_NODE, "sre"), language="es",
            text=ES_1, actor=ana,
        )  # fmt: skip


def test_cli_cycle_refuses_the_other_government_and_shows_who_wrote(
    seeded_db: Database, tmp_path: Path
) -> None:
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.4", US, "en", EN_2)
    enter(seeded_db, "2000-02", "10.4", US, "es", ES_2)
    step(seeded_db, "submit", "2000-02")
    env = {
        "ALIANZA_DATABASE_URL": seeded_db.url,
        "ALIANZA_HOME": str(tmp_path),
        "ALIANZA_COUNTRY": "US",
    }
    runner = CliRunner()
    refused = runner.invoke(
        cli,
        ["pme", "cycle", "approve", "2000-02", "--gov", "MX", "--lang", "en", "--by", "anyone"],
        env=env,
    )
    assert refused.exit_code == 1, refused.output
    assert "this node is the US node; the status texts, returns and approvals of MX" in (
        refused.output
    )
    shown = runner.invoke(cli, ["pme", "cycle", "show", "2000-02"], env=env)
    assert shown.exit_code == 0, shown.output
    assert f"en [source] {EN_2} (written by agency, US government)" in shown.output


def test_stale_translation_blocks_approval_of_either_language_waiver_lock_and_publication(
    seeded_db: Database,
) -> None:
    """Issue 17 (stale translations): editing a paragraph's source after its translation was
    written makes the translation stale; until it is written again no approval (of either
    language) nor waiver is taken, so a stale twin can never be waived into a publication."""
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "en", EN_1)  # en the source …
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "es", ES_1)
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "en", EN_1 + " (Tijuana)", 1)  # … es stale
    enter(seeded_db, "2000-02", "10.9", US, "es", "Intercambios trimestrales.")  # es the source …
    enter(seeded_db, "2000-02", "10.9", US, "en", "Quarterly exchanges.")
    enter(seeded_db, "2000-02", "10.9", US, "es", "Intercambios trimestrales (2000).", 1)
    step(seeded_db, "submit", "2000-02")
    attempts = [
        ("approve", {"government": US, "language": "en"}),
        ("approve", {"government": MX, "language": "es"}),
        ("waive", {"government": US, "language": "es", "reason": "next cycle"}),
        ("waive", {"government": MX, "language": "en", "reason": "next cycle"}),
    ]
    for name, kwargs in attempts:
        with pytest.raises(StaleTranslation) as refused:
            step(seeded_db, name, "2000-02", **kwargs)
        message = str(refused.value)
        assert "action 10.4.1, JOINT paragraph 1: the es text is older than the en" in message
        assert "action 10.9, US paragraph 1: the en text is older than the es" in message
        spanish = in_language(message_of(refused.value), "es")
        assert "acción 10.4.1, párrafo 1 de JOINT: el texto es es anterior al en" in spanish
        assert "acción 10.9, párrafo 1 de US: el texto en es anterior al es" in spanish
    with seeded_db.reader() as session:
        view = cycle_view(session, "2000-02")
    assert view.state is CycleState.IN_REVIEW
    assert view.approvals() == {}  # nothing was recorded
    # written again, the twins are drafts: approvals are taken, the cycle publishes
    step(seeded_db, "return", "2000-02", government=US, comment="Update the translations.")
    enter(seeded_db, "2000-02", "10.4.1", JOINT, "es", ES_1 + " (Tijuana)", 1)
    enter(seeded_db, "2000-02", "10.9", US, "en", "Quarterly exchanges (2000).", 1)
    step(seeded_db, "submit", "2000-02")
    for gov in (US, MX):
        for lang in ("en", "es"):
            step(seeded_db, "approve", "2000-02", government=gov, language=lang)
    step(seeded_db, "lock", "2000-02")
    step(seeded_db, "publish", "2000-02")
    assert cycle_state(seeded_db) is CycleState.PUBLISHED


def test_who_may_act_and_where_a_paragraph_goes_are_refused_in_spanish(
    seeded_db: Database,
) -> None:
    open_feb_2000(seeded_db)
    enter(seeded_db, "2000-02", "10.4", US, "en", EN_2)
    us_identity = NodeIdentity("US node", "US", MX_NODE.public_key, MX_NODE.created_at)
    with seeded_db.transaction() as session, pytest.raises(CycleRefused) as gap:
        enter_status(
            session, "2000-02", "10.4", government=US, language="en", text="x", position=3,
            actor=NodeSelf("agency"),
        )  # fmt: skip
    with seeded_db.transaction() as session, pytest.raises(CycleRefused) as not_partner:
        record_partner_paragraph(
            session, "2000-02", "10.4", partner=PartnerAct(us_identity, "x"), language="en",
            text="x", actor=NodeSelf("node"),
        )  # fmt: skip
    with seeded_db.transaction() as session, pytest.raises(CycleRefused) as own_country:
        open_cycle(
            session, "2000-03", as_of=date(2000, 3, 31), label_en="x", label_es="x",
            actor=NodeSelf("node"), partner=PartnerAct(us_identity, "x"),
        )  # fmt: skip
    said = [
        (str(r.value), in_language(message_of(r.value), "es"))
        for r in (gap, not_partner, own_country)
    ]
    assert said == [
        (
            "10.4 US: paragraph 3 would leave a gap (it has 1)",
            "10.4 US: el párrafo 3 dejaría un hueco (el último es el 1)",
        ),
        (
            "a message of the US node (US node) cannot act for US on the US node",
            "un mensaje del nodo de US (US node) no puede actuar por US en el nodo de US",
        ),
        (
            "a message signed by US node speaks for this node's country",
            "un mensaje firmado por US node habla por el país de este nodo",
        ),
    ]


def test_a_user_of_the_other_government_is_refused_in_one_language() -> None:
    """Said by :func:`_acting_for` to a user whose government is not the one written for (an
    account of the other government is refused before, by ``acting``): English, or Spanish,
    never both in one string."""
    from alianza.pme.cycles import OTHER_GOVERNMENT

    said = OTHER_GOVERNMENT.said(name="ana", country="US", government="MX")
    assert said == "ana is of the US government and cannot write, return or approve for MX"
    assert in_language(said, "es") == (
        "ana es del gobierno de US y no puede escribir, devolver ni aprobar por MX"
    )


def test_an_unpublished_cycle_has_no_publication_said_in_spanish(seeded_db: Database) -> None:
    from alianza.pme.cycle_publish import edition_file

    open_feb_2000(seeded_db)
    for read in (publication, edition_file):
        with seeded_db.reader() as session, pytest.raises(CycleRefused) as refused:
            read(session, "2000-02")
        assert str(refused.value) == "cycle '2000-02' is open, not published"
        said = in_language(message_of(refused.value), "es")
        assert said == "el ciclo «2000-02» está abierto, no publicado"
