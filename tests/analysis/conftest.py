"""The two-node fixtures of the exchange tests."""

from tests.exchange.conftest import mx_node, us_node

__all__ = ["mx_node", "us_node"]
