"""The compiled catalogue (issue 18): a run reads ``alianza.mo``, not the ``.po``; the ``.mo``
says, entry for entry, what the ``.po`` says (contexts and plural forms included), a standard
gettext reader agrees with it, ``check_compiled`` fails where it does not, and a missing or
broken ``.mo`` falls back to the ``.po`` (logged), never to a crash or a key. The expected
entries here are read from the ``.po`` with Babel directly, not through the catalogue's code."""

from __future__ import annotations

import gettext
import io
import logging
import shutil
import struct
import tomllib
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from alianza import catalogue
from alianza.catalogue import (
    COMPILED,
    SPANISH,
    check_compiled,
    compile_catalogue,
    compile_spanish,
    read_compiled,
    text_of,
)
from alianza.web.i18n import translate

ROOT = Path(__file__).parents[1]


@pytest.fixture(autouse=True)
def fresh_cache() -> Iterator[None]:
    catalogue.spanish.cache_clear()
    yield
    catalogue.spanish.cache_clear()


def po_entries(path: Path = SPANISH) -> dict[str, tuple[object, object]]:
    """key → (English, Spanish) of every keyed, translated, non-fuzzy entry of a ``.po``."""
    with path.open("rb") as source:
        catalog = read_po(source, locale="es")
    found: dict[str, tuple[object, object]] = {}
    for message in catalog:
        if not message.context or message.fuzzy:
            continue
        if isinstance(message.id, str):
            if message.string:
                found[message.context] = (message.id, message.string)
        elif all(message.string):
            found[message.context] = (tuple(message.id), tuple(message.string))
    return found


def test_the_committed_mo_says_what_the_po_says() -> None:
    assert check_compiled() == []


def test_every_entry_read_from_the_mo_is_the_pos() -> None:
    expected = po_entries()
    read = read_compiled(COMPILED.read_bytes())
    assert len(expected) > 2500  # the whole catalogue (2,899 entries when written)
    assert sum(isinstance(english, tuple) for english, _ in expected.values()) > 50  # plurals
    assert read == expected


def test_a_standard_gettext_reader_agrees_with_the_mo() -> None:
    """The file is plain GNU gettext (Poedit, msgunfmt, the standard library read it)."""
    with COMPILED.open("rb") as source:
        standard = gettext.GNUTranslations(source)
    for key, (english, spanish) in po_entries().items():
        if isinstance(english, str):
            assert standard.pgettext(key, english) == spanish, key
        else:
            one, other = english
            assert isinstance(spanish, tuple)
            assert standard.npgettext(key, one, other, 1) == spanish[0], key
            assert standard.npgettext(key, one, other, 3) == spanish[1], key
            assert standard.npgettext(key, one, other, 0) == spanish[1], key


def test_a_run_reads_the_mo_with_its_contexts_and_plural_forms() -> None:
    assert text_of("nav_pme", "Performance measures", "es") == "Medidas de desempeño"
    assert translate("audit_ok", "es", n=1) == "Cadena de auditoría íntegra: 1 entrada verificada."
    assert translate("audit_ok", "es", n=4) == (
        "Cadena de auditoría íntegra: 4 entradas verificadas."
    )
    assert catalogue.spanish() == po_entries()


def _edited(tmp_path: Path, key: str, spanish: str) -> Path:
    copy = tmp_path / f"edited-{len(list(tmp_path.iterdir()))}" / "alianza.po"
    copy.parent.mkdir()
    with SPANISH.open("rb") as source:
        catalog = read_po(source, locale="es")
    next(m for m in catalog if m.context == key).string = spanish
    with copy.open("wb") as out:
        write_po(out, catalog, width=100)
    return copy


def test_check_compiled_fails_where_the_mo_says_other_than_the_po(tmp_path: Path) -> None:
    mo = tmp_path / "alianza.mo"
    assert check_compiled(SPANISH, mo)[0].startswith("alianza.mo: unreadable")
    shutil.copy(COMPILED, mo)
    edited = _edited(tmp_path, "nav_pme", "Medidas del desempeño")
    assert check_compiled(edited, mo) == [
        "nav_pme: alianza.mo says other than alianza.po",
        "alianza.mo: 1 entries differ from alianza.po; run scripts/messages.py compile "
        "(make messages)",
    ]
    untranslated = _edited(tmp_path, "nav_pme", "")
    assert check_compiled(untranslated, mo)[0] == (
        "nav_pme: in alianza.mo, not translated in alianza.po"
    )
    assert compile_spanish(edited, mo) is True
    assert compile_spanish(edited, mo) is False  # the same bytes: no churn in the tree
    assert check_compiled(edited, mo) == []
    assert read_compiled(mo.read_bytes())["nav_pme"] == (
        "Performance measures",
        "Medidas del desempeño",
    )


def test_the_mo_holds_no_fuzzy_nor_half_translated_entry() -> None:
    catalog = Catalog(locale="es")
    catalog.add("Done", "Hecho", context="done")
    catalog.add("Guess", "Adivinanza", context="guess", flags=("fuzzy",))
    catalog.add(("One row", "{n} rows"), ("Una fila", ""), context="rows")
    catalog.add(("One lane", "{n} lanes"), ("Un carril", "{n} carriles"), context="lanes")
    catalog.add("Empty", "", context="empty")
    data = compile_catalogue(catalog)
    assert read_compiled(data) == {
        "done": ("Done", "Hecho"),
        "lanes": (("One lane", "{n} lanes"), ("Un carril", "{n} carriles")),
    }
    standard = gettext.GNUTranslations(io.BytesIO(data))
    assert standard.npgettext("rows", "One row", "{n} rows", 2) == "{n} rows"  # not Spanish
    assert standard.pgettext("guess", "Guess") == "Guess"


def test_a_missing_mo_falls_back_to_the_po_and_is_logged(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(catalogue, "COMPILED", tmp_path / "absent.mo")
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        assert catalogue.spanish() == po_entries()
        assert text_of("nav_pme", "Performance measures", "es") == "Medidas de desempeño"
    assert "absent.mo unreadable" in caplog.text


def test_a_broken_mo_falls_back_to_the_po(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.mo"
    whole = COMPILED.read_bytes()
    for cut in (3, 1000, len(whole) - 10):  # truncated: in the header, the tables, the texts
        broken.write_bytes(whole[:cut])
        with pytest.raises((ValueError, struct.error)):
            read_compiled(broken.read_bytes())
    monkeypatch.setattr(catalogue, "COMPILED", broken)
    assert catalogue.spanish() == po_entries()
    broken.write_bytes(b"not a catalogue at all")
    catalogue.spanish.cache_clear()
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        assert catalogue.spanish() == po_entries()
    assert "broken.mo unreadable (not a .mo file of a known revision)" in caplog.text
    assert check_compiled(SPANISH, broken) == [
        "broken.mo: unreadable (not a .mo file of a known revision); run scripts/messages.py "
        "compile (make messages)"
    ]


def test_neither_mo_nor_po_shows_the_english_never_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(catalogue, "COMPILED", tmp_path / "absent.mo")
    monkeypatch.setattr(catalogue, "SPANISH", tmp_path / "absent.po")
    monkeypatch.setattr(catalogue, "_logged", set())
    with caplog.at_level(logging.WARNING, logger="alianza.catalogue"):
        assert text_of("nav_pme", "Performance measures", "es") == "Performance measures"
    assert "absent.po unreadable" in caplog.text
    assert "Spanish of message 'nav_pme' is missing" in caplog.text


def test_the_wheel_ships_the_mo() -> None:
    """pyproject's package data names the compiled catalogue beside the ``.po``."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["alianza"]
    shipped = {
        path.relative_to(ROOT / "src" / "alianza").as_posix()
        for path in (ROOT / "src" / "alianza" / "locale").rglob("*")
        if path.is_file()
        and any(fnmatch(path.relative_to(ROOT / "src" / "alianza").as_posix(), p) for p in patterns)
    }
    assert {"locale/es/LC_MESSAGES/alianza.po", "locale/es/LC_MESSAGES/alianza.mo"} <= shipped
