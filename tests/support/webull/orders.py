"""A stock order as the fake keeps it, and its wire view: the order groups of /trading/orders/get,
open-orders and historical-orders (one NORMAL group per order)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from tests.support.webull.instruments import as_price
from tests.support.webull.wire import JSON, iso_millis, millis, text


class OrderStatus(StrEnum):
    # The reference's OrderListItem.status enum.
    PENDING = "PENDING"
    SUBMITTED = "SUBMITTED"
    PARTIAL_FILLED = "PARTIAL_FILLED"
    FILLED = "FILLED"
    CANCELLED = "CANCELLED"
    FAILED = "FAILED"


OPEN_STATUSES = frozenset({OrderStatus.PENDING, OrderStatus.SUBMITTED, OrderStatus.PARTIAL_FILLED})


@dataclass
class FakeOrder:
    client_order_id: str
    order_id: str
    account_id: str
    symbol: str
    market: str
    side: str  # BUY | SELL
    order_type: str  # LIMIT | MARKET | ENHANCED_LIMIT
    time_in_force: str  # DAY | GTC
    quantity: Decimal
    limit_price: Decimal | None
    placed_at: float
    support_trading_session: str = "CORE"
    status: OrderStatus = OrderStatus.SUBMITTED
    filled_quantity: Decimal = Decimal(0)
    filled_value: Decimal = Decimal(0)
    filled_at: float | None = None

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def remaining(self) -> Decimal:
        return self.quantity - self.filled_quantity

    @property
    def filled_price(self) -> Decimal:
        if not self.filled_quantity:
            return Decimal(0)
        return self.filled_value / self.filled_quantity


def order_item(order: FakeOrder) -> JSON:
    """One OrderListItem (reference: "List Open Orders", "Order Detail")."""
    item: dict[str, JSON] = {
        "client_order_id": order.client_order_id,
        "order_id": order.order_id,
        "symbol": order.symbol,
        "side": order.side,
        "status": str(order.status),
        "order_type": order.order_type,
        "instrument_type": "EQUITY",
        "support_trading_session": order.support_trading_session,
        "time_in_force": order.time_in_force,
        "entrust_type": "QTY",
        "total_quantity": text(order.quantity),
        "filled_quantity": text(order.filled_quantity),
        "remain_quantity": text(order.remaining if order.is_open else Decimal(0)),
        "filled_price": text(as_price(order.market, order.filled_price)) if order.filled_quantity else "0",
        "place_time": str(millis(order.placed_at)),
        "place_time_at": iso_millis(order.placed_at),
        "legs": [],
    }
    if order.limit_price is not None:
        item["limit_price"] = text(as_price(order.market, order.limit_price))
    if order.filled_at is not None:
        item["filled_time"] = str(millis(order.filled_at))
        item["filled_time_at"] = iso_millis(order.filled_at)
    return item


def order_group(order: FakeOrder) -> JSON:
    """An OrderListResult: ``{client_order_id, combo_type, orders: [...]}``."""
    return {
        "client_order_id": order.client_order_id,
        "combo_type": "NORMAL",
        "orders": [order_item(order)],
    }
