"""Public market data as the terminal uses it: book snapshots, trades, candles, tickers."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.enums import Side

Level = tuple[Decimal, Decimal]  # (price, quantity)


@dataclass(frozen=True, slots=True)
class BookSnapshot:
    """The top of a book: bids best (highest) first, asks best (lowest) first."""

    symbol: str
    bids: tuple[Level, ...]
    asks: tuple[Level, ...]
    time_ms: int
    version: str = ""

    @property
    def best_bid(self) -> Decimal | None:
        return self.bids[0][0] if self.bids else None

    @property
    def best_ask(self) -> Decimal | None:
        return self.asks[0][0] if self.asks else None


@dataclass(frozen=True, slots=True)
class PublicTrade:
    """One trade on the public tape."""

    symbol: str
    time_ms: int
    price: Decimal
    quantity: Decimal
    buyer_is_maker: bool
    trade_id: str = ""

    @property
    def aggressor(self) -> Side:
        # Source document: "ibm: true: buyer's maker order"; the buyer rested, so the seller hit.
        return Side.SELL if self.buyer_is_maker else Side.BUY


@dataclass(frozen=True, slots=True)
class Candle:
    """One kline. ``open_time_ms`` identifies it; the last candle of a series may still change."""

    open_time_ms: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal = Decimal(0)
    trades: int = 0
    taker_buy_volume: Decimal = Decimal(0)
    taker_buy_quote_volume: Decimal = Decimal(0)
    close_time_ms: int = 0


@dataclass(frozen=True, slots=True)
class Ticker:
    """24-hour rolling statistics of one symbol."""

    symbol: str
    time_ms: int
    last: Decimal
    open: Decimal
    high: Decimal
    low: Decimal
    volume: Decimal
    quote_volume: Decimal
    best_bid: Decimal | None = None
    best_ask: Decimal | None = None

    @property
    def change_ratio(self) -> Decimal:
        """(last - open) / open; zero when there is no open price."""
        return (self.last - self.open) / self.open if self.open else Decimal(0)


@dataclass(frozen=True, slots=True)
class BookTicker:
    """Best bid and ask with their quantities."""

    symbol: str
    bid: Decimal | None
    bid_qty: Decimal
    ask: Decimal | None
    ask_qty: Decimal
    time_ms: int
