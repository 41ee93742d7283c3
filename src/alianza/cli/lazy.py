"""Command groups whose subcommands are imported when they run, not before (issue 18).

A group lists its subcommands in a table, ``name → (module, attribute, one-line help)``:
``alianza --help`` (or ``alianza pme --help``) prints the one-line helps from the table and
imports none of the modules; ``alianza pme show`` imports the module of ``pme`` and of
``show`` only. ``tests/test_cli.py`` checks that each written help is the command's own and
that ``alianza --help`` loads no heavy library. Commands attached with ``add_command`` work
as in any click group.

    @click.group(cls=LazyGroup, lazy={"show": ("alianza.cli.pme_show", "show", "Print …")})
    def pme() -> None: ...
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any

import click

from alianza.cli.help_texts import click_text, help_language, line_of, localize, path_of

# name → (module, attribute, one-line help)
Entry = tuple[str, str, str]


class LazyGroup(click.Group):
    """A click group whose subcommands in ``lazy`` are imported on first use."""

    # A one-line help longer than the width is cut with "..." as click cuts a command's own
    # (the same text whether the command is imported or not); the root group wraps it whole.
    wrap_helps = False

    def __init__(self, *args: Any, lazy: Mapping[str, Entry] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy: dict[str, Entry] = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command (imported now if it is in the table), its help texts in the user's
        language (:mod:`alianza.cli.help_texts`)."""
        command: click.Command | None = self.commands.get(cmd_name)
        if command is None:
            entry = self.lazy.get(cmd_name)
            if entry is None:
                return None
            command = getattr(import_module(entry[0]), entry[1])
            assert command is not None
        localize(command, (*path_of(ctx), cmd_name), help_language())
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The commands' one-line helps, from the table for those not imported yet, cut to
        the width the way click cuts a command's own (or whole, wrapped: ``wrap_helps``)."""
        rows: list[tuple[str, str]] = []
        names = self.list_commands(ctx)
        language, path = help_language(), path_of(ctx)
        width = formatter.width - 6 - max((len(name) for name in names), default=0)
        for name in names:
            command = self.commands.get(name)
            if command is None:
                written = line_of((*path, name), self.lazy[name][2], language)
                rows.append((name, written if self.wrap_helps else cut(written, width)))
            elif not command.hidden:
                rows.append((name, command.get_short_help_str(width)))
        if rows:
            with formatter.section(click_text("Commands", language)):
                formatter.write_dl(rows)


def cut(text: str, width: int) -> str:
    """``text`` cut to ``width`` (at a sentence's end, else a word's, with "...") by click's
    own rule for a command's one-line help."""
    return click.Command(None, help=text).get_short_help_str(width)
