"""Which handler answers which method and path."""

from __future__ import annotations

from collections.abc import Callable

from tests.support.longbridge import handlers
from tests.support.longbridge.calls import Call
from tests.support.longbridge.wire import JSON

Handler = Callable[[Call], JSON]

ROUTES: dict[tuple[str, str], Handler] = {
    ("GET", "/v1/token/refresh"): handlers.refresh_token,
    ("GET", "/v1/socket/token"): handlers.socket_token,
    ("GET", "/v1/watchlist/groups"): handlers.watchlist_groups,
    ("POST", "/v1/trade/order"): handlers.submit_order,
    ("PUT", "/v1/trade/order"): handlers.replace_order,
    ("DELETE", "/v1/trade/order"): handlers.cancel_order,
    ("GET", "/v1/trade/order"): handlers.order_detail,
    ("GET", "/v1/trade/order/today"): handlers.today_orders,
    ("GET", "/v1/trade/order/history"): handlers.history_orders,
    ("GET", "/v1/trade/execution/today"): handlers.today_executions,
    ("GET", "/v1/trade/execution/history"): handlers.history_executions,
    ("GET", "/v1/asset/account"): handlers.account_balance,
    ("GET", "/v1/asset/stock"): handlers.stock_positions,
}

PATHS = frozenset(path for _, path in ROUTES)
