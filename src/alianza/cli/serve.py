"""``alianza serve``: the web application and JSON API."""

from __future__ import annotations

import os
from typing import Any

import click
import uvicorn

from alianza.cli.context import Context, handles, pass_context
from alianza.operations.listen import check_port_free
from alianza.operations.logs import LEVELS, configure_logging, uvicorn_log_config
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
@click.option(
    "--log-level",
    type=click.Choice(LEVELS),
    default=None,
    help="Lowest level logged (default: ALIANZA_LOG_LEVEL, else info).",
)
@pass_context
@handles(UnsafeSettings)
def serve(ctx: Context, host: str, port: int, workers: int, log_level: str | None) -> None:
    """Serve the web application and the JSON API of this node."""
    check_port_free(host, port)
    level = log_level or ctx.settings.log_level
    configure_logging(level, ctx.settings.log_format)
    app = create_app(ctx.settings, ctx.database)  # checks settings and migrates, once
    click.echo(f"Alianza at http://{host}:{port}/  (API: http://{host}:{port}/api/openapi.json)")
    # Logging is ours (structured, with request ids); uvicorn's access log is replaced.
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": level,
        "log_config": uvicorn_log_config(),
        "access_log": False,
        "timeout_graceful_shutdown": GRACE_SECONDS,
    }
    if workers > 1:
        os.environ["ALIANZA_HOME"] = str(ctx.settings.home)
        os.environ["ALIANZA_LOG_LEVEL"] = level
        uvicorn.run("alianza.web.asgi:app", factory=True, workers=workers, **options)
    else:
        uvicorn.run(app, **options)
