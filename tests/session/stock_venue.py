"""A small in-memory stock broker for tests of the session and UI: an AmendingVenue whose market data
and account are polled (capabilities), with holdings, and faults set per call (``fail_next``)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, TimeInForce
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.domain.orders import Fill, Order, OrderRequest
from terminal.domain.securities import BrokerageAccount, OrderPreview, Position
from terminal.venues.base import (
    BalanceEvent,
    Capabilities,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    Fees,
    Permissions,
    PositionEvent,
    Topic,
    VenueStatus,
)
from terminal.venues.errors import OrderNotFound, VenueError

D = Decimal
STREAM = "stock-poll"
CAPABILITIES = Capabilities(
    venue="Stocks",
    order_book=True,
    order_types=(OrderType.LIMIT, OrderType.MARKET),
    time_in_force={OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC), OrderType.MARKET: (TimeInForce.DAY,)},
    streaming_market_data=False,
    streaming_account=False,
    poll_interval_s=2.0,
    amend_orders=True,
    positions=True,
)
AAPL = Instrument(
    symbol="AAPL",
    base_asset="AAPL",
    quote_asset="USD",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D(1), max_qty=D(100_000), step_size=D(1)),
    order_types=(OrderType.LIMIT, OrderType.MARKET),
    time_in_force_rules={
        OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.MARKET: (TimeInForce.DAY,),
    },
)
HOLDINGS = (
    Position("AAPL", D(10), D("150.00"), D("190.00"), D("1900.00"), "USD", D(8)),
    Position("MSFT", D(5), D("400.00"), D("380.00"), D("1900.00"), "USD"),
)


class _NoWatch:
    def release(self) -> None:
        return None


@dataclass
class StockVenue:
    """Orders rest until cancelled; ``replace`` changes them; ``fail_next[name]`` raises once."""

    instruments: dict[str, Instrument] = field(default_factory=lambda: {"AAPL": AAPL})
    permissions: Permissions = field(default_factory=lambda: Permissions(can_read=True, can_trade=True))
    fees: dict[str, Fees] = field(default_factory=dict)
    capabilities: Capabilities = CAPABILITIES
    account_id: str | None = "ACC-1"
    orders: dict[str, Order] = field(default_factory=dict)
    calls: list[tuple[str, object]] = field(default_factory=list)
    fail_next: dict[str, VenueError] = field(default_factory=dict)
    apply_lost_replace: bool = True  # a replace whose answer is lost still happened at the venue
    sink: EventSink | None = None

    async def start(self, sink: EventSink) -> None:
        self.sink = sink
        sink(BalanceEvent((Balance.of("USD", D(10_000), D(0)), Balance.of("AAPL", D(8), D(2))), complete=True))
        sink(PositionEvent(HOLDINGS))
        sink(ConnectionEvent(STREAM, ConnectionState.LIVE))

    async def close(self) -> None:
        self.sink = None

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> _NoWatch:
        return _NoWatch()

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        return []

    def _fault(self, name: str) -> None:
        error = self.fail_next.pop(name, None)
        if error is not None:
            raise error

    async def place(self, request: OrderRequest) -> Order:
        self.calls.append(("place", request))
        self._fault("place")
        cid = request.client_order_id or f"c{len(self.orders)}"
        order = Order(
            request.symbol,
            request.side,
            request.type,
            cid,
            quantity=request.quantity or D(0),
            price=request.price,
            time_in_force=request.time_in_force or TimeInForce.DAY,
            order_id=f"o{len(self.orders) + 1}",
            venue_status=OrderStatus.NEW,
            updated_ms=1,
        )
        self.orders[cid] = order
        return order

    async def replace(
        self, client_order_id: str, quantity: Decimal | None = None, price: Decimal | None = None
    ) -> Order:
        self.calls.append(("replace", (client_order_id, quantity, price)))
        order = self.orders.get(client_order_id)
        if order is None:
            raise OrderNotFound("404", "order not found")
        changed = replace(
            order,
            quantity=quantity if quantity is not None else order.quantity,
            price=price if price is not None else order.price,
            updated_ms=order.updated_ms + 1,
        )
        error = self.fail_next.pop("replace", None)
        if error is not None:
            if self.apply_lost_replace:
                self.orders[client_order_id] = changed
            raise error
        self.orders[client_order_id] = changed
        return changed

    async def preview(self, request: OrderRequest) -> OrderPreview:
        self.calls.append(("preview", request))
        self._fault("preview")
        cost = (request.quantity or D(0)) * (request.price or D("190.00"))
        return OrderPreview(cost, D("0.00"), "USD")

    async def accounts(self) -> list[BrokerageAccount]:
        return [BrokerageAccount("ACC-1", "Individual", "CASH", "USD")]

    async def cancel(self, client_order_id: str) -> Order:
        self.calls.append(("cancel", client_order_id))
        order = self.orders.get(client_order_id)
        if order is None:
            raise OrderNotFound("404", "order not found")
        self.orders[client_order_id] = replace(order, venue_status=OrderStatus.CANCELED)
        return self.orders[client_order_id]

    async def cancel_all(self, symbol: str | None = None) -> None:
        for cid in list(self.orders):
            await self.cancel(cid)

    async def query(self, client_order_id: str) -> Order:
        self.calls.append(("query", client_order_id))
        self._fault("query")
        order = self.orders.get(client_order_id)
        if order is None:
            raise OrderNotFound("404", "order not found")
        return order

    async def open_orders(self) -> list[Order]:
        return [o for o in self.orders.values() if o.status.is_working]

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]:
        return []

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]:
        return []

    def status(self) -> VenueStatus:
        return VenueStatus()
