"""Two real nodes for the two-node tests: `alianza serve` in a subprocess each, on loopback,
with their own database, key pair and partner registry (each trusts the other's key), and an
official per side. A node can be killed (SIGKILL) and started again on the same port."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import NodeKeys, create_node_keys
from alianza.exchange.partners import trust_partner

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class NodeServer:
    """One node served by `alianza serve` in a subprocess."""

    home: Path
    country: str
    database_url: str
    port: int = field(default_factory=free_port)
    partner_url: str | None = None
    keys: NodeKeys | None = None
    database: Database | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def official(self) -> str:
        return f"oficial_{self.country.lower()}"

    def prepare(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.database = Database(self.database_url, country=self.country)
        self.database.migrate()
        name = "US node (CBP)" if self.country == "US" else "Nodo MX (ANAM)"
        self.keys = create_node_keys(self.home, name=name, country=self.country)
        with self.database.transaction() as session:
            create_user(
                session,
                username=self.official,
                password=PASSWORD,
                role=Role.LIAISON,
                country=Country(self.country),
                agency="CBP" if self.country == "US" else "ANAM",
                language="en" if self.country == "US" else "es",
                actor=NodeSelf("test"),
            )

    def start(self, timeout: float = 60.0) -> None:
        env = {
            **os.environ,
            "ALIANZA_HOME": str(self.home),
            "ALIANZA_DATABASE_URL": self.database_url,
            "ALIANZA_ENV": "test",
            "ALIANZA_PORTS_PARTNER_URL": self.partner_url or "",
        }
        with (self.home / "serve.log").open("ab") as log:  # the child keeps its own copy
            self.process = subprocess.Popen(
                [sys.executable, "-m", "alianza", "serve", "--port", str(self.port)],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, (self.home / "serve.log").read_text()
            try:
                if httpx.get(f"{self.url}/login", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{self.country} node did not start")

    def kill(self) -> None:
        """SIGKILL: no shutdown, nothing flushed."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.database is not None:
            self.database.dispose()


def two_nodes(root: Path, us_url: str, mx_url: str) -> tuple[NodeServer, NodeServer]:
    """US and MX nodes that trust each other's keys and know each other's URL (not started)."""
    us = NodeServer(root / "us", "US", us_url)
    mx = NodeServer(root / "mx", "MX", mx_url)
    us.partner_url, mx.partner_url = mx.url, us.url
    for node in (us, mx):
        node.prepare()
    assert us.keys
    assert mx.keys
    assert us.database
    assert mx.database
    with us.database.transaction() as session:
        trust_partner(
            session,
            mx.keys.identity,
            own_fingerprint=us.keys.identity.fingerprint,
            url=mx.url,
            actor=NodeSelf("test"),
        )
    with mx.database.transaction() as session:
        trust_partner(
            session,
            us.keys.identity,
            own_fingerprint=mx.keys.identity.fingerprint,
            url=us.url,
            actor=NodeSelf("test"),
        )
    return us, mx


def log_in(client: httpx.Client, username: str) -> str:
    """Log in with a form post; returns the session's CSRF token."""
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert token
    response = client.post(
        "/login", data={"username": username, "password": PASSWORD, "csrf_token": token[1]}
    )
    assert response.status_code == 303, response.text
    alerts = client.get("/ports/alerts")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', alerts.text)
    assert csrf
    return csrf[1]
