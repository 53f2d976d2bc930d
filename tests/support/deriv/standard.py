"""The standard test accounts (a trading token and a read-only one) and a server started with them, shared by
the ``deriv_server`` fixture and by tests that need other server settings."""

from __future__ import annotations

from decimal import Decimal

from tests.support.deriv.server import DerivTestServer, Grant

TRADE_TOKEN = "tok-trade-0001"
TRADE_LOGIN = "VRTC1001"
READ_TOKEN = "tok-read-0001"
READ_LOGIN = "VRTC1002"
APP_QUERY = "?app_id=1089&l=EN"  # what a client appends to DerivTestServer.url


def started_server(tick_interval: float = 0.1, idle_timeout: float = 120.0, seed: int = 7) -> DerivTestServer:
    """A started server holding the two standard tokens; the caller stops it."""
    server = DerivTestServer(tick_interval=tick_interval, idle_timeout=idle_timeout, seed=seed).start()
    trade = Grant(TRADE_LOGIN, "USD", True, ("read", "trade", "trading_information"), Decimal(10000))
    server.add_token(TRADE_TOKEN, trade)
    server.add_token(READ_TOKEN, Grant(READ_LOGIN, "USD", True, ("read",), Decimal(10000)))
    return server
