"""Typed bindings (issue 17, item 2): each measure declares its parameters; ``coop bind``
refuses unknown or ill-typed ones with the valid list; a binding that fails when computed
marks only its own measure "cannot compute"."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.cooperation.facts import BINDINGS_1999
from alianza.cooperation.measure_params import BadParameter, checked_params
from alianza.cooperation.measures import BindingRefused, bind_measure, compute_measures
from alianza.cooperation.models import MeasureBinding
from alianza.db import Database
from alianza.pme.assessment import assess_plan
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.service import SEED_REPORT

STATUS_DATE = date(1999, 8, 31)


def run(node: Path, *args: str, language: str = "en") -> Result:
    return CliRunner().invoke(
        cli,
        ["--home", str(node), *args],
        env={"ALIANZA_DATABASE_URL": "", "ALIANZA_COUNTRY": "US", "ALIANZA_LANGUAGE": language},
        catch_exceptions=False,
    )


# The parameters of "meetings" as a refusal lists them, in each language.
VALID_MEETINGS = {
    "en": "mechanism (text), kind (one of hlcg|blm|working-group|subgroup|bilateral-group), "
    "topic (text), since (date), at_least (count)",
    "es": "mechanism (texto), kind (uno de hlcg|blm|working-group|subgroup|bilateral-group), "
    "topic (texto), since (fecha), at_least (conteo)",
}


@pytest.mark.parametrize(
    ("param", "names"),
    [
        ("at_least=many", {"en": "whole number", "es": "no es un número entero"}),
        ("colour=blue", {"en": "no parameter 'colour'", "es": "no tiene el parámetro 'colour'"}),
        ("since=last-year", {"en": "not a date YYYY-MM-DD", "es": "no es una fecha AAAA-MM-DD"}),
        ("kind=committee", {"en": "'committee': one of hlcg", "es": "'committee': uno de hlcg"}),
    ],
)
@pytest.mark.parametrize("language", ["en", "es"])
def test_cli_coop_bind_refuses_bad_parameter_with_valid_list(
    tmp_path: Path, param: str, names: dict[str, str], language: str
) -> None:
    node = tmp_path / "node"
    assert run(node, "pme", "import", str(SEED_REPORT)).exit_code == 0
    result = run(
        node,
        *("coop", "bind", "10.3/measurements/2", "--measure", "meetings", "--param", param),
        language=language,
    )
    assert result.exit_code != 0
    assert names[language] in result.output
    valid = {"en": "; valid: ", "es": "; válidos: "}[language]
    assert valid + VALID_MEETINGS[language] in result.output
    other = "es" if language == "en" else "en"
    assert names[other] not in result.output  # said in one language, not both
    assert run(node, "coop", "bindings").output.strip() == "(no bindings)"


@pytest.mark.parametrize(
    ("measure", "params", "english", "spanish"),
    [
        (
            "meetings",
            {"at_least": "many"},
            "measure 'meetings': at_least='many' is not a whole number; valid: "
            + VALID_MEETINGS["en"],
            "medida 'meetings': at_least='many' no es un número entero; válidos: "
            + VALID_MEETINGS["es"],
        ),
        (
            "meetings",
            {"at_least": "0"},
            "measure 'meetings': at_least='0': 1 or more; valid: " + VALID_MEETINGS["en"],
            "medida 'meetings': at_least='0': 1 o más; válidos: " + VALID_MEETINGS["es"],
        ),
        (
            "subgroups",
            {"colour": "blue"},
            "measure 'subgroups' has no parameter 'colour'; valid: topic (text)",
            "la medida 'subgroups' no tiene el parámetro 'colour'; válidos: topic (texto)",
        ),
        (
            "deliverable",
            {},
            "measure 'deliverable' needs key=…; valid: key (text, required)",
            "la medida 'deliverable' necesita key=…; válidos: key (texto, obligatorio)",
        ),
        (
            "technology",
            {"kinds": "radar", "country": "CA"},
            "measure 'technology': country='CA': one of US, MX; valid: kinds (list), "
            "country (one of US|MX), at_least (count)",
            "medida 'technology': country='CA': uno de US, MX; válidos: kinds (lista), "
            "country (uno de US|MX), at_least (conteo)",
        ),
    ],
)
def test_a_parameter_refusal_is_said_in_spanish_through_the_catalogue(
    measure: str, params: dict[str, str], english: str, spanish: str
) -> None:
    with pytest.raises(BadParameter) as refused:
        checked_params(measure, params)
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish


def test_bind_measure_stores_typed_parameters(facts_db: Database) -> None:
    with facts_db.transaction() as session:
        row = bind_measure(
            session,
            "10.3/measurements/2",
            "meetings",
            actor=NodeSelf("test"),
            params={"at_least": "2", "mechanism": "hlcg"},
            target="10.3/targets/2",
        )
        assert row.params == {"at_least": 2, "mechanism": "hlcg"}


def test_bind_deliverable_without_key_is_refused(facts_db: Database) -> None:
    with facts_db.transaction() as session, pytest.raises(BindingRefused, match="key"):
        bind_measure(session, "10.3/measurements/2", "deliverable", actor=NodeSelf("test"))


def stored_bad_binding(database: Database) -> None:
    """A binding stored before parameters were typed (as an older node holds it)."""
    with database.transaction() as session:
        session.add(
            MeasureBinding(
                plan_key=DEFAULT_PLAN,
                measurement="10.3/measurements/2",
                target="10.3/targets/2",
                measure="meetings",
                params={"at_least": "many"},
                recorded_by="older-node",
                recorded_at=datetime.now(UTC),
            )
        )


def test_compute_measures_with_one_bad_binding_computes_the_others(
    facts_db: Database,
) -> None:
    stored_bad_binding(facts_db)
    with facts_db.reader() as session:
        values = {v.measurement: v for v in compute_measures(session, STATUS_DATE)}
        target = assess_plan(session, STATUS_DATE).target("10.3/targets/2")
    bad = values["10.3/measurements/2"]
    assert bad.state == "cannot_compute"
    assert bad.problem is not None
    assert bad.problem == (
        "measure 'meetings': at_least='many' is not a whole number; valid: " + VALID_MEETINGS["en"]
    )
    assert bad.computed.display == "cannot compute: " + bad.problem
    assert bad.computed.display_es == (
        "no se puede calcular: medida 'meetings': at_least='many' no es un número entero; "
        "válidos: " + VALID_MEETINGS["es"]
    )
    # the seed's bindings for a US node (those of no country or of the US), still computed
    bindings = json.loads(BINDINGS_1999.read_text("utf-8"))["bindings"]
    own = [b for b in bindings if b.get("country", "US") == "US"]
    assert len(values) == len(own) + 1
    assert values["10.4.1/measurements/1"].state == "overdue"
    shown = target.as_dict()
    assert shown["from_records"]["state"] == "cannot_compute"
    assert shown["state"] == "no_deadline"  # the deadline alone; nothing guessed


def test_cli_pme_measures_with_one_bad_binding_shows_reason(tmp_path: Path) -> None:
    node = tmp_path / "node"
    assert run(node, "pme", "import", str(SEED_REPORT)).exit_code == 0
    assert run(node, "coop", "load-facts", "--by", "test").exit_code == 0
    stored_bad_binding(Database(f"sqlite:///{node / 'alianza.db'}", country="US"))
    result = run(node, "pme", "measures", "--as-of", "1999-08-31")
    assert result.exit_code == 0, result.output
    assert "cannot compute: " in result.output
    assert "8 of 9 BLMs" in result.output
