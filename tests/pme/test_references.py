"""Cross-references of the seed (1999 report, Alliance Point 10) and Spanish forms."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alianza.pme.document import Action, AlliancePoint, Language, Paragraph, Report, Snapshot
from alianza.pme.read import read_report_bytes
from alianza.pme.references import find_references
from alianza.pme.service import SEED_REPORT


@pytest.fixture(scope="module")
def seed_report() -> Report:
    return read_report_bytes(SEED_REPORT.read_bytes(), "seed").report


def pairs(report: Report, source_action: str) -> list[tuple[str, str, bool]]:
    return [
        (r.source, r.target, r.resolved)
        for r in find_references(report)
        if r.source.split("/")[0] == source_action
    ]


def test_find_references_seed_10_5_resolves_to_10_4_in_each_column(seed_report: Report) -> None:
    assert pairs(seed_report, "10.5") == [
        ("10.5/baseline/1", "10.4/baseline", True),
        ("10.5/targets/1", "10.4/targets", True),  # "See 10. 4." with its stray space
        ("10.5/measurements/1", "10.4/measurements", True),
        ("10.5/status/1", "10.4/status", True),
    ]


def test_find_references_seed_10_4_1_status_points_at_paragraph_5_of_10_2(
    seed_report: Report,
) -> None:
    (reference,) = [r for r in find_references(seed_report) if r.source == "10.4.1/status/1"]
    assert reference.as_dict() | {"message": None, "message_es": None} == {
        "from": "10.4.1/status/1",
        "to": "10.2/status/5",
        "language": "en",
        "resolved": True,
        "text": "See 10.2. Status para 5",
        "reason": None,
        "message": None,
        "message_es": None,
    }
    # The paragraph it points at is the one about subgroups in eight of the nine BLMs.
    target = seed_report.action("10.2")
    assert target is not None
    assert "eight of the nine BLMs" in target.status[-1].paragraphs[4].text


def test_find_references_seed_other_alliance_points_are_kept_unresolved(
    seed_report: Report,
) -> None:
    unresolved = [
        (r.source, r.target, r.reason) for r in find_references(seed_report) if not r.resolved
    ]
    assert unresolved == [
        ("10.2/status/7", "alliance-point/4", "alliance-point-not-loaded"),
        ("10.8/status/2", "alliance-point/11", "alliance-point-not-loaded"),
        ("10.8/status/3", "alliance-point/11", "alliance-point-not-loaded"),
        ("10.8/status/4", "14.4", "alliance-point-not-loaded"),
    ]


def test_find_references_seed_10_3_status_points_at_10_2_status(seed_report: Report) -> None:
    assert pairs(seed_report, "10.3") == [("10.3/status/1", "10.2/status", True)]


def one_point_report(*status: str, targets: tuple[str, ...] = ("x",)) -> Report:
    def action(number: str, texts: tuple[str, ...]) -> Action:
        return Action(
            number=number,
            text=(Paragraph(f"{number} text"),),
            baseline=Snapshot(date(1998, 2, 1), (Paragraph("b"),)),
            targets=tuple(Paragraph(t) for t in targets),
            measurements=(Paragraph("m"),),
            status=(Snapshot(date(1999, 8, 31), tuple(Paragraph(t) for t in texts)),),
        )

    return Report(
        Language.ES,
        (
            AlliancePoint(
                "10", "t", (action("10.1", ("uno", "dos")), action("10.2", tuple(status)))
            ),
        ),
    )


@pytest.mark.parametrize(
    ("text", "target", "resolved", "reason"),
    [
        ("Ver 10.1.", "10.1/status", True, None),
        ("Véase 10.1", "10.1/status", True, None),
        ("Ver 10.1. Estado párrafo 2", "10.1/status/2", True, None),
        ("Ver 10.1. Estado párrafo 3", "10.1/status/3", False, "paragraph-not-found"),
        ("Ver 10.1. Línea base", "10.1/baseline", True, None),
        ("(Ver Punto de Alianza 10)", "alliance-point/10", True, None),
        ("(Ver Punto de Alianza 11)", "alliance-point/11", False, "alliance-point-not-loaded"),
        ("Ver 10.7.", "10.7/status", False, "action-not-loaded"),
        ("See 10.1. Status Para 9", "10.1/status/9", False, "paragraph-not-found"),
    ],
)
def test_find_references_spanish_and_broken_forms(
    text: str, target: str, resolved: bool, reason: str | None
) -> None:
    (reference,) = find_references(one_point_report(f"Texto previo. {text} Y más texto."))
    assert (reference.target, reference.resolved, reference.reason) == (target, resolved, reason)
    assert (reference.message() is None) == resolved


def test_find_references_ignores_numbers_without_see() -> None:
    report = one_point_report("In 10.1 of the plan, 10.2 and Alliance Point 4 are named.")
    assert find_references(report) == []


def test_find_references_unresolved_message_in_both_languages() -> None:
    (reference,) = find_references(one_point_report("(See Alliance Point 4)"))
    assert reference.message("en") == "Alliance Point 4 is not loaded in this plan"
    assert reference.message("es") == "El Punto de Alianza 4 no está cargado en este plan"


@given(
    action=st.sampled_from(["10.1", "10.2"]),
    paragraph=st.integers(1, 4),
    see=st.sampled_from(["See", "see", "Ver", "Véase"]),
    column=st.sampled_from([("Status", "status"), ("Estado", "status"), ("Baseline", "baseline")]),
    para=st.sampled_from(["para", "Para", "párrafo", "paragraph"]),
    before=st.sampled_from(["", "Meetings continue. ", "Las reuniones continúan ("]),
)
def test_find_references_generated_paragraph_references_resolve_or_say_why(
    action: str, paragraph: int, see: str, column: tuple[str, str], para: str, before: str
) -> None:
    text = f"{see} {action}. {column[0]} {para} {paragraph}"
    (reference,) = find_references(one_point_report(f"{before}{text}"))
    assert reference.text == text
    assert reference.target == f"{action}/{column[1]}/{paragraph}"
    # 10.1 has two status paragraphs and one baseline paragraph; 10.2 has one status paragraph
    # (the generated one) and one baseline paragraph.
    held = {("10.1", "status"): 2, ("10.1", "baseline"): 1}.get((action, column[1]), 1)
    assert reference.resolved == (paragraph <= held)
    assert reference.reason == (None if paragraph <= held else "paragraph-not-found")
