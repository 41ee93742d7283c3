"""One message catalogue (issue 18, item 1): a refusal a person reads is a catalogue message
(``raise Refused(NAME.said(...))``), not an English literal. A scan of the source's syntax tree
counts, per file, the ``raise SomeError("English text")`` (or an f-string) whose text has words;
programmer errors (``TypeError``, ``AssertionError``, ``NotImplementedError``) are not counted.

Many counted here are not read by a person (a protocol refusal the partner node logs, an
internal ``ValueError`` a caller turns into a message) and some are: the list is the work left,
and it only shrinks. The test fails when a file has more than counted below (a new English-only
refusal: declare it in the catalogue, docs/development.md "Messages and translations") or fewer
(one moved: lower its count). Measured when the ratchet was made: 270 in 77 files.

The scan first read only the first argument; from 2026-12-05 it reads every argument, positional
or keyword (``raise ApiError(404, "not-found", "English")``, ``raise Refused(code, "English")``,
``detail="English"``): that day it counted 49 in 21 files with the first argument alone and 80 in
34 files with every argument (31 more, in 13 files: liaison/signing.py 8, web/views/analysis.py
4, web/api/risk.py 3, and 1 or 2 in each of operations/problems.py, web/api/coop.py, exchange.py,
pme.py, pme_messages.py, ports.py, seizures.py, web/seizures_common.py, web/views/coop.py and
web/views/cycles.py). A text built in a variable first (``message = f"…"; raise X(message)``) is
not counted (a one-off scan for a name assigned such a literal and then raised found none
that day). The same day the web pages' and API's refusals after a code became catalogue
messages (``web/errors.py``) and the count fell to 57 in 22 files; after the merges of that day
(the PME engine, the signed port-message batches, the demo, the leak hunt; import-time checks
of the code's own declarations made ``AssertionError``) it is 0: the list below is empty, and
any refusal raised with an English literal fails the test."""

from __future__ import annotations

import ast
import re
from collections import Counter
from pathlib import Path

SOURCE = Path(__file__).parents[1] / "src" / "alianza"
NOT_SCANNED = ("web/strings/", "migrations/")
PROGRAMMER_ERRORS = {"TypeError", "AssertionError", "NotImplementedError"}
WORDS = re.compile(r"[A-Za-z]{2,}\s+[A-Za-z]{2,}")

# none left (2026-12-05): any English-only refusal fails the test
ENGLISH_ONLY: dict[str, int] = {}


def _literal(node: ast.expr) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return " ".join(p for p in parts if isinstance(p, str))
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return f"{_literal(node.left) or ''} {_literal(node.right) or ''}"
    return None


def english_only_refusals(source: str) -> list[int]:
    """The lines of ``raise X("text with words")`` in ``source`` (the text in any argument)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
            continue
        call = node.exc
        func = call.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name in PROGRAMMER_ERRORS:
            continue
        # any argument: the text after a code (``ApiError(404, "not-found", "…")``) or by
        # keyword (``detail="…"``) is read as much as a first one
        for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
            text = _literal(argument)
            if text and WORDS.search(text):
                found.append(node.lineno)
                break
    return sorted(found)


def test_the_scan_finds_english_literals_and_not_catalogue_messages() -> None:
    source = """
raise Refused("no such port")
raise Refused(f"port {code} is not held here")
raise Refused(NO_PORT.said(code=code))
raise TypeError("expected a str")
raise Refused("x")
raise exchange.PackageError("bad " + "signature here")
raise ApiError(404, "not-found", f"no record kind {kind!r}")
raise MessagesRefused("unsigned", "the signature is not base64")
raise HTTPException(status_code=422, detail="the request is not valid")
raise FolderUnwritable(path=str(path), reason="permission denied")
raise ApiError(404, "not-found", refusals.not_found("cycle", key))
raise Refused("bad-code", "x")
raise Refused("one", "two words", detail="and three words")
"""
    assert english_only_refusals(source) == [2, 3, 7, 8, 9, 10, 11, 14]


def test_no_new_english_only_refusal() -> None:
    counted: Counter[str] = Counter()
    where: dict[str, list[int]] = {}
    for path in sorted(SOURCE.rglob("*.py")):
        name = path.relative_to(SOURCE).as_posix()
        if any(part in name for part in NOT_SCANNED):
            continue
        lines = english_only_refusals(path.read_text("utf-8"))
        if lines:
            counted[name] = len(lines)
            where[name] = lines
    more = {n: where[n] for n, k in counted.items() if k > ENGLISH_ONLY.get(n, 0)}
    assert more == {}, "new English-only refusals: declare them in the catalogue"
    fewer = {n: (counted[n], k) for n, k in ENGLISH_ONLY.items() if counted[n] < k}
    assert fewer == {}, "fewer English-only refusals than ENGLISH_ONLY says: lower its count"
