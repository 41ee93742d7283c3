"""/healthz, /readyz, /metrics, request ids and the access log, in-process; and one real
`alianza serve` writing structured logs."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.inbox import receive_logged
from alianza.exchange.keys import create_node_keys
from alianza.exchange.package import PackageRefused
from alianza.exchange.service import build_and_record, record_sent
from alianza.liaison.models import OutboxMessage
from alianza.operations.logs import JsonFormatter, KeyValueFormatter, request_id
from alianza.seizures.service import import_file
from alianza.settings import Settings, load_settings
from alianza.web import create_app
from tests.conftest import DATA
from tests.exchange.conftest import COVERAGE, introduce, make_node, sample_tables

LOOPBACK_CLIENT = ("127.0.0.1", 50000)


def make_client(
    database: Database, home: Path, client: tuple[str, int] = LOOPBACK_CLIENT, **settings: object
) -> TestClient:
    app = create_app(load_settings(home=home, env="test", **settings), database)
    return TestClient(app, client=client, follow_redirects=False)


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    found = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def scrape(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return samples(response.text)


def requests_counted(
    metrics: dict[tuple[str, tuple[tuple[str, str], ...]], float], route: str, status: str
) -> float:
    key = ("alianza_http_requests_total", (("method", "GET"), ("route", route), ("status", status)))
    return metrics.get(key, 0.0)


def test_healthz_answers_and_echoes_request_id(fresh_db: Database, tmp_path: Path) -> None:
    with make_client(fresh_db, tmp_path) as client:
        response = client.get("/healthz", headers={"X-Request-ID": "proxy-42.a:b"})
        assert response.status_code == 200
        assert response.json() == {"status": "ok"}
        assert response.headers["x-request-id"] == "proxy-42.a:b"
        # An id with spaces or quotes is not trusted (log injection): a new one is made.
        replaced = client.get("/healthz", headers={"X-Request-ID": 'x" level=error'})
        assert len(replaced.headers["x-request-id"]) == 32
        int(replaced.headers["x-request-id"], 16)
        fresh = client.get("/healthz").headers["x-request-id"]
        assert fresh != client.get("/healthz").headers["x-request-id"]


def test_readyz_needs_keys_and_migrations(database_url: str, tmp_path: Path) -> None:
    database = Database(database_url)  # not migrated yet
    try:
        client = make_client(database, tmp_path)  # no lifespan: its warm-up reads tables
        body = client.get("/readyz").json()
        assert body["status"] == "not-ready"
        assert body["checks"]["database"]["ok"] is True
        assert body["checks"]["migrations"]["ok"] is False
        assert "alianza db upgrade" in body["checks"]["migrations"]["detail"]
        assert body["checks"]["keys"]["ok"] is False
        assert client.get("/readyz").status_code == 503

        database.migrate()
        create_node_keys(tmp_path, name="US node (test)", country="US")
        ready = client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["status"] == "ready"
        assert set(ready.json()["checks"]) == {"database", "migrations", "keys"}
    finally:
        database.dispose()


def test_readyz_reports_unreachable_partner_without_failing(
    fresh_db: Database, tmp_path: Path
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    create_node_keys(tmp_path, name="US node (test)", country="US")
    with make_client(fresh_db, tmp_path, ports_partner_url=f"http://127.0.0.1:{closed}") as client:
        response = client.get("/readyz")
        assert response.status_code == 200
        partner = response.json()["checks"]["partner"]
        assert partner["ok"] is False
        assert partner["required"] is False
        assert f"127.0.0.1:{closed}/healthz" in partner["detail"]


def test_readyz_database_down_is_503(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    database = Database(f"postgresql+psycopg://alianza@127.0.0.1:{closed}/alianza")
    response = make_client(database, tmp_path).get("/readyz")  # no lifespan: no warm-up
    assert response.status_code == 503
    assert response.json()["checks"]["database"]["ok"] is False
    assert "ALIANZA_DATABASE_URL" in response.json()["checks"]["database"]["detail"]


def test_metrics_loopback_only_without_token(fresh_db: Database, tmp_path: Path) -> None:
    with make_client(fresh_db, tmp_path, client=("10.0.0.7", 50000)) as remote:
        assert remote.get("/metrics").status_code == 403
    with make_client(fresh_db, tmp_path) as local:
        assert local.get("/metrics").status_code == 200
        # a loopback connection relaying someone else (a proxy on the same host) is not local
        relayed = local.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
        assert relayed.status_code == 403


def test_metrics_token(fresh_db: Database, tmp_path: Path) -> None:
    token = uuid.uuid4().hex
    with make_client(fresh_db, tmp_path, client=("10.0.0.7", 1), metrics_token=token) as client:
        assert client.get("/metrics").status_code == 403
        wrong = client.get("/metrics", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 403
        right = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert right.status_code == 200


def test_metrics_count_requests_by_route_template(fresh_db: Database, tmp_path: Path) -> None:
    with make_client(fresh_db, tmp_path) as client:
        before = scrape(client)
        for _ in range(3):
            client.get("/healthz")
        client.get("/lang/es")  # a route with a parameter: counted under its template
        client.get("/no/such/page")
        after = scrape(client)
    assert (
        requests_counted(after, "/healthz", "200") - requests_counted(before, "/healthz", "200")
        == 3
    )
    templated = [
        k
        for k in after
        if k[0] == "alianza_http_requests_total" and ("route", "/lang/{language}") in k[1]
    ]
    assert templated
    assert (
        requests_counted(after, "(unmatched)", "404")
        - requests_counted(before, "(unmatched)", "404")
        == 1
    )
    assert not any(("route", "/no/such/page") in k[1] for k in after)
    count = (
        "alianza_http_request_duration_seconds_count",
        (("method", "GET"), ("route", "/healthz")),
    )
    assert after[count] - before.get(count, 0.0) == 3


def test_metrics_outbox_depth_and_domain_counters(fresh_db: Database, tmp_path: Path) -> None:
    now = datetime.now(UTC)
    with fresh_db.transaction() as session:
        for index, delivered in enumerate([None, None, now]):
            session.add(
                OutboxMessage(
                    message_id=str(uuid.uuid4()),
                    destination="MX",
                    payload={"n": index},
                    created_at=now,
                    attempts=0,
                    next_attempt_at=now,
                    delivered_at=delivered,
                )
            )
    with make_client(fresh_db, tmp_path) as client:
        before = scrape(client)
        assert before[("alianza_ports_outbox_waiting", ())] == 2
        # unknown-drug.csv: four rows, two with unknown drug names (tests/seizures)
        import_file(
            fresh_db,
            DATA / "seizures" / "unknown-drug.csv",
            "cbp-nationwide",
            actor=NodeSelf("test"),
        )
        after = scrape(client)
    for outcome, added in (("loaded", 2), ("quarantined", 2)):
        key = ("alianza_seizure_import_rows_total", (("outcome", outcome),))
        assert after[key] - before.get(key, 0.0) == added


def test_access_log_line_has_route_status_and_request_id(
    fresh_db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with make_client(fresh_db, tmp_path) as client, caplog.at_level(logging.INFO, "alianza.access"):
        client.get("/lang/en", headers={"X-Request-ID": "req-1"})
    [record] = [r for r in caplog.records if r.name == "alianza.access"]
    assert record.__dict__["route"] == "/lang/{language}"
    assert record.__dict__["path"] == "/lang/en"
    assert record.__dict__["status"] == 303
    assert record.__dict__["duration_ms"] >= 0
    assert record.__dict__["client"] == "127.0.0.1"
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "-"  # formatted outside the request
    token = request_id.set("req-1")
    try:
        line = json.loads(JsonFormatter().format(record))
        text = KeyValueFormatter().format(record)
    finally:
        request_id.reset(token)
    assert line["request_id"] == "req-1"
    assert line["logger"] == "alianza.access"
    assert line["level"] == "info"
    datetime.fromisoformat(line["ts"])
    assert "request_id=req-1" in text
    assert "route=/lang/{language}" in text
    assert "status=303" in text


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[str]]]:
    """A real `alianza serve` on a free port, logging JSON at debug level."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {
        **os.environ,
        "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src"),
        "ALIANZA_HOME": str(tmp_path / "node"),
        "ALIANZA_LOG_FORMAT": "json",
    }
    env.pop("ALIANZA_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "alianza", "serve", "--port", str(port), "--log-level", "debug"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    yield base, process
    if process.poll() is None:
        process.terminate()
    process.communicate(timeout=30)  # reaps it and closes its pipes


def test_serve_writes_structured_access_log(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = served
    response = httpx.get(f"{base}/healthz", headers={"X-Request-ID": "e2e-check"}, timeout=5)
    assert response.headers["x-request-id"] == "e2e-check"
    process.terminate()
    _out, err = process.communicate(timeout=30)
    lines = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    access = [line for line in lines if line.get("request_id") == "e2e-check"]
    assert access, err
    assert access[0]["logger"] == "alianza.access"
    assert access[0]["route"] == "/healthz"
    assert access[0]["status"] == 200
    assert any(line["logger"].startswith("uvicorn") for line in lines)  # uvicorn's own, as JSON
    assert not any(
        "GET /healthz HTTP/1.1" in line for line in err.splitlines()
    )  # no uvicorn access
    assert isinstance(Settings().log_level, str)


def test_metrics_count_exchange_packages(tmp_path: Path) -> None:
    us = make_node(tmp_path / "us", f"sqlite:///{tmp_path / 'us.db'}", "US node", "US")
    mx = make_node(tmp_path / "mx", f"sqlite:///{tmp_path / 'mx.db'}", "Nodo MX", "MX")
    introduce(us, mx)
    try:
        with make_client(mx.database, mx.home) as client:
            before = scrape(client)
            data, _ = build_and_record(
                us.database,
                us.keys,
                quarter="2019-Q1",
                tables=sample_tables("US", "2019-Q1"),
                coverage=COVERAGE,
                actor=NodeSelf("test"),
            )
            record_sent(us.database, hashlib.sha256(data).hexdigest(), "file us.zip")
            receive_logged(mx.database, data, source="test", actor=NodeSelf("test"))
            tampered = data[:-1] + bytes([data[-1] ^ 1])
            with pytest.raises(PackageRefused) as refused:
                receive_logged(mx.database, tampered, source="test", actor=NodeSelf("test"))
            after = scrape(client)
    finally:
        us.database.dispose()
        mx.database.dispose()
    key = "alianza_exchange_packages_total"
    for labels in ((("code", "ok"), ("event", "sent")), (("code", "ok"), ("event", "received"))):
        assert after[(key, labels)] - before.get((key, labels), 0.0) == 1
    refused_labels = (("code", refused.value.code), ("event", "refused"))
    assert after[(key, refused_labels)] - before.get((key, refused_labels), 0.0) == 1


def test_readyz_reaches_a_live_partner(
    fresh_db: Database, tmp_path: Path, served: tuple[str, subprocess.Popen[str]]
) -> None:
    partner_url, _process = served  # a real node answering /healthz on 127.0.0.1
    create_node_keys(tmp_path, name="US node (test)", country="US")
    with make_client(fresh_db, tmp_path, ports_partner_url=partner_url) as client:
        partner = client.get("/readyz").json()["checks"]["partner"]
    assert partner["ok"] is True
    assert partner["detail"] == f"{partner_url}/healthz: HTTP 200"
