"""The visual test (issue 23, item 6): both nodes of the demo (`alianza demo --no-serve`), served
on loopback; every page for every account, in English and Spanish, at 1366 and 390 px wide, in
Debian's Chromium (tests/web/visual.py says what fails a page).

Screenshots go to ``$ALIANZA_SCREENSHOTS`` when set (CI keeps that folder as an artefact),
else to ``out/screenshots/visual`` in the checkout: ``<node>/<user>/<page>.<lang>.<width>.png``.
One browser for the whole run, one context per account, one served pair of nodes.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from alianza.cli import cli
from alianza.db import open_database
from alianza.demo.nodes import ACCOUNTS, Node, Served, serve_node
from alianza.exchange.keys import load_node_keys
from alianza.settings import load_settings
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port
from tests.web.visual import Outcome, check_account

pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)
DEMO_PASSWORD = "alianza-demo-2026"  # the demo's development-only password (README)


def screenshot_folder() -> Path:
    chosen = os.environ.get("ALIANZA_SCREENSHOTS")
    folder = Path(chosen) if chosen else Path(__file__).parents[2] / "out" / "screenshots"
    folder = folder / "visual"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


@pytest.fixture(scope="module")
def demo_nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Served]]:
    folder = tmp_path_factory.mktemp("demo")
    result = CliRunner().invoke(cli, ["demo", "--dir", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    nodes, served = [], {}
    for country in ("US", "MX"):
        home = (folder / country.lower()).resolve()
        settings = load_settings(home=home, database_url=None, env="development")
        node = Node(country, home, settings, open_database(settings), load_node_keys(home))
        nodes.append(node)
        served[country] = serve_node(node, host="127.0.0.1", port=free_port())
    try:
        for server in served.values():
            server.wait_started()
        yield served
    finally:
        for server in served.values():
            server.stop()
        for node in nodes:
            node.dispose()


def test_every_page_for_every_account_in_both_languages_at_both_widths(
    demo_nodes: dict[str, Served],
) -> None:
    from playwright.sync_api import sync_playwright

    folder = screenshot_folder()
    outcome = Outcome()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            for country, server in demo_nodes.items():
                for username, *_ in ACCOUNTS[country]:
                    check_account(
                        browser, server.url, country, username, DEMO_PASSWORD, folder, outcome
                    )
        finally:
            browser.close()
    # not vacuous: every account saw every page in both languages, with its screenshots
    accounts = sum(len(ACCOUNTS[c]) for c in demo_nodes)
    assert outcome.pages >= accounts * 2 * 22, outcome.pages
    assert outcome.screenshots == outcome.pages * 2
    assert len(list(folder.rglob("*.png"))) == outcome.screenshots
    assert not outcome.findings, "\n".join(str(f) for f in outcome.findings)
