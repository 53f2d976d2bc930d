"""Sub-account endpoints (004, "Sub Account"). Demo users have none: an id that is not one of the user's own
accounts is refused (-1160 / 0104); the user's own accounts answer with their data."""

from __future__ import annotations

from terminal.demo.server import wire
from terminal.demo.server.rest_account import account_trade_rows
from terminal.demo.server.rest_call import Call, Spec
from terminal.demo.server.rest_trading import open_order_views, trade_order_views

SUB_DEFAULT, SUB_MAX = 500, 500  # "Default 500, Maximum 500"


def sub_open_orders(call: Call) -> object:
    account = call.own_account("subAccountId", required=True)
    return [wire.order_row(v) for v in open_order_views(call, account, SUB_DEFAULT, SUB_MAX)]


def sub_trade_orders(call: Call) -> object:
    account = call.own_account("subAccountId", required=True)
    return [wire.order_row(v) for v in trade_order_views(call, account, SUB_DEFAULT, SUB_MAX)]


def sub_trades(call: Call) -> object:
    """subAccountId is optional here; without it the trades of every sub account: none."""
    if "subAccountId" not in call.params:
        return []
    return account_trade_rows(call, call.own_account("subAccountId"))


SPECS: tuple[Spec, ...] = (
    Spec("GET", "/api/v1/spot/subAccount/openOrders", sub_open_orders),
    Spec("GET", "/api/v1/spot/subAccount/tradeOrders", sub_trade_orders),
    Spec("GET", "/api/v1/subAccount/trades", sub_trades),
)
