"""Cell and paragraph markup of a report: ``<p>`` splits paragraphs, ``<i>`` is emphasis.

A paragraph is stored as *normalized markup*: its text HTML-escaped, with only the emphasis
tags of :data:`EMPHASIS_TAGS` kept. Any other tag is dropped (its text kept) and reported, so
that stored markup is always safe to put in a page.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

EMPHASIS_TAGS = frozenset({"i", "em", "b", "strong"})
_PARAGRAPH_TAG = re.compile(r"</?p\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


class _Normalizer(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropped: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in EMPHASIS_TAGS:
            self.parts.append(f"<{tag}>")
            self.open.append(tag)
        else:
            self.dropped.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in EMPHASIS_TAGS and tag in self.open:
            while self.open:
                closing = self.open.pop()
                self.parts.append(f"</{closing}>")
                if closing == tag:
                    break
        elif tag not in EMPHASIS_TAGS:
            self.dropped.append(tag)

    def handle_data(self, data: str) -> None:
        self.parts.append(html.escape(data, quote=False))

    def result(self) -> str:
        self.close()
        self.parts.extend(f"</{tag}>" for tag in reversed(self.open))
        self.open.clear()
        return "".join(self.parts)


def normalize_paragraph(raw: str) -> tuple[str, list[str]]:
    """Normalized markup for one paragraph, and the names of tags that were dropped."""
    parser = _Normalizer()
    parser.feed(raw)
    markup = _collapse_spaces(parser.result())
    return markup, sorted(set(parser.dropped))


def split_cell(cell: str) -> list[str]:
    """The raw paragraphs of a cell: split at ``<p>`` boundaries; no ``<p>`` means one."""
    pieces = _PARAGRAPH_TAG.split(cell)
    return [piece.strip() for piece in pieces if piece.strip()]


def plain_text(markup: str) -> str:
    """Text of normalized markup, tags removed and entities decoded."""
    return html.unescape(_TAG.sub("", markup))


def markup_from_text(text: str) -> str:
    """Normalized markup for plain text (no emphasis)."""
    return html.escape(text, quote=False)


def _collapse_spaces(markup: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", markup).strip()
