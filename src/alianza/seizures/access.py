"""Who may see which seizure records: the rule is declared in :mod:`alianza.releasability`."""

from __future__ import annotations

from alianza.releasability import SHARED_RELEASABILITY, visible_to

__all__ = ["SHARED_RELEASABILITY", "visible_to"]
