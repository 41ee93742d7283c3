"""Whether this node has the optional ``risk`` extra (LightGBM): one check for the CLI, the
web app and the demo. Looked up without importing it (LightGBM takes about a second to load)."""

from __future__ import annotations

from importlib.util import find_spec

INSTALL = "pip install 'alianza[risk]'"
EXTRA = "the risk commands need the optional extra: pip install 'alianza[risk]'"  # CLI and demo


def installed() -> bool:
    """True when LightGBM can be imported (NumPy is a base dependency)."""
    try:
        return find_spec("lightgbm") is not None
    except (ImportError, ValueError):  # a broken or half-removed install
        return False
