"""ASGI entry point for several worker processes: ``uvicorn --factory alianza.web.asgi:app``.

Settings come from the environment (``ALIANZA_*``), as for ``alianza serve``.
"""

from __future__ import annotations

from fastapi import FastAPI

from alianza.operations.logs import configure_logging
from alianza.settings import load_settings
from alianza.web.app import create_app


def app() -> FastAPI:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
