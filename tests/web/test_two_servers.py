"""Two app servers (two `alianza serve` processes, two ports) against one PostgreSQL database
share what must be shared (issue 24, item 6): a session signed in on one is valid on the
other; failed logins count across both; a write through one changes what the other shows (its
caches are keyed by the data's version in the database); an alert raised through one reaches a
live listener of the other through PostgreSQL's LISTEN/NOTIFY.

Both servers read the same node home (session key, node identity), as a node's servers do
(docs/operations.md). Skipped without ``ALIANZA_TEST_POSTGRES_URL``."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import httpx2 as httpx
import pytest

from alianza.accounts.session_key import create_session_key
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.liaison.directory import ensure_pair
from alianza.settings import load_settings
from tests.conftest import POSTGRES_URL, postgres_database
from tests.ports.nodes import free_port
from tests.web.conftest import PASSWORD, add_users
from tests.web.test_first_views import QUARTER, seizures_in
from tests.web.test_seizures_pages import EVENTS, write_events

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(POSTGRES_URL is None, reason="ALIANZA_TEST_POSTGRES_URL is not set"),
]
FREE_FAILURES = 2


@contextmanager
def server(home: Path, url: str, log: Path) -> Iterator[str]:
    """`alianza serve` in a process of its own on a free port of 127.0.0.1; its base URL."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIANZA_")}
    env.update(
        ALIANZA_HOME=str(home),
        ALIANZA_ENV="development",
        ALIANZA_DATABASE_URL=url,
        ALIANZA_COUNTRY="US",
        ALIANZA_LOGIN_FREE_FAILURES=str(FREE_FAILURES),
        ALIANZA_LOGIN_FIRST_DELAY_SECONDS="600",
        ALIANZA_LOG_LEVEL="warning",
    )
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "alianza", "serve", "--port", str(port)],
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, f"server did not start:\n{log.read_text()}"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def login(client: httpx.Client, base: str, username: str, password: str = PASSWORD) -> int:
    page = client.get(f"{base}/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    data = {"username": username, "password": password, "csrf_token": token.group(1)}
    return client.post(f"{base}/login", data=data).status_code


def csrf(client: httpx.Client, page: str) -> str:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).text)
    assert token
    return token.group(1)


@pytest.fixture
def two_servers(tmp_path: Path) -> Iterator[tuple[str, str]]:
    home = tmp_path / "home"
    settings = load_settings(home=home, env="test")
    create_session_key(settings.session_key_file)  # one node: one key, read by both servers
    with postgres_database() as url:
        database = Database(url, country="US")
        database.migrate()
        add_users(database)
        with database.transaction() as session:
            ensure_pair(session, "2504", actor=NodeSelf("t"))
        try:
            with ExitStack() as servers:
                a = servers.enter_context(server(home, url, tmp_path / "a.log"))
                b = servers.enter_context(server(home, url, tmp_path / "b.log"))
                yield a, b
        finally:
            database.dispose()


def test_two_servers_share_sessions_throttles_caches_and_live_alerts(
    two_servers: tuple[str, str], tmp_path: Path
) -> None:
    a, b = two_servers
    with httpx.Client(follow_redirects=False, timeout=60) as client:
        # A session signed in on A is valid on B, and logging out on B ends it on A.
        assert login(client, a, "analyst") == 303
        assert client.get(f"{b}/seizures").status_code == 200
        # B's totals of the quarter, kept in its cache; then an import through A.
        assert seizures_in(client.get(f"{b}/seizures").text, QUARTER) is None
        path = write_events(tmp_path / "us.csv", [e for e in EVENTS if e[1] == "US"])
        imported = client.post(
            f"{a}/seizures/import",
            files={"file": (path.name, path.read_bytes(), "text/csv")},
            data={"csrf_token": csrf(client, f"{a}/seizures/import"), "profile": "canonical"},
        )
        assert imported.status_code == 303, imported.text
        us_rows = [e for e in EVENTS if e[1] == "US"]
        assert seizures_in(client.get(f"{b}/seizures").text, QUARTER) == len(us_rows)
        logout = client.post(f"{b}/logout", data={"csrf_token": csrf(client, f"{b}/seizures")})
        assert logout.status_code == 303
        assert client.get(f"{a}/seizures").status_code in (302, 303)  # signed out on A too

    # An alert raised through A reaches a live listener on B (its hub LISTENs; no polling).
    with (
        httpx.Client(follow_redirects=False, timeout=60) as listener,
        httpx.Client(follow_redirects=False, timeout=60) as sender,
    ):
        assert login(listener, b, "liaison") == 303
        assert login(sender, a, "liaison") == 303
        opened, arrived = threading.Event(), threading.Event()
        frames: list[str] = []

        def read() -> None:
            url = f"{b}/ports/alerts/stream"
            with (
                contextlib.suppress(httpx.TransportError),  # closed by the test when it fails
                listener.stream("GET", url, params={"window": 60}, timeout=90) as response,
            ):
                frames.append(str(response.status_code))
                for line in response.iter_lines():
                    frames.append(line)
                    opened.set()
                    if line.startswith("data:") and "lane 3 north" in line:
                        arrived.set()
                        return

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert opened.wait(30), f"the stream did not open: {frames}"
        sent = sender.post(
            f"{a}/ports/alerts",
            data={
                "csrf_token": csrf(sender, f"{a}/ports/alerts"),
                "port": "2504",
                "template": "security-incident",
                "field_location": "lane 3 north",
            },
        )
        assert sent.status_code == 303, sent.text[:2000]
        assert arrived.wait(30), f"the alert did not reach B's stream: {frames}"
        reader.join(10)

    # Failed logins, spread over both servers, count as one: after the free failures (one on
    # A, one on B) the next attempt waits, on either server (last: this address now waits).
    with httpx.Client(follow_redirects=False, timeout=60) as client:
        assert login(client, a, "viewer", "wrong password here") == 401
        assert login(client, b, "viewer", "wrong password here") == 401
        assert login(client, a, "viewer") == 429
        assert login(client, b, "viewer") == 429
