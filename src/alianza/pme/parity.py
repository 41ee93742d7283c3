"""The two languages of a paragraph carry the same numbers, dates and references.

Numbers, the digits of dates ("31 Aug 1999" / "31 ago 1999") and of references ("See 10.2" /
"Ver 10.2") are compared as written, in any order; words ("eight" / "ocho") are not read.
:func:`cycle_parity` checks the status paragraphs of a reporting cycle; ``alianza pme todo``
and ``/pme/todo`` list what it finds (it does not block an approval: a person decides).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy.orm import Session

from alianza.catalogue import Said, declare
from alianza.pme.cycles import cycle_view
from alianza.pme.load import DEFAULT_PLAN

_NUMBER = re.compile(r"\d+(?:\.\d+)*")
DIFFERENT_NUMBERS = declare(
    "pme.parity.different-numbers",
    "the English and Spanish texts differ in numbers, dates or references (only in English: "
    "{in_english}; only in Spanish: {in_spanish})",
)


def numbers_in(text: str) -> Counter[str]:
    return Counter(match.rstrip(".") for match in _NUMBER.findall(text))


def parity_problem(english: str, spanish: str) -> Said | None:
    """Why the two texts do not carry the same numbers (None when they do)."""
    en, es = numbers_in(english), numbers_in(spanish)
    if en == es:
        return None
    only_en = ", ".join(sorted((en - es).elements())) or "—"
    only_es = ", ".join(sorted((es - en).elements())) or "—"
    return DIFFERENT_NUMBERS.said(in_english=only_en, in_spanish=only_es)


@dataclass(frozen=True)
class ParityProblem:
    paragraph: str  # "10.4.1/JOINT/1"
    message: Said


def cycle_parity(session: Session, key: str, plan_key: str = DEFAULT_PLAN) -> list[ParityProblem]:
    """Status paragraphs of cycle ``key`` whose English and Spanish carry different numbers."""
    pairs: dict[tuple[str, str, int], dict[str, str]] = {}
    for text in cycle_view(session, key, plan_key).texts:
        pairs.setdefault((text.action, text.government, text.position), {})[text.language] = (
            text.text
        )
    problems = []
    for (action, government, position), texts in pairs.items():
        if "en" in texts and "es" in texts:
            message = parity_problem(texts["en"], texts["es"])
            if message:
                problems.append(ParityProblem(f"{action}/{government}/{position}", message))
    return problems
