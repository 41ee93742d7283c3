"""Prometheus metrics (``GET /metrics``), through the maintained ``prometheus_client``.

Counters live in the process's default registry: the web app's requests
(:mod:`alianza.operations.access`) and the domain events that matter to an operator (seizure
rows imported, exchange packages sent, received and refused). Gauges that describe the database
(the ports alert outbox) are computed at scrape time by :class:`DatabaseCollector`.

Several worker processes: set ``PROMETHEUS_MULTIPROC_DIR`` to an empty folder writable by the
node before starting; ``/metrics`` then adds up every worker's counters.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from alianza.db import Database

HTTP_REQUESTS = Counter(
    "alianza_http_requests",
    "HTTP requests served, by route template, method and status code.",
    ["route", "method", "status"],
)
HTTP_DURATION = Histogram(
    "alianza_http_request_duration_seconds",
    "Time to serve an HTTP request (to the end of the response body), by route template.",
    ["route", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
SEIZURE_ROWS = Counter(
    "alianza_seizure_import_rows",
    "Seizure rows imported, by outcome (loaded, unchanged, quarantined).",
    ["outcome"],
)
SEIZURE_IMPORTS = Counter("alianza_seizure_imports", "Seizure files imported.")
EXCHANGE_PACKAGES = Counter(
    "alianza_exchange_packages",
    "Exchange packages by event: sent (delivered to the partner), received (verified and "
    "stored) or refused (failed verification; see code).",
    ["event", "code"],
)


def count_seizure_import(loaded: int, unchanged: int, quarantined: int) -> None:
    SEIZURE_IMPORTS.inc()
    SEIZURE_ROWS.labels("loaded").inc(loaded)
    SEIZURE_ROWS.labels("unchanged").inc(unchanged)
    SEIZURE_ROWS.labels("quarantined").inc(quarantined)


def count_exchange(event: str, code: str = "ok") -> None:
    EXCHANGE_PACKAGES.labels(event, code).inc()


class DatabaseCollector(Collector):
    """Gauges read from the node's database when Prometheus scrapes."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def collect(self) -> Iterator[Metric]:
        from alianza.liaison.models import OutboxMessage

        with self.database.reader() as session:
            waiting = session.scalar(
                select(func.count()).where(OutboxMessage.delivered_at.is_(None))
            )
        outbox = GaugeMetricFamily(
            "alianza_ports_outbox_waiting",
            "Port alerts and acknowledgements waiting in the outbox for the partner node.",
        )
        outbox.add_metric([], float(waiting or 0))
        yield outbox


def render_metrics(database: Database) -> tuple[bytes, str]:
    """The metrics page and its content type."""
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
    else:
        registry.register(_Delegate(REGISTRY))
    registry.register(DatabaseCollector(database))
    return generate_latest(registry), CONTENT_TYPE_LATEST


class _Delegate(Collector):
    def __init__(self, registry: CollectorRegistry) -> None:
        self.registry = registry

    def collect(self) -> Iterator[Metric]:
        yield from self.registry.collect()
