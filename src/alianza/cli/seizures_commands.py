"""``alianza seizures``: import seizure files, see quarantine, aggregate, code lists."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click

from alianza.actors import NodeSelf
from alianza.catalogue import Joined
from alianza.cli import output_seizures as out
from alianza.cli.context import Context, handles, pass_context, say
from alianza.codes import LIST_NAMES, UnknownCodeList, code_list
from alianza.operations.problems import message_language
from alianza.seizures.aggregate import (
    DIMENSIONS,
    UNITS,
    UnknownDimension,
    aggregate,
    parse_where,
)
from alianza.seizures.profile import (
    BadProfile,
    UnknownProfile,
    builtin_profiles,
    check_profile,
    load_profile,
)
from alianza.seizures.quarantine import quarantined_rows
from alianza.seizures.scopes import SCOPES
from alianza.seizures.service import import_file, rebuild_summary
from alianza.seizures.template import template_csv
from alianza.tabular import Progress

PROGRESS_FROM_BYTES = 5_000_000  # show a progress bar for files larger than this


@contextmanager
def _progress(path: Path) -> Iterator[Progress | None]:
    size = path.stat().st_size
    if size < PROGRESS_FROM_BYTES:
        yield None
        return
    with click.progressbar(
        length=size, label=say(out.IMPORTING.said(file=path.name)), file=sys.stderr
    ) as bar:
        seen = 0

        def advance(done: int) -> None:
            nonlocal seen
            bar.update(done - seen)
            seen = done

        yield advance


@click.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--profile", "profile_name", required=True, help="Mapping profile: name or JSON file."
)
@click.option("--strict", is_flag=True, help="Load nothing if any row is invalid.")
@click.option(
    "--report-json",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the validation report as JSON to this file.",
)
@click.option(
    "--extraction-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="When the figures were pulled from the source system (YYYY-MM-DD).",
)
@click.option(
    "--provenance",
    help="Where the data comes from, stored with the import (default: the profile's).",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "es"]),
    help="Language of the report (default: ALIANZA_LANGUAGE, else the locale, else en).",
)
@click.option(
    "--show",
    default=10,
    show_default=True,
    help="Issues to print after the counts by code, errors first (0: none).",
)
@pass_context
@handles(UnknownProfile, BadProfile)
def import_command(
    ctx: Context,
    file: Path,
    profile_name: str,
    strict: bool,
    report_json: Path | None,
    extraction_date: object,
    provenance: str | None,
    lang: str | None,
    show: int,
) -> None:
    """Import a seizure file (CSV, XLSX, JSON, JSON Lines) with a mapping profile.

    Exit status: 0 every row loaded (or already held), 3 some rows quarantined, 2 nothing
    loaded.
    """
    extracted = extraction_date.date() if hasattr(extraction_date, "date") else None
    with _progress(file) as progress:
        outcome = import_file(
            ctx.database,
            file,
            profile_name,
            strict=strict,
            extraction_date=extracted if isinstance(extracted, date) else None,
            progress=progress,
            provenance=provenance,
            actor=NodeSelf("cli"),
        )
    report = outcome.report
    language = lang or message_language()
    click.echo(report.text(language=language, show=show))
    details = report.details
    counts = {k: details.get(k, 0) for k in ("revised", "released", "duplicates")}
    if any(counts.values()):  # quiet when there is nothing to say
        click.echo(f"  {out.REVISED(language, **counts)}")
    if details.get("records_per_row"):
        click.echo(f"  {out.WIDE_LAYOUT(language, count=details['records_per_row'])}")
    if "strict" in details:
        click.secho(f"  {out.STRICT_NOTHING_WRITTEN(language)}", fg="red")
    if report.quarantined and "strict" not in details:
        click.echo(f"  {out.IN_QUARANTINE(language)}")
    if report_json is not None:
        report.write_json(report_json)
    sys.exit(report.exit_code)


@click.command()
@click.option("--example", is_flag=True, help="Add example rows (two events).")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
def template(example: bool, output: Path | None) -> None:
    """Write the canonical CSV template (profile `canonical`)."""
    text = template_csv(example=example)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
        click.echo(say(out.TEMPLATE_WRITTEN.said(path=output)))


@click.command("aggregate")
@click.option(
    "--by", "by", required=True, help=f"Dimensions, comma-separated: {', '.join(DIMENSIONS)}."
)
@click.option("--where", "where", multiple=True, help="Filter DIM=VALUE[,VALUE…]; repeatable.")
@click.option(
    "--releasability",
    multiple=True,
    type=click.Choice(["NATIONAL_ONLY", "BILATERAL", "PUBLIC_AGGREGATE"]),
    help="Only records with this releasability; repeatable (default: all).",
)
@click.option(
    "--scope",
    type=click.Choice(list(SCOPES)),
    default="all",
    show_default=True,
    help="Which records the totals cover; southwest-border-cbp-public = Field Operations and "
    "Border Patrol, as CBP's published figures (named in every output).",
)
@click.option(
    "--unit",
    type=click.Choice(list(UNITS)),
    default="kg",
    show_default=True,
    help="Unit of the amount column (amount_kg or amount_lb).",
)
@click.option(
    "--format", "fmt", type=click.Choice(["csv", "json"]), default="csv", show_default=True
)
@pass_context
@handles(UnknownDimension)
def aggregate_command(
    ctx: Context,
    by: str,
    where: tuple[str, ...],
    releasability: tuple[str, ...],
    scope: str,
    unit: str,
    fmt: str,
) -> None:
    """Number of seizures and amount seized over events and aggregate rows together, within a
    named scope; a fiscal year still open is marked fiscal_year_to_date."""
    dims = [d.strip() for d in by.split(",") if d.strip()]
    filters = parse_where(where)
    with ctx.database.reader() as session:
        result = aggregate(
            session,
            dims,
            filters,
            releasability=set(releasability) or None,
            scope=SCOPES[scope],
            unit=unit,
        )
    click.echo(result.as_csv() if fmt == "csv" else result.as_json(), nl=False)


@click.command("summary-rebuild")
@pass_context
def summary_rebuild(ctx: Context) -> None:
    """Recompute the seizure summary tables from the events (imports keep them up to date)."""
    rows = rebuild_summary(ctx.database, actor=NodeSelf("cli"))
    for table, count in rows.items():
        click.echo(say(out.SUMMARY_ROWS.said(table=table, n=count)))


@click.command()
@click.option("--all", "show_all", is_flag=True, help="Include released rows.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_context
def quarantine(ctx: Context, show_all: bool, fmt: str) -> None:
    """Rows held in quarantine, with their raw values and reasons."""
    with ctx.database.reader() as session:
        rows = quarantined_rows(session, include_released=show_all)
        if fmt == "json":
            body = [
                {
                    "id": r.id,
                    "source": r.source,
                    "profile": r.profile,
                    "row": r.source_row,
                    "raw": r.raw,
                    "issues": r.issues,
                    "released": r.released_at is not None,
                }
                for r in rows
            ]
            click.echo(json.dumps(body, ensure_ascii=False, indent=2))
            return
        if not rows:
            click.echo(say(out.QUARANTINE_EMPTY.said()))
        for r in rows:
            line = out.RELEASED_ROW if r.released_at else out.QUARANTINED_ROW
            codes = ", ".join(sorted({i["code"] for i in r.issues}))
            said = line.said(source=r.source, row=r.source_row, profile=r.profile, codes=codes)
            click.echo(say(said))


@click.command()
def profiles() -> None:
    """List the built-in mapping profiles."""
    for name in builtin_profiles():
        profile = load_profile(name)
        click.echo(f"{name:20} {profile.record.value:9} {profile.title}")


@click.group("profile")
def profile_group() -> None:
    """Work with mapping profiles (JSON files that say how a source's columns are read)."""


@profile_group.command("check")
@click.argument("file")
@handles(UnknownProfile, BadProfile)
def profile_check(file: str) -> None:
    """Validate a profile (a JSON file, or a built-in name) without importing anything."""
    profile = check_profile(file)
    parts: list[str] = [out.PROFILE_COLUMNS.said(n=len(profile.columns))]
    if profile.unpivot:
        parts.append(out.PROFILE_UNPIVOTED.said(n=len(profile.unpivot)))
    if profile.not_seizures:
        parts.append(out.PROFILE_NOT_SEIZURES.said(n=len(profile.not_seizures)))
    if profile.events_not_reported:
        parts.append(out.PROFILE_EVENTS_NOT_REPORTED.said())
    ok = out.PROFILE_OK.said(
        name=profile.name, record=profile.record.value, parts=Joined(", ", parts)
    )
    click.echo(say(ok))


@click.command()
@click.argument("name", required=False)
@click.option("--lang", type=click.Choice(["en", "es"]), default="en", show_default=True)
@handles(UnknownCodeList)
def codes(name: str | None, lang: str) -> None:
    """Show a code list (drug, unit, concealment …), or list the code lists."""
    if name is None:
        click.echo("\n".join(LIST_NAMES))
        return
    for code in code_list(name).codes.values():
        click.echo(f"{code.code:24} {code.label(lang)}")
