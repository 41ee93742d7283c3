"""Options and parameter types shared by the performance-measures engine's commands."""

from __future__ import annotations

import getpass
from datetime import date
from typing import Any

import click

from alianza.cli import messages as words
from alianza.cli.context import say
from alianza.pme.load import DEFAULT_PLAN


class IsoDate(click.ParamType[date, Any]):
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(say(words.NOT_A_DATE.said(value=value)), param, ctx)


ISO_DATE = IsoDate()
plan_option = click.option(
    "--plan", "plan_key", default=DEFAULT_PLAN, show_default=True, help="Plan key."
)
by_option = click.option(
    "--by",
    default=getpass.getuser,
    show_default="your login name",
    help="Who does this (kept in the record and the audit trail).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
)
