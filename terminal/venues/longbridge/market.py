"""Longbridge quotes through the official SDK: instruments, live depth/trades/quotes/candles, history.

The SDK (``AsyncQuoteContext``) owns the socket and reconnects by itself, but tells nobody: it has no
connection-state callback. So the state reported here is inferred from requests: LIVE once a request
succeeds, RECONNECTING (and every subscription stale) when one fails, LIVE again at the next success.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from longbridge.openapi import AdjustType, AsyncQuoteContext, Config, SubType

from terminal.domain.book import OrderBook
from terminal.domain.instrument import Instrument
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.venues.base import (
    BboEvent,
    BookEvent,
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    SubscriptionKey,
    SubscriptionStatus,
    TickerEvent,
    Topic,
    TradesEvent,
    VenueEvent,
    Watch,
)
from terminal.venues.errors import InvalidRequest, VenueError
from terminal.venues.longbridge import quote_mapping as m
from terminal.venues.longbridge.quote_bridge import QuoteBridge, QuotePush

__all__ = ["STREAM", "ContextFactory", "LongbridgeMarket"]

log = logging.getLogger("terminal.venues.longbridge.market")

STREAM = "longbridge-quotes"
RECENT_TRADES = 50  # trades sent as a snapshot when a TRADES watch starts
MAX_CANDLES = 1000  # the SDK's limit per request
T = TypeVar("T")
# Builds the SDK context for an access token (tests inject their own; the default is the real SDK).
ContextFactory = Callable[[str], AsyncQuoteContext]

# What each topic needs from the SDK's socket (candles are subscribed apart, per period).
_SUB_TYPES: dict[Topic, tuple[str, ...]] = {
    Topic.DEPTH: ("Depth",),
    Topic.TRADES: ("Trade",),
    Topic.TICKER: ("Quote", "Depth"),  # the quote push has no bid/ask: the ticker takes them from depth
    Topic.BBO: ("Depth",),
    Topic.CANDLES: (),
}


@dataclass(eq=False)
class _Hold:
    """One watcher's hold on a key (``Watch``); releasing twice is harmless."""

    market: LongbridgeMarket
    key: SubscriptionKey
    released: bool = field(default=False)

    def release(self) -> None:
        if not self.released:
            self.released = True
            self.market._release(self.key)


class LongbridgeMarket:
    """The ``QuoteSource`` of the Longbridge venue (``quote_source.py``).

    Watches are ref-counted: watchers of equal keys share one SDK subscription, which goes when the
    last of them releases. Every watch begins with a snapshot (book, recent trades, quote, current
    candle), then follows the SDK's pushes. All work runs on the loop given to ``start``."""

    def __init__(
        self,
        app_key: str,
        app_secret: str,
        access_token: str,
        *,
        http_url: str | None = None,
        quote_ws_url: str | None = None,
        context_factory: ContextFactory | None = None,
    ) -> None:
        self._app_key = app_key
        self._app_secret = app_secret
        self._token = access_token
        self._http_url = http_url
        self._quote_ws_url = quote_ws_url
        self._factory: ContextFactory = context_factory or self._default_context
        self._sink: EventSink | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._bridge: QuoteBridge | None = None
        self._context: AsyncQuoteContext | None = None
        self._refs: dict[SubscriptionKey, int] = {}
        self._subscribed: set[tuple[str, str]] = set()  # (symbol, SubType name) held at the SDK
        self._candle_subs: set[tuple[str, Interval]] = set()
        self._stale: set[SubscriptionKey] = set()
        self._books: dict[str, OrderBook] = {}
        self._state = ConnectionState.CONNECTING
        self._sync_lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    # -- life -------------------------------------------------------------------------------------------
    async def start(self, sink: EventSink) -> None:
        """Deliver events to ``sink`` from now on and check the quotes work (one request)."""
        self._sink = sink
        self._loop = asyncio.get_running_loop()
        self._emit(ConnectionEvent(STREAM, ConnectionState.CONNECTING))
        await self._call(lambda c: c.quote_level())

    async def close(self) -> None:
        """Unsubscribe everything, unhook the callbacks and drop the SDK context (tear it down before the
        interpreter exits: the SDK has crashed in finalization otherwise)."""
        if self._closed:
            return
        self._closed = True
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(BaseException):
                await task
        context = self._context
        if context is not None:
            with contextlib.suppress(Exception):
                if self._subscribed:
                    await self._unsubscribe(context, self._subscribed)
                for symbol, interval in list(self._candle_subs):
                    await context.unsubscribe_candlesticks(symbol, m.period_for(interval))
        self._subscribed.clear()
        self._candle_subs.clear()
        self._refs.clear()
        self._drop_context()
        self._emit(ConnectionEvent(STREAM, ConnectionState.CLOSED))

    async def set_access_token(self, token: str) -> None:
        """A refreshed token: a new SDK context with it, the same subscriptions, fresh snapshots."""
        self._token = token
        if self._context is None or self._closed:
            return
        self._drop_context()
        self._subscribed.clear()
        self._candle_subs.clear()
        for key in self._refs:
            self._mark_stale(key, "reconnecting with a new access token")
        self._set_state(ConnectionState.RECONNECTING, "new access token")
        await self._sync()
        for key in list(self._refs):
            await self._snapshot(key)

    # -- reference data ----------------------------------------------------------------------------------
    async def instruments(self, symbols: Sequence[str]) -> dict[str, Instrument]:
        if not symbols:
            return {}
        infos = await self._call(lambda c: c.static_info(list(symbols)))
        # The tick of an HK stock depends on its price: rows of the ladder step by the one at the last price.
        prices = await self.last_prices(symbols)
        return {str(info.symbol): m.instrument(info, prices.get(str(info.symbol))) for info in infos}

    async def watchlist(self) -> list[str]:
        groups = await self._call(lambda c: c.watchlist())
        seen: dict[str, None] = {}
        for group in groups:
            for security in group.securities:
                seen.setdefault(str(security.symbol), None)
        return list(seen)

    async def last_prices(self, symbols: Sequence[str]) -> dict[str, Decimal]:
        if not symbols:
            return {}
        quotes = await self._call(lambda c: c.quote(list(symbols)))
        return {str(q.symbol): Decimal(q.last_done) for q in quotes}

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        """Up to ``limit`` candles (1000 at most per call), oldest first, ending now or at ``end_ms``."""
        period = m.period_for(interval)
        count = max(1, min(limit, MAX_CANDLES))
        if end_ms is None:
            rows = await self._call(lambda c: c.candlesticks(symbol, period, count, AdjustType.NoAdjust))
        else:
            # The SDK takes a naive datetime, read as UTC.
            moment = dt.datetime.fromtimestamp(end_ms / 1000, tz=dt.UTC).replace(tzinfo=None)
            rows = await self._call(
                lambda c: c.history_candlesticks_by_offset(symbol, period, AdjustType.NoAdjust, False, count, moment)
            )
        out = sorted((m.candle(row) for row in rows), key=lambda c: c.open_time_ms)
        if end_ms is not None:
            out = [c for c in out if c.open_time_ms <= end_ms]
        return out

    # -- live data ------------------------------------------------------------------------------------------
    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        if topic is Topic.CANDLES:
            if interval is None:
                raise InvalidRequest("", "a candle watch needs an interval")
            m.period_for(interval)
        key = SubscriptionKey(topic, symbol, interval if topic is Topic.CANDLES else None)
        self._refs[key] = self._refs.get(key, 0) + 1
        if self._refs[key] == 1:
            self._spawn(self._open(key))
        return _Hold(self, key)

    def _release(self, key: SubscriptionKey) -> None:
        count = self._refs.get(key, 0) - 1
        if count > 0:
            self._refs[key] = count
            return
        self._refs.pop(key, None)
        self._stale.discard(key)
        if not self._closed:
            self._spawn(self._sync())

    async def _open(self, key: SubscriptionKey) -> None:
        await self._sync()
        if key in self._refs:
            await self._snapshot(key)

    async def _sync(self) -> None:
        """Bring the SDK's subscriptions in line with the watched keys (one change at a time)."""
        async with self._sync_lock:
            if self._closed:
                return
            wanted = {(k.symbol, name) for k in self._refs for name in _SUB_TYPES[k.topic]}
            candles = {(k.symbol, k.interval) for k in self._refs if k.topic is Topic.CANDLES and k.interval}
            try:
                context = self._ensure_context()
                gone = self._subscribed - wanted
                if gone:
                    await self._unsubscribe(context, gone)
                    self._subscribed -= gone
                for symbol, interval in self._candle_subs - candles:
                    await context.unsubscribe_candlesticks(symbol, m.period_for(interval))
                    self._candle_subs.discard((symbol, interval))
                new = wanted - self._subscribed
                for name in sorted({n for _, n in new}):
                    symbols = sorted(s for s, n in new if n == name)
                    await context.subscribe(symbols, [getattr(SubType, name)])
                    self._subscribed.update((s, name) for s in symbols)
                for symbol, interval in candles - self._candle_subs:
                    initial = await context.subscribe_candlesticks(symbol, m.period_for(interval))
                    self._candle_subs.add((symbol, interval))
                    key = SubscriptionKey(Topic.CANDLES, symbol, interval)
                    if initial and key in self._refs:
                        self._fresh(key)
                        self._emit(CandleEvent(symbol, interval, m.candle(initial[-1])))
            except Exception as exc:
                self._failed(exc)
                return
            self._succeeded()

    async def _snapshot(self, key: SubscriptionKey) -> None:
        """The first data of a new (or resubscribed) watch."""
        symbol = key.symbol
        try:
            if key.topic in (Topic.DEPTH, Topic.BBO, Topic.TICKER):
                depth = await self._call(lambda c: c.depth(symbol))
                self._on_book(m.book(symbol, depth, _now_ms()), only=key)
            if key.topic is Topic.TICKER:
                quotes = await self._call(lambda c: c.quote([symbol]))
                for quote in quotes:
                    self._on_quote(symbol, quote)
            elif key.topic is Topic.TRADES:
                rows = await self._call(lambda c: c.trades(symbol, RECENT_TRADES))
                if key in self._refs:
                    self._fresh(key)
                    trades = tuple(sorted((m.trade(symbol, r) for r in rows), key=lambda t: t.time_ms))
                    self._emit(TradesEvent(symbol, trades, snapshot=True))
        except VenueError as exc:
            log.warning("no snapshot for %s: %s", key, exc)

    # -- pushes (on the loop, in the SDK's order) -------------------------------------------------------------
    def _on_push(self, push: QuotePush) -> None:
        symbol = push.symbol
        event: Any = push.event
        if push.kind == "depth":
            self._on_book(m.book(symbol, event, _now_ms()))
        elif push.kind == "quote":
            self._on_quote(symbol, event)
        elif push.kind == "trades":
            key = SubscriptionKey(Topic.TRADES, symbol)
            if key in self._refs:
                self._fresh(key)
                self._emit(TradesEvent(symbol, tuple(m.trade(symbol, row) for row in event.trades)))
        elif push.kind == "candlestick":
            interval = m.interval_for(event.period)
            key = SubscriptionKey(Topic.CANDLES, symbol, interval)
            if interval is not None and key in self._refs:
                self._fresh(key)
                self._emit(CandleEvent(symbol, interval, m.candle(event.candlestick)))

    def _on_book(self, book: OrderBook, only: SubscriptionKey | None = None) -> None:
        symbol = book.symbol
        self._books[symbol] = book
        for topic in (Topic.DEPTH, Topic.BBO):
            key = SubscriptionKey(topic, symbol)
            if key in self._refs and (only is None or only == key):
                self._fresh(key)
                self._emit(BookEvent(book) if topic is Topic.DEPTH else BboEvent(m.book_ticker(book)))

    def _on_quote(self, symbol: str, quote: Any) -> None:
        key = SubscriptionKey(Topic.TICKER, symbol)
        if key not in self._refs:
            return
        book = self._books.get(symbol)
        self._fresh(key)
        self._emit(
            TickerEvent(m.ticker(symbol, quote, book.best_bid if book else None, book.best_ask if book else None))
        )

    # -- the SDK context ------------------------------------------------------------------------------------------
    def _default_context(self, token: str) -> AsyncQuoteContext:
        config = Config.from_apikey(
            self._app_key,
            self._app_secret,
            token,
            http_url=self._http_url,
            quote_ws_url=self._quote_ws_url,
            enable_print_quote_packages=False,
        )
        return AsyncQuoteContext.create(config)

    def _ensure_context(self) -> AsyncQuoteContext:
        if self._closed:
            raise VenueError("", "Longbridge quotes are closed")
        if self._bridge is None:
            loop = self._loop or asyncio.get_running_loop()
            self._loop = loop
            token = self._token

            def make() -> AsyncQuoteContext:
                self._context = self._factory(token)
                return self._context

            self._bridge = QuoteBridge(make, self._on_push, loop)
        self._bridge.context  # noqa: B018 - creates the context and wires its callbacks
        assert self._context is not None
        return self._context

    def _drop_context(self) -> None:
        bridge, self._bridge, self._context = self._bridge, None, None
        if bridge is not None:
            bridge.close()

    async def _call(self, request: Callable[[AsyncQuoteContext], Awaitable[T]]) -> T:
        """One SDK request; its failure as a ``VenueError``, and the connection state it implies."""
        try:
            result = await request(self._ensure_context())
        except VenueError:
            raise
        except Exception as exc:
            raise self._failed(exc) from exc
        self._succeeded()
        return result

    async def _unsubscribe(self, context: AsyncQuoteContext, held: set[tuple[str, str]]) -> None:
        for name in sorted({n for _, n in held}):
            await context.unsubscribe(sorted(s for s, n in held if n == name), [getattr(SubType, name)])

    # -- state ------------------------------------------------------------------------------------------------------
    def _failed(self, exc: BaseException) -> VenueError:
        error = m.venue_error(exc)
        if self._state in (ConnectionState.LIVE, ConnectionState.CONNECTING) and not self._closed:
            for key in self._refs:
                self._mark_stale(key, str(error))
            self._set_state(ConnectionState.RECONNECTING, str(error))
        return error

    def _succeeded(self) -> None:
        if self._state is not ConnectionState.LIVE and not self._closed:
            self._set_state(ConnectionState.LIVE)

    def _set_state(self, state: ConnectionState, reason: str = "") -> None:
        self._state = state
        self._emit(ConnectionEvent(STREAM, state, reason=reason))

    def _mark_stale(self, key: SubscriptionKey, reason: str) -> None:
        if key not in self._stale:
            self._stale.add(key)
            self._emit(SubscriptionStatus(key, stale=True, reason=reason))

    def _fresh(self, key: SubscriptionKey) -> None:
        if key in self._stale:
            self._stale.discard(key)
            self._emit(SubscriptionStatus(key, stale=False))

    def _emit(self, event: VenueEvent) -> None:
        if self._sink is not None:
            self._sink(event)

    def _spawn(self, coro: Awaitable[None]) -> None:
        async def run() -> None:
            await coro

        task = asyncio.ensure_future(run(), loop=self._loop) if self._loop else asyncio.ensure_future(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)


def _now_ms() -> int:
    return time.time_ns() // 1_000_000
