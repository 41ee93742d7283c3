"""Options and helpers shared by the ``alianza risk`` command families (risk_*.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from alianza.cli import messages as words
from alianza.cli.context import fail, say
from alianza.operations.problems import message_language
from alianza.risk.extra import EXTRA

if TYPE_CHECKING:
    from alianza.actors import NodeSelf

DATE = click.DateTime(formats=["%Y-%m-%d"])


def day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def acting(by: str) -> NodeSelf:
    """Who acts in a command: the node, under the name given with ``--by`` (the audit log
    records it). Imported when a command runs, not when ``alianza risk --help`` does."""
    from alianza.actors import NodeSelf

    return NodeSelf(by)


def need_library() -> None:
    """Stop with a clear line when the ``risk`` extra (LightGBM, NumPy) is not installed."""
    from alianza.risk.extra import installed

    if not installed():
        fail(EXTRA)


def show_report(report: Any, report_json: Path | None, language: str | None) -> NoReturn:
    """Print a validation report (in ``language``, else the user's), write it as JSON if
    asked, exit with its status."""
    click.echo(report.text(language=language or message_language()))
    if report_json is not None:
        report.write_json(report_json)
    raise SystemExit(report.exit_code)


def parse_lane(value: str) -> tuple[str, int]:
    name, _, capacity = value.partition("=")
    if not name or not capacity.isdigit():
        raise click.BadParameter(say(words.EXPECTED_CAPACITY.said(value=value)))
    return name, int(capacity)


report_json_option = click.option(
    "--report-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the validation report as JSON to this file.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    help="Language of the messages (default: ALIANZA_LANGUAGE, else the locale, else English).",
)
_period_options = [
    click.option("--from", "start", type=DATE, required=True, help="First declaration day."),
    click.option("--to", "end", type=DATE, required=True, help="Last declaration day."),
    click.option("--port", help="Only shipments declared at this port (office)."),
    click.option("--model", "model_id", type=int, help="Model id (default: the newest)."),
]


def with_period(function: Any) -> Any:
    for option in reversed(_period_options):
        function = option(function)
    return function
