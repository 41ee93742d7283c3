"""References never guessed (issue 17, items 4 and 5): "See also", "Véase también", "párr.",
lists of Alliance Points, references in the plan's other language, and references written in
an earlier status snapshot."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.query import Address, load_plan_report, paragraph_at
from alianza.pme.references import find_references, plan_references
from alianza.pme.service import SEED_REPORT, import_report_file
from tests.conftest import DATA
from tests.pme.test_references import one_point_report


@pytest.mark.parametrize(
    ("text", "targets"),
    [
        ("Ver 10.1. Estado párr. 2", [("10.1/status/2", True)]),
        ("Ver 10.1. Estado párr. 3", [("10.1/status/3", False)]),
        ("See also 10.1.", [("10.1/status", True)]),
        ("Véase también 10.1. Estado párrafo 1", [("10.1/status/1", True)]),
        (
            "(See Alliance Points 4 and 11)",
            [("alliance-point/4", False), ("alliance-point/11", False)],
        ),
        (
            "(Ver Puntos de la Alianza 4 y 11)",
            [("alliance-point/4", False), ("alliance-point/11", False)],
        ),
        ("(Véase también el Punto de la Alianza 10)", []),  # "el": not a form read
        ("(Ver Punto de la Alianza 10)", [("alliance-point/10", True)]),
    ],
)
def test_find_references_more_forms(text: str, targets: list[tuple[str, bool]]) -> None:
    found = find_references(one_point_report(f"Texto previo. {text} Y más texto."))
    assert [(r.target, r.resolved) for r in found] == targets
    for reference in found:
        assert (reference.reason is None) == reference.resolved


def test_plan_references_lists_spanish_references_when_english_is_the_source(
    seeded_db: Database,
) -> None:
    import_report_file(seeded_db, DATA / "pme" / "spanish-report.tsv", actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        found = plan_references(session)
    spanish = [(r.source, r.text, r.target, r.reason) for r in found if r.language == "es"]
    # spanish-report.tsv: 10.4 status paragraph 2 and 10.4.1 status paragraph 1 each say
    # "Ver 10.2. Estado párrafo 5"; 10.2 has no Spanish text in that file.
    assert spanish == [
        ("10.4/status/2", "Ver 10.2. Estado párrafo 5", "10.2/status/5", "action-not-in-language"),
        (
            "10.4.1/status/1",
            "Ver 10.2. Estado párrafo 5",
            "10.2/status/5",
            "action-not-in-language",
        ),
    ]


def later_report(tmp_path: Path) -> Path:
    """The seed as a report of 29 Feb 2000 in which 10.2's status has two paragraphs."""
    lines = []
    for line in SEED_REPORT.read_text("utf-8").split("\n"):
        cells = line.split("\t")
        if len(cells) == 5 and cells[0].startswith("<p>10.2."):
            cells[4] = "<p>First paragraph of 2000.</p> <p>Second paragraph of 2000.</p>"
        lines.append("\t".join(cells).replace("As of 31 Aug 99", "As of 29 Feb 00"))
    path = tmp_path / "bnds-2000.tsv"
    path.write_text("\n".join(lines), "utf-8")
    return path


def test_reference_in_1999_status_points_at_1999_snapshot_after_later_import(
    seeded_db: Database, tmp_path: Path
) -> None:
    import_report_file(seeded_db, later_report(tmp_path), actor=NodeSelf("test"))
    with seeded_db.reader() as session:
        found = {r.source: r for r in plan_references(session)}
        report = load_plan_report(session)
        old = found["10.4.1/status@1999-08-31/1"]
        assert (old.target, old.resolved) == ("10.2/status@1999-08-31/5", True)
        shown = paragraph_at(report, Address.parse(old.target)).text
        assert "eight of the nine BLMs" in shown  # the 1999 paragraph 5 (seed text)
        new = found["10.4.1/status/1"]  # the same words in the 2000 status
        assert (new.target, new.resolved, new.reason) == (
            "10.2/status/5",
            False,
            "paragraph-not-found",
        )
    assert date(1999, 8, 31) in {s.as_of for s in report.action("10.2").status}  # type: ignore[union-attr]
