"""Code labels (drugs, concealment, transport modes) in the page's language."""

from __future__ import annotations

from collections.abc import Callable

from alianza.codes import code_list

SPECIAL = {"_U": ("not reported", "no reportado"), "_T": ("total", "total")}


def code_labeller(list_name: str, language: str) -> Callable[[str], str]:
    codes = code_list(list_name).codes

    def label(code: str) -> str:
        if code in SPECIAL:
            return SPECIAL[code][language == "es"]
        entry = codes.get(code)
        if entry is None:
            return code
        return entry.label_es if language == "es" else entry.label_en

    return label
