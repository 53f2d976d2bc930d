"""What the Longbridge venue needs from its quotes: instruments, live market data and candles.

Longbridge serves quotes over its own socket protocol, through the official SDK (``market.py``);
the trading side speaks REST (``venue.py``). This protocol is the seam between them, so that each
can be tested alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.venues.base import EventSink, Topic, Watch


class QuoteSource(Protocol):
    async def start(self, sink: EventSink) -> None:
        """Begin delivering events (BookEvent, TradesEvent, CandleEvent, TickerEvent, BboEvent,
        SubscriptionStatus, ConnectionEvent) to ``sink``. Raises VenueError when quotes cannot work."""
        ...

    async def instruments(self, symbols: Sequence[str]) -> dict[str, Instrument]:
        """The trading rules (board lot, tick, currency, name) of ``symbols`` ("700.HK", "AAPL.US")."""
        ...

    async def watchlist(self) -> list[str]:
        """The symbols of the user's Longbridge watchlist groups, in their order."""
        ...

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch: ...

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]: ...

    async def last_prices(self, symbols: Sequence[str]) -> dict[str, Decimal]:
        """The last price of each symbol (positions are valued with them)."""
        ...

    async def set_access_token(self, token: str) -> None:
        """A refreshed token: reconnect with it (subscriptions are kept)."""
        ...

    async def close(self) -> None: ...
