"""The node's country (alianza.node): where it comes from, and the accounts it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user, list_users, set_role
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.cli import cli
from alianza.db import Database, open_database
from alianza.exchange.keys import create_node_keys
from alianza.node import ForeignCountry, NodeCountryUnknown, node_country, resolve_country
from alianza.settings import load_settings

PASSWORD = "correct horse battery"


def test_node_country_comes_from_the_identity_then_the_setting(tmp_path: Path) -> None:
    keyless = load_settings(home=tmp_path / "a", country="MX")
    database = open_database(keyless)
    with database.reader() as session:
        assert node_country(session) is Country.MX
    database.dispose()

    home = tmp_path / "b"
    create_node_keys(home, name="US node", country="US")
    database = open_database(load_settings(home=home))
    with database.reader() as session:
        assert node_country(session) is Country.US
    database.dispose()
    with pytest.raises(ValueError, match="ALIANZA_COUNTRY=MX but this node's identity"):
        open_database(load_settings(home=home, country="MX"))


def test_a_node_without_country_refuses_accounts(database_url: str) -> None:
    database = Database(database_url)
    database.migrate()
    with (
        pytest.raises(NodeCountryUnknown, match="alianza node init --country"),
        database.transaction() as session,
    ):
        create_user(
            session,
            username="ana",
            password=PASSWORD,
            role=Role.VIEWER,
            country=Country.US,
            agency="CBP",
            actor=NodeSelf("test"),
        )
    database.dispose()


def test_create_user_refuses_the_other_governments_accounts(fresh_db: Database) -> None:
    with (
        pytest.raises(ForeignCountry, match="this node is the US node; an account of MX"),
        fresh_db.transaction() as session,
    ):
        create_user(
            session,
            username="coordinador",
            password=PASSWORD,
            role=Role.COORDINATOR,
            country=Country.MX,
            agency="SRE",
            actor=NodeSelf("test"),
        )
    with fresh_db.transaction() as session:
        create_user(
            session,
            username="ana",
            password=PASSWORD,
            role=Role.VIEWER,
            country=Country.US,
            agency="CBP",
            actor=NodeSelf("test"),
        )
    with (
        pytest.raises(ForeignCountry, match=r"this node is the US node") as refused,
        fresh_db.transaction() as session,
    ):
        set_role(session, "ana", Role.VIEWER, country=Country.MX, actor=NodeSelf("test"))
    assert in_language(message_of(refused.value), "es").startswith(
        "este nodo es el nodo de EE. UU.; una cuenta de MX corresponde al nodo de MX"
    )
    with fresh_db.reader() as session:
        assert [(u.username, u.country) for u in list_users(session)] == [("ana", "US")]


def test_cli_users_add_refuses_another_country_and_defaults_to_the_nodes(
    tmp_path: Path,
) -> None:
    runner = CliRunner()
    home = tmp_path / "us"
    assert (
        runner.invoke(
            cli, ["--home", str(home), "node", "init", "--country", "US", "--name", "US node"]
        ).exit_code
        == 0
    )
    refused = runner.invoke(
        cli,
        [
            "--home",
            str(home),
            "users",
            "add",
            "coordinador",
            "--role",
            "coordinator",
            "--country",
            "MX",
            "--agency",
            "SRE",
            "--password",
            PASSWORD,
        ],
    )
    assert refused.exit_code == 1
    assert "this node is the US node; an account of MX belongs on the MX node" in refused.output
    made = runner.invoke(
        cli,
        [
            "--home",
            str(home),
            "users",
            "add",
            "ana",
            "--role",
            "viewer",
            "--agency",
            "CBP",
            "--password",
            PASSWORD,
        ],
    )
    assert made.exit_code == 0, made.output
    assert "user ana created (viewer, US, CBP)" in made.output


def test_a_setting_that_contradicts_the_identity_is_refused_in_spanish(tmp_path: Path) -> None:
    create_node_keys(tmp_path, name="US node", country="US")
    keys = tmp_path / "keys"
    with pytest.raises(ValueError, match="ALIANZA_COUNTRY=MX") as refused:
        resolve_country(keys, "MX")
    assert str(refused.value) == (
        f"ALIANZA_COUNTRY=MX but this node's identity ({keys / 'node.json'}) says US; "
        "unset ALIANZA_COUNTRY"
    )
    assert in_language(message_of(refused.value), "es") == (
        f"ALIANZA_COUNTRY=MX, pero la identidad de este nodo ({keys / 'node.json'}) dice US; "
        "quite la variable ALIANZA_COUNTRY"
    )
