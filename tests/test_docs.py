"""The docs describe every command, option and setting (sqlite-utils' test_docs)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import click
import pytest

from alianza.cli import cli
from alianza.settings import Settings

DOCS = Path(__file__).parents[1] / "docs"


def all_docs() -> str:
    return "\n".join(p.read_text("utf-8") for p in sorted(DOCS.glob("*.md")))


def commands(group: click.Group, prefix: str = "alianza") -> list[tuple[str, click.Command]]:
    found = []
    context = click.Context(group)
    for name in group.list_commands(context):  # the top-level group imports lazily
        command = group.get_command(context, name)
        assert command is not None, name
        path = f"{prefix} {name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += commands(command, path)
    return found


@pytest.mark.parametrize(("path", "command"), commands(cli), ids=lambda v: str(v))
def test_docs_mention_every_command_and_option(path: str, command: click.Command) -> None:
    text = all_docs()
    assert path in text, f"{path} is not documented in docs/"
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            longest = max(parameter.opts, key=len)
            if longest in ("--help",):
                continue
            assert longest in text, f"{path} {longest} is not documented in docs/"


@pytest.mark.parametrize("name", [each.name for each in dataclasses.fields(Settings)])
def test_docs_mention_every_setting(name: str) -> None:
    text = (DOCS / "settings.md").read_text("utf-8")
    assert f"ALIANZA_{name.upper()}" in text
