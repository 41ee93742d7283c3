"""``alianza pme``: the performance-measures group. Every ``pme`` command and ``alianza pme
--help`` import this module: it holds the group and the table of its subcommands only, each
imported when it runs (issue 18).
"""

from __future__ import annotations

import click

from alianza.cli.lazy import Entry, LazyGroup

# name → (module, attribute, one-line help): `pme show` loads neither the files' readers and
# exporters nor the cycles' publication (openpyxl, Word).
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
    "show": (
        "alianza.cli.pme_show",
        "show",
        "Print the report, one action (10.4.1) or one paragraph (10.2/status/5).",
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
