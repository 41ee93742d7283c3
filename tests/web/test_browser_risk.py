"""The targeting pages in a real browser (Playwright, Debian's chromium, headless): an analyst
selects a batch with the keyboard, reads why shipments were selected, moves one to another lane
with a reason, records an outcome, in English and Spanish, at 1280 px and 390 px.
Screenshots: out/screenshots/risk-*.png."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from tests.risk.conftest import RISK_DATA
from tests.risk.test_book import unlabeled_copy
from tests.web.conftest import PASSWORD
from tests.web.test_browser import CHROMIUM, shot
from tests.web.test_browser import live_server as live_server  # fixture
from tests.web.test_browser import page as page  # fixture

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_analyst_targeting_journey(  # type: ignore[no-untyped-def]
    page,
    live_server: str,
    web_db: Database,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    from alianza.risk.service import retrain_when_due
    from alianza.risk.store import import_shipments
    from tests.web.permission_rows.risk import prepare

    class Client:  # prepare() needs only .app.state.database
        class app:
            class state:
                database = web_db

    prepare(Client)  # type: ignore[arg-type]
    retrain_when_due(
        web_db, force=True, actor=NodeSelf("analyst")
    )  # model 2, evaluated, drift measured
    arrivals = unlabeled_copy(RISK_DATA / "kcs-test-sample.csv", tmp_path / "arrivals.csv")
    import_shipments(web_db, arrivals, actor=NodeSelf("test"))
    with arrivals.open(encoding="utf-8") as handle:
        arrival = next(csv.DictReader(handle))["Declaration ID"]

    page.goto("/risk")
    expect(page.locator("#username")).to_be_focused()  # autofocus applied: typing lands there
    page.keyboard.type("analyst")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Shipment targeting")

    # select a batch: every control reached and filled from the keyboard
    page.fill("#rk-start", "2021-03-01")
    page.fill("#rk-end", "2021-03-31")
    page.focus("#rk-port")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("6")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("8")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("10")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+a")
    page.keyboard.type("0.25")
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Selection 2: 2021-03-01..2021-03-31")
    expect(page.locator("#lanes")).to_contain_text("6/6")
    expect(page.locator("#assignments")).to_contain_text("Random control")
    shot(page, "risk-01-selection-en")

    # why one shipment was selected
    page.locator("#assignments a").first.click()
    # up to five factors raising each score (a selected shipment has at least one), and up to
    # five lowering it, in a table of their own
    for head in ("general", "critical"):
        raising = page.locator(f"#explain-{head} tbody tr")
        expect(raising.first).to_be_visible()
        assert 1 <= raising.count() <= 5
        assert page.locator(f"#explain-{head}-lowering tbody tr").count() <= 5
    shot(page, "risk-02-shipment-en")

    # override: move that shipment to another lane of selection 2, with a reason, by keyboard
    moved = page.locator("#placed-2")
    expect(moved.locator(".lane")).not_to_have_text("Release")
    page.select_option("#ov-lane-2", "release")
    page.focus("#ov-reason-2")
    page.keyboard.type("documents verified at the booth")
    page.keyboard.press("Enter")
    expect(moved.locator(".lane")).to_have_text("Release")
    expect(moved).to_contain_text("moved by analyst")
    expect(moved.locator(".overrides")).to_contain_text("documents verified at the booth")
    shot(page, "risk-02b-override-en")
    page.locator("#placed-2 a").first.click()
    expect(page.locator("#overrides")).to_contain_text("documents verified at the booth")

    # record an outcome for an arrival: a seizure id the node does not hold is refused
    # (issue 23), then the outcome is recorded without it
    page.goto(f"/risk/shipments/{arrival}")
    page.select_option("#rk-result", "critical")
    page.fill("#rk-exam", "x-ray")
    page.fill("#rk-seizure", "SZ-2021-0042")
    page.click("#outcome-form button")
    expect(page.locator("[role=alert]")).to_contain_text("No seizure with that id is held")
    page.select_option("#rk-result", "critical")
    page.fill("#rk-exam", "x-ray")
    page.fill("#rk-seizure", "")
    page.click("#outcome-form button")
    expect(page.locator("#outcome")).to_contain_text("Critical (narcotics)")

    retrain_when_due(
        web_db, force=True, actor=NodeSelf("analyst")
    )  # model 3: the new outcome moved
    page.goto("/risk")  # its calibration period, so its drift is measured from model 2's
    expect(page.locator("#hit-rates")).to_contain_text("2021-03")
    expect(page.locator("main")).to_contain_text("Active model 3")
    expect(page.locator("#drift-history tbody tr")).to_have_count(2)
    expect(page.locator("#drift tbody tr")).to_have_count(8)
    shot(page, "risk-03-overview-en")
    page.goto("/risk/rules")
    shot(page, "risk-04-rules-en")

    # Spanish, and a phone's width
    page.click("#switch-language")
    expect(page.locator("h1")).to_have_text("Reglas y listas de vigilancia")
    page.goto("/risk")
    expect(page.locator("h1")).to_have_text("Selección de envíos de riesgo")
    shot(page, "risk-05-overview-es")
    page.set_viewport_size({"width": 390, "height": 844})
    shot(page, "risk-06-overview-es-390")
    page.goto("/risk/selections/2")
    shot(page, "risk-07-selection-es-390")
    page.locator("#assignments a").first.click()
    expect(page.locator("#explain-general")).to_be_visible()
    shot(page, "risk-08-shipment-es-390")
