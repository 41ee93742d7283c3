"""Interface strings of the risk pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
