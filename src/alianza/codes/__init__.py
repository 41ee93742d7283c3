"""Code lists and reference data shared by every domain (seizures, exchange, ports, risk).

Each list is a versioned data file in ``data/`` (``<list>.csv``: code, parent, English and
Spanish labels, synonyms, flags); :data:`VERSION` comes from ``data/manifest.json``. A reported
name in either language maps to a code through :meth:`CodeList.lookup`; a name that maps to
nothing is ``None``, never a guess.
"""

from __future__ import annotations

import csv
import functools
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alianza.catalogue import declare

DATA = Path(__file__).parent / "data"
_MANIFEST = json.loads((DATA / "manifest.json").read_text("utf-8"))
VERSION: str = _MANIFEST["version"]
LIST_NAMES: tuple[str, ...] = tuple(_MANIFEST["lists"])


UNKNOWN_LIST = declare("codes.unknown-list", "no code list {name!r}; known: {known}")
AMBIGUOUS = declare(
    "codes.ambiguous-synonym", "code list {name!r}: {spelling!r} names both {first} and {second}"
)


class UnknownCodeList(LookupError):
    """No code list of that name."""


class AmbiguousSynonym(ValueError):
    """A code list maps one normalized name to two codes (a defect of the data file)."""


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    kept = "".join(c if c.isalnum() else " " for c in letters)
    return " ".join(kept.split())


@functools.lru_cache(maxsize=65_536)  # a pure function of text, asked again and again
def normalize_name(text: str) -> str:
    """Case-, accent-, space- and punctuation-insensitive form of a reported name.

    Folding is repeated until it no longer changes the text (a few compatibility characters
    fold to letters that fold again), so normalizing twice equals normalizing once.
    """
    folded = _fold(text)
    for _ in range(4):
        again = _fold(folded)
        if again == folded:
            break
        folded = again
    return folded


@dataclass(frozen=True)
class Code:
    code: str
    parent: str | None
    label_en: str
    label_es: str
    synonyms: tuple[str, ...]
    flags: frozenset[str]

    @property
    def requires_specification(self) -> bool:
        """ "Other" codes: a record using one must say what it is."""
        return "specify" in self.flags

    @property
    def aggregate_only(self) -> bool:
        """Accepted from sources that publish only totals, never for captured events."""
        return "aggregate-only" in self.flags

    def label(self, language: str = "en") -> str:
        return self.label_es if language == "es" else self.label_en


@dataclass(frozen=True)
class CodeList:
    name: str
    version: str
    codes: dict[str, Code]
    _names: dict[str, str]

    def __contains__(self, code: object) -> bool:
        return code in self.codes

    def __getitem__(self, code: str) -> Code:
        return self.codes[code]

    def lookup(self, reported: str) -> str | None:
        """The code for a reported name (code, label or synonym, EN or ES), or ``None``."""
        if reported in self.codes:
            return reported
        return self._names.get(normalize_name(reported))


def _read_list(name: str) -> CodeList:
    path = DATA / f"{name}.csv"
    if name not in LIST_NAMES or not path.exists():
        raise UnknownCodeList(UNKNOWN_LIST.said(name=name, known=", ".join(LIST_NAMES)))
    codes: dict[str, Code] = {}
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            synonyms = tuple(s for s in row["synonyms"].split("|") if s)
            code = Code(
                code=row["code"],
                parent=row["parent"] or None,
                label_en=row["label_en"],
                label_es=row["label_es"],
                synonyms=synonyms,
                flags=frozenset(row["flags"].split()),
            )
            codes[code.code] = code
            for spelling in (code.code, code.label_en, code.label_es, *synonyms):
                key = normalize_name(spelling)
                if names.setdefault(key, code.code) != code.code:
                    raise AmbiguousSynonym(
                        AMBIGUOUS.said(
                            name=name, spelling=spelling, first=names[key], second=code.code
                        )
                    )
    return CodeList(name, VERSION, codes, names)


@cache
def code_list(name: str) -> CodeList:
    """The code list called ``name`` (cached; the files ship with the package)."""
    return _read_list(name)
