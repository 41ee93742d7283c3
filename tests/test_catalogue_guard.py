"""One message catalogue (issue 18, item 1): no English/Spanish pair is written inline in the
code outside it. A scan of the source (its syntax tree, so comments and docstrings do not
count) finds the shapes such pairs took: a dict with ``"en"`` and ``"es"`` texts, a dict keyed by
``"es"`` or ``Language.ES`` whose value holds texts (``{"en": {...}, "es": {...}}``), a ``*_es``
keyword or key given a literal text, ``if language == "es"`` choosing a literal text, and one
literal saying "English / Spanish". A new message goes in the catalogue (docs/development.md,
"Messages and translations"); what is still inline is counted below, per file, with why."""

from __future__ import annotations

import ast
import re
from collections import Counter
from itertools import pairwise
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "alianza"
# The catalogue's own English (web/strings/*.py) and migrations (the schema's history, whose
# texts are what was stored then) are not scanned.
NOT_SCANNED = ("web/strings/", "migrations/")

# Inline pairs still in the code: file → (how many the scan finds, why they are there). The
# test fails when a file has more (a new pair: put it in the catalogue) or fewer (one moved:
# lower the count here).
LEFT: dict[str, tuple[int, str]] = {
    # Data, not messages: values of records, demo content, names; or not a pair at all.
    "demo/cycle.py": (4, "the demo cycle's status texts and labels, data a person would type"),
    "demo/nodes.py": (4, "the demo accounts' display names"),
    "leak_hunt.py": (1, "the leak-hunt cycle's label, data a person would type"),
    "demo/ports.py": (1, "the demo directory's job titles"),
    "risk/sample.py": (1, "sample port codes (el-paso): not a pair"),
    "seizures/sample.py": (4, "sample place names (Mesa de Otay): not a pair"),
    "seizures/issues.py": (1, "an English text naming INEGI's Marco Geoestadístico: not a pair"),
    "node.py": (1, "country names, the values of node.foreign-country's {node_es}"),
    "web/i18n.py": (1, "the reporting-cycle form's Spanish label (a form's data)"),
    "web/views/analysis.py": (2, "the language switch's own names (English, Español, both)"),
    # Published in both languages side by side on purpose (one artefact for both readers).
    "exchange/cube.py": (1, "SDMX structure names: the package carries both languages"),
    "exchange/sdmx.py": (15, "SDMX structure names: the package carries both languages"),
    "ports/charts.py": (10, "chart titles and axes in both languages on one image"),
    "pme/publication/content.py": (4, "the published edition's bilingual header lines"),
    "liaison/notify.py": (1, "the alert notification's body, read by both sides"),
}

SPANISH_AFTER_SLASH = re.compile(
    r" / (?:[^/]*\b(?:el|la|los|las|de|del|un|uno|una|para|falta|está|no es|no existe)\b"
    r"|[^/]*[áéíóúñ¿¡])"
)


SPANISH = re.compile(
    r"[áéíóúñ¿¡]|\b(?:el|la|los|las|de|del|un|una|por|para|que|con|sin|está|no es)\b"
)


def _spanish_after_english(items: list[ast.expr]) -> bool:
    """Two literal texts side by side, the second Spanish and the first not: ("overdue
    target", "meta vencida"), _t(L, "Year", "Año")."""
    texts = [" ".join(_texts(i)) if _wordy(i) else None for i in items]
    return any(
        a is not None and b is not None and SPANISH.search(b) and not SPANISH.search(a)
        for a, b in pairwise(texts)
    )


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(node.value.strip())
    return isinstance(node, ast.JoinedStr)


def _wordy(node: ast.AST) -> bool:
    """A literal text with a word in it (not a language code such as "es")."""
    return _literal(node) and any(re.search(r"[A-Za-z]{3}", text) for text in _texts(node))


def _texts(node: ast.AST) -> list[str]:
    return [
        n.value for n in ast.walk(node) if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


def _is_spanish_key(key: ast.expr | None) -> bool:
    """``"es"`` or ``Language.ES`` (any enum's ``ES``) as a dict's key."""
    if isinstance(key, ast.Constant):
        return key.value == "es"
    return isinstance(key, ast.Attribute) and key.attr == "ES"


def _holds_text(node: ast.AST | None) -> bool:
    """A literal with a word, or a dict, tuple, list or set holding one (at any depth); a
    call (``declare("key", "English")``) is the catalogue, not text."""
    if isinstance(node, ast.Dict):
        return any(_holds_text(value) for value in node.values)
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_holds_text(item) for item in node.elts)
    return _wordy(node) if node is not None else False


def _asks_language(test: ast.AST) -> bool:
    if not isinstance(test, ast.Compare) or len(test.comparators) != 1:
        return False
    sides = [test.left, test.comparators[0]]
    names = [
        s.id if isinstance(s, ast.Name) else s.attr
        for s in sides
        if isinstance(s, (ast.Name, ast.Attribute))
    ]
    codes = [s for s in sides if isinstance(s, ast.Constant) and s.value in ("en", "es")]
    return bool(names and codes and re.search(r"lang|^L$", names[0], re.IGNORECASE))


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            found.add(id(body[0].value))
    return found


def inline_pairs(source: str) -> list[tuple[int, str]]:
    """Where ``source`` writes an English/Spanish pair inline: (line, what)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Dict):
            keys = [k.value if isinstance(k, ast.Constant) else None for k in node.keys]
            values = dict(zip(keys, node.values, strict=True))
            if "en" in values and "es" in values and (_wordy(values["en"]) or _wordy(values["es"])):
                found.append((node.lineno, "a dict with en and es texts"))
            elif any(
                _is_spanish_key(key) and _holds_text(value)
                for key, value in zip(node.keys, node.values, strict=True)
            ):
                found.append((node.lineno, "a dict keyed by language holding texts"))
            found += [
                (node.lineno, f"{key!r}: a Spanish text")
                for key, value in values.items()
                if isinstance(key, str) and key.endswith("_es") and _literal(value)
            ]
        if isinstance(node, ast.Tuple | ast.Call):
            items = node.elts if isinstance(node, ast.Tuple) else node.args
            if _spanish_after_english(items):
                found.append((node.lineno, "an English text and its Spanish side by side"))
        if isinstance(node, ast.Call):
            found += [
                (node.lineno, f"{kw.arg}=: a Spanish text")
                for kw in node.keywords
                if kw.arg and kw.arg.endswith("_es") and _literal(kw.value)
            ]
        elif isinstance(node, ast.If) and _asks_language(node.test):
            if any(re.search(r"[A-Za-z]{3}", t) for part in node.body for t in _texts(part)):
                found.append((node.lineno, 'if language == "es": a text per language'))
        elif isinstance(node, ast.IfExp) and _asks_language(node.test):
            if _wordy(node.body) and _wordy(node.orelse):
                found.append((node.lineno, 'a text if language == "en" else another'))
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and SPANISH_AFTER_SLASH.search(node.value)
        ):
            found.append((node.lineno, '"English / Spanish" in one text'))
    return sorted(found)


def test_the_scan_finds_each_shape_of_inline_pair() -> None:
    source = '''
LABELS = {"overdue": {"en": "overdue target", "es": "meta vencida"}}
TodoItem("kind", "subject", detail_es="el texto en español")
def f(language):
    if language == "es":
        return "Hola"
    return "Not reported" if language == "en" else "No reportado"
ERROR = "give a name / indique un nombre"
LABEL = ("changed since submission", "cambiados desde el envío")
def g(language):
    """Docstrings may say "English / Español"."""
    return "es" if language == "en" else "en"
SHEETS = {"en": ("Report", "Scorecard"), "es": ("Informe", "Tablero")}
NAMES = {Language.EN: {"baseline": "BASELINE"}, Language.ES: {"baseline": "LÍNEA BASE"}}
CODES = {"en": ("US", "MX"), "es": ("EU", "MX")}
SAID = {Language.ES: declare("pme.api.shown-in-english", "This action has no Spanish text")}
'''
    assert inline_pairs(source) == [
        (2, "a dict with en and es texts"),
        (3, "detail_es=: a Spanish text"),
        (5, 'if language == "es": a text per language'),
        (7, 'a text if language == "en" else another'),
        (8, '"English / Spanish" in one text'),
        (9, "an English text and its Spanish side by side"),
        (13, "a dict keyed by language holding texts"),
        (14, "a dict keyed by language holding texts"),
    ]


def test_no_inline_english_spanish_pair_outside_the_catalogue() -> None:
    counted: Counter[str] = Counter()
    where: dict[str, list[str]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if any(part in name for part in NOT_SCANNED):
            continue
        for line, what in inline_pairs(path.read_text("utf-8")):
            counted[name] += 1
            where.setdefault(name, []).append(f"{name}:{line}: {what}")
    allowed = {name: count for name, (count, _why) in LEFT.items()}
    more = {name: where[name] for name, n in counted.items() if n > allowed.get(name, 0)}
    assert more == {}, "new inline pairs: put them in the catalogue (docs/development.md)"
    fewer = {name: (counted[name], n) for name, n in allowed.items() if counted[name] < n}
    assert fewer == {}, "fewer inline pairs than LEFT says: lower its count"
