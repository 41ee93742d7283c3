"""The web app in a real browser: Playwright driving Debian's chromium, headless, against
`alianza serve`'s app on loopback. Screenshots go to out/screenshots/ (look at them)."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.pme.cycles import PartnerAct
from alianza.settings import load_settings
from alianza.web import create_app
from tests.conftest import DATA
from tests.web.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).parents[2] / "out" / "screenshots"
pytestmark = pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("CI"),
    reason="Debian's chromium is not installed (apt-get install chromium)",
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture
def live_server(web_db: Database, tmp_path: Path) -> Iterator[str]:
    settings = load_settings(home=tmp_path / "home", env="test")
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings, web_db), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(live_server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=live_server, viewport={"width": 1280, "height": 900}, locale="en-US"
        )
        yield context.new_page()
        context.close()
        browser.close()


def shot(page: object, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_coordinator_journey(page, live_server: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    # log in with the keyboard only
    page.goto("/pme")
    expect(page).to_have_url(f"{live_server}/login?next=/pme")
    expect(page.locator("#username")).to_be_focused()  # autofocus applied: typing lands there
    page.keyboard.type("coordinator")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Performance Measures of Effectiveness")
    expect(page.locator("a[href='/pme/actions/10.4.1']")).to_be_visible()
    shot(page, "01-plan-en")

    # an action with its five columns
    page.click("a[href='/pme/actions/10.7']")
    expect(page.locator("#status")).to_contain_text("31 Aug 1999")
    expect(page.locator("li#\\31 0\\.7-status-2 i").first).to_have_text("Mobile Search")
    shot(page, "02-action-10.7-en")

    # import a file with errors and read the report
    page.goto("/pme")
    page.set_input_files("#report-file", str(DATA / "pme" / "wrong-cell-count.tsv"))
    page.click("button:has-text('Import')")
    expect(page.locator("[role=alert]")).to_contain_text("nothing was written")
    expect(page.locator("#problems")).to_contain_text("wrong-cell-count")
    expect(page.locator("#problems td[data-label='Line']")).to_have_text("9")
    shot(page, "03-import-refused-en")

    # switch language
    page.click("#switch-language")
    expect(page).to_have_url(f"{live_server}/pme")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("header")).to_contain_text("Medidas de desempeño")
    expect(page.locator("main h2").first).to_contain_text("Punto de Alianza 10")
    shot(page, "04-plan-es")

    # phone width
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/pme/actions/10.4.1")
    expect(page.locator("h1")).to_contain_text("10.4.1")
    shot(page, "05-action-10.4.1-es-phone")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_viewer_is_refused_admin_pages(page) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page.goto("/login")
    page.fill("#username", "viewer")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav[aria-label=Main]")).not_to_contain_text("Users")
    response = page.goto("/admin/users")
    assert response is not None
    assert response.status == 403
    expect(page.locator("h1")).to_contain_text("Not allowed")
    shot(page, "06-forbidden-en")


def log_in_as(page, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto("/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_cycle_to_publication(page, live_server: str, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    """A reporting cycle on the US node, from opening to publication. Mexico approves on its own
    node: its approvals reach this node as the partner's signed messages (recorded here through
    the same library call the message receiver makes), never through a login on this node."""
    from playwright.sync_api import expect

    from alianza.pme import cycles
    from tests.web.conftest import MX_NODE

    log_in_as(page, "coordinator")
    page.goto("/pme/cycles")
    page.fill("#cycle-key", "2000-02")
    page.fill("#cycle-as-of", "2000-02-29")
    page.fill("#cycle-due", "2000-03-31")
    page.fill("#cycle-label-en", "Status as of 29 Feb 2000")
    page.fill("#cycle-label-es", "Estado al 29 feb 2000")
    page.click("section[aria-labelledby=open-cycle] button")
    expect(page).to_have_url(f"{live_server}/pme/cycles/2000-02")
    for language, text in (
        ("en", "Border Public Safety subgroups exist in all nine BLMs."),
        ("es", "Existen subgrupos de Seguridad Pública Fronteriza en los nueve MEF."),
    ):
        page.select_option("#enter-action", "10.4.1")
        page.select_option("#enter-gov", "JOINT")
        page.select_option("#enter-lang", language)
        page.fill("#enter-text", text)
        page.click("section[aria-labelledby=enter] form.stack button")
    expect(page.locator("#status-texts")).to_contain_text("nine BLMs")
    expect(page.locator("#status-texts")).to_contain_text("nueve MEF")
    page.click("#step-submit")
    expect(page.locator("#cycle-state")).to_have_text("in review")
    page.click("#step-approve-en")
    page.click("#step-approve-es")
    shot(page, "07-cycle-us-approved-en")
    with web_db.transaction() as session:
        for language in ("en", "es"):
            cycles.record_partner_approval(
                session,
                "2000-02",
                partner=PartnerAct(MX_NODE, "coordinador"),
                language=language,
                actor=NodeSelf("node"),
            )
    page.goto("/lang/es")  # the rest of the cycle, read in Spanish
    page.goto("/pme/cycles/2000-02")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#cycle-state")).to_have_text("aprobado")
    page.click("#step-lock")
    page.click("#step-publish")
    expect(page.locator("#cycle-state")).to_have_text("publicado")
    steps = page.locator("#workflow li").all_inner_texts()
    assert [s.split(" — ")[0] for s in steps] == [  # in the page's language (issue 23)
        "abierto",
        "enviado a aprobación",
        "aprobado · Estados Unidos · inglés",
        "aprobado · Estados Unidos · español",
        "aprobado · México · inglés",
        "aprobado · México · español",
        "cerrado",
        "publicado",
    ]
    with page.expect_download() as download:
        page.click("a[href='/pme/cycles/2000-02/download/es.docx']")
    assert download.value.suggested_filename == "2000-02-es.docx"
    shot(page, "08-cycle-published-es")
    page.goto("/pme/assessment?as_of=1999-08-31")
    expect(page.locator("#targets")).to_contain_text("vencida")
    shot(page, "09-scorecard-es")
