"""Hypothesis strategies for generated performance-measures reports."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from alianza.pme.document import Action, AlliancePoint, Language, Paragraph, Report, Snapshot
from alianza.pme.markup import markup_from_text

# Words with the characters that matter: entities, quotes, accents, digits, dashes, slashes.
WORD = st.text(
    alphabet=st.sampled_from(list("abcxyzÁéñü019&<>“”’'\"-/.,;:()%")), min_size=1, max_size=8
)
TEXT = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def paragraphs(draw: st.DrawFn, max_size: int = 4) -> tuple[Paragraph, ...]:
    result = []
    for _ in range(draw(st.integers(0, max_size))):
        pieces = [markup_from_text(draw(TEXT))]
        if draw(st.booleans()):
            pieces.append(f"<i>{markup_from_text(draw(TEXT))}</i>")
        if draw(st.booleans()):
            pieces.append(markup_from_text(draw(TEXT)))
        result.append(Paragraph(" ".join(pieces)))
    return tuple(result)


AS_OF = st.dates(min_value=date(1950, 1, 1), max_value=date(2100, 12, 31))


@st.composite
def reports(draw: st.DrawFn) -> Report:
    language = draw(st.sampled_from(list(Language)))
    numbers = draw(st.lists(st.integers(1, 30), min_size=1, max_size=3, unique=True))
    points = []
    for point_number in numbers:
        actions = []
        for index in range(1, draw(st.integers(1, 4)) + 1):
            numbers_here = [f"{point_number}.{index}"]
            numbers_here += [
                f"{point_number}.{index}.{sub}" for sub in range(1, draw(st.integers(0, 2)) + 1)
            ]
            for number in numbers_here:
                actions.append(
                    Action(
                        number=number,
                        text=draw(paragraphs(2)),
                        baseline=Snapshot(draw(AS_OF), draw(paragraphs())),
                        targets=draw(paragraphs()),
                        measurements=draw(paragraphs()),
                        status=(Snapshot(draw(AS_OF), draw(paragraphs())),),
                    )
                )
        points.append(AlliancePoint(str(point_number), draw(TEXT), tuple(actions)))
    return Report(language, tuple(points))


PRECISION = st.sampled_from(["exact", "month", "year"])
SCHEDULE_STATES = st.sampled_from(
    ["not_due", "due_soon", "overdue", "met_on_time", "met_late", "met_timing_unknown"]
)


@st.composite
def snapshot_plans(draw: st.DrawFn) -> tuple[Report, dict[date, int], list[tuple[date, int]]]:
    """Action 10.1 with status snapshots of generated dates and paragraph counts, and action
    10.2 whose snapshots each say "See 10.1. Status para K". Returns the report, 10.1's
    paragraph count per snapshot date, and (10.2 snapshot date, K) in order."""
    dates = sorted(draw(st.sets(AS_OF, min_size=1, max_size=4)))
    counts = {day: draw(st.integers(1, 5)) for day in dates}
    own = tuple(
        Snapshot(day, tuple(Paragraph(f"p{i}") for i in range(1, counts[day] + 1))) for day in dates
    )
    cited_dates = sorted(draw(st.sets(AS_OF, min_size=1, max_size=4)))
    cited = [(day, draw(st.integers(1, 6))) for day in cited_dates]
    other = tuple(
        Snapshot(day, (Paragraph(f"Progress. See 10.1. Status para {k}"),)) for day, k in cited
    )

    def action(number: str, status: tuple[Snapshot, ...]) -> Action:
        return Action(
            number=number,
            text=(Paragraph("a"),),
            baseline=Snapshot(date(1950, 1, 1), (Paragraph("b"),)),
            targets=(Paragraph("t"),),
            measurements=(Paragraph("m"),),
            status=status,
        )

    report = Report(
        Language.EN, (AlliancePoint("10", "t", (action("10.1", own), action("10.2", other))),)
    )
    return report, counts, cited
