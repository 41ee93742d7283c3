"""Every form control on every page has a label (issue 6: "labels on every control").

Walks every GET page of the permission matrix as an admin (who may see them all) and checks
each visible ``input``, ``select`` and ``textarea``: it is inside a ``<label>``, or a
``<label for>`` names its id, or it carries ``aria-label`` / ``aria-labelledby``.
"""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import log_in
from tests.web.test_permissions import DOMAINS, ROUTES

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class Controls(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.depth = 0  # open <label> elements
        self.label_for: set[str] = set()
        self.controls: list[tuple[dict[str, str | None], bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if tag == "label":
            self.depth += 1
            if named.get("for"):
                self.label_for.add(str(named["for"]))
        elif tag in ("input", "select", "textarea"):
            if tag == "input" and (named.get("type") or "text") in UNLABELLED_TYPES:
                return
            self.controls.append((named, self.depth > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self.depth:
            self.depth -= 1

    def unlabelled(self) -> list[str]:
        return [
            str(named.get("name") or named.get("id") or named)
            for named, wrapped in self.controls
            if not wrapped
            and named.get("id") not in self.label_for
            and not named.get("aria-label")
            and not named.get("aria-labelledby")
        ]


PAGES = sorted(
    {
        path
        for method, path, _template in ROUTES.values()
        if method == "GET" and not path.startswith("/api/") and "download" not in path
    }
)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_every_control_on_every_page_has_a_label(client: TestClient, published_cycle: str) -> None:
    for domain in DOMAINS:  # data some pages need (a report of one's own country, …)
        if hasattr(domain, "prepare"):
            domain.prepare(client)
    log_in(client, "admin")
    checked, missing = 0, {}
    for path in [*PAGES, "/login"]:
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.headers["content-type"]:
            continue
        parser = Controls()
        parser.feed(response.text)
        checked += len(parser.controls)
        if parser.unlabelled():
            missing[path] = parser.unlabelled()
    assert checked > 20  # the walk reached the forms
    assert missing == {}
