"""`alianza serve` beyond loopback: it refuses without the node's session key and TLS, in the
user's language (English or Spanish), without starting; with a key and a certificate it serves
HTTPS (issue 15). Each command runs in a subprocess with a time limit: a server that started
would be caught by the limit instead of hanging the test."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import ssl
import subprocess
import sys
import time
from pathlib import Path

import httpx2 as httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.ports.nodes import free_port


def alianza(home: Path, *args: str, language: str = "en") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIANZA_")}
    env.update(ALIANZA_HOME=str(home), ALIANZA_ENV="development", ALIANZA_LANGUAGE=language)
    return subprocess.run(
        [sys.executable, "-m", "alianza", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def self_signed(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    certfile, keyfile = folder / "cert.pem", folder / "key.pem"
    certfile.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    keyfile.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return certfile, keyfile


@pytest.mark.parametrize(
    ("language", "said"),
    [("en", "refusing to listen on 0.0.0.0"), ("es", "no se escucha en 0.0.0.0")],
)
def test_serve_beyond_loopback_without_a_session_key_refuses(
    tmp_path: Path, language: str, said: str
) -> None:
    port = str(free_port())
    result = alianza(tmp_path, "serve", "--host", "0.0.0.0", "--port", port, language=language)
    assert result.returncode == 1
    assert said in result.stderr
    assert "session.key" in result.stderr
    assert not (tmp_path / "keys" / "session.key").exists()


@pytest.mark.parametrize(
    ("extra", "english", "spanish"),
    [
        ([], "without TLS", "sin TLS"),
        (["--certfile", "CERT"], "--certfile and --keyfile go together", "van juntos"),
        (["--behind-proxy", "proxy.example"], "not an IP address", "no es una dirección"),
    ],
    ids=["no-tls", "cert-without-key", "proxy-by-name"],
)
def test_serve_beyond_loopback_needs_tls_or_a_named_proxy(
    tmp_path: Path, extra: list[str], english: str, spanish: str
) -> None:
    assert alianza(tmp_path, "node", "session-key").returncode == 0
    certfile, _keyfile = self_signed(tmp_path)
    args = [str(certfile) if arg == "CERT" else arg for arg in extra]
    serve = ["serve", "--host", "0.0.0.0", "--port", str(free_port()), *args]
    result = alianza(tmp_path, *serve)
    assert result.returncode != 0
    assert english in result.stderr
    assert spanish not in result.stderr
    result = alianza(tmp_path, *serve, language="es")
    assert result.returncode != 0
    assert spanish in result.stderr
    assert english not in result.stderr


def test_serve_with_a_key_and_a_certificate_listens_with_tls(tmp_path: Path) -> None:
    assert alianza(tmp_path, "node", "session-key").returncode == 0
    assert (tmp_path / "keys" / "session.key").stat().st_mode & 0o777 == 0o600
    certfile, keyfile = self_signed(tmp_path)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIANZA_")}
    env.update(ALIANZA_HOME=str(tmp_path), ALIANZA_ENV="development")
    command = [sys.executable, "-m", "alianza", "serve", "--host", "0.0.0.0", "--port"]
    command += [str(port), "--certfile", str(certfile), "--keyfile", str(keyfile)]
    trusting = ssl.create_default_context(cafile=str(certfile))
    log = tmp_path / "serve.log"
    with log.open("wb") as output:  # the child keeps its own copy
        process = subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, log.read_text()
            try:
                response = httpx.get(f"https://127.0.0.1:{port}/login", verify=trusting)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline, "the TLS server did not start"
                time.sleep(0.2)
        assert response.status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_session_key_is_not_overwritten_without_rotate(tmp_path: Path) -> None:
    assert alianza(tmp_path, "node", "session-key").returncode == 0
    first = (tmp_path / "keys" / "session.key").read_text()
    again = alianza(tmp_path, "node", "session-key")
    assert again.returncode == 1
    assert "already has a session key" in again.stderr
    assert alianza(tmp_path, "node", "session-key", "--rotate").returncode == 0
    assert (tmp_path / "keys" / "session.key").read_text() != first
