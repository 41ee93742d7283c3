"""The leak hunt against two running nodes (see docs/leak-hunt.md).

    python scripts/leak_hunt.py --us http://127.0.0.1:8000 --mx http://127.0.0.1:8001 \
        --us-db sqlite:///alianza-demo/us/alianza.db --mx-db sqlite:///alianza-demo/mx/alianza.db \
        --password alianza-demo-2026 --plant

Exit status 1 when a sentinel of one node is found on the other (pages, API, downloads,
exchange packages, database).
"""

from __future__ import annotations

import sys

from alianza.demo.nodes import ACCOUNTS
from alianza.leak_hunt import main

if __name__ == "__main__":
    sys.exit(main(accounts={c: [a[0] for a in ACCOUNTS[c]] for c in ("US", "MX")}))
