"""The demo's two nodes with the US node's database on PostgreSQL (issue 19: the web at 50 users
on a PostgreSQL node).

``alianza demo`` builds embedded (SQLite) nodes only. This runs the same demo steps
(:func:`alianza.demo.run.run_demo`, without serving), with the US node's database at ``--url``
instead of its SQLite file; the MX node stays embedded. Point it at a database that already
holds generated events (``generate_node.py --url URL``) to serve a node of that size with the
demo's accounts, plan, ports and cooperation data, then serve it with the same URL:

    .venv/bin/python benchmarks/demo_postgres.py --dir /tmp/pgweb \\
        --url postgresql+psycopg://postgres:postgres@127.0.0.1:5432/alianza_n10m
    ALIANZA_DATABASE_URL=postgresql+psycopg://postgres:postgres@127.0.0.1:5432/alianza_n10m \\
        .venv/bin/python benchmarks/web_load.py --node /tmp/pgweb --workers 2 --cold
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from alianza.db import open_database  # noqa: E402
from alianza.demo import run  # noqa: E402
from alianza.demo.nodes import Node, prepare_node  # noqa: E402
from alianza.settings import load_settings  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="folder of the two nodes")
    parser.add_argument("--url", required=True, help="PostgreSQL URL of the US node's database")
    args = parser.parse_args()

    def prepared(home: Path, country: str, *, env: str = "development") -> Node:
        node = prepare_node(home, country, env=env)
        if country != "US":
            return node
        node.database.dispose()
        settings = load_settings(home=home.resolve(), database_url=args.url, env=env)
        return Node(country, home, settings, open_database(settings), node.keys)

    run.prepare_node = prepared  # type: ignore[assignment]
    run.run_demo(args.dir, no_serve=True, host="127.0.0.1", port=8000)


if __name__ == "__main__":
    main()
