"""Order requests, orders as the terminal tracks them, venue reports about them, and fills."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.decimals import ZERO, div, mul
from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, TimeInForce


@dataclass(frozen=True, slots=True)
class OrderRequest:
    """What the user asks for. Validated against the instrument before it may leave."""

    symbol: str
    side: Side
    type: OrderType
    quantity: Decimal | None = None
    price: Decimal | None = None
    amount: Decimal | None = None  # quote amount: market buys only
    time_in_force: TimeInForce | None = None
    client_order_id: str | None = None
    stp_mode: StpMode | None = None


@dataclass(frozen=True, slots=True)
class OrderUpdate:
    """One report from the venue about one order: a REST answer or a stream event."""

    client_order_id: str
    status: OrderStatus
    executed_qty: Decimal = ZERO
    cumulative_quote_qty: Decimal = ZERO
    order_id: str | None = None
    avg_price: Decimal | None = None
    update_ms: int = 0
    cancel_reason: str = ""

    def __post_init__(self) -> None:
        if self.status.is_local:
            raise ValueError(f"{self.status} is a local status; the venue never reports it")


@dataclass(frozen=True, slots=True)
class Order:
    """An order as the terminal knows it.

    ``venue_status`` is the most advanced status the venue has reported (None until it has said
    anything); ``local_status`` is what the terminal knows on its own before that (SUBMITTING,
    UNKNOWN, or REJECTED when the venue refused the request), or MISSING when the venue later
    denies knowing the order (until any report of it arrives). ``status`` combines them.
    Build and change orders with the functions of ``terminal.domain.order_state``.
    """

    symbol: str
    side: Side
    type: OrderType
    client_order_id: str
    quantity: Decimal = ZERO  # origQty; zero for a market buy by quote amount
    price: Decimal | None = None  # None for market orders
    amount: Decimal = ZERO  # reqAmount: quote amount of a market buy
    time_in_force: TimeInForce | None = None
    stp_mode: StpMode | None = None
    order_id: str | None = None
    venue_status: OrderStatus | None = None
    local_status: OrderStatus = OrderStatus.SUBMITTING
    cancel_pending: bool = False
    executed_qty: Decimal = ZERO
    cumulative_quote_qty: Decimal = ZERO
    avg_price: Decimal = ZERO
    created_ms: int = 0
    updated_ms: int = 0
    cancel_reason: str = ""
    reject_reason: str = ""

    @property
    def status(self) -> OrderStatus:
        if self.venue_status is None or self.local_status is OrderStatus.MISSING:
            return self.local_status
        if self.cancel_pending and not self.venue_status.is_terminal:
            return OrderStatus.CANCEL_REQUESTED
        return self.venue_status

    @property
    def remaining_qty(self) -> Decimal:
        """Quantity still to execute; zero once the order can no longer fill."""
        if self.status.is_terminal or self.quantity <= 0:
            return ZERO
        return max(ZERO, self.quantity - self.executed_qty)

    @property
    def average_price(self) -> Decimal:
        """Average execution price, derived when the venue reports none."""
        if self.avg_price > 0:
            return self.avg_price
        if self.executed_qty > 0:
            return div(self.cumulative_quote_qty, self.executed_qty)
        return ZERO


@dataclass(frozen=True, slots=True)
class Fill:
    """One execution of one of the user's orders."""

    trade_id: str
    order_id: str
    client_order_id: str
    symbol: str
    side: Side
    price: Decimal
    quantity: Decimal
    commission: Decimal
    commission_asset: str
    time_ms: int
    is_maker: bool

    @property
    def notional(self) -> Decimal:
        return mul(self.price, self.quantity)
