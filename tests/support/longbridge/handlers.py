"""The endpoints: token refresh, order submit / replace / cancel / detail, today's and past orders and
executions, account balance and stock positions, in the shapes of the venue's docs and SDK."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from tests.support.longbridge.calls import Call
from tests.support.longbridge.order_params import (
    REPLACE_FIELDS,
    SIDES,
    SUBMIT_FIELDS,
    check_remark,
    string_field,
    submit_ticket,
)
from tests.support.longbridge.orders import FakeOrder, OrderStatus
from tests.support.longbridge.wire import JSON, bad_parameter, decimal_string, fixed, iso, parse_iso, text

NINETY_DAYS = 90 * 24 * 3600
STATUSES = frozenset(str(status) for status in OrderStatus) | {
    "NotReported",
    "ReplacedNotReported",
    "ProtectedNotReported",
    "VarietiesNotReported",
    "WaitToNew",
    "WaitToReplace",
    "PendingReplaceStatus",
    "WaitToCancel",
    "PendingCancelStatus",
    "PartialWithdrawal",
}
MARKETS = frozenset({"HK", "US"})
CURRENCIES = frozenset({"HKD", "USD", "CNH"})


def allow_only(call: Call, names: frozenset[str]) -> None:
    """Parameters the endpoint does not have: a real server ignores them; the fake records them (typos)."""
    for name in dict.fromkeys(key for key, _ in call.query):
        if name not in names:
            call.violation(f"query parameter {name!r} is not one of this endpoint's {sorted(names)}")
    if call.record.method in ("GET", "DELETE") and call.record.body:
        call.violation("a body on a GET/DELETE request (parameters go in the query string)")


def body_fields(call: Call, names: frozenset[str]) -> dict[str, JSON]:
    if not isinstance(call.body, dict):
        call.violation("the body is not a JSON object")
        raise bad_parameter("the body must be a JSON object")
    for name in call.body:
        if name not in names:
            call.violation(f"body field {name!r} is not one of this endpoint's")
    if call.query:
        call.violation(f"query parameters {call.record.query!r} on a {call.record.method} (they go in the body)")
    return call.body


# -- token ---------------------------------------------------------------------------------------------------


def refresh_token(call: Call) -> JSON:
    allow_only(call, frozenset({"expired_at"}))
    value = call.value("expired_at")
    if not value:
        raise bad_parameter("expired_at (ISO 8601) is required")
    try:
        expires_at = parse_iso(value)
    except ValueError:
        raise bad_parameter(f"expired_at {value!r} is not ISO 8601") from None
    state = call.state
    if expires_at <= state.clock():
        raise bad_parameter("expired_at is in the past")
    record = state.tokens.issue(expires_at)
    state.tokens.invalidate(call.token)
    account = state.account
    return {
        "token": record.token,
        "expired_at": iso(record.expires_at),
        "issued_at": iso(record.issued_at),
        "account_info": {"member_id": account.member_id, "aaid": account.aaid, "account_channel": "lb"},
    }


def socket_token(call: Call) -> JSON:
    """The one-time password the quote SDK asks for before it opens the quote socket (signed like any call)."""
    allow_only(call, frozenset())
    return {"otp": f"otp-{call.token[-6:]}", "limit": 10, "online": 0}


def watchlist_groups(call: Call) -> JSON:
    """The user's watchlist groups (the quote SDK's ``watchlist()``)."""
    allow_only(call, frozenset())
    groups = [
        {
            "id": str(number),
            "name": name,
            "securities": [
                {
                    "symbol": symbol,
                    "market": symbol.rsplit(".", 1)[-1],
                    "name": symbol,
                    "watched_price": "",
                    "watched_at": "1700000000",
                }
                for symbol in symbols
            ],
        }
        for number, (name, symbols) in enumerate(call.state.watchlist, start=1)
    ]
    return {"groups": groups}


# -- orders --------------------------------------------------------------------------------------------------


def submit_order(call: Call) -> JSON:
    fields = body_fields(call, SUBMIT_FIELDS)
    for name in ("submitted_quantity", "submitted_price"):
        if isinstance(fields.get(name), int | float):
            call.violation(f"{name} sent as a JSON number (the venue takes decimals as strings)")
    order = call.state.engine.submit(submit_ticket(fields, call.state.market))
    return {"order_id": order.order_id}


def replace_order(call: Call) -> JSON:
    fields = body_fields(call, REPLACE_FIELDS)
    order_id = string_field(fields, "order_id")
    quantity = decimal_string(fields, "quantity", required=True)
    assert quantity is not None
    price = decimal_string(fields, "price", required=False)
    remark = check_remark(fields) if "remark" in fields else None
    call.state.engine.replace(order_id, quantity, price, remark)
    return {}


def cancel_order(call: Call) -> JSON:
    allow_only(call, frozenset({"order_id"}))
    order_id = call.value("order_id")
    if not order_id:
        raise bad_parameter("order_id is required")
    call.state.engine.cancel(order_id)
    return {}


def order_detail(call: Call) -> JSON:
    allow_only(call, frozenset({"order_id"}))
    order_id = call.value("order_id")
    if not order_id:
        raise bad_parameter("order_id is required")
    return call.state.engine.find(order_id).detail()


def same_day(moment: float, now: float) -> bool:
    return datetime.fromtimestamp(moment, UTC).date() == datetime.fromtimestamp(now, UTC).date()


def order_filter(call: Call) -> list[FakeOrder]:
    """The filters today's and past orders share: symbol, status (repeated), side, market."""
    statuses = call.values("status")
    for status in statuses:
        if status not in STATUSES:
            raise bad_parameter(f"status {status!r} is not an order status")
    side, market, symbol = call.value("side"), call.value("market"), call.value("symbol")
    if side is not None and side not in SIDES:
        raise bad_parameter(f"side {side!r} is not Buy or Sell")
    if market is not None and market not in MARKETS:
        raise bad_parameter(f"market {market!r} is not HK or US")
    return [
        order
        for order in call.state.account.orders.values()
        if (not statuses or str(order.status) in statuses)
        and (side is None or order.side == side)
        and (market is None or order.instrument.market == market)
        and (symbol is None or order.symbol == symbol)
    ]


def time_range(call: Call) -> tuple[float, float]:
    """``start_at`` / ``end_at`` in Unix seconds; 90 days either way when one is missing."""
    bounds: dict[str, float | None] = {}
    for name in ("start_at", "end_at"):
        value = call.value(name)
        if value is None:
            bounds[name] = None
        elif value.isdigit():
            bounds[name] = float(value)
        else:
            raise bad_parameter(f"{name} {value!r} is not a Unix timestamp in seconds")
    start, end = bounds["start_at"], bounds["end_at"]
    if end is None:
        end = call.state.clock() if start is None else start + NINETY_DAYS
    if start is None:
        start = end - NINETY_DAYS
    if start > end:
        raise bad_parameter("start_at is after end_at")
    return start, end


def today_orders(call: Call) -> JSON:
    allow_only(call, frozenset({"symbol", "status", "side", "market", "order_id"}))
    now, order_id = call.state.clock(), call.value("order_id")
    orders = [
        order
        for order in order_filter(call)
        if (same_day(order.submitted_at, now) or order.is_open) and (order_id is None or order.order_id == order_id)
    ]
    return {"orders": [order.wire() for order in orders]}


def history_orders(call: Call) -> JSON:
    allow_only(call, frozenset({"symbol", "status", "side", "market", "start_at", "end_at"}))
    start, end = time_range(call)
    orders = [order for order in order_filter(call) if start <= order.submitted_at <= end]
    return {"has_more": False, "orders": [order.wire() for order in orders]}


def today_executions(call: Call) -> JSON:
    allow_only(call, frozenset({"symbol", "order_id"}))
    now, symbol, order_id = call.state.clock(), call.value("symbol"), call.value("order_id")
    trades = [
        trade
        for trade in call.state.account.executions
        if same_day(trade.trade_done_at, now)
        and (symbol is None or trade.symbol == symbol)
        and (order_id is None or trade.order_id == order_id)
    ]
    return {"trades": [trade.wire() for trade in trades]}


def history_executions(call: Call) -> JSON:
    allow_only(call, frozenset({"symbol", "start_at", "end_at"}))
    start, end = time_range(call)
    symbol = call.value("symbol")
    trades = [
        trade
        for trade in call.state.account.executions
        if start <= trade.trade_done_at <= end and (symbol is None or trade.symbol == symbol)
    ]
    return {"has_more": False, "trades": [trade.wire() for trade in trades]}


# -- assets --------------------------------------------------------------------------------------------------


def money(value: Decimal) -> str:
    return fixed(value, "0.01")


def currency_of(call: Call, symbol: str) -> str | None:
    instrument = call.state.market.instrument(symbol)
    return instrument.currency if instrument else None


def account_balance(call: Call) -> JSON:
    """One ``AccountBalance`` per currency of the account (or the ``currency`` asked for); every entry lists
    the cash of every currency in ``cash_infos``, as the docs' example does. The fake converts nothing:
    ``total_cash``, ``net_assets`` and ``buy_power`` are in the entry's own currency only."""
    allow_only(call, frozenset({"currency"}))
    wanted = call.values("currency")
    for currency in wanted:
        if currency not in CURRENCIES:
            raise bad_parameter(f"currency {currency!r} is not one of HKD, USD, CNH")
    account, market = call.state.account, call.state.market
    infos = [
        {
            "withdraw_cash": money(account.available_cash(currency)),
            "available_cash": money(account.available_cash(currency)),
            "frozen_cash": money(account.frozen_cash(currency)),
            "settling_cash": "0.00",
            "currency": currency,
        }
        for currency in account.cash
    ]
    entries = []
    for currency, cash in account.cash.items():
        if wanted and currency not in wanted:
            continue
        holdings = sum(
            (
                position.quantity * market.last(position.symbol)
                for position in account.positions.values()
                if currency_of(call, position.symbol) == currency
            ),
            Decimal(0),
        )
        entries.append(
            {
                "total_cash": money(cash),
                "max_finance_amount": "0",
                "remaining_finance_amount": "0",
                "risk_level": "0",
                "margin_call": "0",
                "currency": currency,
                "cash_infos": infos,
                "net_assets": money(cash + holdings),
                "init_margin": "0",
                "maintenance_margin": "0",
                "buy_power": money(account.available_cash(currency)),
                "frozen_transaction_fees": [],
            }
        )
    return {"list": entries}


def stock_positions(call: Call) -> JSON:
    allow_only(call, frozenset({"symbol"}))
    wanted = call.values("symbol")
    account, market = call.state.account, call.state.market
    info = []
    for position in account.positions.values():
        instrument = market.instrument(position.symbol)
        if instrument is None or (wanted and position.symbol not in wanted):
            continue
        info.append(
            {
                "symbol": position.symbol,
                "symbol_name": instrument.name,
                "currency": instrument.currency,
                "quantity": text(position.quantity),
                "available_quantity": text(account.available_quantity(position.symbol)),
                "cost_price": fixed(position.cost_price),
                "market": instrument.market,
                "init_quantity": text(position.init_quantity),
            }
        )
    return {"list": [{"account_channel": account.account_channel, "stock_info": info}]}
