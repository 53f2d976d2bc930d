"""Longbridge's trade answers (orders, executions, account balance, stock positions) as domain objects.

Shapes as the SDK's ``Order``, ``OrderDetail``, ``Execution``, ``AccountBalance`` and ``StockPosition``
(rust/src/trade/types.rs of longportapp/openapi): decimals as strings ("" for none), times as Unix
seconds in strings. Every number is parsed once, as a Decimal; an answer of the wrong shape raises
``MalformedResponse`` naming the field.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import Fill, Order, OrderUpdate
from terminal.domain.securities import Position
from terminal.venues.longbridge.orders import foreign_client_order_id
from terminal.venues.wire import WireObject, malformed

log = logging.getLogger("terminal.venues.longbridge")

# Longbridge's order statuses (the SDK's OrderStatus) and where each leaves an order. The "not reported"
# and "wait" statuses are on their way to the exchange; the replace and cancel steps are still working
# orders (ReplacedStatus: a replace was accepted and the order rests again). CanceledStatus, ExpiredStatus
# and PartialWithdrawal become PARTIALLY_CANCELED when something executed.
_PENDING = frozenset(
    {"NotReported", "ReplacedNotReported", "ProtectedNotReported", "VarietiesNotReported", "WaitToNew"}
)
_WORKING = frozenset(
    {
        "NewStatus",
        "ReplacedStatus",
        "WaitToReplace",
        "PendingReplaceStatus",
        "PendingReplace",
        "WaitToCancel",
        "PendingCancelStatus",
        "PendingCancel",
        "PartialFilledStatus",
    }
)
_CANCEL_PENDING = frozenset({"WaitToCancel", "PendingCancelStatus", "PendingCancel"})
_ENDED = frozenset({"CanceledStatus", "ExpiredStatus", "PartialWithdrawal"})
OPEN_STATUSES = frozenset({OrderStatus.PENDING_NEW, OrderStatus.NEW, OrderStatus.PARTIALLY_FILLED})

# order_type -> OrderType. The conditional types (LIT, MIT, trailing) have no domain type: an order of
# one placed elsewhere is shown as the limit or market order it becomes when triggered.
ORDER_TYPES: dict[str, OrderType] = {
    "LO": OrderType.LIMIT,
    "MO": OrderType.MARKET,
    "ELO": OrderType.ENHANCED_LIMIT,
    "AO": OrderType.AT_AUCTION,
    "ALO": OrderType.AT_AUCTION_LIMIT,
    "ODD": OrderType.ODD_LOT,
    "SLO": OrderType.SPECIAL_LIMIT,
    "LIT": OrderType.LIMIT,
    "MIT": OrderType.MARKET,
    "TSLPAMT": OrderType.LIMIT,
    "TSLPPCT": OrderType.LIMIT,
    "TSMAMT": OrderType.MARKET,
    "TSMPCT": OrderType.MARKET,
}
_SIDES = {"Buy": Side.BUY, "Sell": Side.SELL}


def seconds_ms(obj: WireObject, key: str, default: int = 0) -> int:
    """A time sent as Unix seconds (a string of digits, or a number) in milliseconds; 0 or absent: ``default``."""
    value = obj.opt_integer(key, 0)
    return value * 1000 if value > 0 else default


def status(wire: str, executed: Decimal, path: str) -> OrderStatus:
    if wire in _PENDING:
        return OrderStatus.PENDING_NEW
    if wire in _WORKING:
        return OrderStatus.PARTIALLY_FILLED if executed > 0 else OrderStatus.NEW
    if wire == "FilledStatus":
        return OrderStatus.FILLED
    if wire in _ENDED:
        return OrderStatus.PARTIALLY_CANCELED if executed > 0 else OrderStatus.CANCELED
    if wire == "RejectedStatus":
        return OrderStatus.REJECTED
    raise malformed(path, f"has an unknown value {wire!r:.40}")


def _time_in_force(item: WireObject) -> TimeInForce:
    """Day as DAY; GTC, and GTD (good till a date: the domain has no such value), as GTC."""
    return TimeInForce.DAY if item.opt_text("time_in_force", "Day") == "Day" else TimeInForce.GTC


def _cancel_reason(wire: str, message: str) -> str:
    if wire == "ExpiredStatus":
        return message or "expired"
    if wire in ("CanceledStatus", "PartialWithdrawal"):
        return message
    return ""


def order_rows(data: object, path: str) -> list[WireObject]:
    """The orders of /v1/trade/order/today or /history (``{"orders": [...]}``)."""
    return WireObject(data, path).objects("orders")


def order(item: WireObject, client_order_ids: Mapping[str, str] | None = None) -> Order:
    """An ``Order`` (or ``OrderDetail``) as the domain's. Its client order id: the one the terminal
    placed it under (``client_order_ids`` by order id), else its remark, else ``LB-<order_id>``."""
    order_id = item.text("order_id")
    executed = item.opt_decimal("executed_quantity") or ZERO
    avg = item.opt_decimal("executed_price") or ZERO
    wire_status = item.text("status")
    found = status(wire_status, executed, f"{item.path}.status")
    wire_type = item.text("order_type")
    kind = ORDER_TYPES.get(wire_type)
    if kind is None:
        raise malformed(f"{item.path}.order_type", f"has an unknown value {wire_type!r:.40}")
    wire_side = item.text("side")
    side = _SIDES.get(wire_side)
    if side is None:
        raise malformed(f"{item.path}.side", f"has an unknown value {wire_side!r:.40}")
    known = (client_order_ids or {}).get(order_id)
    client_order_id = known or item.opt_text("remark") or foreign_client_order_id(order_id)
    created = seconds_ms(item, "submitted_at")
    message = item.opt_text("msg")
    return Order(
        symbol=item.text("symbol"),
        side=side,
        type=kind,
        client_order_id=client_order_id,
        quantity=item.decimal("quantity"),
        price=item.opt_decimal("price") if kind.takes_price else None,
        time_in_force=_time_in_force(item),
        order_id=order_id,
        venue_status=found,
        local_status=found,
        cancel_pending=wire_status in _CANCEL_PENDING,
        executed_qty=executed,
        cumulative_quote_qty=executed * avg,
        avg_price=avg,
        created_ms=created,
        updated_ms=seconds_ms(item, "updated_at", created),
        cancel_reason=_cancel_reason(wire_status, message),
        reject_reason=message if found is OrderStatus.REJECTED else "",
    )


def order_update(placed: Order) -> OrderUpdate:
    """The report of an order as the session's order manager takes it."""
    return OrderUpdate(
        client_order_id=placed.client_order_id,
        status=placed.venue_status or OrderStatus.NEW,
        executed_qty=placed.executed_qty,
        cumulative_quote_qty=placed.cumulative_quote_qty,
        order_id=placed.order_id,
        avg_price=placed.avg_price or None,
        update_ms=placed.updated_ms,
        cancel_reason=placed.cancel_reason,
    )


def execution_rows(data: object, path: str) -> list[WireObject]:
    """The executions of /v1/trade/execution/today or /history (``{"trades": [...]}``)."""
    return WireObject(data, path).objects("trades")


def fill(row: WireObject, placed: Order | None, client_order_id: str, currency: str) -> Fill:
    """One execution. It names no side: ``placed`` (its order) gives it; commissions are not reported
    here (zero, in ``currency``)."""
    order_id = row.text("order_id")
    if placed is None:
        raise malformed(f"{row.path}.order_id", f"names order {order_id!r:.40}, which no order list holds")
    return Fill(
        trade_id=row.text("trade_id"),
        order_id=order_id,
        client_order_id=client_order_id,
        symbol=row.text("symbol"),
        side=placed.side,
        price=row.decimal("price"),
        quantity=row.decimal("quantity"),
        commission=ZERO,
        commission_asset=currency,
        time_ms=seconds_ms(row, "trade_done_at"),
        is_maker=False,
    )


def cash_balances(data: object) -> list[Balance]:
    """Cash per currency from /v1/asset/account: free is ``available_cash``, locked ``frozen_cash``.

    Every entry lists the cash of every currency in ``cash_infos``; an entry without them counts its
    ``total_cash`` as free cash of its own currency."""
    entries = WireObject(data, "account").objects("list")
    found: dict[str, Balance] = {}
    for entry in entries:
        for info in entry.objects("cash_infos"):
            currency = info.text("currency")
            if currency not in found:
                free = info.opt_decimal("available_cash") or ZERO
                locked = info.opt_decimal("frozen_cash") or ZERO
                found[currency] = Balance.of(currency, free, locked)
    for entry in entries:
        currency = entry.text("currency")
        if currency not in found:
            found[currency] = Balance.of(currency, entry.opt_decimal("total_cash") or ZERO, ZERO)
    return list(found.values())


def channel(data: object) -> str:
    """The account channel ("lb") of a /v1/asset/stock answer; "" when it lists none."""
    for group in WireObject(data, "positions").objects("list"):
        name = group.opt_text("account_channel")
        if name:
            return name
    return ""


def positions(data: object, prices: Mapping[str, Decimal]) -> list[Position]:
    """The holdings of /v1/asset/stock, valued at ``prices`` (zero where none is known)."""
    result = []
    for group in WireObject(data, "positions").objects("list"):
        for row in group.objects("stock_info"):
            symbol = row.text("symbol")
            quantity = row.decimal("quantity")
            last = prices.get(symbol, ZERO)
            result.append(
                Position(
                    symbol=symbol,
                    quantity=quantity,
                    cost_price=row.opt_decimal("cost_price") or ZERO,
                    last_price=last,
                    market_value=quantity * last,
                    currency=row.opt_text("currency"),
                    available=row.opt_decimal("available_quantity"),
                )
            )
    return result


def position_symbols(data: object) -> list[str]:
    return [
        row.text("symbol")
        for group in WireObject(data, "positions").objects("list")
        for row in group.objects("stock_info")
    ]


def position_balance(held: Position) -> Balance:
    """A holding as a balance of its symbol: free is what may be sold now, locked what resting sell
    orders already promise."""
    free = min(max(held.sellable, ZERO), held.quantity)
    return Balance.of(held.symbol, free, held.quantity - free)


def account_balances(cash: list[Balance], held: list[Position]) -> tuple[Balance, ...]:
    """Cash per currency, then each holding as a balance of its symbol (complete: nothing else is held)."""
    return (*cash, *(position_balance(item) for item in held))
