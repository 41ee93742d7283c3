"""``alianza serve``: the web application and JSON API."""

from __future__ import annotations

import click
import uvicorn

from alianza.cli.context import Context, handles, pass_context
from alianza.settings import UnsafeSettings
from alianza.web import create_app


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@pass_context
@handles(UnsafeSettings)
def serve(ctx: Context, host: str, port: int) -> None:
    """Serve the web application and the JSON API of this node."""
    app = create_app(ctx.settings, ctx.database)
    click.echo(f"Alianza at http://{host}:{port}/  (API: http://{host}:{port}/api/openapi.json)")
    uvicorn.run(app, host=host, port=port, log_level="warning")
