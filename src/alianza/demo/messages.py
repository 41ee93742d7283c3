"""The demo's own messages (catalogue entries; Spanish in the catalogue's .po file)."""

from __future__ import annotations

from alianza.catalogue import declare

DEMO_LOOPBACK = declare(
    "cli.demo-loopback", "the demo serves on loopback only, not {host} (127.0.0.1, ::1, localhost)"
)
NODE_DID_NOT_START = declare("demo.node-did-not-start", "the node at {url} did not start")
