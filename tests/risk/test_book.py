"""Rules and watchlists held in the database: versions, retirement, audit, TOML import, and
every hit recorded with the version that fired (both backends)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.audit import AuditEntry
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.risk.book import (
    RuleRefused,
    RuleSpec,
    add_rule,
    add_watch,
    import_rule_file,
    list_rules,
    list_watches,
    load_rule_book,
    parse_condition,
    retire_rule,
    retire_watch,
)
from alianza.risk.models import RuleHitRow, Shipment
from alianza.risk.rules import Condition
from alianza.risk.selection import Lane
from alianza.risk.service import score_batch, select_and_store, train_and_store
from alianza.risk.store import declarations_between, import_shipments
from alianza.risk.table import day_date
from tests.risk.conftest import RISK_DATA


def spec(code: str = "hs-andean", **changes: object) -> RuleSpec:
    fields: dict[str, object] = {
        "code": code,
        "owner": "targeting unit, Laredo",
        "reason": "plant material from coca-producing countries",
        "valid_from": date(2021, 1, 1),
        "conditions": (Condition("in", "origin", ("CO", "PE", "BO")),),
        "weight": 0.2,
    }
    fields.update(changes)
    return RuleSpec(**fields)  # type: ignore[arg-type]


def actions(database: Database) -> list[str]:
    with database.reader() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_parse_condition_forms() -> None:
    assert parse_condition("hs6 in 1211*,1302*") == Condition("in", "hs6", ("1211*", "1302*"))
    assert parse_condition("origin not-in MX") == Condition("not-in", "origin", ("MX",))
    assert parse_condition("departure differs origin") == Condition(
        "differs", "departure", other="origin"
    )
    assert parse_condition("value above 10000") == Condition("above", "value", threshold=10000.0)
    assert parse_condition("shipper first-time") == Condition("first-time", "shipper")


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("hs6", "expected 'COLUMN KIND"),
        ("hs6 in", "needs values"),
        ("value above lots", "not a number"),
        ("hs6 resembles 12", "unknown condition kind"),
        ("colour in red", "cannot be tested"),
        ("hs6 above 3", "cannot be tested"),
        ("shipper first-time yes", "takes no argument"),
    ],
)
def test_parse_condition_refusals(text: str, says: str) -> None:
    with pytest.raises(RuleRefused, match=says):
        parse_condition(text)


def test_versions_retire_and_audit(fresh_db: Database) -> None:
    with fresh_db.transaction() as session:
        first = add_rule(session, spec(), actor=NodeSelf("ana"))
        second = add_rule(session, spec(weight=0.4), actor=NodeSelf("ana"))
        other = add_rule(session, spec("route", weight=0.1), actor=NodeSelf("ana"))
        assert (first.version, second.version, other.version) == (1, 2, 1)
    with fresh_db.transaction() as session:
        retired = retire_rule(
            session, "hs-andean", version=1, actor=NodeSelf("ben"), reason="superseded"
        )
        assert [r.version for r in retired] == [1]
    with fresh_db.reader() as session:
        active = [(r.code, r.version) for r in list_rules(session)]
        every = [
            (r.code, r.version, r.retired_by) for r in list_rules(session, include_retired=True)
        ]
    assert active == [("hs-andean", 2), ("route", 1)]
    assert every == [("hs-andean", 1, "ben"), ("hs-andean", 2, None), ("route", 1, None)]
    assert actions(fresh_db) == ["risk.rule.add"] * 3 + ["risk.rule.retire"]
    with fresh_db.transaction() as session, pytest.raises(LookupError):
        retire_rule(session, "hs-andean", version=1, actor=NodeSelf("ben"), reason="again")


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"owner": " "}, "owner and a reason"),
        ({"mandatory": True}, "names no lane"),
        ({"expires": date(2020, 1, 1)}, "before it starts"),
        ({"conditions": ()}, "no condition"),
        ({"code": "watchlist:x"}, "plain identifier"),
    ],
)
def test_rule_refusals(fresh_db: Database, changes: dict[str, object], says: str) -> None:
    with fresh_db.transaction() as session, pytest.raises(RuleRefused, match=says):
        add_rule(session, spec(**changes), actor=NodeSelf("ana"))


def test_watchlist_entries_versions_and_retire(fresh_db: Database) -> None:
    common = {"owner": "intel desk", "reason": "linked to a seizure", "actor": NodeSelf("ana")}
    with fresh_db.transaction() as session:
        add_watch(session, watchlist="shippers", column="shipper", value="S1",
                  valid_from=date(2021, 1, 1), weight=0.3, **common)  # fmt: skip
        again = add_watch(session, watchlist="shippers", column="shipper", value="S1",
                          valid_from=date(2021, 2, 1), weight=0.5, **common)  # fmt: skip
        assert again.version == 2
        with pytest.raises(RuleRefused, match="lists 'shipper' values"):
            add_watch(session, watchlist="shippers", column="importer", value="I1",
                      valid_from=date(2021, 1, 1), **common)  # fmt: skip
    with fresh_db.transaction() as session:
        retire_watch(session, "shippers", "S1", actor=NodeSelf("ben"), reason="cleared")
    with fresh_db.reader() as session:
        assert list_watches(session) == []
        assert len(list_watches(session, include_retired=True)) == 2
        assert load_rule_book(session).rules == []
    assert actions(fresh_db) == ["risk.watchlist.add"] * 2 + ["risk.watchlist.retire"]


TOML = """
[[rule]]
code = "hs-andean"
version = 1
owner = "targeting unit"
reason = "plant material from coca-producing countries"
valid_from = 2021-01-01
mandatory = true
lane = "physical"
when = [{ kind = "in", column = "origin", values = ["CO", "PE"] }]

[[watchlist]]
name = "shippers"
column = "shipper"
[[watchlist.entry]]
value = "FQKH1PD"
owner = "intelligence desk"
reason = "linked to a 2020 seizure"
valid_from = 2021-03-01
weight = 0.3
"""


def test_import_rule_file_is_idempotent(fresh_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(TOML, encoding="utf-8")
    with fresh_db.transaction() as session:
        assert import_rule_file(session, path, actor=NodeSelf("ana")) == (2, 0)
    with fresh_db.transaction() as session:
        assert import_rule_file(session, path, actor=NodeSelf("ana")) == (0, 2)
    path.write_text(TOML.replace('["CO", "PE"]', '["CO", "PE", "BO"]'), encoding="utf-8")
    with fresh_db.transaction() as session:
        assert import_rule_file(session, path, actor=NodeSelf("ana")) == (1, 1)
        assert [(r.code, r.version) for r in list_rules(session)] == [
            ("hs-andean", 1),
            ("hs-andean", 2),
        ]
    path.write_text("[[rule]]\ncode = 'x'\n", encoding="utf-8")
    with fresh_db.transaction() as session, pytest.raises(RuleRefused, match="rule 1"):
        import_rule_file(session, path, actor=NodeSelf("ana"))


def unlabeled_copy(source: Path, target: Path) -> Path:
    with source.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = [f for f in rows[0] if f not in ("Fraud", "Critical Fraud")]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return target


def test_selection_records_every_hit_with_the_version_in_force(
    fresh_db: Database, tmp_path: Path
) -> None:
    import_shipments(fresh_db, RISK_DATA / "kcs-train-sample.csv", actor=NodeSelf("test"))
    import_shipments(fresh_db, RISK_DATA / "kcs-valid-sample.csv", actor=NodeSelf("test"))
    import_shipments(
        fresh_db,
        unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "t.csv"),
        actor=NodeSelf("test"),
    )
    train_and_store(
        fresh_db,
        train_until=date(2020, 12, 31),
        calibrate_until=date(2021, 3, 31),
        seed=1,
        actor=NodeSelf("test"),
    )
    with fresh_db.reader() as session:
        batch = declarations_between(session, start=date(2021, 4, 1), end=date(2021, 6, 30))
    table = batch.table
    origin = str(table.text["origin"][0])
    shipper = str(table.text["shipper"][0])
    switch = date(2021, 5, 15)
    with fresh_db.transaction() as session:
        add_rule(session, spec("by-origin", conditions=(Condition("in", "origin", (origin,)),)),
                 actor=NodeSelf("ana"))  # fmt: skip
        add_rule(session, spec("by-origin", valid_from=switch, mandatory=True, lane="physical",
                               conditions=(Condition("in", "origin", (origin,)),)),
                 actor=NodeSelf("ana"))  # fmt: skip
        add_watch(session, watchlist="shippers", column="shipper", value=shipper,
                  owner="intel", reason="test", valid_from=date(2021, 1, 1), weight=0.5,
                  actor=NodeSelf("ana"))  # fmt: skip
    scored = score_batch(fresh_db, start=date(2021, 4, 1), end=date(2021, 6, 30))
    selection_id, _chosen = select_and_store(
        fresh_db, scored, [Lane("physical", 5)], seed=2, actor=NodeSelf("test")
    )
    with fresh_db.reader() as session:
        hits = session.execute(
            select(Shipment.reference, Shipment.declared_on, RuleHitRow.rule, RuleHitRow.version)
            .join(Shipment, Shipment.id == RuleHitRow.shipment_id)
            .where(RuleHitRow.selection_id == selection_id)
        ).all()
    # expected hits computed from the rows themselves, not from the rule book
    expected = set()
    for i in range(len(table)):
        day = day_date(int(table.day[i]))
        if table.text["origin"][i] == origin:
            expected.add((str(table.ids[i]), "by-origin", 2 if day >= switch else 1))
        if table.text["shipper"][i] == shipper:
            expected.add((str(table.ids[i]), f"watchlist:shippers:{shipper}", 1))
    assert {(ref, rule, version) for ref, _day_, rule, version in hits} == expected
    # a retired rule stops hitting in later selections
    with fresh_db.transaction() as session:
        retire_rule(session, "by-origin", actor=NodeSelf("ben"), reason="campaign over")
    later, _ = select_and_store(
        fresh_db, scored, [Lane("physical", 5)], seed=2, actor=NodeSelf("test")
    )
    with fresh_db.reader() as session:
        rules = set(
            session.scalars(select(RuleHitRow.rule).where(RuleHitRow.selection_id == later))
        )
    assert rules == {f"watchlist:shippers:{shipper}"}


@pytest.mark.parametrize(
    ("text", "english", "spanish"),
    [
        (
            "origin",
            "condition 'origin': expected 'COLUMN KIND [ARGUMENT]'",
            "condición 'origin': se esperaba 'COLUMNA TIPO [ARGUMENTO]'",
        ),
        (
            "value above lots",
            "condition 'value above lots': 'lots' is not a number",
            "condición 'value above lots': 'lots' no es un número",
        ),
        (
            "origin in",
            "condition 'origin in': 'in' needs values, e.g. CO,PE",
            "condición 'origin in': 'in' necesita valores, p. ej. CO,PE",
        ),
        (
            "origin differs",
            "condition 'origin differs': a 'differs' condition needs 'other', the column to"
            " compare with",
            "condición 'origin differs': una condición 'differs' necesita 'other', la columna con"
            " la que se compara",
        ),
    ],
)
def test_a_rule_refusal_is_said_in_spanish_through_the_catalogue(
    text: str, english: str, spanish: str
) -> None:
    with pytest.raises(RuleRefused) as refused:
        parse_condition(text)
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish


def test_a_rule_file_refusal_is_said_in_spanish(fresh_db: Database, tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    path.write_text('[[rule]]\ncode = "x1"\nowner = "a"\nreason = "b"\n', "utf-8")
    with fresh_db.transaction() as session, pytest.raises(RuleRefused) as refused:
        import_rule_file(session, path, actor=NodeSelf("ana"))
    assert str(refused.value) == "rules.toml: rule 1: 'valid_from'"
    assert in_language(message_of(refused.value), "es") == "rules.toml: regla 1: 'valid_from'"
    path.write_text("[[rule]\n", "utf-8")
    with fresh_db.transaction() as session, pytest.raises(RuleRefused) as refused:
        import_rule_file(session, path, actor=NodeSelf("ana"))
    assert str(refused.value).startswith("rules.toml: not valid TOML (")
    assert in_language(message_of(refused.value), "es").startswith(
        "rules.toml: no es TOML válido ("
    )
