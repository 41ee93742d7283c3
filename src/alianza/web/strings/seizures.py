"""Interface strings of the seizures pages (English and Spanish)."""

from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {}
