"""The session key's, the accounts' and the login throttle's refusals are catalogue messages:
the English as it always was, and the same refusal said in Spanish (issue 18)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from alianza.accounts import throttle
from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import AccountError, create_user, disable_user, issue_token
from alianza.accounts.session_key import SessionKeyError, create_session_key, read_session_key
from alianza.actors import NodeSelf
from alianza.catalogue import in_language, message_of
from alianza.db import Database

NODE = NodeSelf("test")


def said(error: BaseException) -> tuple[str, str]:
    return str(error), in_language(message_of(error), "es")


def test_an_unsafe_or_existing_session_key_is_refused_in_spanish(tmp_path: Path) -> None:
    key = create_session_key(tmp_path / "session.key")
    with pytest.raises(SessionKeyError) as exists:
        create_session_key(key)
    assert said(exists.value) == (
        f"{key} exists: this node already has a session key",
        f"{key} ya existe: este nodo ya tiene clave de sesión",
    )
    key.chmod(0o644)
    with pytest.raises(SessionKeyError) as readable:
        read_session_key(key)
    assert said(readable.value) == (
        f"{key} is readable by others (mode 644); chmod 600 it",
        f"{key} lo pueden leer otros usuarios (modo 644); ejecute chmod 600 sobre él",
    )
    key.write_text("short\n", "ascii")
    key.chmod(0o600)
    with pytest.raises(SessionKeyError) as short:
        read_session_key(key)
    assert said(short.value) == (
        f"{key}: shorter than 32 characters",
        f"{key}: tiene menos de 32 caracteres",
    )


def test_a_token_for_a_disabled_user_is_refused_in_spanish(fresh_db: Database) -> None:
    with fresh_db.transaction() as session:
        create_user(
            session,
            username="ana",
            password="a-long-password-1",
            role=Role.ANALYST,
            country=Country.US,
            agency="CBP",
            actor=NODE,
        )
        disable_user(session, "ana", actor=NODE)
        with pytest.raises(AccountError) as refused:
            issue_token(session, "ana", "script", actor=NODE)
    assert said(refused.value) == (
        "user 'ana' is disabled",
        "el usuario «ana» está deshabilitado",
    )


def test_an_attempt_that_cannot_be_recorded_is_said_in_spanish(
    fresh_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def always_conflicting(*_: object) -> float:
        raise IntegrityError("INSERT", {}, Exception("duplicate key"))

    monkeypatch.setattr(throttle, "_count", always_conflicting)
    policy = throttle.ThrottlePolicy(free_failures=3, first_delay=1.0, max_delay=60.0)
    with pytest.raises(RuntimeError) as refused:
        throttle.claim_attempt(fresh_db, throttle.Attempt("ana", "203.0.113.9"), policy)
    assert said(refused.value) == (
        "login throttle: could not record the attempt",
        "límite de inicio de sesión: no se pudo registrar el intento",
    )
