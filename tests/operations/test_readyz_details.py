"""Red team (sec22): ``/readyz`` answers anyone (load balancers), and it told an anonymous
client on the network the database URL (user, host, database), the driver's reason, the key
folder's path and the partner's address. The details now go where ``/metrics`` goes
(``ALIANZA_METRICS_TOKEN``, else loopback); others get each check's ``ok`` and ``required``."""

from __future__ import annotations

import socket
from pathlib import Path

from alianza.db import Database
from tests.operations.test_observability import make_client


def test_readyz_details_only_for_loopback_or_the_metrics_token(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    database = Database(f"postgresql+psycopg://alianza_ops@db-internal.example:{closed}/alianza")
    remote = make_client(database, tmp_path, client=("10.0.0.7", 50000))
    answer = remote.get("/readyz")
    assert answer.status_code == 503
    checks = answer.json()["checks"]
    assert checks["database"] == {"ok": False, "required": True}
    assert "db-internal" not in answer.text
    assert "alianza_ops" not in answer.text
    assert str(tmp_path) not in answer.text
    # the operator's view: on this machine, or with the metrics token
    local = make_client(database, tmp_path).get("/readyz")
    assert "db-internal.example" in local.json()["checks"]["database"]["detail"]
    with_token = make_client(
        database, tmp_path, client=("10.0.0.7", 50000), metrics_token="s3cret-token-0123456789"
    ).get("/readyz", headers={"Authorization": "Bearer s3cret-token-0123456789"})
    assert "db-internal.example" in with_token.json()["checks"]["database"]["detail"]
