"""Interface strings of the ports pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
