"""Rendered parts of public pushes, reused while the state they show is unchanged (one per topic and symbol).

Feed-rate mode re-sends the same state thousands of times a second, and rendering 200 book levels of
Decimals or a 24-hour ticker from 1,440 minutes each time would cap the rate. Each part is keyed by
everything it depends on (the book's version; the series' revision and the minute), so a reused part
is what a fresh render would give, and normal-mode clients receive exactly what they did before.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, Literal

from terminal.demo.exchange import DemoExchange
from terminal.demo.market_data import MINUTE_MS
from terminal.demo.server import ws_wire as wire
from terminal.domain.intervals import Interval

DEPTH_LEVELS = 200  # 004, v1 depth: "can request up to limit of 200"

Levels = list[list[str]]
Version = Literal["v1", "v2"]


class WireCache:
    """The latest rendering of each part, for every public connection of one exchange."""

    def __init__(self, exchange: DemoExchange) -> None:
        self.exchange = exchange
        self._entries: dict[Hashable, tuple[Hashable, Any]] = {}

    def _get(self, slot: Hashable, key: Hashable, make: Callable[[], Any]) -> Any:
        entry = self._entries.get(slot)
        if entry is None or entry[0] != key:
            entry = (key, make())
            self._entries[slot] = entry
        return entry[1]

    def depth(self, symbol: str) -> tuple[str, Levels, Levels]:
        """The book's version and its top ``DEPTH_LEVELS`` bids and asks as the wire writes them."""
        version = self.exchange.book_version(symbol)

        def make() -> tuple[Levels, Levels]:
            snapshot = self.exchange.engine.snapshot(symbol, 0, DEPTH_LEVELS)
            return wire.levels(snapshot.bids), wire.levels(snapshot.asks)

        bids, asks = self._get(("depth", symbol), version, make)
        return version, bids, asks

    def bbo(self, symbol: str) -> tuple[tuple[object, ...], wire.Json]:
        """The best bid and offer (as a comparable state) and v2's bbo data, its "t" not yet set."""
        exchange = self.exchange

        def make() -> tuple[tuple[object, ...], wire.Json]:
            top = exchange.book_ticker(symbol)
            return (top.bid, top.bid_qty, top.ask, top.ask_qty), wire.v2_bbo(top)

        state, data = self._get(("bbo", symbol), exchange.book_version(symbol), make)
        return state, data

    def realtimes(self, symbol: str, version: Version, now_ms: int) -> wire.Json | None:
        """The 24-hour ticker's data at ``now_ms``; None before the symbol has any history."""
        market = self.exchange.market

        def make() -> wire.Json | None:
            ticker = market.ticker(symbol, now_ms)
            if ticker is None:
                return None
            if version == "v1":
                name = self.exchange.listings[symbol].instrument.name or symbol
                return wire.v1_realtimes(symbol, name, ticker)
            return wire.v2_realtimes(symbol, ticker)

        data: wire.Json | None = self._get(("realtimes", symbol, version), self._series_key(symbol, now_ms), make)
        # Only the ticker's time moves within a minute without trades ("t" keeps its place in the dict).
        return None if data is None else {**data, "t": now_ms}

    def kline(self, symbol: str, interval: Interval, version: Version, now_ms: int) -> wire.Json | None:
        """The candle in progress at ``now_ms``; None before the symbol has any history."""
        market = self.exchange.market

        def make() -> wire.Json | None:
            candle = market.current_candle(symbol, interval, now_ms)
            if candle is None:
                return None
            name = self.exchange.listings[symbol].instrument.name or symbol
            return wire.v1_kline(symbol, name, candle) if version == "v1" else wire.v2_kline(symbol, name, candle)

        slot = ("kline", symbol, interval, version)
        data: wire.Json | None = self._get(slot, self._series_key(symbol, now_ms), make)
        return data

    def _series_key(self, symbol: str, now_ms: int) -> tuple[int, int]:
        # A series changes with trades (its revision) and with time only minute by minute.
        return self.exchange.market.revision(symbol), now_ms // MINUTE_MS
