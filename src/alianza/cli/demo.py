"""``alianza demo``: two fresh embedded nodes, US and MX, with the demo data, shown, then served.

The command and its options only; the demo itself is the package ``alianza.demo``, imported
when it runs: ``alianza demo --help`` loads nothing heavy (issue 18).
"""

from __future__ import annotations

from pathlib import Path

import click


@click.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("alianza-demo"),
    show_default=True,
    help="Folder of the two demo nodes (us/ and mx/); emptied and created afresh.",
)
@click.option("--no-serve", is_flag=True, help="Prepare the two demo nodes and exit.")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to serve on.")
@click.option(
    "--port",
    default=8000,
    show_default=True,
    type=int,
    help="Port of the US node; the MX node is served on the next one.",
)
def demo(directory: Path, no_serve: bool, host: str, port: int) -> None:
    """Build two embedded (SQLite) nodes, US and MX, with the demo data; show, then serve them."""
    from alianza.demo.run import run_demo

    run_demo(directory, no_serve=no_serve, host=host, port=port)
