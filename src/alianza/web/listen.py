"""Where a node may listen, and how: the rules ``alianza serve`` applies before it starts.

On loopback (127.0.0.0/8, ::1, ``localhost``) a node serves plain HTTP and trusts no proxy
header. Beyond loopback it needs a session key of its own (``alianza node init`` or
``ALIANZA_SECRET_KEY``) and TLS: its own certificate (``--certfile`` and ``--keyfile``), or an
explicit ``--behind-proxy ADDR[,ADDR]`` naming the reverse proxies that terminate TLS and may
set ``X-Forwarded-For``/``X-Forwarded-Proto``. No other address's forwarded headers count.
A refusal is a catalogue message (keys ``serve.…``), said in the user's language.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Any

from alianza.accounts.session_key import SessionKeyError, read_session_key
from alianza.catalogue import declare
from alianza.settings import Settings

NOT_AN_ADDRESS = declare(
    "serve.not-an-address", "--behind-proxy: {address!r} is not an IP address or network"
)
CERT_WITHOUT_KEY = declare("serve.cert-without-key", "--certfile and --keyfile go together")
NO_SESSION_KEY = declare(
    "serve.no-session-key",
    "refusing to listen on {host}: this node has no session key of its own ({path}); run "
    "`alianza node init` or `alianza node session-key`",
)
NO_TLS = declare(
    "serve.no-tls",
    "refusing to listen on {host} without TLS: give --certfile and --keyfile, or --behind-proxy "
    "ADDR[,ADDR] (the reverse proxies that terminate TLS)",
)


class ServeRefused(RuntimeError):
    """The node must not listen as asked; the message (a catalogue message,
    :class:`~alianza.catalogue.Said`) says why."""


def is_loopback(host: str) -> bool:
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name other than localhost: it may resolve anywhere


def proxy_addresses(value: str | None) -> list[str]:
    """``ADDR[,ADDR]`` as a list; each an IP address or network (``10.0.0.0/24``)."""
    if not value:
        return []
    addresses = [part.strip() for part in value.split(",") if part.strip()]
    for address in addresses:
        try:
            ipaddress.ip_network(address, strict=False)
        except ValueError:
            raise ServeRefused(NOT_AN_ADDRESS.said(address=address)) from None
    return addresses


def has_own_session_key(settings: Settings) -> bool:
    if settings.secret_key:
        return True
    path = settings.session_key_file
    if not path.exists():
        return False
    try:
        read_session_key(path)
    except (SessionKeyError, OSError):
        return False
    return True


def listen_options(
    settings: Settings,
    host: str,
    *,
    certfile: Path | None = None,
    keyfile: Path | None = None,
    behind_proxy: str | None = None,
) -> dict[str, Any]:
    """The uvicorn options for listening on ``host``, or :class:`ServeRefused`."""
    proxies = proxy_addresses(behind_proxy)
    if (certfile is None) != (keyfile is None):
        raise ServeRefused(CERT_WITHOUT_KEY.said())
    if not is_loopback(host):
        if not has_own_session_key(settings):
            raise ServeRefused(NO_SESSION_KEY.said(host=host, path=settings.session_key_file))
        if certfile is None and not proxies:
            raise ServeRefused(NO_TLS.said(host=host))
    # uvicorn trusts X-Forwarded-* from 127.0.0.1 unless told otherwise: off, or the named.
    options: dict[str, Any] = {"host": host, "proxy_headers": bool(proxies)}
    if proxies:
        options["forwarded_allow_ips"] = ",".join(proxies)
    if certfile is not None and keyfile is not None:
        options["ssl_certfile"] = str(certfile)
        options["ssl_keyfile"] = str(keyfile)
    return options
