"""Issue 14, item 1: a node has no accounts of the other government. Accounts that an older
database still holds (written when the node took both) do not sign in, on the web or with an
API token, and a session they opened before stops working; ``alianza users check`` lists
them and ``--disable`` disables them."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user, issue_token
from alianza.actors import NodeSelf
from alianza.cli import cli
from alianza.db import Database
from alianza.settings import load_settings
from alianza.web import create_app
from tests.web.conftest import csrf_of

PASSWORD = "older-database-1"


def old_mexican_account(node: Database) -> str:
    """An MX analyst written into the US node's database as the old demo did (through a
    handle of the same database that says MX), with an API token; returns the token."""
    as_mx = Database(node.url, country="MX")
    try:
        with as_mx.transaction() as session:
            create_user(
                session,
                username="analista-mx",
                password=PASSWORD,
                role=Role.ANALYST,
                country=Country.MX,
                agency="FGR",
                actor=NodeSelf("old-demo"),
            )
            return issue_token(session, "analista-mx", "script", actor=NodeSelf("old-demo"))
    finally:
        as_mx.dispose()


def app_client(node: Database, home: Path) -> TestClient:
    settings = load_settings(home=home, env="test")
    return TestClient(create_app(settings, node), follow_redirects=False)


def test_an_account_of_the_other_government_cannot_log_in_on_the_web(
    fresh_db: Database, tmp_path: Path
) -> None:
    old_mexican_account(fresh_db)
    with app_client(fresh_db, tmp_path) as client:
        response = client.post(
            "/login",
            data={"username": "analista-mx", "password": PASSWORD, "csrf_token": csrf_of(client)},
        )
        assert response.status_code == 403, response.text
        text = response.text.replace("&#39;", "'")
        assert "this node is the US node" in text
        assert "'analista-mx' belongs to the MX government" in text
        assert "alianza users check" in text
        assert "la cuenta" not in text  # the page's language only
        client.cookies.set("lang", "es")
        response = client.post(
            "/login",
            data={"username": "analista-mx", "password": PASSWORD, "csrf_token": csrf_of(client)},
        )
        text = response.text.replace("&#39;", "'")
        assert "este nodo es el nodo de EE. UU." in text
        assert "la cuenta 'analista-mx' es del gobierno de MX" in text
        assert client.get("/pme").status_code in (303, 401)  # not signed in


def test_an_api_token_of_the_other_government_is_refused_with_a_clear_error(
    fresh_db: Database, tmp_path: Path
) -> None:
    token = old_mexican_account(fresh_db)
    with app_client(fresh_db, tmp_path) as client:
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403, response.text
    error = response.json()["error"]
    assert error["code"] == "foreign-account"
    assert "this node is the US node" in error["message"]
    assert "MX" in error["message"]


def test_a_session_the_account_opened_before_stops_working(
    fresh_db: Database, tmp_path: Path
) -> None:
    """The account signs in where the database still said MX (the old node); the same
    browser's session, on the node that knows it is the US node, is not signed in."""
    old_mexican_account(fresh_db)
    as_mx = Database(fresh_db.url, country="MX")
    try:
        with app_client(as_mx, tmp_path) as old_node:
            response = old_node.post(
                "/login",
                data={
                    "username": "analista-mx",
                    "password": PASSWORD,
                    "csrf_token": csrf_of(old_node),
                },
            )
            assert response.status_code == 303, response.text
            assert old_node.get("/api/v1/me").status_code == 200
            cookies = dict(old_node.cookies.items())
    finally:
        as_mx.dispose()
    with app_client(fresh_db, tmp_path) as client:
        for name, value in cookies.items():
            client.cookies.set(name, value)
        response = client.get("/api/v1/me")
    assert response.status_code == 401, response.text


def test_users_check_lists_and_disables_accounts_of_the_other_government(
    fresh_db: Database, tmp_path: Path
) -> None:
    token = old_mexican_account(fresh_db)
    home = tmp_path / "home"
    home.mkdir()
    env = {"ALIANZA_DATABASE_URL": fresh_db.url, "ALIANZA_COUNTRY": "US"}
    runner = CliRunner()
    listed = runner.invoke(cli, ["--home", str(home), "users", "check"], env=env)
    assert listed.exit_code == 1, listed.output
    assert "analista-mx" in listed.output
    assert "this node is the US node" in listed.output
    assert "active" in listed.output
    disabled = runner.invoke(cli, ["--home", str(home), "users", "check", "--disable"], env=env)
    assert disabled.exit_code == 0, disabled.output
    assert "analista-mx" in disabled.output
    assert "disabled" in disabled.output
    again = runner.invoke(cli, ["--home", str(home), "users", "check"], env=env)
    assert again.exit_code == 0, again.output
    with app_client(fresh_db, tmp_path) as client:  # the token was revoked with the account
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401
