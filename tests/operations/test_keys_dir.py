"""Keys outside the node folder (ALIANZA_KEYS_DIR): created, read, backed up and restored there."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from alianza.cli import cli


def invoke(home: Path, keys: Path, *args: str) -> Result:
    env = {"ALIANZA_KEYS_DIR": str(keys), "ALIANZA_DATABASE_URL": None, "ALIANZA_LANGUAGE": "en"}
    result = CliRunner().invoke(cli, ["--home", str(home), *args], env=env)
    assert result.exit_code == 0, result.output
    return result


def test_keys_live_in_keys_dir_and_travel_in_backups(tmp_path: Path) -> None:
    home, keys = tmp_path / "node", tmp_path / "secrets" / "alianza-keys"
    invoke(home, keys, "node", "init", "--country", "US", "--name", "US node")
    assert (keys / "node-ed25519.pem").stat().st_mode & 0o777 == 0o600
    assert not (home / "keys").exists()
    shown = invoke(home, keys, "node", "show").output
    assert "this node: US node (US)" in shown

    archive = tmp_path / "node.tar.gz"
    invoke(home, keys, "node", "backup", "-o", str(archive))
    other_home, other_keys = tmp_path / "restored", tmp_path / "other-secrets"
    invoke(other_home, other_keys, "node", "restore", str(archive))
    assert (other_keys / "node-ed25519.pem").read_bytes() == (
        keys / "node-ed25519.pem"
    ).read_bytes()
    assert not (other_home / "keys").exists()
    assert (
        invoke(other_home, other_keys, "node", "show").output.splitlines()[:2]
        == shown.splitlines()[:2]
    )


def test_country_comes_from_the_identity_in_keys_dir(tmp_path: Path) -> None:
    """The image, compose.yaml and the systemd unit set ALIANZA_KEYS_DIR: the node's country
    (written by `node init` beside its key) must be found there, or every write that carries a
    country (the first account, a seizure import) is refused."""
    home, keys = tmp_path / "node", tmp_path / "alianza-keys"
    invoke(home, keys, "node", "init", "--country", "MX", "--name", "Nodo MX")
    invoke(
        home,
        keys,
        "users",
        "add",
        "admin1",
        "--role",
        "admin",
        "--agency",
        "SHCP",
        "--password",
        "a-long-enough-password",
    )
    listed = invoke(home, keys, "users", "list").output
    assert "admin1" in listed
    assert "MX" in listed
