"""``alianza analysis``: joint analyses of both countries' exchanged data."""

from __future__ import annotations

from pathlib import Path

import click

from alianza.cli.context import Context, fail, handles, pass_context
from alianza.exchange.keys import NodeKeyError, load_node_keys
from alianza.exchange.periods import parse_quarter

FORMATS = ("md", "html", "docx", "csv", "xlsx")


@click.group()
def analysis() -> None:
    """Joint analyses of both countries' exchanged data."""


@analysis.command()
@click.option("--quarter", required=True, help="Calendar quarter, e.g. 2025-Q4.")
@click.option(
    "--format", "output_format", type=click.Choice(FORMATS), default="md", show_default=True
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write (required for docx and xlsx; md also writes its charts beside it as PNG).",
)
@pass_context
@handles(NodeKeyError, ValueError)
def joint(ctx: Context, quarter: str, output_format: str, output: Path | None) -> None:
    """Both countries' seizure tables for a quarter side by side: totals by drug, border
    corridors (paired ports), concealment, transport methods and the drugs they carry, and
    the trend over eight quarters; bilingual (EN/ES), with charts."""
    # imported here: matplotlib and python-docx take a second to load, not worth it on every run
    from alianza.analysis.charts import all_charts
    from alianza.analysis.joint import joint_analysis
    from alianza.analysis.render import (
        report_csv,
        report_docx,
        report_html,
        report_markdown,
        report_xlsx,
    )

    parse_quarter(quarter)
    own = load_node_keys(ctx.settings).identity.country
    with ctx.database.reader() as session:
        result = joint_analysis(session, quarter.upper(), own_country=own)
    if not any(result.available.values()):
        fail(f"no seizure tables for {quarter} on either side")
    if output_format in ("docx", "xlsx") and output is None:
        fail(f"--format {output_format} needs -o FILE")
    data: bytes
    if output_format == "csv":
        data = report_csv(result).encode()
    elif output_format == "xlsx":
        data = report_xlsx(result)
    elif output_format == "docx":
        data = report_docx(result, all_charts(result))
    elif output_format == "html":
        data = report_html(result, all_charts(result)).encode()
    else:
        links: dict[str, str] = {}
        if output is not None:
            for name, png in all_charts(result).items():
                image = output.with_name(f"{output.stem}-{name}.png")
                image.write_bytes(png)
                links[name] = image.name
        data = report_markdown(result, links).encode()
    if output is None:
        click.echo(data.decode(), nl=False)
    else:
        output.write_bytes(data)
        click.echo(f"wrote {output} ({output_format}, {len(data):,} bytes)", err=True)
