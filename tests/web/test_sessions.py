"""Sessions that are the node's own and that end: the session key, forged cookies, logout,
password/role changes and disabling, idle and absolute expiry (issue 15)."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from itsdangerous import TimestampSigner
from sqlalchemy import select, update

from alianza.accounts.models import AccountSession
from alianza.accounts.permissions import Role
from alianza.accounts.service import disable_user, set_password, set_role
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database
from alianza.settings import InvalidSettings, UnsafeSettings, load_settings
from alianza.web import create_app
from tests.web.conftest import PASSWORD, csrf_of, log_in

# The key that earlier versions shipped as the default for every development node.
OLD_PUBLIC_KEY = "development-only-placeholder-secret"


def signed_cookie(data: dict[str, object], secret: str) -> str:
    """A session cookie as Starlette's SessionMiddleware writes it (base64 JSON, signed)."""
    payload = base64.b64encode(json.dumps(data).encode("utf-8"))
    return TimestampSigner(secret).sign(payload).decode("utf-8")


def user_id(database: Database, username: str) -> int:
    from alianza.accounts.models import User

    with database.reader() as session:
        found: int = session.scalars(select(User.id).where(User.username == username)).one()
        return found


def test_a_cookie_forged_with_the_old_public_key_is_not_a_session(
    client: TestClient, web_db: Database
) -> None:
    admin = user_id(web_db, "admin")
    for data in ({"uid": admin}, {"sid": "guessed-session-id", "uid": admin}):
        client.cookies.set("alianza_session", signed_cookie(data, OLD_PUBLIC_KEY))
        assert client.get("/api/v1/me").status_code == 401
        assert client.get("/admin/users").status_code in (303, 401)
    # Even a cookie signed with the node's real key names no session without a login.
    real_key = client.app.state.session_secret  # type: ignore[attr-defined]
    client.cookies.set("alianza_session", signed_cookie({"uid": admin}, real_key))
    assert client.get("/api/v1/me").status_code == 401


def test_the_old_public_key_is_refused_as_a_setting(tmp_path: Path) -> None:
    with pytest.raises(InvalidSettings, match="published placeholder"):
        load_settings(home=tmp_path, secret_key=OLD_PUBLIC_KEY)
    with pytest.raises(InvalidSettings, match="at least 32"):
        load_settings(home=tmp_path, secret_key="short")


def test_each_node_generates_its_own_session_key_mode_0600(tmp_path: Path) -> None:
    keys = []
    for name in ("one", "two"):
        settings = load_settings(home=tmp_path / name, env="development", database_url=None)
        app = create_app(settings)
        path = tmp_path / name / "keys" / "session.key"
        assert path.stat().st_mode & 0o777 == 0o600
        assert app.state.session_secret == path.read_text("ascii").strip()
        assert len(app.state.session_secret) >= 32
        keys.append(app.state.session_secret)
        app.state.database.dispose()
    assert keys[0] != keys[1]


def test_a_production_node_without_a_session_key_refuses_to_start(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path, env="production", database_url=None)
    with pytest.raises(UnsafeSettings, match="ALIANZA_SECRET_KEY") as refused:
        create_app(settings)
    assert "este nodo no tiene clave de sesión" in in_language(message_of(refused.value), "es")
    assert not settings.session_key_file.exists()


def test_logout_ends_the_session_for_every_copy_of_the_cookie(
    client: TestClient, web_db: Database
) -> None:
    log_in(client, "admin")
    copied = client.cookies.get("alianza_session")
    assert client.get("/api/v1/me").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_of(client, "/pme")})
    with TestClient(client.app, follow_redirects=False) as thief:
        thief.cookies.set("alianza_session", copied)
        assert thief.get("/api/v1/me").status_code == 401
        assert thief.get("/admin/users").status_code in (303, 401)


@pytest.mark.parametrize(
    "change",
    [
        lambda s: set_password(s, "analyst", "a brand new password", actor=NodeSelf("t")),
        lambda s: set_role(s, "analyst", Role.VIEWER, actor=NodeSelf("t")),
        lambda s: disable_user(s, "analyst", actor=NodeSelf("t")),
    ],
    ids=["password-change", "role-change", "disabled"],
)
def test_account_changes_end_every_open_session_at_once(
    client: TestClient, web_db: Database, change: object
) -> None:
    log_in(client, "analyst")
    with TestClient(client.app, follow_redirects=False) as second_browser:
        log_in(second_browser, "analyst")
        assert client.get("/api/v1/me").status_code == 200
        with web_db.transaction() as session:
            change(session)  # type: ignore[operator]
        assert client.get("/api/v1/me").status_code == 401
        assert second_browser.get("/api/v1/me").status_code == 401


def test_a_password_change_keeps_the_new_password_working(
    client: TestClient, web_db: Database
) -> None:
    with web_db.transaction() as session:
        set_password(session, "viewer", "a brand new password", actor=NodeSelf("t"))
    log_in(client, "viewer", "a brand new password")
    assert client.get("/api/v1/me").json()["username"] == "viewer"


@pytest.mark.parametrize("column", ["last_seen_at", "expires_at"])
def test_an_idle_or_expired_session_ends(client: TestClient, web_db: Database, column: str) -> None:
    """Idle: no request for longer than 30 minutes (the default). Absolute: past 8 hours."""
    log_in(client, "viewer")
    assert client.get("/api/v1/me").status_code == 200
    moment = (
        datetime.now(UTC) - timedelta(minutes=31)
        if column == "last_seen_at"
        else datetime.now(UTC) - timedelta(seconds=1)
    )
    with web_db.transaction() as session:
        session.execute(update(AccountSession).values({column: moment}))
    assert client.get("/api/v1/me").status_code == 401


def test_a_session_in_use_is_not_idle(client: TestClient, web_db: Database) -> None:
    log_in(client, "viewer")
    twenty_minutes_ago = datetime.now(UTC) - timedelta(minutes=20)
    with web_db.transaction() as session:
        session.execute(update(AccountSession).values(last_seen_at=twenty_minutes_ago))
    assert client.get("/api/v1/me").status_code == 200  # seen now: the idle clock restarts
    with web_db.reader() as session:
        seen = session.scalars(select(AccountSession.last_seen_at)).one()
    assert seen.replace(tzinfo=seen.tzinfo or UTC) > twenty_minutes_ago + timedelta(minutes=19)


def test_the_session_row_keeps_only_a_hash_of_the_cookie_id(
    client: TestClient, web_db: Database
) -> None:
    log_in(client, "viewer", PASSWORD)
    cookie = client.cookies.get("alianza_session")
    assert cookie is not None
    data = json.loads(base64.b64decode(cookie.split(".")[0]))
    with web_db.reader() as session:
        stored = session.scalars(select(AccountSession.token_hash)).one()
    assert "uid" not in data
    expected = hashlib.sha256(data["sid"].encode("utf-8")).hexdigest()
    assert stored == expected
    assert data["sid"] != stored


def change_password(client: TestClient, current: str, new: str, again: str | None = None) -> int:
    data = {
        "current_password": current,
        "new_password": new,
        "new_password_again": new if again is None else again,
        "csrf_token": csrf_of(client, "/account/password"),
    }
    return client.post("/account/password", data=data).status_code


def test_changing_ones_password_ends_the_other_sessions(client: TestClient) -> None:
    log_in(client, "analyst")
    with TestClient(client.app, follow_redirects=False) as other_browser:
        log_in(other_browser, "analyst")
        assert change_password(client, PASSWORD, "a brand new password") == 303
        assert client.get("/api/v1/me").status_code == 200  # this browser: a fresh session
        assert "Password changed" in client.get("/account/password?changed=true").text
        assert other_browser.get("/api/v1/me").status_code == 401
        other_browser.cookies.clear()
        refused = other_browser.post(
            "/login",
            data={
                "username": "analyst",
                "password": PASSWORD,
                "csrf_token": csrf_of(other_browser),
            },
        )
        assert refused.status_code == 401
        log_in(other_browser, "analyst", "a brand new password")


def test_a_password_change_needs_the_current_password_and_matching_new_ones(
    client: TestClient,
) -> None:
    log_in(client, "analyst")
    assert change_password(client, "not my password", "a brand new password") == 401
    assert change_password(client, PASSWORD, "a brand new password", "another one!!") == 422
    assert change_password(client, PASSWORD, "short") == 422
    assert client.get("/api/v1/me").status_code == 200  # nothing changed, still signed in
