"""Account management on /admin/users (issue 23, item 5): an admin adds an account, changes a
role, resets a password and disables an account, each through the accounts service with the
acting admin, each audited; the page answers in the admin's language."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from alianza.accounts.models import User
from alianza.audit import AuditEntry
from alianza.db import Database
from tests.web.conftest import csrf_of, log_in


def post(client: TestClient, path: str, **form: str) -> int:
    data = {**form, "csrf_token": csrf_of(client, "/admin/users")}
    return client.post(path, data=data).status_code


def audited(database: Database, action: str) -> list[tuple[str, str]]:
    with database.reader() as session:
        rows = session.scalars(
            select(AuditEntry).where(
                AuditEntry.action == action, AuditEntry.subject == "user:maria"
            )
        ).all()
        return [(row.actor, row.subject) for row in rows]


def test_admin_adds_changes_resets_and_disables_accounts(
    client: TestClient, web_db: Database
) -> None:
    log_in(client, "admin")
    page = client.get("/admin/users").text
    assert 'id="add-user-form"' in page
    assert 'action="/admin/users/viewer/role"' in page
    assert post(client, "/admin/users", username="maria", display_name="María", role="analyst",
                agency="CBP", password="a long enough password", language="es") == 303  # fmt: skip
    assert post(client, "/admin/users/maria/role", role="liaison") == 303
    assert post(client, "/admin/users/maria/password", password="another long one") == 303
    assert post(client, "/admin/users/maria/disable") == 303
    with web_db.reader() as session:
        maria = session.scalars(select(User).where(User.username == "maria")).one()
        assert (maria.role, maria.country, maria.active, maria.language) == (
            "liaison", "US", False, "es",
        )  # fmt: skip
    for action in ("create", "set-role", "set-password", "disable"):
        assert audited(web_db, f"accounts.user.{action}") == [("admin", "user:maria")], action
    # the new password works until the account is disabled: a disabled account cannot log in
    client.cookies.clear()
    token = csrf_of(client)
    answer = client.post(
        "/login", data={"username": "maria", "password": "another long one", "csrf_token": token}
    )
    assert answer.status_code != 303


def test_refusals_are_shown_in_the_admins_language(client: TestClient) -> None:
    log_in(client, "admin")
    client.cookies.set("lang", "es")
    answer = client.post(
        "/admin/users",
        data={"username": "viewer", "display_name": "", "role": "viewer", "agency": "X",
              "password": "a long enough password", "csrf_token": csrf_of(client, "/admin/users")},
    )  # fmt: skip
    assert answer.status_code == 422
    assert "el usuario «viewer» ya existe" in answer.text
    short = client.post(
        "/admin/users/viewer/password",
        data={"password": "short", "csrf_token": csrf_of(client, "/admin/users")},
    )
    assert short.status_code == 422
    assert "contraseña: al menos 10 caracteres" in short.text
    own = client.post(
        "/admin/users/admin/disable", data={"csrf_token": csrf_of(client, "/admin/users")}
    )
    assert own.status_code == 422
    assert "no puede desactivar su propia cuenta" in own.text


def test_only_admins_manage_accounts(client: TestClient) -> None:
    log_in(client, "coordinator")
    assert post_as(client, "/admin/users/viewer/disable") == 403


def post_as(client: TestClient, path: str) -> int:
    return client.post(path, data={"csrf_token": csrf_of(client, "/pme")}).status_code
