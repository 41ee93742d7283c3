"""``alianza risk import | sample | outcomes | quarantine``: the declarations and the
inspection outcomes held on the node. Thin shells over :mod:`alianza.risk.store`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from alianza.cli import output_risk as out
from alianza.cli.context import Context, pass_context, say
from alianza.cli.pme_options import by_option
from alianza.cli.risk_options import (
    acting,
    lang_option,
    need_library,
    report_json_option,
    show_report,
)


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--profile",
    type=click.Choice(["kcs", "alianza"]),
    default="kcs",
    show_default=True,
    help="Mapping profile of the file's columns.",
)
@report_json_option
@lang_option
@by_option
@pass_context
def import_command(
    ctx: Context, file: Path, profile: str, report_json: Path | None, lang: str | None, by: str
) -> None:
    """Import shipment declarations; labels in the file are stored as past outcomes.

    One transaction; rows already held unchanged are skipped; refused rows are listed with
    their row, field and reason. Exit status 0 (all loaded), 3 (some refused), 2 (none).
    """
    need_library()
    from alianza.risk.store import import_shipments

    show_report(
        import_shipments(ctx.database, file, profile=profile, actor=acting(by)), report_json, lang
    )


@click.command("sample")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--rows", type=int, default=20_000, show_default=True, help="Shipments.")
@click.option("--days", type=int, default=180, show_default=True, help="Days covered.")
@click.option("--seed", type=int, default=0, show_default=True)
def sample_command(folder: Path, rows: int, days: int, seed: int) -> None:
    """Write a generated (synthetic) border-shipment sample in the canonical columns: a history
    with outcomes, the last week's arrivals without, and the arrivals' true outcomes."""
    need_library()
    from alianza.risk.sample import generate

    files = generate(folder, rows=rows, days=days, seed=seed)
    for path in (files.history, files.arrivals, files.truth):
        click.echo(str(path))


@click.command("outcomes")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@report_json_option
@lang_option
@by_option
@pass_context
def outcomes_command(
    ctx: Context, file: Path, report_json: Path | None, lang: str | None, by: str
) -> None:
    """Record inspection outcomes (CSV: reference, lane, exam_type, inspected_on, result =
    clear|violation|critical, optional seizure_event_id). They become training labels."""
    need_library()
    from alianza.risk.store import record_outcomes

    show_report(record_outcomes(ctx.database, file, actor=acting(by)), report_json, lang)


@click.command("quarantine")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_context
def quarantine_command(ctx: Context, as_json: bool) -> None:
    """Declaration rows refused by imports and not yet released by a corrected file."""
    need_library()
    from alianza.risk.store import open_quarantine

    with ctx.database.reader() as session:
        found: list[dict[str, Any]] = [
            {
                "source": q.source,
                "row": q.source_row,
                "reference": q.reference,
                "issues": q.issues,
            }
            for q in open_quarantine(session)
        ]
    if as_json:
        click.echo(json.dumps(found, indent=2, ensure_ascii=False))
        return
    click.echo(say(out.QUARANTINED.said(n=len(found))))
    for q in found:
        codes = ", ".join(f"{i['code']} ({i['field']})" for i in q["issues"])
        row = out.QUARANTINE_ROW.said(
            source=q["source"], row=q["row"], reference=q["reference"], codes=codes
        )
        click.echo(say(row))
