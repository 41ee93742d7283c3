"""ASGI entry point for several worker processes: ``uvicorn --factory alianza.web.asgi:app``.

Settings come from the environment (``ALIANZA_*``), as for ``alianza serve``.
"""

from __future__ import annotations

from fastapi import FastAPI

from alianza.settings import load_settings
from alianza.web.app import create_app


def app() -> FastAPI:
    return create_app(load_settings())
