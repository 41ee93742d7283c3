"""The message catalogue: English in the code (the pages' ``web/strings/*.py`` and
``web/i18n.py``, the joint analysis' ``analysis/labels.py``, and every domain module's
:func:`declare` calls: import problems, exchange refusals, configuration problems, the port
documents, the command line's errors), the Spanish in a gettext catalogue
that translators edit with their usual tools (Poedit, Lokalize, Weblate):
``src/alianza/locale/es/LC_MESSAGES/alianza.po``.

Each entry's ``msgctxt`` is the key the code uses and its ``msgid`` the English text, so a
changed English text makes the Spanish stale: ``make messages`` (``scripts/messages.py
update``) rewrites the template ``alianza.pot`` from the code and merges
it into the Spanish catalogue with Babel, marking changed entries fuzzy and adding new ones
untranslated, and compiles the Spanish into ``alianza.mo`` (GNU gettext's binary form, shipped
beside the ``.po``); ``scripts/messages.py compile`` compiles alone (after a translator's edit);
``check`` lists what a translator must still do and a ``.mo`` that says other than its ``.po``
(tests/web/test_catalogue.py and tests/test_catalogue_compiled.py run it). At run time the ``.mo``
is read, with the standard library only (a Spanish command does not import Babel nor parse the
``.po``); where it is missing or unreadable, the ``.po`` (logged). A Spanish text is used only
when its entry is translated, not fuzzy and made for the current English; otherwise the page
shows the English and the node logs it once.
"""

from __future__ import annotations

import logging
import re
import struct
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel.messages.catalog import Catalog
    from babel.messages.catalog import Message as Entry

Message = str | tuple[str, str]  # an English text, or a counted one's singular and plural

LOCALE = Path(__file__).resolve().parent / "locale"
TEMPLATE = LOCALE / "alianza.pot"
SPANISH = LOCALE / "es" / "LC_MESSAGES" / "alianza.po"
COMPILED = SPANISH.with_suffix(".mo")  # the same entries, compiled: what is read at run time
PLURAL_FORMS = (2, "(n != 1)")  # English and Spanish: one, other (GNU gettext's rule)
PLACEHOLDER = re.compile(r"\{(\w*)[^{}]*\}")
HEADER = """\
# The interface strings of Alianza's pages.
# This file is distributed under the same license as Alianza (Apache-2.0).
# msgctxt: the message key the code uses; msgid: the English text (web/strings/*.py,
# web/i18n.py). Regenerate with `make messages`; translate es/LC_MESSAGES/alianza.po."""
log = logging.getLogger(__name__)


def plural_index(n: object) -> int:
    """Which form of a counted message: 0 for one, 1 for any other count."""
    return 0 if n == 1 else 1


Translations = dict[str, tuple[Message, Message]]  # key → (the English it translates, Spanish)


@cache
def spanish() -> Translations:
    """key → (the English it translates, its Spanish), for the translated, non-fuzzy entries:
    read from the compiled catalogue (``alianza.mo``); where it is missing or unreadable, from
    the ``.po`` (slower: Babel parses it), and logged; where neither can be read, nothing (the
    English is shown, each key logged by :func:`text_of`)."""
    try:
        return read_compiled(COMPILED.read_bytes())
    except (OSError, ValueError, struct.error) as error:
        log.warning(
            "compiled catalogue %s unreadable (%s); reading %s", COMPILED, _why(error), SPANISH
        )
    try:
        return translations(_read(SPANISH))
    except Exception:  # no Babel, no .po: English, never a crash
        log.exception("Spanish catalogue %s unreadable; the English is shown", SPANISH)
        return {}


def _usable(message: Entry) -> bool:
    """Whether a Babel entry is one the run time uses: keyed, not fuzzy, every form said."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return bool(message.context) and not message.fuzzy and all(strings)


def translations(catalog: Catalog) -> Translations:
    """What :func:`spanish` holds, from a catalogue as Babel reads it (the ``.po``)."""
    found: Translations = {}
    for message in catalog:
        if not _usable(message):
            continue
        ids, strings = message.id, message.string
        english: Message = ids if isinstance(ids, str) else (ids[0], ids[1])
        text: Message = strings if isinstance(strings, str) else (strings[0], strings[1])  # type: ignore[index]
        found[str(message.context)] = (english, text)
    return found


class NotCompiled(ValueError):
    """Bytes that are not a GNU ``.mo`` catalogue of a known revision (caught where the
    catalogue is read: the ``.po`` is read instead, or ``check`` names the file)."""


def read_compiled(data: bytes) -> Translations:
    """What :func:`spanish` holds, from a GNU ``.mo`` file's bytes (UTF-8). The standard
    library's ``gettext.GNUTranslations`` reads the same file but keeps a counted entry's
    singular English only; the plural English is needed to tell a stale translation."""
    magic = struct.unpack_from("<I", data)[0]
    order = "<" if magic == 0x950412DE else ">" if magic == 0xDE120495 else None
    if order is None:
        raise NotCompiled
    revision, count, originals, strings = struct.unpack_from(order + "4I", data, 4)
    if revision >> 16 not in (0, 1):
        raise NotCompiled
    found: Translations = {}
    pairs = zip(
        struct.iter_unpack(order + "2I", data[originals : originals + 8 * count]),
        struct.iter_unpack(order + "2I", data[strings : strings + 8 * count]),
        strict=True,
    )
    for (id_length, id_at), (text_length, text_at) in pairs:
        if max(id_at + id_length, text_at + text_length) > len(data):  # a truncated file
            raise NotCompiled
        original = data[id_at : id_at + id_length].decode()
        context, separator, ids = original.partition("\x04")
        if not separator:  # the header (and an entry without a key: not used)
            continue
        texts = data[text_at : text_at + text_length].decode().split("\x00")
        if not all(texts):
            continue
        if "\x00" in ids:
            one, other = ids.split("\x00", 1)
            found[context] = ((one, other), (texts[0], texts[1 if len(texts) > 1 else 0]))
        else:
            found[context] = (ids, texts[0])
    return found


def _why(error: Exception) -> str:
    return "not a .mo file of a known revision" if isinstance(error, NotCompiled) else str(error)


def compile_catalogue(catalog: Catalog) -> bytes:
    """The ``.mo`` of a Spanish catalogue: its header and the entries :func:`spanish` uses
    (Babel's ``write_mo`` would fill an untranslated plural form with the English)."""
    from io import BytesIO

    from babel.messages.mofile import write_mo

    for message in list(catalog):
        if message.id and not _usable(message):
            catalog.delete(message.id, message.context)
    out = BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


def compile_spanish(po: Path = SPANISH, mo: Path = COMPILED) -> bool:
    """Write ``mo`` from ``po`` (unless it holds those bytes already); whether it was written."""
    data = compile_catalogue(_read(po))
    if mo.exists() and mo.read_bytes() == data:
        return False
    mo.write_bytes(data)
    spanish.cache_clear()
    return True


def check_compiled(po: Path = SPANISH, mo: Path = COMPILED) -> list[str]:
    """Where the compiled catalogue says other than its ``.po`` (compared entry by entry, as
    read at run time; a ``.mo`` made by another tool, Poedit's msgfmt, passes when it says the
    same)."""
    remedy = "run scripts/messages.py compile (make messages)"
    try:
        compiled = read_compiled(mo.read_bytes())
    except (OSError, ValueError, struct.error) as error:
        return [f"{mo.name}: unreadable ({_why(error)}); {remedy}"]
    source = translations(_read(po))
    problems = []
    for key in sorted(source.keys() | compiled.keys()):
        if key not in compiled:
            problems.append(f"{key}: translated in {po.name}, not in {mo.name}")
        elif key not in source:
            problems.append(f"{key}: in {mo.name}, not translated in {po.name}")
        elif compiled[key] != source[key]:
            problems.append(f"{key}: {mo.name} says other than {po.name}")
    if not problems:
        return []
    return [*problems[:20], f"{mo.name}: {len(problems)} entries differ from {po.name}; {remedy}"]


_logged: set[str] = set()

# The modules that declare messages with :func:`declare` (imported to list every message of
# the catalogue); a new declaring module goes here.
DECLARING_MODULES = (
    "alianza.tabular",
    "alianza.seizures.issues",
    "alianza.seizures.scopes",
    "alianza.seizures.profile",
    "alianza.operations.backup",
    "alianza.pme.query",
    "alianza.pme.deadline_store",
    "alianza.pme.judgements",
    "alianza.pme.translations",
    "alianza.pme.cycle_texts",
    "alianza.pme.events",
    "alianza.pme.cycle_publish",
    "alianza.pme.cycle_transport",
    "alianza.pme.cycle_kinds",
    "alianza.pme.cycle_outbox",
    "alianza.pme.deadlines",
    "alianza.pme.publication",
    "alianza.pme.schedule",
    "alianza.ports.problems",
    "alianza.risk.problems",
    "alianza.risk.store",
    "alianza.risk.messages",
    "alianza.risk.wording",
    "alianza.cooperation.incidents",
    "alianza.pme.deadline_store",
    "alianza.pme.problems",
    "alianza.pme.todo",
    "alianza.exchange.messages",
    "alianza.exchange.keys",
    "alianza.exchange.partners",
    "alianza.exchange.rotation",
    "alianza.exchange.transport",
    "alianza.operations.problems",
    "alianza.ports.reference",
    "alianza.ports.document_text",
    "alianza.ports.heavy_traffic",
    "alianza.refusals",
    "alianza.node",
    "alianza.actors",
    "alianza.accounts.principal",
    "alianza.accounts.service",
    "alianza.accounts.session_key",
    "alianza.accounts.throttle",
    "alianza.cooperation.registry",
    "alianza.cooperation.facts",
    "alianza.cooperation.measure_params",
    "alianza.cooperation.measure_texts",
    "alianza.cooperation.threat_assessment",
    "alianza.cooperation.measures",
    "alianza.settings",
    "alianza.web.listen",
    "alianza.pme.cycles",
    "alianza.pme.measure_changes",
    "alianza.pme.references",
    "alianza.pme.cycle_envelope",
    "alianza.pme.cycle_inbox",
    "alianza.pme.edition",
    "alianza.pme.cycle_measures",
    "alianza.pme.load",
    "alianza.pme.parity",
    "alianza.seizures.aggregate",
    "alianza.seizures.columnar",
    "alianza.seizures.mucd",
    "alianza.seizures.service",
    "alianza.codes",
    "alianza.codes.mx_places",
    "alianza.codes.calendar",
    "alianza.codes.units",
    "alianza.analysis.signing",
    "alianza.analysis.cosign",
    "alianza.analysis.joint",
    "alianza.web.api.pme",
    "alianza.seizures.overview",
    "alianza.liaison.alert_service",
    "alianza.liaison.messages",
    "alianza.web.security",
    "alianza.web.errors",
    "alianza.cli.messages",
    "alianza.cli.output_pme",
    "alianza.cli.output_cycles",
    "alianza.cli.output_node",
    "alianza.cli.output_coop",
    "alianza.cli.output_seizures",
    "alianza.cli.output_users",
    "alianza.cli.output_liaison",
    "alianza.cli.output_ports",
    "alianza.cli.output_risk",
    "alianza.cli.output_exchange",
    "alianza.cli.output_admin",
    "alianza.demo.messages",
    "alianza.leak_hunt",
    "alianza.ports.analysis",
    "alianza.risk.selection",
    "alianza.risk.schedule",
    "alianza.validation",
    "alianza.pme.cycle_diff",
    "alianza.pme.assessment",
    "alianza.ports.study",
    "alianza.pme.dates",
    "alianza.pme.export.labels",
    "alianza.pme.publication.content",
    "alianza.pme.publication.excel",
)
DECLARED: dict[str, Message] = {}


@dataclass(frozen=True)
class Text:
    """One message of the catalogue, declared in the code that says it: its key and English;
    ``text(language, **values)`` is it in ``language`` with the values put in."""

    key: str
    english: Message

    def __call__(self, language: str = "en", /, **values: object) -> str:
        text = text_of(self.key, self.english, language)
        if isinstance(text, tuple):
            text = text[plural_index(values.get("n"))]
        if not values:
            return text
        shown = {
            k: v.in_language(language) if isinstance(v, Localized) else v for k, v in values.items()
        }
        return text.format(**shown)

    def both(self, **values: object) -> tuple[str, str]:
        """(English, Spanish), for what keeps both (stored records, the pages' two columns)."""
        return self("en", **values), self("es", **values)

    def said(self, **values: object) -> Said:
        """The message with its values, as a ``str`` (the English) that can be said in Spanish
        later: what a refusal carries up to the page or the command line."""
        return Said(self, **values)


class Localized(str):
    """A message as a ``str`` (its English: logs, the API, tests) that knows how to say itself
    in another language (``in_language``): a refusal raised deep in the library reaches the
    page or the command line whole, and each says it in its user's language."""

    def in_language(self, language: str) -> str:
        raise NotImplementedError


class Said(Localized):
    """One catalogue message with its values (a value may itself be :class:`Localized`)."""

    text: Text
    values: dict[str, object]

    def __new__(cls, text: Text, /, **values: object) -> Said:
        said = super().__new__(cls, text("en", **values))
        said.text, said.values = text, values
        return said

    def in_language(self, language: str) -> str:
        return self.text(language, **self.values)

    def __reduce__(self) -> tuple[object, ...]:  # pickled (an exception crossing processes)
        return (_said, (self.text, self.values))


class Joined(Localized):
    """Messages joined by a separator (a list of problems), each said in the language."""

    separator: str
    parts: tuple[str, ...]

    def __new__(cls, separator: str, parts: list[str] | tuple[str, ...]) -> Joined:
        joined = super().__new__(cls, separator.join(parts))
        joined.separator, joined.parts = separator, tuple(parts)
        return joined

    def in_language(self, language: str) -> str:
        return self.separator.join(in_language(part, language) for part in self.parts)

    def __reduce__(self) -> tuple[object, ...]:
        return (Joined, (self.separator, self.parts))


def _said(text: Text, values: dict[str, object]) -> Said:
    return Said(text, **values)


def in_language(message: object, language: str) -> str:
    """``message`` in ``language`` where it is :class:`Localized`, else as it is."""
    if isinstance(message, Localized):
        return message.in_language(language)
    return str(message)


def message_of(error: BaseException) -> str:
    """An exception's message, :class:`Localized` where it was raised with one (``str(error)``
    would lose what the message knows)."""
    if len(error.args) == 1 and isinstance(error.args[0], Localized):
        return error.args[0]
    return str(error)


def declare(key: str, english: Message) -> Text:
    """Declare a message once, at import time of the module that says it (the key is stable:
    the catalogue's ``msgctxt``; a second declaration must have the same English)."""
    existing = DECLARED.get(key)
    if existing is not None and existing != english:
        raise AssertionError(f"message {key!r} declared twice with different texts")
    DECLARED[key] = english
    return Text(key, english)


def declared() -> dict[str, Message]:
    """Every declared message (the declaring modules imported first)."""
    for name in DECLARING_MODULES:
        import_module(name)
    return dict(DECLARED)


def say(key: str, language: str = "en", /, **values: object) -> str:
    """A declared message by its key, in ``language``."""
    return Text(key, DECLARED[key])(language, **values)


def text_of(key: str, english: Message, language: str) -> Message:
    """The message of ``key`` in ``language``: its Spanish where the catalogue has a current
    translation, else the English (and one log line per key)."""
    if language != "es":
        return english
    entry = spanish().get(key)
    if entry is not None and entry[0] == english:
        return entry[1]
    if key not in _logged:
        _logged.add(key)
        state = "stale (English changed)" if entry is not None else "missing"
        log.warning("Spanish of message %r is %s; the English is shown", key, state)
    return english


def template(strings: dict[str, Message]) -> Catalog:
    """The catalogue template made from the code's English texts."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(
        project="Alianza",
        version="0.1.0",
        domain="alianza",
        charset="utf-8",
        header_comment=HEADER,
        copyright_holder="Alianza contributors",
        last_translator="Alianza maintainers",
        language_team="Alianza translators (US and MX)",
    )
    _set_plural_forms(catalog)
    for key, english in strings.items():
        flags = ("python-brace-format",) if "{" in "".join(english) else ()
        catalog.add(english, context=key, flags=flags)
    return catalog


def update(strings: dict[str, Message]) -> tuple[int, int]:
    """Rewrite the template from the code and merge it into the Spanish catalogue (Babel's
    update: changed English → fuzzy, new keys untranslated, removed keys dropped). Returns the
    number of entries and of those a translator must look at."""
    fresh = template(strings)
    _write(TEMPLATE, fresh)
    catalog = _read(SPANISH)
    catalog.update(fresh, no_fuzzy_matching=True, update_header_comment=True)
    catalog.obsolete.clear()
    _set_plural_forms(catalog)
    _write(SPANISH, catalog)
    compile_spanish()
    spanish.cache_clear()
    return len(catalog), len(check(strings))


def _write(path: Path, catalog: Catalog) -> None:
    """Write ``catalog`` unless only its header's dates would change (no churn in the tree)."""
    from io import BytesIO

    from babel.messages.pofile import write_po

    out = BytesIO()
    write_po(out, catalog, width=100, omit_header=False)
    dated = re.compile(rb'^"(POT-Creation-Date|PO-Revision-Date): .*$', re.MULTILINE)
    if path.exists() and dated.sub(b"", path.read_bytes()) == dated.sub(b"", out.getvalue()):
        return
    path.write_bytes(out.getvalue())


def check(strings: dict[str, Message], path: Path = SPANISH) -> list[str]:
    """What keeps the Spanish catalogue from matching the code: a key without a translation, a
    fuzzy or stale entry, a placeholder that differs between the languages, an entry the code
    no longer has, a plural entry for a message that is not counted (or the reverse). A Spanish
    ``{name_es}`` stands for the English ``{name}`` (the value in Spanish: ``node_es``)."""
    problems = []
    entries = {m.context: m for m in _read(path) if m.context}
    for key, english in strings.items():
        message = entries.get(key)
        if message is None:
            problems.append(f"{key}: no Spanish entry")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = english if isinstance(english, tuple) else (english,)
        if tuple(ids) != forms:
            problems.append(f"{key}: the entry translates other English ({ids[0]!r})")
        if message.fuzzy:
            problems.append(f"{key}: fuzzy")
        translations = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(translations):
            problems.append(f"{key}: not translated")
            continue
        for index, translation in enumerate(translations):
            source = forms[min(index, len(forms) - 1)]
            spanish_names = {name.removesuffix("_es") for name in _placeholders(translation)}
            if spanish_names - {"n"} != _placeholders(source) - {"n"}:
                problems.append(
                    f"{key}: placeholders {sorted(_placeholders(translation))} in Spanish, "
                    f"{sorted(_placeholders(source))} in English"
                )
    problems += [f"{key}: no longer in the code" for key in entries.keys() - strings.keys()]
    return problems


def _set_plural_forms(catalog: Catalog) -> None:
    """GNU gettext's two forms for Spanish, not CLDR's three (Babel's default for ``es``)."""
    catalog._num_plurals = PLURAL_FORMS[0]  # type: ignore[assignment]
    catalog._plural_expr = PLURAL_FORMS[1]  # type: ignore[assignment]


def _placeholders(text: object) -> set[str]:
    if not isinstance(text, str):
        return set()
    return set(PLACEHOLDER.findall(text.replace("{{", "").replace("}}", "")))


def _read(path: Path) -> Catalog:
    from babel.messages.pofile import read_po

    with path.open("rb") as source:
        return read_po(source, locale="es")
