"""What the session needs from any venue: normalized events, connection states and capabilities.

Contract of every venue adapter (DESIGN.md, "One venue interface, four venues"):
- it never blocks the event loop, and never imports Qt;
- it reconnects by itself, reporting each step as a ``ConnectionEvent``;
- everything it delivers is immutable (frozen dataclasses of ``terminal.domain`` types), handed to
  one ``EventSink`` callback in the order the venue produced it;
- data that may be out of date is flagged: a ``SubscriptionStatus`` with ``stale=True`` from the
  moment a link drops until that subscription's first fresh message.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Protocol, TypeGuard

from terminal.domain.balance import Balance
from terminal.domain.book import OrderBook
from terminal.domain.contracts import (
    Account,
    ClosedContract,
    ContractSpec,
    OpenContract,
    PortfolioEntry,
    Purchase,
    Quote,
    Sale,
    Transaction,
)
from terminal.domain.enums import OrderType, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import BookTicker, Candle, PublicTrade, Ticker
from terminal.domain.orders import Fill, Order, OrderRequest, OrderUpdate
from terminal.domain.securities import BrokerageAccount, OrderPreview, Position


class ConnectionState(StrEnum):
    CONNECTING = "connecting"
    LIVE = "live"
    STALE = "stale"  # connected, but data stopped arriving
    RECONNECTING = "reconnecting"
    FAILED = "failed"  # gave up, or cannot work (bad credentials): ``reason`` says why
    CLOSED = "closed"  # closed on purpose


class Topic(StrEnum):
    DEPTH = "depth"
    TRADES = "trades"
    CANDLES = "candles"
    TICKER = "ticker"
    BBO = "bbo"


@dataclass(frozen=True, slots=True)
class SubscriptionKey:
    """What a watcher asks for; equal keys share one subscription at the venue."""

    topic: Topic
    symbol: str
    interval: Interval | None = None

    def __str__(self) -> str:
        return f"{self.topic}:{self.symbol}" + (f":{self.interval}" if self.interval else "")


@dataclass(frozen=True, slots=True)
class ConnectionEvent:
    """A stream's link changed state. ``attempt``/``delay_s`` describe a coming reconnection."""

    stream: str
    state: ConnectionState
    attempt: int = 0
    delay_s: float = 0.0
    reason: str = ""


@dataclass(frozen=True, slots=True)
class SubscriptionStatus:
    """A subscription went stale (``reason`` says why) or fresh again."""

    key: SubscriptionKey
    stale: bool
    reason: str = ""


@dataclass(frozen=True, slots=True)
class BookEvent:
    """The whole top of a symbol's book, newer than the last one delivered."""

    book: OrderBook


@dataclass(frozen=True, slots=True)
class TradesEvent:
    """Public trades, oldest first; ``snapshot`` for the recent history sent on subscribe."""

    symbol: str
    trades: tuple[PublicTrade, ...]
    snapshot: bool = False


@dataclass(frozen=True, slots=True)
class CandleEvent:
    """The candle in progress (or just closed) of ``interval``; replaces one with the same open time."""

    symbol: str
    interval: Interval
    candle: Candle


@dataclass(frozen=True, slots=True)
class TickerEvent:
    ticker: Ticker


@dataclass(frozen=True, slots=True)
class BboEvent:
    quote: BookTicker


@dataclass(frozen=True, slots=True)
class OrderEvent:
    """A report about one of the user's orders. ``order`` carries the venue's full view of it,
    so an order the terminal did not place (another session, another app) can still be shown."""

    update: OrderUpdate
    order: Order


@dataclass(frozen=True, slots=True)
class FillEvent:
    fill: Fill


@dataclass(frozen=True, slots=True)
class OrderMissingEvent:
    """The venue answered that it has no order with this client order id, although the terminal
    believed it open: it can neither fill nor be cancelled any more, and the user must be told."""

    client_order_id: str
    reason: str


@dataclass(frozen=True, slots=True)
class BalanceEvent:
    """Balances that changed; ``complete`` when this is every balance of the account (a snapshot)."""

    balances: tuple[Balance, ...]
    complete: bool = False


@dataclass(frozen=True, slots=True)
class PositionEvent:
    """Every holding of a securities account (stock venues), as the venue last reported them."""

    positions: tuple[Position, ...]


@dataclass(frozen=True, slots=True)
class ProposalEvent:
    """A new price for ``spec`` (``quote``), or why the venue will not price it (``error``, in words)."""

    spec: ContractSpec
    quote: Quote | None
    error: str = ""


@dataclass(frozen=True, slots=True)
class ContractEvent:
    """The venue's latest view of one of the account's contracts (open, or just closed)."""

    contract: OpenContract


@dataclass(frozen=True, slots=True)
class AccountEvent:
    """Who the connection is authorized as (again after every reconnection)."""

    account: Account


VenueEvent = (
    ConnectionEvent
    | SubscriptionStatus
    | BookEvent
    | TradesEvent
    | CandleEvent
    | TickerEvent
    | BboEvent
    | OrderEvent
    | FillEvent
    | OrderMissingEvent
    | BalanceEvent
    | PositionEvent
    | ProposalEvent
    | ContractEvent
    | AccountEvent
)
EventSink = Callable[[VenueEvent], None]


@dataclass(frozen=True, slots=True)
class Capabilities:
    """What a venue can do, so the UI adapts instead of showing empty grids."""

    venue: str
    order_book: bool
    order_types: tuple[OrderType, ...] = ()
    time_in_force: Mapping[OrderType, tuple[TimeInForce, ...]] = field(default_factory=dict)
    market_buy_by_amount: bool = False
    contracts: bool = False  # trades contracts (proposal -> buy -> sell) instead of orders
    streaming_market_data: bool = True
    streaming_account: bool = True  # False: balances and orders are polled
    intervals: tuple[Interval, ...] = tuple(Interval)
    max_depth: int = 0
    tick_chart: bool = False  # prices come as ticks: the chart offers a tick-by-tick line
    poll_interval_s: float = 0.0  # > 0: market data and the account are polled this often, not streamed
    amend_orders: bool = False  # a working order's price and quantity can be changed (AmendingVenue)
    positions: bool = False  # a securities account: holdings come as PositionEvents


@dataclass(frozen=True, slots=True)
class Permissions:
    """What the configured credentials allow; ``reason`` says why trading is not allowed."""

    can_read: bool
    can_trade: bool
    reason: str = ""
    account: str = ""
    scopes: tuple[str, ...] = ()  # what a token was granted (Deriv), for the user to see


@dataclass(frozen=True, slots=True)
class Fees:
    """Maker and taker rates of one symbol and the currency each side pays them in."""

    maker: Decimal
    taker: Decimal
    buy_currency: str
    sell_currency: str


@dataclass(frozen=True, slots=True)
class VenueStatus:
    """Figures for the status bar."""

    round_trip_ms: float | None = None
    clock_offset_ms: int | None = None
    rate_headroom: Mapping[str, int] = field(default_factory=dict)
    queued_requests: int = 0
    rate_limited_for: float = 0.0  # seconds left of a 429 pause
    banned: bool = False


class Watch(Protocol):
    """A watcher's hold on a shared subscription."""

    def release(self) -> None: ...


class Venue(Protocol):
    """What a session drives. Every method is async and never blocks the loop; events reach the
    sink given to ``start`` in the order the venue produced them."""

    capabilities: Capabilities
    instruments: dict[str, Instrument]
    permissions: Permissions
    fees: dict[str, Fees]

    async def start(self, sink: EventSink) -> None: ...

    async def close(self) -> None: ...

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch: ...

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]: ...

    async def place(self, request: OrderRequest) -> Order: ...

    async def cancel(self, client_order_id: str) -> Order: ...

    async def cancel_all(self, symbol: str | None = None) -> None: ...

    async def query(self, client_order_id: str) -> Order: ...

    async def open_orders(self) -> list[Order]: ...

    async def order_history(self, symbol: str | None = None, limit: int = 500) -> list[Order]: ...

    async def fills(self, symbol: str | None = None, limit: int = 500) -> list[Fill]: ...

    def status(self) -> VenueStatus: ...


class ContractVenue(Venue, Protocol):
    """A venue that trades contracts (``capabilities.contracts``): proposal -> buy -> follow -> sell.

    Its order methods exist (the session drives every venue alike) but it has no orders: queries
    answer empty lists and placing raises ``InvalidRequest``.
    """

    account: Account | None

    def propose(self, spec: ContractSpec) -> Watch:
        """Stream ``ProposalEvent``s for ``spec`` until released (the proposal is forgotten)."""
        ...

    def follow(self, contract_id: int) -> Watch:
        """Stream ``ContractEvent``s for a bought contract until released or closed."""
        ...

    async def buy(self, quote: Quote) -> Purchase:
        """Buy at ``quote.ask_price`` at most; ``UnknownOutcome`` when the answer was lost."""
        ...

    async def sell(self, contract_id: int, price: Decimal) -> Sale:
        """Sell for at least ``price`` (0: at the market)."""
        ...

    async def portfolio(self) -> list[PortfolioEntry]: ...

    async def statement(self, limit: int = 100, since_ms: int | None = None) -> list[Transaction]: ...

    async def profit_table(self, limit: int = 100) -> list[ClosedContract]: ...


class AmendingVenue(Venue, Protocol):
    """A broker that changes working orders in place, estimates orders before they are placed,
    and serves several accounts per key (``capabilities.amend_orders``)."""

    account_id: str | None

    async def replace(
        self, client_order_id: str, quantity: Decimal | None = None, price: Decimal | None = None
    ) -> Order:
        """Change a working order; ``UnknownOutcome`` when the answer was lost (reconcile with ``query``)."""
        ...

    async def preview(self, request: OrderRequest) -> OrderPreview: ...

    async def accounts(self) -> list[BrokerageAccount]: ...


def amends_orders(venue: Venue) -> TypeGuard[AmendingVenue]:
    """Whether ``venue`` is an ``AmendingVenue`` (its capabilities say so)."""
    return venue.capabilities.amend_orders


def trades_contracts(venue: Venue) -> TypeGuard[ContractVenue]:
    """Whether ``venue`` is a ``ContractVenue`` (its capabilities say so)."""
    return venue.capabilities.contracts
