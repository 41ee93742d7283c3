"""Translation states of the plan's text: missing, draft, approved by both, stale."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import Principal
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.pme.service import SEED_REPORT, import_report_file
from alianza.pme.translations import (
    TranslationRefused,
    TranslationState,
    approve_translation,
    translation_states,
)
from tests.pme.samples import spanish_report


def states(db: Database) -> dict[str, TranslationState]:
    with db.reader() as session:
        return {c.address: c.state for c in translation_states(session)}


def test_translation_states_of_english_only_seed_are_missing(seeded_db: Database) -> None:
    found = states(seeded_db)
    # 10 actions × (action, baseline, targets, measurements, status as of 1999-08-31)
    assert len(found) == 50
    assert set(found.values()) == {TranslationState.MISSING}
    assert "10.4.1/status@1999-08-31" in found


def test_translation_approved_by_both_then_stale_when_source_changes(
    seeded_db: Database, tmp_path: Path
) -> None:
    spanish = tmp_path / "es.tsv"
    spanish.write_text(spanish_report("Para el 31 de julio de 1999, establecer subgrupos."))
    import_report_file(seeded_db, spanish, actor=NodeSelf("test"))
    counts = Counter(states(seeded_db).values())
    assert counts == {TranslationState.MISSING: 40, TranslationState.DRAFT: 10}
    with seeded_db.transaction() as session:
        one = approve_translation(
            session, "10.4/targets", government="US", actor=NodeSelf("state-dept")
        )
    assert (one.state, one.approved_by) == (TranslationState.DRAFT, ("US",))
    with seeded_db.transaction() as session:
        both = approve_translation(session, "10.4/targets", government="MX", actor=NodeSelf("sre"))
    assert both.state is TranslationState.APPROVED
    changed = tmp_path / "en.tsv"
    changed.write_text(
        SEED_REPORT.read_text("utf-8").replace(
            "By July 1999, establish the Border Public Safety working subgroups.",
            "By September 1999, establish the Border Public Safety working subgroups.",
        ),
        "utf-8",
    )
    import_report_file(seeded_db, changed, actor=NodeSelf("test"))
    assert states(seeded_db)["10.4/targets"] is TranslationState.STALE
    with (
        seeded_db.transaction() as session,
        pytest.raises(TranslationRefused, match="stale") as refused,
    ):
        approve_translation(session, "10.4/targets", government="US", actor=NodeSelf("state-dept"))
    assert str(refused.value) == (
        "10.4/targets: the es translation is stale; import an up-to-date es report first"
    )
    assert in_language(message_of(refused.value), "es") == (
        "10.4/targets: la traducción al español está desactualizada; importe primero un informe "
        "actualizado en español"
    )


def test_approve_translation_refuses_missing_and_unknown_cells(seeded_db: Database) -> None:
    with seeded_db.transaction() as session, pytest.raises(TranslationRefused) as missing:
        approve_translation(session, "10.1/targets", government="MX", actor=NodeSelf("sre"))
    assert str(missing.value) == (
        "10.1/targets: the es translation is missing; import an up-to-date es report first"
    )
    assert in_language(message_of(missing.value), "es") == (
        "10.1/targets: falta la traducción al español; importe primero un informe actualizado "
        "en español"
    )
    with seeded_db.transaction() as session, pytest.raises(TranslationRefused) as unknown:
        approve_translation(session, "10.1/nothing", government="MX", actor=NodeSelf("sre"))
    assert str(unknown.value) == (
        "no cell '10.1/nothing' in plan 'binational-drug-strategy' (cells look like "
        "10.4/targets or 10.4/status@1999-08-31; see alianza pme translations list)"
    )
    assert in_language(message_of(unknown.value), "es").startswith(
        "no hay celda '10.1/nothing' en el plan 'binational-drug-strategy' (las celdas se "
        "escriben como 10.4/targets o 10.4/status@1999-08-31; vea alianza pme translations list)"
    )
    with seeded_db.transaction() as session, pytest.raises(TranslationRefused) as nobody:
        approve_translation(session, "10.1/targets", government="CA", actor=NodeSelf("sre"))
    assert str(nobody.value) == "translations are approved by US or MX"
    assert in_language(message_of(nobody.value), "es") == "las traducciones las aprueban US o MX"


def test_a_user_approves_a_translation_for_their_own_government_only(
    seeded_db: Database, tmp_path: Path
) -> None:
    """Issue 14 (one viewer): the government a user approves for comes from their account."""
    spanish = tmp_path / "es.tsv"
    spanish.write_text(spanish_report("Para el 31 de julio de 1999, establecer subgrupos."))
    import_report_file(seeded_db, spanish, actor=NodeSelf("test"))
    ana = Principal(7, "ana", "Ana", Role.COORDINATOR, Country.US, "State", "en")
    with seeded_db.transaction() as session:
        with pytest.raises(TranslationRefused) as refused:
            approve_translation(session, "10.4/targets", government="MX", actor=ana)
        assert str(refused.value) == "ana is of the US government and cannot approve for MX"
        assert in_language(message_of(refused.value), "es") == (
            "ana es del gobierno de US y no puede aprobar por MX"
        )
        own = approve_translation(session, "10.4/targets", government="US", actor=ana)
    assert own.approved_by == ("US",)
