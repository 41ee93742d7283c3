"""The seizure pages in a real browser (Playwright, Debian's chromium, headless): an analyst
uploads a real CBP sample with broken rows, reads the report in English and Spanish, opens the
quarantine, the tables and the map. Screenshots go to out/screenshots/ (sz-*.png)."""

from __future__ import annotations

from pathlib import Path

import pytest

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.seizures.service import import_file
from alianza.seizures.template import template_csv
from tests.web.test_browser import (  # noqa: F401  (fixtures)
    live_server,
    log_in_as,
    page,
    pytestmark,
    shot,
)
from tests.web.test_seizures_pages import BREAKS, CBP_FILE, broken_cbp_sample


@pytest.fixture
def seizure_db(web_db: Database, tmp_path: Path) -> Database:
    """A real CBP file and the canonical template's example events (at San Ysidro), on the US
    node (Mexico's records live on the MX node, issue 14)."""
    import_file(web_db, CBP_FILE, "cbp-nationwide", actor=NodeSelf("test"))
    example = tmp_path / "us-events.csv"
    example.write_text(template_csv(example=True), encoding="utf-8")
    assert import_file(web_db, example, "canonical", actor=NodeSelf("test")).report.loaded > 0
    return web_db


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_browser_seizures_journey(seizure_db, page, live_server: str, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    from playwright.sync_api import expect

    path, rows = broken_cbp_sample(tmp_path)
    log_in_as(page, "analyst")
    page.goto("/seizures/import")
    page.set_input_files("#seizure-file", str(path))
    page.select_option("#profile", "cbp-nationwide")
    page.click("#import-form button[type=submit]")
    expect(page).to_have_url(f"{live_server}/seizures/imports/1")
    expect(page.locator("#stat-rows")).to_have_text(str(rows))
    expect(page.locator("#stat-quarantined")).to_have_text(str(len(BREAKS)))
    issues = page.locator("#issues")
    for number, _column, value in BREAKS:
        expect(issues.locator(f"tr:has(td:text-is('{number}'))").first).to_be_visible()
        expect(issues).to_contain_text(value)
    english = page.locator("#issues td[data-label='Message']").first.inner_text()
    shot(page, "sz-01-report-en")

    page.click("#switch-language")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("h1")).to_contain_text("Informe de validación")
    spanish = page.locator("#issues td[data-label='Mensaje']").first.inner_text()
    assert spanish != english
    shot(page, "sz-02-report-es")

    page.click("a:has-text('Filas en cuarentena')")
    expect(page.locator("#q-total")).to_contain_text(f"{len(BREAKS)} filas")
    expect(page.locator("main")).to_contain_text(path.name)
    shot(page, "sz-03-quarantine-es")

    page.click("#switch-language")
    page.goto("/seizures")
    page.select_option("#by", "drug")
    page.select_option("#filter-country", "US")
    page.click("#overview-form button[type=submit]")
    expect(page.locator("#overview-table")).to_contain_text("Methamphetamine")
    expect(page.locator("#bar-head")).to_contain_text("Seizures (number of records)")
    expect(page.locator("#overview-table svg.bar").first).to_be_attached()
    shot(page, "sz-04-overview-drug-en")
    page.goto("/seizures?by=quarter")
    shot(page, "sz-05-overview-quarter-en")
    page.goto("/seizures?by=concealment")
    expect(page.locator("#overview-table")).to_contain_text("Not reported")
    shot(page, "sz-06-overview-concealment-en")

    page.goto("/seizures/map")
    expect(page.locator("svg.map circle").first).to_be_attached()
    expect(page.locator("#map-table")).to_contain_text("San Ysidro (2504)")
    shot(page, "sz-07-map-en")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/seizures/map")
    shot(page, "sz-08-map-phone")
    page.goto("/seizures?by=drug")
    shot(page, "sz-09-overview-phone")
    page.goto("/seizures/imports/1")
    shot(page, "sz-10-report-phone")
