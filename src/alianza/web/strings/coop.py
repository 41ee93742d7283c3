"""Interface strings of the coop pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
