"""``alianza pme``: performance-measures reports; the group, its shared options and ``show``.

Every ``pme`` command imports this module: it imports only what ``show`` needs. The other
commands live in their own modules, listed in :data:`PME_COMMANDS` (issue 18).
"""

from __future__ import annotations

import click

from alianza.cli.context import Context, handles, pass_context
from alianza.cli.lazy import Entry, LazyGroup
from alianza.pme.document import Language
from alianza.pme.load import DEFAULT_PLAN
from alianza.pme.query import (
    Address,
    BadAddress,
    NothingInLanguage,
    PlanNotFound,
    load_plan_report,
    paragraph_at,
)
from alianza.pme.show import action_text, report_text

plan_option = click.option(
    "--plan", "plan_key", default=DEFAULT_PLAN, show_default=True, help="Plan key."
)
language_option = click.option(
    "--lang",
    "language",
    type=click.Choice([lang.value for lang in Language]),
    default="en",
    show_default=True,
    help="Language of the text.",
)


# The subcommands kept in other modules, imported when run (issue 18): `pme show` loads
# neither the files' readers and exporters nor the cycles' publication (openpyxl, Word).
PME_COMMANDS: dict[str, Entry] = {
    "assess": (
        "alianza.cli.pme_engine",
        "assess",
        "The scorecard as of a date: each target from the records and the judgements.",
    ),
    "cycle": (
        "alianza.cli.pme_cycles",
        "cycle",
        "Reporting cycles: open, enter status (EN/ES), submit, return, approve, lock, publish.",
    ),
    "deadlines": (
        "alianza.cli.pme_engine",
        "deadlines",
        "Deadlines of targets: list, correct, history.",
    ),
    "diff": (
        "alianza.cli.pme_cycles",
        "diff",
        "What changed in the status from cycle BEFORE to cycle AFTER.",
    ),
    "export": (
        "alianza.cli.pme_files",
        "export",
        "Export the plan as TSV (re-importable), Markdown, HTML or JSON.",
    ),
    "events": (
        "alianza.cli.pme_engine",
        "events",
        "Named events that relative deadlines count from.",
    ),
    "import": (
        "alianza.cli.pme_files",
        "import_command",
        "Import a performance-measures report (tab-separated, English or Spanish).",
    ),
    "judge": (
        "alianza.cli.pme_engine",
        "judge",
        "Record a judgement on an action (10.4.1) or one target (10.4.1/targets/1).",
    ),
    "measures": (
        "alianza.cli.pme_measures",
        "measures",
        "Value of every bound measurement as of a date, its target, and the records behind it.",
    ),
    "references": (
        "alianza.cli.pme_engine",
        "references",
        'Cross-references in the text ("See 10.2.',
    ),
    "todo": (
        "alianza.cli.pme_todo",
        "todo",
        "What needs you: targets coming due or overdue, disputes, approvals waiting.",
    ),
    "translations": (
        "alianza.cli.pme_engine",
        "translations",
        "Translation state of the plan's text (action, baseline, targets, measurements, status).",
    ),
}


@click.group(cls=LazyGroup, lazy=PME_COMMANDS)
def pme() -> None:
    """Performance measures: import, show and export strategy reports."""


@pme.command()
@click.argument("what", required=False)
@plan_option
@language_option
@click.option("--width", type=int, default=100, show_default=True, help="Wrap text at this width.")
@pass_context
@handles(PlanNotFound, NothingInLanguage, BadAddress)
def show(ctx: Context, what: str | None, plan_key: str, language: str, width: int) -> None:
    """Print the report, one action (10.4.1) or one paragraph (10.2/status/5)."""
    with ctx.database.reader() as session:
        report = load_plan_report(session, plan_key, Language(language))
    if what is None:
        click.echo(report_text(report, width), nl=False)
    elif "/" in what:
        address = Address.parse(what)
        click.echo(f"{address}: {paragraph_at(report, address).text}")
    else:
        action = report.action(what)
        if action is None:
            known = ", ".join(a.number for a in report.actions())
            raise BadAddress(f"no action {what} in plan {plan_key!r} (actions: {known})")
        click.echo(action_text(action, report, width))
