"""The web application and JSON API: a thin shell over the library.

``create_app(settings)`` builds the ASGI app; ``alianza serve`` runs it under uvicorn.
"""

from alianza.web.app import create_app

__all__ = ["create_app"]
