"""``alianza serve``: the web application and JSON API."""

from __future__ import annotations

import os

import click
import uvicorn

from alianza.cli.context import Context, handles, pass_context
from alianza.operations.listen import check_port_free
from alianza.settings import UnsafeSettings
from alianza.web import create_app

# Open server-push streams (/ports/alerts/stream) never finish on their own: on shutdown,
# requests still running after this many seconds are cancelled (browsers reconnect).
GRACE_SECONDS = 5


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers", default=1, show_default=True, type=int, help="Worker processes (uvicorn)."
)
@pass_context
@handles(UnsafeSettings)
def serve(ctx: Context, host: str, port: int, workers: int) -> None:
    """Serve the web application and the JSON API of this node."""
    check_port_free(host, port)
    app = create_app(ctx.settings, ctx.database)  # checks settings and migrates, once
    click.echo(f"Alianza at http://{host}:{port}/  (API: http://{host}:{port}/api/openapi.json)")
    if workers > 1:
        os.environ["ALIANZA_HOME"] = str(ctx.settings.home)
        uvicorn.run(
            "alianza.web.asgi:app",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
    else:
        uvicorn.run(
            app,
            host=host,
            port=port,
            log_level="warning",
            timeout_graceful_shutdown=GRACE_SECONDS,
        )
