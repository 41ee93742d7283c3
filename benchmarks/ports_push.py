"""Server push under load: 200 SSE clients on `alianza serve` while 50 alerts/s arrive for 60 s.

One receiving node (MX) runs `alianza serve` in a subprocess with its own database and keys,
trusting a US key made for the run. This script plays the US node: alerts fall due at a fixed
rate and a sender POSTs them as signed batches to /api/v1/ports/messages the way the US
delivery worker does (one POST at a time with every alert due by then; ``--senders N`` instead
keeps N single-alert POSTs in flight); N asyncio clients hold GET /ports/alerts/stream open
with a logged-in MX official's session. Latency is from the moment an alert is due (open loop:
each alert is due at its time, whether or not earlier POSTs have answered) to the moment a
client reads the event (one clock, one machine). Every client must get every alert exactly
once (zero loss, no duplicate). The server and this script share the machine's CPUs.

    .venv/bin/python benchmarks/ports_push.py [--clients 200] [--rate 50] [--seconds 60]
        [--database-url postgresql+psycopg://…/postgres]   # the MX node on a fresh PG database
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from alianza.accounts.permissions import Country, Role
from alianza.accounts.service import create_user
from alianza.actors import NodeSelf
from alianza.db import Database
from alianza.exchange.keys import create_node_keys
from alianza.exchange.partners import trust_partner
from alianza.liaison.signing import ENDPOINT, sign_batch

PASSWORD = "bench password 1234"
ALERT_ID = re.compile(rb'"alert":\{"id":"([0-9a-f-]{36})"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def message(number: int) -> dict[str, object]:
    alert_id = str(uuid.uuid4())
    return {
        "kind": "alert",
        "message_id": alert_id,
        "alert": {
            "id": alert_id,
            "us_port_code": "2504",
            "from_country": "US",
            "template": "lane-closure",
            "details": {"lanes": "2", "until": f"bench {number}"},
            "free_text": "",
            "created_at": datetime.now(UTC).isoformat(),
            "created_by": "bench",
            "nominal": {},
        },
    }


async def client(
    url: str, cookie: str, received: dict[str, float], ready: asyncio.Event, counts: list[int]
) -> None:
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port), limit=1 << 20)
    writer.write(
        (
            f"GET /ports/alerts/stream HTTP/1.1\r\nHost: {host}\r\nCookie: {cookie}\r\n"
            "Accept: text/event-stream\r\n\r\n"
        ).encode()
    )
    await writer.drain()
    counts[0] += 1
    if counts[0] == counts[1]:
        ready.set()
    while True:
        line = await reader.readline()
        if not line:
            return
        if line.startswith(b"data: "):
            match = ALERT_ID.search(line)
            if match:
                alert_id = match[1].decode()
                if alert_id in received:
                    counts[2] += 1  # duplicate
                received[alert_id] = time.perf_counter()


def _stop(_signum: int, _frame: object) -> None:
    raise SystemExit(143)  # SIGTERM: run the finally blocks (stop the server)


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rate", type=float, default=50.0, help="alerts per second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--database-url", help="PostgreSQL server URL (default: SQLite file)")
    parser.add_argument(
        "--senders",
        type=int,
        default=1,
        help="1: batches like the delivery worker; N: N single-alert POSTs in flight",
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="alianza-push-"))
    created = None
    if args.database_url:
        created = f"alianza_push_{uuid.uuid4().hex[:8]}"
        server = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{created}"'))
        url = make_url(args.database_url).set(database=created).render_as_string(False)
    else:
        url = f"sqlite:///{home / 'mx.db'}"
    database = Database(url)
    database.migrate()
    mx_keys = create_node_keys(home, name="Nodo MX", country="MX")
    us_keys = create_node_keys(home / "us", name="US node", country="US")
    with database.transaction() as session:
        trust_partner(
            session,
            us_keys.identity,
            own_fingerprint=mx_keys.identity.fingerprint,
            actor=NodeSelf("benchmark"),
        )
        create_user(
            session,
            username="oficial_mx",
            password=PASSWORD,
            role=Role.LIAISON,
            country=Country.MX,
            agency="ANAM",
            actor=NodeSelf("benchmark"),
        )
    database.dispose()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "ALIANZA_HOME": str(home), "ALIANZA_DATABASE_URL": url}
    env["ALIANZA_ENV"] = "test"
    with (home / "serve.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "alianza", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        run(args, base, us_keys, home)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        if created:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)'))
            server.dispose()


def run(args: argparse.Namespace, base: str, us_keys: object, home: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/login", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, (home / "serve.log").read_text()
        time.sleep(0.2)
    with httpx.Client(base_url=base) as web:
        token = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/login").text)
        assert token
        answer = web.post(
            "/login",
            data={"username": "oficial_mx", "password": PASSWORD, "csrf_token": token[1]},
        )
        assert answer.status_code == 303, answer.text
        cookie = "; ".join(f"{k}={v}" for k, v in web.cookies.items())
    total = int(args.rate * args.seconds)
    sent: dict[str, float] = {}
    post_ms: list[float] = []
    batch_sizes: list[int] = []
    received = [dict[str, float]() for _ in range(args.clients)]
    counts = [0, args.clients, 0]  # connected, wanted, duplicates
    failures: list[str] = []

    def post(poster: httpx.Client, numbers: list[int], due: list[float]) -> None:
        payloads = [message(n) for n in numbers]
        body, headers = sign_batch(us_keys, "MX", payloads)  # type: ignore[arg-type]
        for payload, when in zip(payloads, due, strict=True):
            sent[str(payload["message_id"])] = when  # latency counts the wait for a sender
        for _attempt in range(5):  # as the outbox does: a 5xx or no answer is sent again
            try:
                response = poster.post(base + ENDPOINT, content=body, headers=headers, timeout=60)
            except httpx.TransportError as error:
                failures.append(repr(error))
                continue
            if response.status_code < 500:
                break
            failures.append(f"{response.status_code} {response.text[:200]}")
            time.sleep(0.5)
        batch_sizes.append(len(numbers))
        post_ms.extend((time.perf_counter() - when) * 1000 for when in due)

    def produce(began: list[float]) -> None:
        """Open loop: alert i is due at start + i / rate. With --senders 1 (default) this is
        the US node's delivery worker: one POST at a time carrying every alert due by then
        (a slow answer makes the next batch bigger, not later). --senders N: N POSTs in flight,
        one alert each."""
        interval = 1 / args.rate
        limits = httpx.Limits(max_connections=max(1, args.senders))
        with httpx.Client(limits=limits) as poster, ThreadPoolExecutor(args.senders) as pool:
            start = began[0] = time.perf_counter()
            if args.senders > 1:
                for i in range(total):
                    due = start + i * interval
                    pause = due - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    pool.submit(post, poster, [i], [due])
            else:
                i = 0
                while i < total:
                    pause = start + i * interval - time.perf_counter()
                    if pause > 0:
                        time.sleep(pause)
                    last = min(total, int((time.perf_counter() - start) / interval) + 1)
                    numbers = list(range(i, max(last, i + 1)))
                    post(poster, numbers, [start + n * interval for n in numbers])
                    i = numbers[-1] + 1
            began.append(time.perf_counter())

    async def scenario() -> float:
        ready = asyncio.Event()
        tasks = [
            asyncio.create_task(client(base, cookie, received[i], ready, counts))
            for i in range(args.clients)
        ]
        await asyncio.wait_for(ready.wait(), 60)
        await asyncio.sleep(2.0)  # every stream subscribed
        print(f"{counts[0]} clients connected; sending", file=sys.stderr, flush=True)
        began: list[float] = [0.0]
        producer = threading.Thread(target=produce, args=(began,))
        producer.start()
        tick = time.perf_counter()
        while producer.is_alive():
            await asyncio.sleep(0.2)
            if time.perf_counter() - tick > 10:
                tick = time.perf_counter()
                slowest = min(len(r) for r in received)
                print(
                    f"  sent {len(sent)}, slowest client has {slowest}", file=sys.stderr, flush=True
                )
        wait_until = time.perf_counter() + 60
        while time.perf_counter() < wait_until:
            if all(len(r) >= total for r in received):
                break
            await asyncio.sleep(0.2)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        return began[-1] - began[0]

    elapsed = asyncio.run(scenario())
    latencies = [
        (at - sent[alert_id]) * 1000
        for per_client in received
        for alert_id, at in per_client.items()
        if alert_id in sent
    ]
    lost = sum(len(set(sent) - set(r)) for r in received)
    print(f"SSE clients              {args.clients:>10,}   target 200")
    print(f"alerts sent              {len(sent):>10,}   target {total:,} ({args.seconds:.0f} s)")
    print(f"offered rate             {len(sent) / elapsed:>10.1f}/s target {args.rate:.0f}/s")
    print(f"POSTs sent again         {len(failures):>10,}   {failures[:1]}")
    print(f"events expected          {len(sent) * args.clients:>10,}")
    print(f"events received          {len(latencies):>10,}")
    print(f"lost (client × alert)    {lost:>10,}   target 0")
    print(f"duplicates               {counts[2]:>10,}   target 0")
    print(f"push latency p50         {percentile(latencies, 0.5):>10.1f} ms")
    print(f"push latency p99         {percentile(latencies, 0.99):>10.1f} ms")
    print(f"push latency max         {max(latencies):>10.1f} ms")
    p50, p99 = percentile(post_ms, 0.5), percentile(post_ms, 0.99)
    mean_batch = sum(batch_sizes) / len(batch_sizes)
    biggest = max(batch_sizes)
    print(
        f"POSTs, alerts per POST   {len(batch_sizes):>10,}   mean {mean_batch:.1f}, max {biggest}"
    )
    print(f"POST answered p50 / p99   {p50:>6.1f} / {p99:.1f} ms")
    backend = "PostgreSQL" if args.database_url else "SQLite file"
    print(f"backend                  {backend}; `alianza serve` (1 worker) + this script, loopback")
    print(
        f"senders                  {args.senders:>10}   (1: batches as the delivery worker sends)"
    )


if __name__ == "__main__":
    main()
