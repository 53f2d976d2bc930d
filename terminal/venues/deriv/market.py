"""Deriv market data streams (ticks_history with subscribe) shared per key and flagged stale across reconnections,
and the tickers of active_symbols kept fresh by the ticks."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from decimal import Decimal

from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Ticker
from terminal.venues.base import (
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    SubscriptionKey,
    SubscriptionStatus,
    TickerEvent,
    Topic,
    TradesEvent,
)
from terminal.venues.deriv import calls, mapping
from terminal.venues.deriv.connection import DerivConnection
from terminal.venues.deriv.subscriptions import Hold, Message, SharedStreams, Subscription
from terminal.venues.errors import InvalidRequest, VenueError

log = logging.getLogger("terminal.venues.deriv.market")

TRADE_HISTORY = 500  # ticks sent on subscribing: the tape's snapshot
LIVE_CANDLES = 2  # the candle in progress and the one before it
MAX_GAP_CANDLES = 1000  # after a reconnection, at most this many candles to cover the gap


class DerivMarket:
    """Tickers come from active_symbols (refreshed by the venue) and are kept fresh by tick streams. When the
    link drops, every market stream is flagged stale until its first message on the new connection."""

    def __init__(
        self,
        connection: DerivConnection,
        sink: EventSink,
        instruments: Callable[[], Mapping[str, Instrument]],
    ) -> None:
        self._connection = connection
        self._sink = sink
        self._instruments = instruments
        self._streams: SharedStreams[SubscriptionKey] = SharedStreams()
        self._stale: dict[SubscriptionKey, bool] = {}
        self._last_candle_ms: dict[SubscriptionKey, int] = {}
        self.tickers: dict[str, Ticker] = {}

    # ---- watching -------------------------------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Hold:
        if topic is Topic.TRADES:
            key = SubscriptionKey(Topic.TRADES, symbol)
            return self._streams.hold(key, lambda: self._open(key, self._ticks_request(symbol), self._on_ticks))
        if topic is Topic.CANDLES:
            if interval is None:
                raise InvalidRequest("", "candles need an interval")
            calls.granularity(interval)  # refuses an interval the venue has no candles of
            key = SubscriptionKey(Topic.CANDLES, symbol, interval)
            return self._streams.hold(key, lambda: self._open(key, self._candles_request(key), self._on_candles))
        # Tickers come from active_symbols and the tick streams; there is no order book (depth, bbo).
        return Hold()

    def subscriptions(self) -> dict[SubscriptionKey, int]:
        """Live market streams and how many watchers share each."""
        return self._streams.watchers()

    def _open(
        self,
        key: SubscriptionKey,
        request: Callable[[], calls.Payload],
        handle: Callable[[SubscriptionKey, Message], None],
    ) -> Subscription:
        self._stale[key] = True  # not yet fresh; reported fresh with its first message
        self._last_candle_ms.pop(key, None)
        return self._connection.open_stream(
            request, lambda message: self._on_message(key, message, handle), lambda error: self._on_error(key, error)
        )

    @staticmethod
    def _ticks_request(symbol: str) -> Callable[[], calls.Payload]:
        return lambda: calls.tick_history(symbol, TRADE_HISTORY)

    def _candles_request(self, key: SubscriptionKey) -> Callable[[], calls.Payload]:
        interval = key.interval
        assert interval is not None

        def request() -> calls.Payload:
            # After a reconnection, enough candles to replace those that closed while the link was down.
            last = self._last_candle_ms.get(key)
            count = LIVE_CANDLES
            if last is not None:
                missed = (int(time.time() * 1000) - last) // interval.nominal_ms
                count = max(LIVE_CANDLES, min(MAX_GAP_CANDLES, missed + LIVE_CANDLES))
            return calls.candle_history(key.symbol, interval, count=count)

        return request

    # ---- incoming -------------------------------------------------------------------------------------

    def _pip(self, symbol: str) -> Decimal | None:
        instrument = self._instruments().get(symbol)
        return instrument.tick_size if instrument else None

    def _on_message(
        self, key: SubscriptionKey, message: Message, handle: Callable[[SubscriptionKey, Message], None]
    ) -> None:
        try:
            handle(key, message)
        except VenueError as exc:
            log.warning("%s: skipped a message: %s", key, exc)
            return
        if self._stale.get(key, False):
            self._stale[key] = False
            self._sink(SubscriptionStatus(key, stale=False))

    def _on_ticks(self, key: SubscriptionKey, message: Message) -> None:
        pip = self._pip(key.symbol)
        if message.get("msg_type") == "history":
            trades = mapping.history_trades(message, key.symbol, pip)
            self._sink(TradesEvent(key.symbol, tuple(trades), snapshot=True))
        elif message.get("msg_type") == "tick":
            trade, bid, ask = mapping.tick_trade(message, pip)
            self._sink(TradesEvent(key.symbol, (trade,)))
            self.set_ticker(mapping.tick_ticker(trade, self.tickers.get(key.symbol), bid, ask))

    def _on_candles(self, key: SubscriptionKey, message: Message) -> None:
        interval = key.interval
        assert interval is not None
        pip = self._pip(key.symbol)
        if message.get("msg_type") == "candles":
            candles = mapping.history_candles(message, interval, pip)
        elif message.get("msg_type") == "ohlc":
            candles = [mapping.ohlc_candle(message, interval, pip)[1]]
        else:
            return
        for candle in candles:
            last = self._last_candle_ms.get(key)
            if last is None or candle.open_time_ms >= last:
                self._last_candle_ms[key] = candle.open_time_ms
            self._sink(CandleEvent(key.symbol, interval, candle))

    def _on_error(self, key: SubscriptionKey, error: VenueError) -> None:
        log.warning("%s: the venue ended the stream: %s", key, error)
        self._stale[key] = True
        self._sink(SubscriptionStatus(key, stale=True, reason=error.message))

    def set_ticker(self, ticker: Ticker) -> None:
        self.tickers[ticker.symbol] = ticker
        self._sink(TickerEvent(ticker))

    # ---- connection states ------------------------------------------------------------------------------

    def on_connection(self, event: ConnectionEvent) -> None:
        """The link left LIVE: every stream is stale until it delivers again on the next connection."""
        if event.state is ConnectionState.LIVE:
            return
        reason = f"{event.stream} {event.state}" + (f": {event.reason}" if event.reason else "")
        for key, _ in self._streams.items():
            if not self._stale.get(key, False):
                self._stale[key] = True
                self._sink(SubscriptionStatus(key, stale=True, reason=reason))
