"""Counterpart alerts in real browsers between two real nodes: Playwright drives headless
chromium against two `alianza serve` processes (US and MX) on loopback. An alert sent from the
US port appears on the MX official's open page without reload (server push), is acknowledged
there, and the acknowledgement appears on the US official's open page. Screenshots of the ports
pages at 1280 and 390 px go to out/screenshots/ (look at them)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest

from alianza.actors import NodeSelf
from alianza.liaison.alerts import escalate_due, receive
from alianza.liaison.directory import add_contact, ensure_pair
from alianza.liaison.drills import record_drill, schedule_drill
from alianza.liaison.models import Alert
from alianza.ports.service import import_crossings_file, import_waits_file
from tests.ports.nodes import PASSWORD, NodeServer, two_nodes
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, SCREENSHOTS

DEMO = Path(__file__).parents[2] / "src" / "alianza" / "demo" / "data"
START = datetime(2026, 7, 1, 18, 0, tzinfo=UTC)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture
def nodes(tmp_path: Path) -> Iterator[tuple[NodeServer, NodeServer]]:
    us, mx = two_nodes(
        tmp_path, f"sqlite:///{tmp_path / 'us.db'}", f"sqlite:///{tmp_path / 'mx.db'}"
    )
    assert us.database
    import_crossings_file(
        us.database, DEMO / "bts-san-ysidro-2010-2024.csv", actor=NodeSelf("test")
    )
    import_waits_file(
        us.database,
        DEMO / "san_ysidro_historical_hourly_avg_by_month_dow.csv",
        crossing="250401",
        actor=NodeSelf("test"),
    )
    try:
        us.start()
        mx.start()
        yield us, mx
    finally:
        us.stop()
        mx.stop()


@pytest.fixture
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


def open_as(browser: Any, node: NodeServer, locale: str) -> Any:
    context = browser.new_context(
        base_url=node.url, viewport={"width": 1280, "height": 900}, locale=locale
    )
    page = context.new_page()
    errors: list[str] = []
    # console errors (a CSP violation is one) and failed loads, except the absent favicon
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and not m.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on(
        "response",
        lambda r: (
            errors.append(f"{r.status} {r.url}")
            if r.status >= 400 and not r.url.endswith("/favicon.ico")
            else None
        ),
    )
    page.csp_errors = errors
    page.goto("/login")
    page.fill("#username", node.official)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/pme")
    return page


def shoot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_alert_reaches_the_counterpart_browser_and_the_ack_returns(
    nodes: tuple[NodeServer, NodeServer], browser: Any
) -> None:
    us, mx = nodes
    us_page = open_as(browser, us, "en-US")
    mx_page = open_as(browser, mx, "es-MX")
    for page in (us_page, mx_page):
        page.goto("/ports/alerts")
        page.wait_for_selector("#alerts-live[data-live=yes]")  # the stream is open
    assert mx_page.locator("#inbox li").count() == 0
    # the US official sends from the form (only the chosen template's fields are shown)
    us_page.select_option("#alert-template", "port-runner")
    assert us_page.locator("#field-location").is_hidden()
    us_page.fill("#field-lane", "7")
    us_page.fill("#field-vehicle", "white pickup, Baja plates")
    us_page.fill("#alert-text", "two occupants")
    us_page.fill("#nominal-plate", "ABC1234")
    shoot(us_page, "ports-alerts-send-1280")
    us_page.click("#send-alert button[type=submit]")
    us_page.wait_for_url("**/ports/alerts?sent=*")
    us_page.wait_for_selector("#alerts-live[data-live=yes]")
    # …and the MX page, never reloaded, shows it in Spanish
    card = mx_page.locator("#inbox li.alert-card")
    card.wait_for(timeout=20_000)
    text = card.inner_text()
    assert "Vehículo que evadió la revisión" in text
    assert "carril 7" in text
    assert "ABC1234" not in text  # not shared
    assert mx_page.evaluate("performance.getEntriesByType('navigation').length") == 1
    # the open page told its official (issue 22): a notification (once allowed) and a tone
    assert mx_page.get_attribute("#alerts-live", "data-notified") == "1"
    shoot(mx_page, "ports-alerts-received-1280")
    card.locator("button", has_text="Acusar recibo").click()
    card.locator(".badge.ack").wait_for(timeout=10_000)
    # the acknowledgement crosses back and shows on the US page without reload
    us_card = us_page.locator("#outbox li.alert-card").first
    us_card.locator(".badge.ack").wait_for(timeout=20_000)
    assert mx.official in us_card.inner_text()
    shoot(us_page, "ports-alerts-acknowledged-1280")
    # the MX node is killed; an alert sent meanwhile waits in the US outbox; after the restart
    # the MX page (never reloaded: its stream reconnects with Last-Event-ID) shows it, once
    mx.kill()
    us_page.select_option("#alert-template", "lane-closure")
    us_page.fill("#field-lanes", "3")
    us_page.fill("#field-until", "23:00")
    us_page.click("#send-alert button[type=submit]")
    us_page.wait_for_url("**/ports/alerts?sent=*")
    mx_page.wait_for_selector("#alerts-live[data-live=no]")  # the page saw the cut
    mx.start()
    mx_page.locator("#inbox li.alert-card", has_text="Cierre de carriles").wait_for(timeout=30_000)
    assert mx_page.locator("#inbox li.alert-card").count() == 2
    assert mx_page.evaluate("performance.getEntriesByType('navigation').length") == 1
    us_page.set_viewport_size({"width": 390, "height": 844})
    shoot(us_page, "ports-alerts-390")
    assert us_page.csp_errors == []
    assert mx_page.csp_errors == []


def test_ports_pages_at_desktop_and_phone_width(
    nodes: tuple[NodeServer, NodeServer], browser: Any
) -> None:
    us, _mx = nodes
    assert us.database
    with us.database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("t"))
        for side, position, role, channel in (
            ("US", 1, "duty-officer", ("radio", "ch 4")),
            ("US", 9, "liaison-officer", ("telephone", "+1 555 0100")),
            ("MX", 1, "duty-officer", ("messaging", "guardia@example.org")),
        ):
            add_contact(
                session,
                pair,
                country=side,
                position=position,
                role=role,
                name=f"{side} {role}",
                shift=(time(6), time(18)),
                channels=[channel],
                actor=NodeSelf("t"),
            )
        drill = schedule_drill(session, pair, at=START, channel="radio", actor=NodeSelf("t"))
        record_drill(
            session, drill, held_at=START, passed=True, seconds_to_answer=40, actor=NodeSelf("t")
        )
    page = open_as(browser, us, "en-US")
    page.goto("/ports")
    assert page.locator("section.pair table tbody tr").count() == 3
    assert "40 s to answer" in page.inner_text("section.pair")
    assert "2026-Q3" in page.inner_text("#measures")
    page.goto("/ports/2504/analysis")
    assert page.locator("svg.chart").count() == 3
    assert page.locator("#volumes-table tbody tr").count() >= 10
    assert page.locator("#scenarios tbody tr").count() >= 3
    shoot(page, "ports-analysis-1280")
    page.goto("/ports")
    shoot(page, "ports-index-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/ports/2504/analysis")
    shoot(page, "ports-analysis-390")
    page.goto("/ports")
    shoot(page, "ports-index-390")
    assert page.csp_errors == []


def test_an_escalation_reaches_the_addressee_page_and_the_sender_page(
    nodes: tuple[NodeServer, NodeServer], browser: Any
) -> None:
    """The MX official is the pair's supervisor (second in the directory): the alert arrives
    addressed to the duty officer; unanswered, it is escalated (on a test clock) and the MX
    official's open page marks it "Escalada a usted", while the US page shows the escalation
    that came back over the exchange channel. Neither page is reloaded. (Escalated with a
    zero timeout at the real time: the message back leaves the outbox when it falls due.)"""
    us, mx = nodes
    assert mx.database
    with mx.database.transaction() as session:
        pair = ensure_pair(session, "2504", actor=NodeSelf("t"))
        for position, role, name, username in (
            (1, "duty-officer", "Guardia Pérez", "guardia_mx"),
            (2, "supervisor", "Supervisora Ruiz", mx.official),
        ):
            add_contact(session, pair, country="MX", position=position, role=role, name=name,
                        shift=(time(0), time(0)), channels=[("radio", "4")], actor=NodeSelf("t"),
                        username=username)  # fmt: skip
    us_page = open_as(browser, us, "en-US")
    mx_page = open_as(browser, mx, "es-MX")
    for page in (us_page, mx_page):
        page.goto("/ports/alerts")
        page.wait_for_selector("#alerts-live[data-live=yes]")
    us_page.select_option("#alert-template", "security-incident")
    us_page.fill("#field-location", "lane 5")
    us_page.click("#send-alert button[type=submit]")
    us_page.wait_for_url("**/ports/alerts?sent=*")
    us_page.wait_for_selector("#alerts-live[data-live=yes]")
    card = mx_page.locator("#inbox li.alert-card")
    card.wait_for(timeout=20_000)
    assert "Dirigida a Guardia Pérez (oficial de guardia)" in card.inner_text()
    assert card.locator(".escalated-to-you").count() == 0
    with mx.database.transaction() as session:  # as if the time to answer had run out
        moved = escalate_due(session, node_country="MX", now=datetime.now(UTC), after=timedelta(0))
        assert [c.username for _a, c in moved] == [mx.official]
    card.locator(".badge.escalated-to-you", has_text="Escalada a usted").wait_for(timeout=20_000)
    assert "Dirigida a Supervisora Ruiz (supervisor)" in card.inner_text()
    shoot(mx_page, "ports-alerts-escalated-to-you-1280")
    us_card = us_page.locator("#outbox li.alert-card").first
    us_card.locator(".addressed", has_text="supervisor").wait_for(timeout=20_000)
    assert "Escalated on the other side to the supervisor (level 1)" in us_card.inner_text()
    assert "Supervisora" not in us_card.inner_text()  # names stay on the MX node
    for page in (us_page, mx_page):
        assert page.evaluate("performance.getEntriesByType('navigation').length") == 1
        assert page.csp_errors == []


def test_a_late_request_is_acknowledged_with_the_reason_for_its_delay(
    nodes: tuple[NodeServer, NodeServer], browser: Any
) -> None:
    """Issue 22: past a request's due time the card asks for the reason for the delay (the
    browser will not acknowledge without it); given, it is recorded with the acknowledgement."""
    _us, mx = nodes
    assert mx.database
    late = "00000000-0000-0000-0000-0000000000aa"
    with mx.database.transaction() as session:  # as the US node's signed batch applies it
        receive(
            session,
            {"kind": "alert", "message_id": late, "alert": {
                "id": late, "us_port_code": "2504", "from_country": "US",
                "template": "security-incident", "details": {"location": "carril 3"},
                "free_text": "", "created_at": START.isoformat(), "created_by": "us-officer",
                "priority": "urgent", "due_at": (START + timedelta(hours=8)).isoformat(),
            }},
            now=START,
            sender="US",
        )  # fmt: skip
    page = open_as(browser, mx, "es-MX")
    page.goto("/ports/alerts")
    page.wait_for_selector("#alerts-live[data-live=yes]")
    card = page.locator(f"#alert-{late}")
    reason = card.locator("input[name=reason]")
    assert reason.is_visible()
    assert "Motivo del retraso" in card.inner_text()
    card.locator("button", has_text="Acusar recibo").click()  # empty: the browser holds it
    assert reason.evaluate("input => input.validity.valueMissing") is True
    reason.fill("radio caído en la garita")
    card.locator("button", has_text="Acusar recibo").click()
    card.locator(".badge.ack").wait_for(timeout=10_000)
    with mx.database.reader() as session:
        held = session.get(Alert, late)
        assert held is not None
        assert held.delay_reason == "radio caído en la garita"
        assert held.acknowledged_at is not None
    assert page.csp_errors == []
