"""Targeting rules and watchlists on a node holding declarations of both import profiles
(``kcs`` and ``alianza``): a condition on a column a row's profile lacks is false for that row,
the same in a batch selection and in live scoring; a rule on a column no held profile gives is
refused when the rule book is applied."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from sqlalchemy import select

from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.risk import service
from alianza.risk.book import RuleRefused, list_rules, rule_book_from_file
from alianza.risk.live import forget, score_declaration
from alianza.risk.models import Assignment, RuleHitRow, Shipment
from alianza.risk.read import ALIANZA, read_declarations
from alianza.risk.rules import Condition, Rule, RuleBook
from alianza.risk.selection import Lane
from alianza.risk.store import import_shipments
from alianza.risk.table import Declarations
from tests.risk.conftest import RISK_DATA
from tests.risk.test_cli import node as node  # the embedded node fixture
from tests.risk.test_cli import run

START = date(2021, 1, 1)


def rule(code: str, *conditions: Condition) -> Rule:
    return Rule(code, 1, "targeting unit", "test", START, None, 0.1, conditions=conditions)


def alianza_rows() -> Declarations:
    table, report = read_declarations(RISK_DATA / "alianza-defects.csv", profile=ALIANZA)
    assert report.loaded == 3
    assert "process_type" not in table.text
    assert "tax_rate" not in table.number
    return table


def test_conditions_on_a_column_the_profile_lacks_are_false(kcs_test: Declarations) -> None:
    rows = alianza_rows()
    book = RuleBook(
        [
            rule("pt-in", Condition("in", "process_type", ("B", "*"))),
            rule("pt-not-in", Condition("not-in", "process_type", ("ZZ",))),
            rule("pt-differs", Condition("differs", "process_type", other="import_type")),
            rule("origin-differs", Condition("differs", "origin", other="process_type")),
            rule("tax-above", Condition("above", "tax_rate", threshold=-1.0)),
            rule("tax-below", Condition("below", "tax_rate", threshold=1e9)),
            rule("pt-first", Condition("first-time", "process_type")),
            rule("packages-above", Condition("above", "packages", threshold=0.0)),
        ]
    )
    hits = book.evaluate(rows, seen=kcs_test)  # the rows seen before: KCS, no consignee
    # loaded: AZ1 (100 packages), AZ4 (none given), AZ5 (3)
    assert [(h.row, h.rule) for h in hits] == [(0, "packages-above"), (2, "packages-above")]
    # KCS rows have no consignee: a watchlist on it, and "first-time consignee", never hit
    on_consignee = RuleBook(
        [
            rule("watch", Condition("in", "consignee", ("USC0001", "*"))),
            rule("not-watch", Condition("not-in", "consignee", ("USC0001",))),
            rule("first", Condition("first-time", "consignee")),
        ]
    )
    assert on_consignee.evaluate(kcs_test, seen=rows) == []
    # the alianza rows against a KCS history: first-time consignee, its value present (the
    # three rows are of the same consignee on the same first day)
    first = RuleBook([rule("first", Condition("first-time", "consignee"))])
    assert [h.row for h in first.evaluate(rows, seen=kcs_test)] == [0, 1, 2]


def test_not_in_is_false_on_a_blank_value() -> None:
    rows = alianza_rows()
    blank = Declarations(
        ids=rows.ids,
        day=rows.day,
        text=rows.text | {"origin": np.array(["MX", "", "CO"], dtype=object)},
        number=rows.number,
        fraud=rows.fraud,
        critical=rows.critical,
    )
    book = RuleBook([rule("not-mx", Condition("not-in", "origin", ("MX",)))])
    assert [h.row for h in book.evaluate(blank)] == [2]


def generated_sample(folder: Path) -> Path:
    result = CliRunner().invoke(
        cli, ["risk", "sample", str(folder), "--rows", "1500", "--days", "60", "--seed", "5"]
    )
    assert result.exit_code == 0, result.output
    return folder / "shipments-history.csv"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def rule_file(path: Path, consignee: str, shipper: str) -> Path:
    path.write_text(
        f"""
[[rule]]
code = "kcs-process"
version = 1
owner = "targeting unit"
reason = "any KCS process type but ZZ"
valid_from = 2020-01-01
weight = 0.1
when = [{{ kind = "not-in", column = "process_type", values = ["ZZ"] }}]

[[rule]]
code = "high-tax"
version = 1
owner = "targeting unit"
reason = "tax rate above 5"
valid_from = 2020-01-01
weight = 0.1
when = [{{ kind = "above", column = "tax_rate", threshold = 5 }}]

[[rule]]
code = "many-packages"
version = 1
owner = "targeting unit"
reason = "more than 20 packages"
valid_from = 2020-01-01
weight = 0.1
when = [{{ kind = "above", column = "packages", threshold = 20 }}]

[[watchlist]]
name = "consignees"
column = "consignee"
[[watchlist.entry]]
value = "{consignee}"
owner = "intelligence desk"
reason = "test"
valid_from = 2020-01-01
weight = 0.3

[[watchlist]]
name = "shippers"
column = "shipper"
[[watchlist.entry]]
value = "{shipper}"
owner = "intelligence desk"
reason = "test"
valid_from = 2020-01-01
weight = 0.3
""",
        encoding="utf-8",
    )
    return path


def expected_hits(rows: list[dict[str, str]], consignee: str, shipper: str) -> set[tuple[str, str]]:
    """The hits computed from the files' own columns, by hand."""
    out: set[tuple[str, str]] = set()
    for row in rows:
        if "Declaration ID" in row:  # KCS
            ref = row["Declaration ID"]
            if row["Process Type"].strip() and row["Process Type"] != "ZZ":
                out.add((ref, "kcs-process"))
            if row["Tax Rate"].strip() and float(row["Tax Rate"]) > 5:
                out.add((ref, "high-tax"))
            if row["Seller ID"] == shipper:
                out.add((ref, "watchlist:shippers:" + shipper))
        else:
            ref = row["reference"]
            if row["packages"].strip() and float(row["packages"]) > 20:
                out.add((ref, "many-packages"))
            if row["consignee"] == consignee:
                out.add((ref, "watchlist:consignees:" + consignee))
            if row["shipper"] == shipper:
                out.add((ref, "watchlist:shippers:" + shipper))
    return out


def recorded_hits(database: Database, selection_id: int) -> dict[str, set[str]]:
    with database.reader() as session:
        found = session.execute(
            select(Shipment.reference, RuleHitRow.rule)
            .join(Shipment, Shipment.id == RuleHitRow.shipment_id)
            .where(RuleHitRow.selection_id == selection_id)
        ).all()
        selected = session.scalars(
            select(Shipment.reference)
            .join(Assignment, Assignment.shipment_id == Shipment.id)
            .where(Assignment.selection_id == selection_id)
        ).all()
    out: dict[str, set[str]] = {str(r): set() for r in selected}
    for reference, code in found:
        out[str(reference)].add(str(code))
    return out


def test_select_and_score_one_with_rules_on_columns_one_profile_lacks(
    fresh_db: Database, tmp_path: Path
) -> None:
    kcs = [r for name in ("train", "valid") for r in read_csv(RISK_DATA / f"kcs-{name}-sample.csv")]
    for name in ("train", "valid"):
        import_shipments(fresh_db, RISK_DATA / f"kcs-{name}-sample.csv", actor=NodeSelf("t"))
    history = generated_sample(tmp_path / "sample")
    import_shipments(fresh_db, history, profile="alianza", actor=NodeSelf("t"))
    service.train_and_record(fresh_db, calibration_days=21, actor=NodeSelf("t"))
    border = read_csv(history)
    # an alianza week and a KCS month: each batch of one profile only
    first_day = min(date.fromisoformat(r["declared_on"]) for r in border)
    alianza_period = (first_day, date.fromordinal(first_day.toordinal() + 6))
    kcs_period = (date(2021, 3, 1), date(2021, 3, 31))

    def within(rows: list[dict[str, str]], column: str, period: tuple[date, date]) -> list:
        return [r for r in rows if period[0] <= date.fromisoformat(r[column]) <= period[1]]

    alianza_batch = within(border, "declared_on", alianza_period)
    kcs_batch = within(kcs, "Date", kcs_period)
    assert alianza_batch
    assert kcs_batch
    consignee = alianza_batch[0]["consignee"]
    shipper = kcs_batch[0]["Seller ID"]
    rules = rule_file(tmp_path / "rules.toml", consignee, shipper)
    book = rule_book_from_file(fresh_db, rules, actor=NodeSelf("t"))
    # live scoring, with the rules held (a few declarations of each profile, one at a time)
    forget(fresh_db)
    live: dict[str, dict[str, set[str]]] = {"alianza": {}, "kcs": {}}
    for raw in alianza_batch[:4]:
        decision = score_declaration(fresh_db, raw, profile="alianza", actor=NodeSelf("ana"))
        live["alianza"][raw["reference"]] = {h.rule for h in decision.hits}
    for raw in kcs_batch[:4]:
        decision = score_declaration(fresh_db, raw, profile="kcs", actor=NodeSelf("ana"))
        live["kcs"][raw["Declaration ID"]] = {h.rule for h in decision.hits}
    assert "watchlist:consignees:" + consignee in live["alianza"][alianza_batch[0]["reference"]]
    assert "watchlist:shippers:" + shipper in live["kcs"][kcs_batch[0]["Declaration ID"]]
    # batch selection of each period, with the same rules
    selections = {}
    for label, period in (("alianza", alianza_period), ("kcs", kcs_period)):
        scored = service.score_batch(fresh_db, start=period[0], end=period[1])
        selection_id, _chosen = service.select_and_store(
            fresh_db,
            scored,
            [Lane("physical", 5)],
            rules=book,
            batch_label=label,
            actor=NodeSelf("t"),
        )
        selections[label] = recorded_hits(fresh_db, selection_id)
    for label, batch in (("alianza", alianza_batch), ("kcs", kcs_batch)):
        recorded = selections[label]
        got = {(ref, code) for ref, codes in recorded.items() for code in codes}
        held = [r for r in batch if r.get("reference", r.get("Declaration ID")) in recorded]
        assert len(held) == len(recorded)
        assert got == expected_hits(held, consignee, shipper)
        assert got  # the rules on the profile's own columns hit
        # the same answer for the same declaration, in a batch and alone
        for reference, hits in live[label].items():
            assert recorded[reference] == hits, reference
    assert not any("kcs-process" in c or "high-tax" in c for c in selections["alianza"].values())
    assert not any("watchlist:consignees:" + consignee in c for c in selections["kcs"].values())


def test_a_rule_on_a_column_no_held_profile_gives_is_refused(
    fresh_db: Database, tmp_path: Path
) -> None:
    from alianza.risk.book import check_held_columns

    import_shipments(
        fresh_db, RISK_DATA / "alianza-defects.csv", profile="alianza", actor=NodeSelf("t")
    )
    rules = rule_file(tmp_path / "rules.toml", "USC0001", "MXS0001")
    with pytest.raises(RuleRefused) as refused:
        rule_book_from_file(fresh_db, rules, actor=NodeSelf("t"))
    message = str(refused.value)
    # the first rule by code (high-tax, before kcs-process), with its column
    assert message.startswith("rule high-tax tests the column tax_rate,")
    assert "(held: alianza)" in message
    with fresh_db.reader() as session:
        assert list_rules(session) == []  # nothing of the file was stored
        # the held rule book is checked as well (a selection without a file)
        packages = Condition("above", "packages", threshold=1.0)
        check_held_columns(session, RuleBook([rule("packages", packages)]))
        with pytest.raises(RuleRefused, match="tax_rate"):
            check_held_columns(
                session, RuleBook([rule("tax", Condition("below", "tax_rate", threshold=1.0))])
            )


def test_a_watchlist_on_consignee_is_refused_where_only_kcs_is_held(fresh_db: Database) -> None:
    from alianza.risk.book import check_held_columns

    import_shipments(fresh_db, RISK_DATA / "kcs-test-sample.csv", actor=NodeSelf("t"))
    book = RuleBook(
        [
            Rule(
                "watchlist:consignees:USC0001",
                1,
                "desk",
                "test",
                START,
                None,
                conditions=(Condition("in", "consignee", ("USC0001",)),),
                source="watchlist:consignees",
            )
        ]
    )
    with fresh_db.reader() as session, pytest.raises(RuleRefused) as refused:
        check_held_columns(session, book)
    assert "watchlist:consignees:USC0001" in str(refused.value)
    assert "tests the column consignee," in str(refused.value)
    assert "(held: kcs)" in str(refused.value)


def test_cli_select_refuses_a_rule_file_on_a_column_not_held(node: Path, tmp_path: Path) -> None:
    code, out = run(node, "import", "--profile", "alianza", str(RISK_DATA / "alianza-defects.csv"))
    assert code == 3, out  # two rows quarantined, three held
    rules = rule_file(tmp_path / "rules.toml", "USC0001", "MXS0001")
    code, out = run(
        node,
        "select",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-01",
        "--lane",
        "physical=1",
        "--rules",
        str(rules),
    )
    assert code == 1
    assert "rule high-tax tests the column tax_rate" in out
    assert "Traceback" not in out
