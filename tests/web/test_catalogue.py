"""The pages' message catalogue (issue 18, item 1): the Spanish is a gettext catalogue that
matches the code, entry for entry; a missing, fuzzy or stale translation shows the English and
is logged, never a key; plural forms; Accept-Language with its weights."""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from alianza.catalogue import SPANISH, check, text_of
from alianza.cli.help_texts import messages as cli_help
from alianza.web.i18n import STRINGS, catalogue_messages, pick_language, translate

TEMPLATES = Path(__file__).parents[2] / "src" / "alianza" / "web" / "templates"
VIEWS = Path(__file__).parents[2] / "src" / "alianza" / "web"
# The pages', the library's and the commands' --help (walked from the CLI: the web itself
# imports no CLI module, the test may).
MESSAGES = {**catalogue_messages(), **cli_help()}


def test_every_message_has_a_current_spanish_translation() -> None:
    assert check(MESSAGES) == []


def _changed(tmp_path: Path, key: str, **change: object) -> Path:
    """A copy of the Spanish catalogue with one entry changed (Babel, as a translator's tool
    would write it)."""
    copy = tmp_path / "alianza.po"
    shutil.copy(SPANISH, copy)
    with copy.open("rb") as source:
        catalog = read_po(source, locale="es")
    message = next(m for m in catalog if m.context == key)
    for name, value in change.items():
        if name == "fuzzy":
            message.flags.add("fuzzy")
        else:
            setattr(message, name, value)
    with copy.open("wb") as out:
        write_po(out, catalog)
    return copy


def test_check_finds_a_fuzzy_an_untranslated_and_a_mismatched_entry(tmp_path: Path) -> None:
    assert check(MESSAGES, _changed(tmp_path, "nav_pme", fuzzy=True)) == ["nav_pme: fuzzy"]
    assert check(MESSAGES, _changed(tmp_path, "nav_pme", string="")) == ["nav_pme: not translated"]
    wrong = "La contraseña nueva necesita al menos {minimo} caracteres."
    assert check(MESSAGES, _changed(tmp_path, "password_too_short", string=wrong)) == [
        "password_too_short: placeholders ['minimo'] in Spanish, ['minimum'] in English"
    ]
    assert check(MESSAGES, _changed(tmp_path, "nav_pme", id="Performance")) == [
        "nav_pme: the entry translates other English ('Performance')"
    ]


def test_check_finds_a_message_the_catalogue_lacks_and_one_the_code_lost() -> None:
    code = {**MESSAGES, "brand_new": "Brand new"}
    assert check(code) == ["brand_new: no Spanish entry"]
    del code["brand_new"], code["nav_pme"]
    assert check(code) == ["nav_pme: no longer in the code"]


def test_a_stale_or_missing_translation_shows_the_english_and_is_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    assert text_of("nav_pme", "Performance measures", "es") == "Medidas de desempeño"
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        assert text_of("nav_pme", "Measures of performance", "es") == "Measures of performance"
        assert text_of("not_in_catalogue", "Only English", "es") == "Only English"
    assert [r.getMessage() for r in caplog.records] == [
        "Spanish of message 'nav_pme' is stale (English changed); the English is shown",
        "Spanish of message 'not_in_catalogue' is missing; the English is shown",
    ]


def test_counted_messages_take_the_form_of_their_count() -> None:
    assert translate("audit_ok", "en", n=1) == "Audit chain intact: 1 entry verified."
    assert translate("audit_ok", "en", n=3) == "Audit chain intact: 3 entries verified."
    assert translate("audit_ok", "es", n=1) == "Cadena de auditoría íntegra: 1 entrada verificada."
    assert translate("audit_ok", "es", n=0) == (
        "Cadena de auditoría íntegra: 0 entradas verificadas."
    )
    assert translate("sz_quarantine_total", "es", n=1, shown=1) == (
        "1 fila en cuarentena (1 mostrada)."
    )


def test_no_message_is_a_hand_made_plural_in_english() -> None:
    """ "row(s)" is what plural forms replace (Spanish "carril(es)" is the catalogue's to fix)."""
    hand_made = [
        key
        for key, message in STRINGS.items()
        for form in (message if isinstance(message, tuple) else (message,))
        if re.search(r"\w\(s\)", form)
    ]
    assert hand_made == []


def test_every_key_the_templates_and_views_name_is_a_message() -> None:
    """A page never shows a key: every literal key a template passes to t() and every
    translate("…") in the views exists."""
    template_key = re.compile(r"\bt\('([A-Za-z0-9_.-]+)'\s*[,)]")
    view_key = re.compile(r"\btranslate\(\s*\"([A-Za-z0-9_.-]+)\"\s*,")
    named = set()
    for path in TEMPLATES.rglob("*.html"):
        named |= {(path.name, key) for key in template_key.findall(path.read_text())}
    for path in VIEWS.rglob("*.py"):
        named |= {(path.name, key) for key in view_key.findall(path.read_text())}
    assert len(named) > 500  # the scan finds the keys (608 when written)
    assert sorted((where, key) for where, key in named if key not in STRINGS) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("es-MX,es;q=0.9,en;q=0.8", "es"),
        ("en;q=0.4, es", "es"),  # weights, not order
        ("es;q=0, en", "en"),  # q=0: not acceptable
        ("fr-FR, en;q=0.5", "en"),
        ("fr", "es"),  # nothing Alianza has: the node's default
        ("*", "es"),
        ("en;q=abc, es;q=0.1", "es"),  # a malformed weight counts as refused
        (None, "es"),
    ],
)
def test_accept_language_is_read_with_its_weights(header: str | None, expected: str) -> None:
    assert pick_language(None, header, "es") == expected
