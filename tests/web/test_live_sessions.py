"""On a real server (uvicorn on 127.0.0.1): an open alert stream ends within seconds of its
session ending, and forwarded addresses count only from a named proxy (issue 15)."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx2 as httpx
import uvicorn
from sqlalchemy import select

from alianza.accounts.models import LoginThrottle
from alianza.accounts.service import disable_user
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.settings import load_settings
from alianza.web import create_app
from alianza.web.listen import listen_options
from tests.ports.nodes import free_port
from tests.web.conftest import PASSWORD


@contextmanager
def serving(database: Database, home: Path, behind_proxy: str | None = None) -> Iterator[str]:
    """The app under uvicorn with the options `alianza serve` would give it."""
    settings = load_settings(home=home, env="test")
    port = free_port()
    options = listen_options(settings, "127.0.0.1", behind_proxy=behind_proxy)
    config = uvicorn.Config(
        create_app(settings, database),
        port=port,
        log_level="error",
        timeout_graceful_shutdown=1,
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def login(client: httpx.Client, username: str, password: str = PASSWORD) -> int:
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    data = {"username": username, "password": password, "csrf_token": token.group(1)}
    return client.post("/login", data=data).status_code


def test_a_disabled_users_alert_stream_closes_within_seconds(
    web_db: Database, tmp_path: Path
) -> None:
    """The stream would stay open for its whole window (120 s here); it must close within the
    session re-check interval (2 s) of the user being disabled. 30 s leaves room for a slow
    machine while still telling the two apart."""
    with (
        serving(web_db, tmp_path / "home") as url,
        httpx.Client(base_url=url, follow_redirects=False) as client,
    ):
        assert login(client, "liaison") == 303
        opened, ended = threading.Event(), threading.Event()
        frames: list[str] = []

        def read() -> None:
            with client.stream(
                "GET", "/ports/alerts/stream", params={"window": 120}, timeout=150
            ) as response:
                assert response.status_code == 200
                for line in response.iter_lines():
                    frames.append(line)
                    opened.set()
            ended.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        assert opened.wait(20), "the stream did not open"
        with web_db.transaction() as session:
            disable_user(session, "liaison", actor=NodeSelf("admin"))
        disabled_at = time.monotonic()
        assert ended.wait(30), "the stream of a disabled user stayed open"
        assert time.monotonic() - disabled_at < 30
        assert frames[0].startswith("retry:")


def failed_keys(database: Database) -> set[str]:
    with database.reader() as session:
        return set(session.scalars(select(LoginThrottle.key)))


def test_forwarded_for_counts_only_from_a_named_proxy(web_db: Database, tmp_path: Path) -> None:
    forged = {"X-Forwarded-For": "10.9.9.9"}
    with (
        serving(web_db, tmp_path / "plain") as url,
        httpx.Client(base_url=url, headers=forged) as client,
    ):
        assert login(client, "viewer", "wrong password here") == 401
    # uvicorn's default trusts 127.0.0.1: the throttle would count the forged address.
    assert "address:127.0.0.1" in failed_keys(web_db)
    assert "address:10.9.9.9" not in failed_keys(web_db)
    with (
        serving(web_db, tmp_path / "proxied", behind_proxy="127.0.0.1") as url,
        httpx.Client(base_url=url, headers=forged) as client,
    ):
        assert login(client, "viewer", "wrong password here") == 401
    assert "address:10.9.9.9" in failed_keys(web_db)  # the named proxy's word counts


def test_an_ended_directory_entry_leaves_the_open_stream(web_db: Database, tmp_path: Path) -> None:
    """An official's stream is scoped by their directory entries; when an entry ends, the
    stream stops showing that pair within the re-check interval, without reconnecting."""
    from datetime import UTC, datetime

    from alianza.liaison.directory import end_contact
    from tests.web.conftest import mx_node
    from tests.web.test_ports_pages import add_mx_officer, alert_from_us

    as_mx = mx_node(web_db)  # a Mexican official on the MX node
    with web_db.transaction() as session:
        entry = add_mx_officer(session, "2504")
    with (
        serving(as_mx, tmp_path / "home") as url,
        httpx.Client(base_url=url, follow_redirects=False) as client,
    ):
        assert login(client, "oficial") == 303
        opened = threading.Event()
        frames: list[str] = []

        def read() -> None:
            try:
                with client.stream(
                    "GET", "/ports/alerts/stream", params={"window": 120, "after": 0}, timeout=150
                ) as response:
                    for line in response.iter_lines():
                        frames.append(line)
                        opened.set()
            except httpx.HTTPError:  # the client closes under it at the end of the test
                pass

        threading.Thread(target=read, daemon=True).start()
        assert opened.wait(20), "the stream did not open"
        with web_db.transaction() as session:  # moved from San Ysidro to El Paso
            end_contact(session, entry.id, actor=NodeSelf("admin"), now=datetime.now(UTC))
            add_mx_officer(session, "2402")
        seen = None
        for _ in range(30):  # markers at El Paso until one shows: the stream was re-scoped
            marker = alert_from_us(web_db, "2402")
            time.sleep(1)
            if any(marker in f for f in frames):
                seen = marker
                break
        assert seen, "the stream never showed the official's new port"
        gone = alert_from_us(web_db, "2504")
        last = alert_from_us(web_db, "2402")
        for _ in range(30):
            if any(last in f for f in frames):
                break
            time.sleep(0.5)
        assert any(last in f for f in frames)
        assert not any(gone in f for f in frames)
    as_mx.dispose()
