"""The deadline parser: the seed's wordings, Spanish equivalents, and generated phrases.

Expected values are written out or computed here from the generated parts (the date, the
number, the event), never by calling the parser's helpers.
"""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alianza.catalogue import in_language, message_of
from alianza.pme.deadlines import DeadlineKind, Offset, OffsetUnit, Recurrence, parse_deadline

EN_MONTHS = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
]  # fmt: skip
ES_MONTHS = [
    "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
    "octubre", "noviembre", "diciembre",
]  # fmt: skip
TAILS = [
    "both governments will establish Border Public Safety subgroups for every BLM.",
    "formalize a liaison officer contact for customs matters.",
    "ambos gobiernos establecerán subgrupos de Seguridad Pública Fronteriza.",
    "los dos gobiernos elaborarán un análisis conjunto de la violencia fronteriza.",
    "",
]
EVENTS = [
    ("the completion of an update of the Binational Threat Assessment",
     "completion of an update of the Binational Threat Assessment"),
    ("the signing of the memorandum", "signing of the memorandum"),
    ("la conclusión de la actualización de la Evaluación Binacional de la Amenaza",
     "conclusión de la actualización de la Evaluación Binacional de la Amenaza"),
    ("la firma del acuerdo", "firma del acuerdo"),
]  # fmt: skip

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 12, 31))


def last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@pytest.mark.parametrize(
    ("text", "kind", "due"),
    [
        ("By July 31, 1999, both governments will establish …", "absolute", date(1999, 7, 31)),
        ("By July 1999, establish Border Public Safety subgroups", "month", date(1999, 7, 31)),
        ("In 1999, both countries will carry out …", "window", date(1999, 12, 31)),
        ("Para el 31 de julio de 1999, ambos gobiernos …", "absolute", date(1999, 7, 31)),
        ("Para julio de 1999, establecer los subgrupos", "month", date(1999, 7, 31)),
        ("En 1999, ambos países realizarán …", "window", date(1999, 12, 31)),
        ("Para febrero de 2000, revisar", "month", date(2000, 2, 29)),
        ("Continue and strengthen the BLM mechanisms.", "none", None),
        ("Complete training on large X-ray equipment and ion scanners.", "none", None),
    ],
)
def test_parse_deadline_reads_seed_and_spanish_wordings(
    text: str, kind: str, due: date | None
) -> None:
    deadline = parse_deadline(text)
    assert (deadline.kind.value, deadline.due) == (kind, due)


def test_parse_deadline_relative_waits_for_its_event() -> None:
    deadline = parse_deadline(
        "Within 6 months of the completion of an update of the Binational Threat Assessment, "
        "the two governments will develop a joint analysis."
    )
    assert deadline.kind is DeadlineKind.RELATIVE
    assert deadline.due is None
    assert deadline.event == "completion of an update of the Binational Threat Assessment"
    assert deadline.offset == Offset(6, OffsetUnit.MONTH)
    assert deadline.resolve(None) is None
    assert deadline.resolve(date(2000, 3, 15)) == date(2000, 9, 15)
    assert deadline.resolve(date(1999, 8, 31)) == date(2000, 2, 29)


def test_parse_deadline_recurring_with_start_keeps_both() -> None:
    deadline = parse_deadline(
        "By July 31, 1999, the U.S. and Mexico will begin a systematic exchange of data "
        "relating to seizures along the common border on a quarterly basis, including …"
    )
    assert deadline.kind is DeadlineKind.RECURRING
    assert deadline.recurrence is Recurrence.QUARTERLY
    assert deadline.start == date(1999, 7, 31)
    assert deadline.due == date(1999, 7, 31)


def test_parse_deadline_keeps_the_words_it_read() -> None:
    text = "Para el 31 de julio de 1999, ambos gobiernos establecerán subgrupos."
    assert parse_deadline(text).phrase == "Para el 31 de julio de 1999"


@given(day=days, tail=st.sampled_from(TAILS), comma=st.booleans())
def test_parse_deadline_english_absolute_phrases(day: date, tail: str, comma: bool) -> None:
    text = f"By {EN_MONTHS[day.month - 1]} {day.day}{',' if comma else ''} {day.year}, {tail}"
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due) == (DeadlineKind.ABSOLUTE, day)


@given(day=days, tail=st.sampled_from(TAILS), lead=st.sampled_from(["Para el", "A más tardar el"]))
def test_parse_deadline_spanish_absolute_phrases(day: date, tail: str, lead: str) -> None:
    text = f"{lead} {day.day} de {ES_MONTHS[day.month - 1]} de {day.year}, {tail}"
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due) == (DeadlineKind.ABSOLUTE, day)


@given(day=days, tail=st.sampled_from(TAILS), spanish=st.booleans())
def test_parse_deadline_month_phrases_due_on_last_day(day: date, tail: str, spanish: bool) -> None:
    if spanish:
        text = f"Para {ES_MONTHS[day.month - 1]} de {day.year}, {tail}"
    else:
        text = f"By {EN_MONTHS[day.month - 1]} {day.year}, {tail}"
    deadline = parse_deadline(text)
    assert (deadline.kind, deadline.due) == (
        DeadlineKind.MONTH,
        last_day(day.year, day.month),
    )


@given(year=st.integers(1990, 2030), tail=st.sampled_from(TAILS), spanish=st.booleans())
def test_parse_deadline_year_windows(year: int, tail: str, spanish: bool) -> None:
    deadline = parse_deadline(f"{'En' if spanish else 'In'} {year}, {tail}")
    assert deadline.kind is DeadlineKind.WINDOW
    assert (deadline.window_start, deadline.due) == (date(year, 1, 1), date(year, 12, 31))


NUMBER_WORDS_EN = {1: "one", 2: "two", 3: "three", 6: "six", 12: "twelve"}
NUMBER_WORDS_ES = {1: "un", 2: "dos", 3: "tres", 6: "seis", 12: "doce"}


@given(
    amount=st.sampled_from([1, 2, 3, 6, 12]),
    as_word=st.booleans(),
    event=st.sampled_from(EVENTS[:2]),
    tail=st.sampled_from(TAILS),
    event_on=days,
)
def test_parse_deadline_english_relative_phrases(
    amount: int, as_word: bool, event: tuple[str, str], tail: str, event_on: date
) -> None:
    number = NUMBER_WORDS_EN[amount] if as_word else str(amount)
    unit = "month" if amount == 1 else "months"
    deadline = parse_deadline(f"Within {number} {unit} of {event[0]}, {tail}")
    assert deadline.kind is DeadlineKind.RELATIVE
    assert (deadline.event, deadline.offset, deadline.due) == (
        event[1],
        Offset(amount, OffsetUnit.MONTH),
        None,
    )
    months = event_on.year * 12 + event_on.month - 1 + amount
    year, month = months // 12, months % 12 + 1
    expected = date(year, month, min(event_on.day, calendar.monthrange(year, month)[1]))
    assert deadline.resolve(event_on) == expected


@given(
    amount=st.sampled_from([1, 2, 3, 6, 12]),
    as_word=st.booleans(),
    event=st.sampled_from(EVENTS[2:]),
    tail=st.sampled_from(TAILS),
    follow=st.sampled_from(["siguientes a", "posteriores a", "después de"]),
)
def test_parse_deadline_spanish_relative_phrases(
    amount: int, as_word: bool, event: tuple[str, str], tail: str, follow: str
) -> None:
    number = NUMBER_WORDS_ES[amount] if as_word else str(amount)
    unit = "mes" if amount == 1 else "meses"
    deadline = parse_deadline(f"Dentro de los {number} {unit} {follow} {event[0]}, {tail}")
    assert deadline.kind is DeadlineKind.RELATIVE
    assert (deadline.event, deadline.offset) == (event[1], Offset(amount, OffsetUnit.MONTH))


RECURRENCE_WORDS = [
    ("on a quarterly basis", Recurrence.QUARTERLY),
    ("quarterly", Recurrence.QUARTERLY),
    ("trimestral", Recurrence.QUARTERLY),
    ("de manera trimestral", Recurrence.QUARTERLY),
    ("cada trimestre", Recurrence.QUARTERLY),
    ("on a monthly basis", Recurrence.MONTHLY),
    ("mensualmente", Recurrence.MONTHLY),
    ("annually", Recurrence.ANNUAL),
    ("anualmente", Recurrence.ANNUAL),
    ("semestralmente", Recurrence.SEMIANNUAL),
]


@given(word=st.sampled_from(RECURRENCE_WORDS), start=st.one_of(st.none(), days))
def test_parse_deadline_recurring_phrases_with_and_without_start(
    word: tuple[str, Recurrence], start: date | None
) -> None:
    lead = f"By {EN_MONTHS[start.month - 1]} {start.day}, {start.year}, " if start else ""
    deadline = parse_deadline(f"{lead}exchange seizure data {word[0]} between the two countries.")
    assert deadline.kind is DeadlineKind.RECURRING
    assert (deadline.recurrence, deadline.start, deadline.due) == (word[1], start, start)


@given(st.text(max_size=300))
def test_parse_deadline_never_raises_on_any_text(text: str) -> None:
    deadline = parse_deadline(text)
    assert deadline.kind in set(DeadlineKind)
    if deadline.phrase is not None and deadline.kind is not DeadlineKind.RECURRING:
        assert deadline.phrase in text


@given(tail=st.sampled_from(TAILS))
def test_parse_deadline_without_date_words_is_none(tail: str) -> None:
    assert parse_deadline(f"Continue to promote {tail}").kind is DeadlineKind.NONE


@pytest.mark.parametrize("text", ["P6M", "P30D", "P2W", "P1Y"])
def test_parse_offset_round_trips(text: str) -> None:
    assert str(Offset.parse(text)) == text


def test_a_period_that_is_not_one_is_refused_in_english_and_spanish() -> None:
    with pytest.raises(ValueError, match="not a period") as refused:
        Offset.parse("6 months")
    assert str(refused.value) == "'6 months' is not a period like 'P6M', 'P30D', 'P2W' or 'P1Y'"
    assert in_language(message_of(refused.value), "es") == (
        "'6 months' no es un periodo como 'P6M', 'P30D', 'P2W' o 'P1Y'"
    )
