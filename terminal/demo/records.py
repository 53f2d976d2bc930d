"""Orders and trades as the demo exchange keeps them, and the frozen views it hands out.

``OrderRecord`` is the engine's own mutable order; ``OrderView`` is a snapshot carrying every field
of the document's order responses (004, "Create Order v1.1", "Query Order"); ``AccountTrade`` is one
side of one match as "Get Account Trade List" returns it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.demo.book import BookOrder
from terminal.domain.decimals import ZERO, decimals_of, div
from terminal.domain.enums import OrderStatus, OrderType, Side, StpMode, TimeInForce
from terminal.domain.orders import Fill

# 004, "Cancel Reject Reasons" (the values of ordCxlReason and of the stream's "x").
USER_CANCEL = "USER_CANCEL"
SELF_TRADE_CANCEL = "SELF_TRADE_CANCEL"
# "Covers order cancellations caused by trading rule restrictions (such as ... IOC order
# situations, liquidity protection, etc.)": the unfilled rest of IOC, FOK and market orders.
RISKLIMIT_CANCEL = "RISKLIMIT_CANCEL"

_AVG_EXTRA_DIGITS = 8  # an average price may be finer than the tick; this much finer is plenty


def average_quantum(tick_size: Decimal) -> Decimal:
    """The precision average prices of a symbol are given with."""
    return Decimal(1).scaleb(-(decimals_of(tick_size) + _AVG_EXTRA_DIGITS))


@dataclass(frozen=True, slots=True)
class OrderView:
    """One order as the venue reports it at one moment."""

    account_id: str
    symbol: str
    client_order_id: str
    order_id: str
    price: Decimal  # 0 for market orders, as in the document's examples
    orig_qty: Decimal  # 0 for a market buy by quote amount
    executed_qty: Decimal
    cumulative_quote_qty: Decimal
    avg_price: Decimal
    status: OrderStatus
    time_in_force: TimeInForce
    type: OrderType
    side: Side
    req_amount: Decimal  # the quote amount of a market buy by amount, else 0
    stp_mode: StpMode
    time: int  # creation, ms
    update_time: int
    ord_cxl_reason: str

    @property
    def transact_time(self) -> int:
        # 004's cancel example answers with the order's creation time as transactTime.
        return self.time

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal

    @property
    def leaves_qty(self) -> Decimal:
        """Unfilled quantity (the stream's "r"); 0 once the order is finished or has no quantity."""
        if self.status.is_terminal or self.orig_qty <= 0:
            return ZERO
        return self.orig_qty - self.executed_qty

    @property
    def stream_type(self) -> str:
        # 004, executionReport example: a market buy by quote amount is reported as "o": "MARKET_OF_QUOTE".
        if self.type is OrderType.MARKET and self.req_amount > 0:
            return "MARKET_OF_QUOTE"
        return str(self.type)


@dataclass(slots=True, eq=False)
class OrderRecord:
    """The engine's working copy of one order; only the engine changes it."""

    seq: int  # int(order_id): ids compare as numbers
    order_id: str
    account_id: str
    symbol: str
    client_order_id: str
    side: Side
    type: OrderType
    time_in_force: TimeInForce
    stp_mode: StpMode
    price: Decimal
    orig_qty: Decimal
    req_amount: Decimal
    created_ms: int
    avg_quantum: Decimal  # see ``average_quantum``
    spent_asset: str
    reserve_rate: Decimal  # share of the spent amount also locked for fees paid in it
    locked: Decimal = ZERO  # what this order still holds locked in ``spent_asset``
    executed_qty: Decimal = ZERO
    cumulative_quote_qty: Decimal = ZERO
    status: OrderStatus = OrderStatus.NEW
    updated_ms: int = 0
    cancel_reason: str = ""
    entry: BookOrder | None = None  # set while resting on the book

    @property
    def leaves_qty(self) -> Decimal:
        return self.orig_qty - self.executed_qty if self.orig_qty > 0 else ZERO

    @property
    def is_open(self) -> bool:
        return not self.status.is_terminal

    def average_price(self) -> Decimal:
        if self.executed_qty <= 0:
            return ZERO
        return div(self.cumulative_quote_qty, self.executed_qty).quantize(self.avg_quantum)

    def view(self) -> OrderView:
        return OrderView(
            account_id=self.account_id,
            symbol=self.symbol,
            client_order_id=self.client_order_id,
            order_id=self.order_id,
            price=self.price,
            orig_qty=self.orig_qty,
            executed_qty=self.executed_qty,
            cumulative_quote_qty=self.cumulative_quote_qty,
            avg_price=self.average_price(),
            status=self.status,
            time_in_force=self.time_in_force,
            type=self.type,
            side=self.side,
            req_amount=self.req_amount,
            stp_mode=self.stp_mode,
            time=self.created_ms,
            update_time=self.updated_ms,
            ord_cxl_reason=self.cancel_reason,
        )


@dataclass(frozen=True, slots=True)
class AccountTrade:
    """One side of one match (004, "Get Account Trade List"): ``trade_id`` is "id", shared ``ticket_id``."""

    trade_id: str
    ticket_id: str
    account_id: str
    order_id: str
    client_order_id: str
    symbol: str
    side: Side
    price: Decimal
    qty: Decimal
    commission: Decimal
    commission_asset: str
    time_ms: int
    is_maker: bool

    @property
    def seq(self) -> int:
        return int(self.trade_id)

    @property
    def is_buyer(self) -> bool:
        return self.side is Side.BUY

    def to_fill(self) -> Fill:
        return Fill(
            trade_id=self.trade_id,
            order_id=self.order_id,
            client_order_id=self.client_order_id,
            symbol=self.symbol,
            side=self.side,
            price=self.price,
            quantity=self.qty,
            commission=self.commission,
            commission_asset=self.commission_asset,
            time_ms=self.time_ms,
            is_maker=self.is_maker,
        )
