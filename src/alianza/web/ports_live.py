"""The background part of a serving node's life: the alert hub, the port alerts' outbox
delivery worker and the reporting-cycle messages' delivery loop, started with the app
(lifespan) and stopped with it."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from fastapi import FastAPI

from alianza.db import Database
from alianza.exchange.keys import NodeKeyError, NodeKeys, load_node_keys
from alianza.exchange.partners import BadPartnerUrl
from alianza.liaison.directory import sharing_of
from alianza.liaison.live import AlertHub, run_delivery
from alianza.liaison.notify import notifier_of
from alianza.liaison.transport import HttpTransport, Transport, partner_alert_url
from alianza.pme.cycle_transport import run_cycle_delivery
from alianza.settings import Settings

log = logging.getLogger("alianza.ports")


def node_keys(settings: Settings) -> NodeKeys | None:
    try:
        return load_node_keys(settings)
    except (NodeKeyError, OSError, ValueError):
        return None


def partner_transport(
    settings: Settings, keys: NodeKeys | None, database: Database
) -> Transport | None:
    """Signed HTTP delivery to the partner's registered endpoint, else to
    ``ALIANZA_PORTS_PARTNER_URL`` (None without keys or a valid URL)."""
    if keys is None:
        return None
    partner = "MX" if keys.identity.country == "US" else "US"
    try:
        url = partner_alert_url(database, partner, settings.ports_partner_url)
    except BadPartnerUrl as error:
        log.error("port alerts stay queued: %s", error)
        return None
    return HttpTransport(keys, {partner: url}) if url else None


@contextlib.asynccontextmanager
async def ports_lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = app.state.settings
    hub = AlertHub(app.state.database)
    wake = asyncio.Event()
    keys = node_keys(settings)
    app.state.alert_hub = hub
    app.state.delivery_wake = wake
    app.state.delivery_loop = asyncio.get_running_loop()
    tasks = [
        asyncio.create_task(hub.run(), name="alert-hub"),
        asyncio.create_task(
            run_delivery(
                app.state.database,
                partner_transport(settings, keys, app.state.database),
                node_country=keys.identity.country if keys else None,
                escalate_after=timedelta(minutes=settings.ports_escalate_minutes),
                wake=wake,
                notify=hub.notify,
                notifier=notifier_of(settings),
                sharing=sharing_of(settings),
            ),
            name="ports-delivery",
        ),
        asyncio.create_task(
            run_cycle_delivery(app.state.database, settings, interval=settings.cycle_send_seconds),
            name="cycle-delivery",
        ),
    ]
    try:
        yield
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task


def after_write(app: FastAPI, *, deliver: bool = False) -> None:
    """A request changed alerts: tell the hub (and the delivery worker) now."""
    hub: AlertHub | None = getattr(app.state, "alert_hub", None)
    if hub is not None:
        hub.notify()
    loop = getattr(app.state, "delivery_loop", None)
    if deliver and loop is not None:
        loop.call_soon_threadsafe(app.state.delivery_wake.set)
