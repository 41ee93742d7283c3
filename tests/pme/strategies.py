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
