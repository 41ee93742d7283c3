"""Check that the web server can listen before starting it, so a busy port is one line."""

from __future__ import annotations

import socket

from alianza.operations.problems import PortInUse, first_line


def check_port_free(host: str, port: int) -> None:
    """Bind ``host:port`` as uvicorn will (SO_REUSEADDR) and let go; :class:`PortInUse` naming
    ``--port`` when another process holds it or the address is not this machine's."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise PortInUse(
            host=host, port=str(port), reason=first_line(error.strerror or error)
        ) from None
