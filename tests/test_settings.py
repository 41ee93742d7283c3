"""The settings loader: environment strings converted to each setting's type, bad values
named by their variable, all of them at once, in English or Spanish (the catalogue's)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from alianza.catalogue import in_language, message_of
from alianza.settings import InvalidSettings, Settings, load_settings


def test_load_settings_converts_environment_strings(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ALIANZA_HOME", str(tmp_path / "node"))
    monkeypatch.setenv("ALIANZA_MAX_UPLOAD_MB", "7")
    monkeypatch.setenv("ALIANZA_SESSION_IDLE_MINUTES", "2.5")
    monkeypatch.setenv("ALIANZA_PORTS_DIRECTORY_SHARE_NAMES", "Yes")
    monkeypatch.setenv("alianza_log_format", "json")  # names in any case, as before
    settings = load_settings()
    assert settings.home == tmp_path / "node"
    assert settings.max_upload_mb == 7
    assert settings.session_idle_minutes == 2.5
    assert settings.ports_directory_share_names is True
    assert settings.log_format == "json"
    assert settings.effective_database_url == f"sqlite:///{tmp_path / 'node' / 'alianza.db'}"


def test_load_settings_overrides_win_over_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ALIANZA_HOME", "/nowhere")
    monkeypatch.setenv("ALIANZA_ENV", "production")
    settings = load_settings(home=tmp_path, env="test")
    assert (settings.home, settings.env) == (tmp_path, "test")


def test_load_settings_bad_values_are_named_all_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALIANZA_ENV", "prod")
    monkeypatch.setenv("ALIANZA_MAX_UPLOAD_MB", "3000")
    monkeypatch.setenv("ALIANZA_SESSION_IDLE_MINUTES", "0")
    monkeypatch.setenv("ALIANZA_LOGIN_FREE_FAILURES", "five")
    monkeypatch.setenv("ALIANZA_PORTS_DIRECTORY_SHARE_NAMES", "maybe")
    with pytest.raises(InvalidSettings) as refused:
        load_settings()
    assert [problem.split(":")[0] for problem in refused.value.problems] == [
        "ALIANZA_ENV",
        "ALIANZA_SESSION_IDLE_MINUTES",
        "ALIANZA_LOGIN_FREE_FAILURES",
        "ALIANZA_MAX_UPLOAD_MB",
        "ALIANZA_PORTS_DIRECTORY_SHARE_NAMES",
    ]
    assert str(refused.value) == (
        "invalid settings: ALIANZA_ENV: 'prod' is not one of development, test, production; "
        "ALIANZA_SESSION_IDLE_MINUTES: must be greater than 0; "
        "ALIANZA_LOGIN_FREE_FAILURES: 'five' is not a whole number; "
        "ALIANZA_MAX_UPLOAD_MB: must be at most 2048; "
        "ALIANZA_PORTS_DIRECTORY_SHARE_NAMES: 'maybe' is not true or false"
    )
    assert in_language(message_of(refused.value), "es") == (
        "configuración no válida: ALIANZA_ENV: 'prod' no es uno de development, test, production; "
        "ALIANZA_SESSION_IDLE_MINUTES: debe ser mayor que 0; "
        "ALIANZA_LOGIN_FREE_FAILURES: 'five' no es un número entero; "
        "ALIANZA_MAX_UPLOAD_MB: debe ser como mucho 2048; "
        "ALIANZA_PORTS_DIRECTORY_SHARE_NAMES: 'maybe' no es true ni false"
    )


def test_replace_checks_the_new_value_too(tmp_path: Path) -> None:
    settings = load_settings(home=tmp_path)
    with pytest.raises(InvalidSettings, match="ALIANZA_CYCLE_SEND_SECONDS"):
        dataclasses.replace(settings, cycle_send_seconds=-1.0)
    assert dataclasses.replace(settings, cycle_send_seconds="2").cycle_send_seconds == 2.0


def test_every_setting_has_a_description() -> None:
    assert all(each.metadata["description"] for each in dataclasses.fields(Settings))
