"""Column and heading labels of the report, in the report's language (keys ``pme.label.…``;
the Spanish is in the message catalogue)."""

from __future__ import annotations

from alianza.catalogue import declare

# The report table's column names (upper case, as the plan's own table has them) and the
# headings of the readable formats; the dict key is what the exports ask for.
LABELS = {
    "alliance_point": declare("pme.label.alliance-point", "Alliance Point"),
    "action": declare("pme.label.column.action", "ACTION"),
    "baseline": declare("pme.label.column.baseline", "BASELINE"),
    "targets": declare("pme.label.column.targets", "TARGET"),
    "measurements": declare("pme.label.column.measurements", "MEASUREMENT"),
    "status": declare("pme.label.column.status", "STATUS"),
    "as_of": declare("pme.label.as-of", "As of"),
    "Baseline": declare("pme.label.baseline", "Baseline"),
    "Targets": declare("pme.label.targets", "Targets"),
    "Measurements": declare("pme.label.measurements", "Measurements"),
    "Status": declare("pme.label.status", "Status"),
    "sub_action_of": declare("pme.label.sub-action-of", "sub-action of"),
}


def report_labels(language: str) -> dict[str, str]:
    """Every label in ``language`` (``"en"`` or ``"es"``), by its key."""
    return {key: text(language) for key, text in LABELS.items()}
