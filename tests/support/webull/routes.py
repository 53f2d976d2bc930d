"""Every path the fake serves, with its rate-limit group and whether it needs a NORMAL token. The paths
are those of the official SDK 3.x request classes (webull/trade/request/v3, webull/data/request, ...)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from tests.support.webull import handlers_account, handlers_auth, handlers_market, handlers_orders, handlers_queries
from tests.support.webull.calls import Call
from tests.support.webull.wire import JSON


@dataclass(frozen=True)
class Route:
    handler: Callable[[Call], JSON]
    limit: str | None  # rate-limit group (ratelimit.DEFAULT_LIMITS); "order-write" is split by market
    needs_token: bool = True
    paged_by_version: bool = False  # x-version v2 selects the older list + page_size answer


_TOKEN_FREE = {"needs_token": False}

ROUTES: dict[tuple[str, str], Route] = {
    # webull/core/http/initializer: config and the 2FA token (SDK paths, and the reference's /openapi/ ones).
    ("GET", "/openapi/config"): Route(handlers_auth.config, None, **_TOKEN_FREE),
    ("POST", "/auth/tokens/create"): Route(handlers_auth.create_token, "token", **_TOKEN_FREE),
    ("POST", "/auth/tokens/check"): Route(handlers_auth.check_token, "token", **_TOKEN_FREE),
    ("POST", "/openapi/auth/token/create"): Route(handlers_auth.create_token, "token", **_TOKEN_FREE),
    ("POST", "/openapi/auth/token/check"): Route(handlers_auth.check_token, "token", **_TOKEN_FREE),
    # webull/trade/request/v2: accounts and assets.
    ("GET", "/trading/accounts/list"): Route(handlers_account.accounts, "account"),
    ("GET", "/trading/assets/balances/get"): Route(handlers_account.balance, "account"),
    ("GET", "/trading/assets/positions/list"): Route(handlers_account.positions, "account"),
    # webull/data/request/get_instruments_request_v2.py
    ("GET", "/trading/instruments/stocks/profiles/list"): Route(handlers_account.instruments, "instruments"),
    # webull/data/request: snapshot, depth ("quotes") and batch bars.
    ("GET", "/market-data/stocks/snapshots/list"): Route(handlers_market.snapshot, "market-data"),
    ("GET", "/market-data/stocks/depths/list"): Route(handlers_market.depth, "market-data"),
    ("POST", "/market-data/stocks/bars/list"): Route(handlers_market.bars, "market-data"),
    # webull/trade/request/v3: the order lifecycle and order queries.
    ("POST", "/trading/orders/preview"): Route(handlers_orders.preview, "preview"),
    ("POST", "/trading/orders/place"): Route(handlers_orders.place, "order-write"),
    ("POST", "/trading/orders/replace"): Route(handlers_orders.replace, "order-write"),
    ("POST", "/trading/orders/cancel"): Route(handlers_orders.cancel, "order-write"),
    ("GET", "/trading/orders/get"): Route(handlers_queries.detail, "order-query"),
    ("GET", "/trading/orders/open-orders/list"): Route(
        handlers_queries.open_orders, "order-query", paged_by_version=True
    ),
    ("GET", "/trading/orders/historical-orders/list"): Route(
        handlers_queries.history, "order-query", paged_by_version=True
    ),
}

PATHS = frozenset(path for _, path in ROUTES)
