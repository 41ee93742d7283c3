"""Reading report files: the seed exactly, its variants, and the files that must be refused."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from alianza.pme.document import Language
from alianza.pme.read import read_report, read_report_bytes, read_report_text
from alianza.pme.service import SEED_REPORT
from tests.conftest import DATA

SEED_ACTIONS = ["10.1", "10.2", "10.3", "10.4", "10.4.1", "10.5", "10.6", "10.7", "10.8", "10.9"]


def raw_rows(text: str) -> list[list[str]]:
    """Data rows of the seed found with plain string tests, independently of the reader."""
    rows = []
    for line in text.splitlines():
        cells = line.split("\t")
        if len(cells) != 5 or cells[0].startswith("ACTION") or set(line) <= set("-\t "):
            continue
        rows.append(cells)
    return rows


def raw_paragraph_count(cell: str) -> int:
    opened = cell.count("<p>")
    return opened if opened else (1 if cell.strip() else 0)


def test_read_seed_finds_one_alliance_point_and_ten_actions(seed_text: str) -> None:
    report = read_report(SEED_REPORT).report
    assert report.language is Language.EN
    assert [p.number for p in report.alliance_points] == ["10"]
    assert report.alliance_points[0].title == (
        "Enhance cooperation along both sides of our common border to increase security."
    )
    assert [a.number for a in report.actions()] == SEED_ACTIONS
    assert len(raw_rows(seed_text)) == len(SEED_ACTIONS)


def test_read_seed_takes_as_of_dates_from_the_header() -> None:
    for action in read_report(SEED_REPORT).report.actions():
        assert action.baseline.as_of == date(1998, 2, 1)
        assert [s.as_of for s in action.status] == [date(1999, 8, 31)]


def test_read_seed_splits_cells_into_paragraphs_as_the_source_does(seed_text: str) -> None:
    report = read_report(SEED_REPORT).report
    for cells, action in zip(raw_rows(seed_text), report.actions(), strict=True):
        assert len(action.baseline.paragraphs) == raw_paragraph_count(cells[1]), action.number
        assert len(action.targets) == raw_paragraph_count(cells[2]), action.number
        assert len(action.measurements) == raw_paragraph_count(cells[3]), action.number
        assert len(action.status[0].paragraphs) == raw_paragraph_count(cells[4]), action.number


def test_read_seed_keeps_paragraph_text_verbatim(seed_text: str) -> None:
    report = read_report(SEED_REPORT).report
    for cells, action in zip(raw_rows(seed_text), report.actions(), strict=True):
        expected = re.findall(r"<p>(.*?)</p>", cells[2]) or [cells[2].strip()]
        expected = [re.sub(r"</?i>", "", p).strip() for p in expected]
        assert [p.text for p in action.targets] == expected


def test_read_seed_keeps_emphasis_and_typographic_quotes() -> None:
    report = read_report(SEED_REPORT).report
    action_10_7 = report.action("10.7")
    assert action_10_7 is not None
    markup = action_10_7.status[0].paragraphs[1].markup
    assert "<i>Mobile Search</i>" in markup
    assert "<i>Body Search</i>" in markup
    assert "<i>" not in action_10_7.status[0].paragraphs[1].text
    action_10_2 = report.action("10.2")
    assert action_10_2 is not None
    assert "“port runners”" in action_10_2.baseline.paragraphs[1].text
    assert "Mexico’s southern border" in action_10_2.status[0].paragraphs[3].text


def test_read_seed_handles_sub_action_without_paragraph_tags() -> None:
    report = read_report(SEED_REPORT).report
    action = report.action("10.4.1")
    assert action is not None
    assert action.parent_number == "10.4"
    assert action.plain_text.startswith("Both governments will focus the Border Liaison")
    assert [p.text for p in action.status[0].paragraphs] == ["See 10.2. Status para 5"]


def test_read_action_text_drops_the_leading_number() -> None:
    report = read_report(SEED_REPORT).report
    texts = {a.number: a.plain_text for a in report.actions()}
    assert texts["10.1"].startswith("When the Binational Threat Assessment is updated")
    assert texts["10.5"].startswith("The Governments of Mexico and the United States will")
    assert not any(re.match(r"\d", text) for text in texts.values())


def test_read_entities_are_decoded_in_text_and_kept_in_markup() -> None:
    text = (
        "Alliance Point 3: Things &amp; more\n"
        "ACTION\tBASELINE As of 1 Feb 98\tTARGET\tMEASUREMENT\tSTATUS As of 31 Aug 99\n"
        "<p>3.1. Act &amp; report</p>\t<p>5 &lt; 6 &mdash; “quoted”</p>\t\t\t\n"
    )
    report = read_report_text(text).report
    action = report.action("3.1")
    assert action is not None
    assert action.plain_text == "Act & report"
    assert action.baseline.paragraphs[0].text == "5 < 6 — “quoted”"
    assert action.baseline.paragraphs[0].markup == "5 &lt; 6 — “quoted”"
    assert action.targets == ()


def test_read_accepts_crlf_bom_and_extra_blank_lines(seed_text: str) -> None:
    variant = "\ufeff" + seed_text.replace("\n", "\r\n\r\n\r\n")
    plain = read_report(SEED_REPORT).report
    assert read_report_bytes(variant.encode("utf-8")).report == plain


def test_read_spanish_report_uses_spanish_headers_and_months() -> None:
    report = read_report(DATA / "pme" / "spanish-report.tsv").report
    assert report.language is Language.ES
    assert report.alliance_points[0].title.startswith("Fortalecer la cooperación")
    assert [a.number for a in report.actions()] == ["10.4", "10.4.1"]
    action = report.action("10.4")
    assert action is not None
    assert action.baseline.as_of == date(1998, 2, 1)
    assert action.status[0].as_of == date(1999, 8, 31)
    assert len(action.targets) == 2


@pytest.mark.parametrize(
    ("name", "line", "code"),
    [
        ("wrong-cell-count.tsv", 9, "wrong-cell-count"),
        ("bad-as-of-date.tsv", 3, "bad-as-of-date"),
        ("action-outside-alliance-point.tsv", 9, "action-outside-alliance-point"),
    ],
)
def test_read_malformed_file_is_refused_naming_the_line(name: str, line: int, code: str) -> None:
    from alianza.pme.problems import ReportRejected

    path = DATA / "pme" / name
    with pytest.raises(ReportRejected) as caught:
        read_report(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [(line, code)]
    assert f"{path}, line {line}" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("<p>10.1. x</p>\ta\tb\tc\td\n", "row-before-header"),
        ("Alliance Point 10: T\nACTION\tBASELINE\tTARGET\tMEASUREMENT\tSTATUS As of 1 Jan 99\n",
         "bad-header"),
        ("Alliance Point 10: T\nACTION\tBASELINE As of 1 Fub 98\tTARGET\tMEASUREMENT\t"
         "STATUS As of 1 Jan 99\n", "bad-as-of-date"),
        ("Alliance Point 10: T\nACTION\tBASELINE As of 1 Feb 98\tTARGET\tMEASUREMENT\t"
         "STATUS As of 1 Jan 99\n<p>An action without number</p>\ta\tb\tc\td\n",
         "missing-action-number"),
        ("Alliance Point 10: T\nACTION\tBASELINE As of 1 Feb 98\tTARGET\tMEASUREMENT\t"
         "STATUS As of 1 Jan 99\n10.4.1 Sub\ta\tb\tc\td\n", "missing-parent-action"),
        ("Alliance Point 10: T\nACTION\tBASELINE As of 1 Feb 98\tTARGET\tMEASUREMENT\t"
         "STATUS As of 1 Jan 99\n10.1 A\ta\tb\tc\td\n10.1 B\ta\tb\tc\td\n", "duplicate-action"),
        ("\n\n", "empty-report"),
    ],
)  # fmt: skip
def test_read_defective_text_is_refused_with_its_code(text: str, code: str) -> None:
    from alianza.pme.problems import ReportRejected

    with pytest.raises(ReportRejected) as caught:
        read_report_text(text)
    assert [p.code for p in caught.value.problems] == [code]


def test_read_non_utf8_file_is_refused_with_its_line(tmp_path: Path) -> None:
    from alianza.pme.problems import ReportRejected

    path = tmp_path / "latin1.tsv"
    path.write_bytes("Alliance Point 10: T\nACCIÓN\n".encode("latin-1"))
    with pytest.raises(ReportRejected) as caught:
        read_report(path)
    assert [(p.line, p.code) for p in caught.value.problems] == [(2, "not-utf8")]


def test_read_unsupported_tags_are_dropped_with_a_warning_and_text_kept() -> None:
    text = (
        "Alliance Point 10: T\nACTION\tBASELINE As of 1 Feb 98\tTARGET\tMEASUREMENT\t"
        "STATUS As of 1 Jan 99\n10.1 A\t<p>x <script>alert(1)</script> <b>y</b></p>\tb\tc\td\n"
    )
    result = read_report_text(text)
    action = result.report.action("10.1")
    assert action is not None
    assert action.baseline.paragraphs[0].markup == "x alert(1) <b>y</b>"
    assert [(w.line, w.code, w.column) for w in result.warnings] == [
        (3, "dropped-markup", "baseline")
    ]


def test_a_problem_says_itself_in_spanish_too() -> None:
    """Issue 18, item 1: the import problems' messages are catalogue entries, with Spanish."""
    from alianza.pme.problems import ReportRejected
    from alianza.pme.read import read_report_text

    with pytest.raises(ReportRejected) as refused:
        read_report_text("Alliance Point 10: T\n10.1 a\tb\tc\td\te\n")
    [problem] = refused.value.problems
    assert problem.code == "row-before-header"
    assert problem.message_in("en") == (
        "a data row must follow an 'Alliance Point N: title' line and a header"
    )
    assert problem.message_in("es") == (
        "una fila de datos debe seguir a una línea 'Punto de Alianza N: título' y a un encabezado"
    )
    assert problem.title_es == "Fila de datos antes de título y encabezado"


@pytest.mark.parametrize("language", ["en", "es"])
def test_format_as_of_reads_back_for_every_month_in_both_languages(language: str) -> None:
    from alianza.pme.dates import format_as_of, month_abbreviations, parse_as_of

    for month in range(1, 13):
        day = date(1999, month, 28)
        assert parse_as_of(format_as_of(day, language)) == day
    # The months as the plan writes them (September is "sep", not CLDR's Spanish "sept").
    assert month_abbreviations(language)[8] == {"en": "Sep", "es": "sep"}[language]
    assert (
        format_as_of(date(2000, 2, 29), language)
        == {"en": "29 Feb 00", "es": "29 feb 00"}[language]
    )


@pytest.mark.parametrize(
    ("text", "english", "spanish"),
    [
        ("yesterday", "'yesterday' is not a date like '1 Feb 98' or '31 ago 99'",
         "'yesterday' no es una fecha como '1 Feb 98' o '31 ago 99'"),
        ("1 Fub 98", "'1 Fub 98': unknown month 'fub'", "'1 Fub 98': mes desconocido 'fub'"),
        ("31 Feb 98", "'31 Feb 98' is not a valid date (day is out of range for month)",
         "'31 Feb 98' no es una fecha válida (day is out of range for month)"),
    ],
)  # fmt: skip
def test_an_unreadable_date_is_said_in_english_and_spanish(
    text: str, english: str, spanish: str
) -> None:
    from alianza.catalogue import in_language, message_of
    from alianza.pme.dates import UnparseableDate, parse_as_of

    with pytest.raises(UnparseableDate) as refused:
        parse_as_of(text)
    assert str(refused.value) == english
    assert in_language(message_of(refused.value), "es") == spanish


def test_a_bad_as_of_date_problem_says_itself_in_spanish_too() -> None:
    from alianza.pme.problems import ReportRejected

    with pytest.raises(ReportRejected) as refused:
        read_report(DATA / "pme" / "bad-as-of-date.tsv")
    [problem] = refused.value.problems
    assert (problem.code, problem.column) == ("bad-as-of-date", "baseline")
    # the header is read folded to lower case
    assert problem.message_in("en") == (
        "'31 feb 98' is not a valid date (day is out of range for month)"
    )
    assert problem.message_in("es") == (
        "'31 feb 98' no es una fecha válida (day is out of range for month)"
    )
