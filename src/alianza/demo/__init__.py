"""``alianza demo``: two fresh embedded nodes, US and MX, with the demo data, shown, then served.

A shell, like ``alianza.cli`` and ``alianza.web`` (docs/development.md, "The import rules"): it
composes the library's service functions into a scripted tour and serves its two nodes with the
web application, so no domain package imports it. ``alianza demo`` (cli/demo.py) reads the
options and calls :func:`alianza.demo.run.run_demo`; the demo imports nothing of ``alianza.cli``.

- ``nodes``: the two nodes (home, keys, database, accounts, the MX node's sources, trust, a
  quarter's exchange, serving one with uvicorn); the tests build their nodes with it too.
- ``steps``: the numbered steps 1 to 7 and 9, each printing its section.
- ``ports``: step 5, the San Ysidro analysis and a US–MX alert exchange.
- ``risk``: step 6, shipment risk targeting (needs the ``risk`` extra).
- ``exchange``: step 8, the quarterly exchange and the co-signed joint edition.
- ``cycle``: step 9, a reporting cycle across the two nodes.
- ``run``: the whole demo in order, then the nodes served.

Importing this package loads nothing: ``alianza demo --help`` stays light (issue 18).
"""
