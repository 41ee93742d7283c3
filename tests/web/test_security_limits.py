"""Limits before work (issue 15, finding "anonymous disk fill"): authentication before any body
is read, and a per-route cap on bodies, counted as they stream.

The bodies are real ASGI streams fed to the real app chunk by chunk; the tests count how many
bytes the app pulled, which bounds what any parser could have spooled to disk.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from alianza.accounts.service import issue_token
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.settings import load_settings
from alianza.web import create_app
from alianza.web.limits import SMALL_BODY_BYTES
from tests.web.test_error_shape import assert_error_shape

MB = 1024 * 1024
BOUNDARY = "alianza-test-boundary"


def multipart_head(filename: str = "seizures.csv") -> bytes:
    return (
        f"--{BOUNDARY}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()


def streamed_post(
    app: FastAPI,
    path: str,
    *,
    size: int,
    headers: dict[str, str] | None = None,
    chunk: int = 64 * 1024,
    declare_length: bool = False,
    content_type: str = f"multipart/form-data; boundary={BOUNDARY}",
) -> tuple[int, int, bytes]:
    """POST a body of ``size`` bytes (a multipart file part that never ends) in chunks, as a
    chunked upload arrives; returns (status, bytes the app pulled, response body)."""
    head = multipart_head()
    pulled = 0
    remaining = size
    first = True
    status = 0
    body = bytearray()

    async def receive() -> dict[str, Any]:
        nonlocal pulled, remaining, first
        if first:
            first = False
            piece = head
        else:
            piece = b"x" * min(chunk, remaining)
        remaining -= len(piece) if not piece.startswith(b"--") else 0
        pulled += len(piece)
        return {"type": "http.request", "body": piece, "more_body": remaining > 0}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    raw_headers = [(b"content-type", content_type.encode()), (b"host", b"testserver")]
    if declare_length:
        raw_headers.append((b"content-length", str(size + len(head)).encode()))
    for name, value in (headers or {}).items():
        raw_headers.append((name.lower().encode(), value.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": raw_headers,
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
        "state": {},
    }
    asyncio.run(app(scope, receive, send))  # type: ignore[arg-type]
    return status, pulled, bytes(body)


@pytest.fixture
def small_upload_app(
    web_db: Database, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[FastAPI]:
    """The app with a 1 MiB seizure-upload limit (ALIANZA_MAX_UPLOAD_MB=1)."""
    settings = load_settings(home=tmp_path_factory.mktemp("home"), env="test", max_upload_mb=1)
    app = create_app(settings, web_db)
    with TestClient(app):  # runs the lifespan, as a served app would
        yield app


@pytest.fixture
def analyst_token(web_db: Database) -> str:
    with web_db.transaction() as session:
        return issue_token(session, "analyst", "limits test", actor=NodeSelf("test"))


@pytest.mark.parametrize("path", ["/seizures/import", "/api/v1/seizures/imports"])
def test_anonymous_upload_refused_before_any_body_is_read(
    small_upload_app: FastAPI, path: str
) -> None:
    status, pulled, body = streamed_post(small_upload_app, path, size=4 * MB)
    assert pulled == 0
    if path.startswith("/api/"):
        assert status == 401
        assert_error_shape(json.loads(body), 401, "not-authenticated")
    else:
        assert status == 303  # to the login page


def test_anonymous_upload_with_wrong_token_refused_before_any_body_is_read(
    small_upload_app: FastAPI,
) -> None:
    status, pulled, _body = streamed_post(
        small_upload_app,
        "/api/v1/seizures/imports",
        size=4 * MB,
        headers={"Authorization": "Bearer alz_not-a-token"},
    )
    assert (status, pulled) == (401, 0)


def test_chunked_upload_over_the_limit_stops_at_the_limit(
    small_upload_app: FastAPI, analyst_token: str
) -> None:
    status, pulled, body = streamed_post(
        small_upload_app,
        "/api/v1/seizures/imports",
        size=5 * MB,
        headers={"Authorization": f"Bearer {analyst_token}"},
    )
    assert status == 413
    assert_error_shape(json.loads(body), 413, "too-large")
    # 1 MiB allowed + 64 KiB of form overhead, plus the chunk that crossed it
    assert pulled <= MB + 64 * 1024 + 64 * 1024 + len(multipart_head())


def test_declared_length_over_the_limit_refused_unread(
    small_upload_app: FastAPI, analyst_token: str
) -> None:
    status, pulled, body = streamed_post(
        small_upload_app,
        "/api/v1/seizures/imports",
        size=5 * MB,
        headers={"Authorization": f"Bearer {analyst_token}"},
        declare_length=True,
    )
    assert (status, pulled) == (413, 0)
    assert_error_shape(json.loads(body), 413, "too-large")


def test_small_route_caps_bodies_at_the_small_limit(
    small_upload_app: FastAPI, analyst_token: str
) -> None:
    status, pulled, _body = streamed_post(
        small_upload_app,
        "/api/v1/risk/scores",
        size=2 * MB,
        headers={"Authorization": f"Bearer {analyst_token}"},
        content_type="application/json",
    )
    assert status == 413
    assert pulled <= SMALL_BODY_BYTES + 64 * 1024 + len(multipart_head())


def test_signed_endpoint_body_capped_at_package_limit(small_upload_app: FastAPI) -> None:
    """The exchange endpoint takes anonymous bodies (the signature authenticates), but only up
    to a package's size; here a declared 30 MB is refused unread."""
    status, pulled, body = streamed_post(
        small_upload_app,
        "/api/v1/exchange/packages",
        size=30 * MB,
        declare_length=True,
        content_type="application/zip",
    )
    assert (status, pulled) == (413, 0)
    assert_error_shape(json.loads(body), 413, "too-large")


def test_upload_within_the_limit_still_imports(
    client: TestClient, web_db: Database, tmp_path: Path
) -> None:
    with web_db.transaction() as session:
        token = issue_token(session, "analyst", "limits test", actor=NodeSelf("test"))
    response = client.post(
        "/api/v1/seizures/imports",
        headers={"Authorization": f"Bearer {token}"},
        files={"file": ("tiny.csv", b"not,a,seizure,file\n1,2,3,4\n", "text/csv")},
    )
    assert response.status_code in (200, 422)  # the importer ran and answered
    assert response.json().get("error", {}).get("code", "import-rejected") == "import-rejected"
