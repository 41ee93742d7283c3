"""Exchange, joint analysis and cooperation registry in a real browser (Playwright, Debian's
chromium): an analyst reads the inbox with a verified and a refused package and the outbox,
opens a package and the joint analysis, switches to Spanish; a viewer is refused a write.
Screenshots at 1280 px and 390 px go to out/screenshots/ (look at them)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import uvicorn

from alianza.actors import NodeSelf
from alianza.cooperation.facts import bind_seed_measures, load_seed_facts
from alianza.db import Database
from alianza.exchange.inbox import receive_logged
from alianza.exchange.keys import create_node_keys
from alianza.exchange.package import PackageRefused, build_package
from alianza.exchange.partners import trust_partner
from alianza.exchange.service import build_and_record
from alianza.settings import load_settings
from alianza.web import create_app
from tests.exchange.conftest import COVERAGE, sample_tables
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS, free_port, pytestmark
from tests.web.test_exchange_pages import tampered

__all__ = ["pytestmark"]
QUARTER = "2019-Q1"
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def exchange_server(web_db: Database, tmp_path: Path) -> Iterator[str]:
    home = tmp_path / "home"
    us = create_node_keys(home, name="US node (test)", country="US")
    mx = create_node_keys(tmp_path / "mx", name="Nodo MX (test)", country="MX")
    with web_db.transaction() as session:
        trust_partner(
            session, mx.identity, own_fingerprint=us.identity.fingerprint, actor=NodeSelf("test")
        )
        load_seed_facts(session, actor=NodeSelf("test"))
        bind_seed_measures(session, actor=NodeSelf("test"))
    build_and_record(
        web_db,
        us,
        quarter=QUARTER,
        tables=sample_tables("US", QUARTER, 5),
        coverage=COVERAGE,
        actor=NodeSelf("test"),
    )
    data = build_package(
        mx,
        quarter=QUARTER,
        tables=sample_tables("MX", QUARTER, 3),
        coverage=COVERAGE,
        version=1,
        extracted_at=datetime(2019, 4, 3, tzinfo=UTC),
    )
    receive_logged(web_db, data, source="endpoint", actor=NodeSelf("test"))
    with pytest.raises(PackageRefused):
        receive_logged(web_db, tampered(data), source="endpoint", actor=NodeSelf("test"))
    settings = load_settings(home=home, env="test")
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
def browser_page(exchange_server: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(
            base_url=exchange_server, viewport={"width": 1280, "height": 900}, locale="en-US"
        )
        yield context.new_page()
        context.close()
        browser.close()


def shots(page: object, name: str) -> None:
    """Full-page screenshots at 1280 px and at phone width (390 px)."""
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size(PHONE)  # type: ignore[attr-defined]
    page.screenshot(path=str(SCREENSHOTS / f"{name}-390.png"), full_page=True)  # type: ignore[attr-defined]
    page.set_viewport_size({"width": 1280, "height": 900})  # type: ignore[attr-defined]


def log_in(page: object, username: str) -> None:
    page.goto("/login")  # type: ignore[attr-defined]
    page.fill("#username", username)  # type: ignore[attr-defined]
    page.fill("#password", PASSWORD)  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    page.wait_for_url("**/pme")  # type: ignore[attr-defined]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_analyst_exchange_and_joint_analysis(browser_page, exchange_server: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, "analyst")
    page.click("header nav a[href='/exchange']")
    expect(page.locator("h1")).to_have_text("Exchange")
    expect(page.locator("#inbox")).to_contain_text("MX 2019-Q1")
    expect(page.locator("#inbox")).to_contain_text("Nodo MX (test)")
    expect(page.locator("#inbox")).to_contain_text("verified")
    expect(page.locator("#refused")).to_contain_text("checksum mismatch")
    expect(page.locator("#refused")).to_contain_text("data/totals.csv does not match its SHA-256")
    expect(page.locator("#outbox")).to_contain_text("US 2019-Q1")
    expect(page.locator("#late-quarters")).to_contain_text("Missing")
    expect(page.locator("#late-quarters")).to_contain_text("2019-Q2–")
    expect(page.locator("#build-form label[for='build-quarter']")).to_be_visible()
    shots(page, "ex-01-exchange-en")

    # a received package: verification results, content, download; verify it again
    page.click("#inbox a:has-text('MX 2019-Q1')")
    expect(page.locator("#checks")).to_contain_text("Ed25519 signature of a trusted key")
    expect(page.locator("#drug-totals")).to_contain_text("Heroin")
    with page.expect_download() as download:
        page.click("a:has-text('Download the package')")
    assert download.value.suggested_filename == "mx-2019-Q1-calendar-v1.zip"
    page.click("#reverify")
    expect(page.locator("[role=status]")).to_contain_text("every check passed")
    expect(page.locator("#last-check")).to_contain_text("ok: every check passed")
    shots(page, "ex-02-package-en")

    # the joint analysis: choose the quarter with the keyboard-usable form
    page.goto("/analysis")
    page.select_option("#quarter", QUARTER)
    page.click("#quarter-form button")
    expect(page.locator("h1")).to_contain_text(QUARTER)
    expect(page.locator("#totals")).to_contain_text("Marijuana")
    expect(page.locator("svg#chart-totals title").first).to_contain_text("Seizures by drug")
    expect(page.locator("#downloads a")).to_have_count(15)  # 5 formats × EN, ES, bilingual
    expect(page.locator("#signatures")).to_contain_text("not signed yet")
    expect(page.locator("#scope")).to_contain_text("southwest-border-all")
    shots(page, "ex-03-analysis-en")

    # Spanish
    page.click("#switch-language")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_contain_text("Análisis conjunto")
    expect(page.locator("#totals")).to_contain_text("Marihuana")
    shots(page, "ex-04-analysis-es")
    page.goto("/exchange")
    expect(page.locator("h1")).to_have_text("Intercambio")
    expect(page.locator("#refused")).to_contain_text("suma de control distinta")
    shots(page, "ex-05-exchange-es")
    page.goto("/coop?as_of=1999-08-31")
    expect(page.locator("h1")).to_have_text("Registro de cooperación")
    expect(page.locator("#measures")).to_contain_text("8 de 9 MEF")  # the value in Spanish too
    shots(page, "ex-06-coop-es")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_viewer_is_refused_a_write(browser_page, exchange_server: str) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    page = browser_page
    log_in(page, "viewer")
    page.goto("/exchange")
    expect(page.locator("#inbox")).to_contain_text("MX 2019-Q1")
    expect(page.locator("#build-form")).to_have_count(0)
    # the viewer posts the build form anyway (with the session's CSRF token): refused
    token = page.locator("header form input[name=csrf_token]").get_attribute("value")
    response = page.request.post("/exchange/build", form={"quarter": QUARTER, "csrf_token": token})
    assert response.status == 403
    page.goto("/coop?as_of=1999-08-31")
    expect(page.locator("details summary")).to_have_count(0)
    shots(page, "ex-07-coop-viewer-en")
    response = page.request.post(
        "/coop/records/mechanism",
        form={"csrf_token": token, "key": "x", "kind": "hlcg", "name": "x", "source": "x"},
    )
    assert response.status == 403
    page.goto("/exchange/packages/1")
    expect(page.locator("#reverify")).to_have_count(0)
