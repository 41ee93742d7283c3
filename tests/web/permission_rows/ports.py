"""Permission-matrix rows of the ports pages and API (see __init__.py)."""

from __future__ import annotations

ROUTES: dict[str, tuple[str, str, str]] = {}
ALLOWED: dict[str, set[str]] = {}
