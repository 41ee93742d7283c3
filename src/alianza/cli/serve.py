"""``alianza serve``: the web application and JSON API. The web framework, the server and the
settings are imported when the command runs: ``alianza serve --help`` loads none (issue 18)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import click

from alianza.cli import output_admin as out
from alianza.cli.context import Context, clear_errors, pass_context, say
from alianza.operations.logs import LEVELS

# Open server-push streams (/ports/alerts/stream) never finish on their own: on shutdown,
# requests still running after this many seconds are cancelled (browsers reconnect).
GRACE_SECONDS = 5
FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=int,
    help="Worker processes, each with its own listening socket (SO_REUSEPORT) where the "
    "platform has it.",
)
@click.option("--certfile", type=FILE, help="TLS certificate (PEM) for listening beyond loopback.")
@click.option("--keyfile", type=FILE, help="TLS private key (PEM) of --certfile.")
@click.option(
    "--behind-proxy",
    metavar="ADDR[,ADDR]",
    help="Reverse proxies that terminate TLS; only they may set X-Forwarded-For/-Proto.",
)
@click.option(
    "--log-level",
    type=click.Choice(LEVELS),
    default=None,
    help="Lowest level logged (default: ALIANZA_LOG_LEVEL, else info).",
)
@pass_context
def serve(
    ctx: Context,
    host: str,
    port: int,
    workers: int,
    certfile: Path | None,
    keyfile: Path | None,
    behind_proxy: str | None,
    log_level: str | None,
) -> None:
    """Serve the web application and the JSON API of this node.

    Beyond loopback it needs the node's session key and TLS (--certfile/--keyfile or
    --behind-proxy); it refuses to start otherwise.
    """
    from alianza.accounts.session_key import SessionKeyError
    from alianza.settings import UnsafeSettings
    from alianza.web.listen import ServeRefused

    with clear_errors(UnsafeSettings, ServeRefused, SessionKeyError):
        run_server(ctx, host, port, workers, certfile, keyfile, behind_proxy, log_level)


def run_server(
    ctx: Context,
    host: str,
    port: int,
    workers: int,
    certfile: Path | None,
    keyfile: Path | None,
    behind_proxy: str | None,
    log_level: str | None,
) -> None:
    """``alianza serve`` once its options are read."""
    import uvicorn

    from alianza.operations.listen import check_port_free
    from alianza.operations.logs import configure_logging, uvicorn_log_config
    from alianza.operations.workers import serve_workers
    from alianza.web import create_app
    from alianza.web.listen import listen_options

    options: dict[str, Any] = listen_options(
        ctx.settings, host, certfile=certfile, keyfile=keyfile, behind_proxy=behind_proxy
    )
    check_port_free(host, port)
    level = log_level or ctx.settings.log_level
    configure_logging(level, ctx.settings.log_format)
    app = create_app(ctx.settings, ctx.database)  # checks settings and migrates, once
    scheme = "https" if certfile else "http"
    url = f"{scheme}://{host}:{port}/"
    click.echo(say(out.SERVING.said(url=url, api=f"{url}api/openapi.json")))
    # Logging is ours (structured, with request ids); uvicorn's access log is replaced.
    common: dict[str, Any] = {
        **options,
        "port": port,
        "log_level": level,
        "log_config": uvicorn_log_config(),
        "access_log": False,
        "timeout_graceful_shutdown": GRACE_SECONDS,
    }
    if workers > 1:
        os.environ["ALIANZA_HOME"] = str(ctx.settings.home)
        os.environ["ALIANZA_LOG_LEVEL"] = level
        status = serve_workers("alianza.web.asgi:app", common, workers)
        if status:
            raise SystemExit(status)
    else:
        uvicorn.run(app, **common)
