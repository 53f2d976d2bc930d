"""HashKey public market data over WebSocket: one link per endpoint, shared subscriptions.

Topics go where the venue serves them best: depth, bbo, klines and tickers on v2 (depth every
100 ms), trades on v1, whose first message carries the latest 60 trades (004, "Trade"). Watchers
of the same (topic, symbol, interval) share one subscription; the last to leave cancels it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from terminal.domain.book import BookKeeper, OrderBook
from terminal.domain.intervals import Interval
from terminal.venues.base import (
    BookEvent,
    CandleEvent,
    ConnectionEvent,
    ConnectionState,
    EventSink,
    SubscriptionKey,
    SubscriptionStatus,
    Topic,
)
from terminal.venues.errors import VenueError
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.stream_wire import Control, Decoded, decode_public, v1_request, v2_request
from terminal.venues.ws_link import Backoff, Heartbeat, Link

log = logging.getLogger("terminal.venues.hashkey.market")

# How long each topic may stay silent before the subscription is declared stale and renewed.
# Depth and bbo move with every order; trades, candles and tickers move with trades.
DEFAULT_SILENCE_LIMITS: dict[Topic, float] = {
    Topic.DEPTH: 15.0,
    Topic.BBO: 30.0,
    Topic.TRADES: 60.0,
    Topic.CANDLES: 60.0,
    Topic.TICKER: 30.0,
}
V1_TOPICS = frozenset({Topic.TRADES})


def _now_ms() -> int:
    return int(time.time() * 1000)


@dataclass
class _Subscription:
    key: SubscriptionKey
    watchers: int = 0
    stale: bool = True
    last_message: float = field(default_factory=time.monotonic)
    last_candle_ms: int | None = None  # open time of the newest candle delivered (gap filling)


class Watch:
    """A watcher's hold on a subscription; ``release`` once, when the watcher leaves."""

    def __init__(self, release: Callable[[], None]) -> None:
        self._release: Callable[[], None] | None = release

    def release(self) -> None:
        if self._release is not None:
            release, self._release = self._release, None
            release()


class HashKeyMarketStream:
    def __init__(
        self,
        hosts: Hosts,
        rest: HashKeyRestClient,
        sink: EventSink,
        *,
        heartbeat: Heartbeat | None = None,
        backoff: Backoff | None = None,
        silence_limits: dict[Topic, float] | None = None,
        watchdog_period: float = 1.0,
    ) -> None:
        self._hosts = hosts
        self._rest = rest
        self._sink = sink
        self._silence = {**DEFAULT_SILENCE_LIMITS, **(silence_limits or {})}
        self._watchdog_period = watchdog_period
        self._subs: dict[SubscriptionKey, _Subscription] = {}
        self._books: dict[str, BookKeeper] = {}
        # 004, "Heartbeat check": "the client is recommended to initiate a periodic heartbeat
        # message (ping message) every 10 seconds".
        beat = heartbeat or Heartbeat(interval=10.0, timeout=5.0, idle_timeout=30.0, ping=lambda: {"ping": _now_ms()})
        self._v1 = Link(
            "public_v1",
            self._url(hosts.public_v1),
            on_message=lambda message: self._on_message(self._v1, message),
            sink=self._on_link_event,
            on_open=self._resubscribe_v1,
            heartbeat=beat,
            backoff=backoff,
        )
        self._v2 = Link(
            "public_v2",
            self._url(hosts.public_v2),
            on_message=lambda message: self._on_message(self._v2, message),
            sink=self._on_link_event,
            on_open=self._resubscribe_v2,
            heartbeat=beat,
            backoff=backoff,
        )
        self._watchdog: asyncio.Task[None] | None = None
        self._stale_links: set[str] = set()  # links reported STALE by the watchdog
        self._tasks: set[asyncio.Task[None]] = set()

    @staticmethod
    def _url(url: str) -> Callable[[], Any]:
        async def fixed() -> str:
            return url

        return fixed

    # ---- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        self._v1.start()
        self._v2.start()
        if self._watchdog is None:
            self._watchdog = asyncio.create_task(self._watch_silence(), name="hashkey-market-watchdog")

    async def close(self) -> None:
        if self._watchdog is not None:
            self._watchdog.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._watchdog
            self._watchdog = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await asyncio.gather(self._v1.close(), self._v2.close())

    @property
    def round_trip_ms(self) -> float | None:
        return self._v2.round_trip_ms or self._v1.round_trip_ms

    def subscriptions(self) -> dict[SubscriptionKey, int]:
        """Live subscriptions and how many watchers share each."""
        return {key: sub.watchers for key, sub in self._subs.items()}

    # ---- watching ---------------------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        key = SubscriptionKey(topic, symbol, interval if topic is Topic.CANDLES else None)
        sub = self._subs.get(key)
        if sub is None:
            sub = self._subs[key] = _Subscription(key)
            self._spawn(self._subscribe(sub))
        sub.watchers += 1
        return Watch(lambda: self._unwatch(key))

    def _unwatch(self, key: SubscriptionKey) -> None:
        sub = self._subs.get(key)
        if sub is None:
            return
        sub.watchers -= 1
        if sub.watchers <= 0:
            del self._subs[key]
            if key.topic is Topic.DEPTH:
                self._books.pop(key.symbol, None)
            self._spawn(self._link_for(key).send(self._request(key, "cancel")))

    def book(self, symbol: str) -> OrderBook | None:
        keeper = self._books.get(symbol)
        return keeper.book if keeper else None

    def _link_for(self, key: SubscriptionKey) -> Link:
        return self._v1 if key.topic in V1_TOPICS else self._v2

    @staticmethod
    def _request(key: SubscriptionKey, event: str) -> dict[str, object]:
        return v1_request(key, event) if key.topic in V1_TOPICS else v2_request(key, event)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _subscribe(self, sub: _Subscription) -> None:
        sub.last_message = time.monotonic()
        await self._link_for(sub.key).send(self._request(sub.key, "sub"))
        if sub.key.topic is Topic.DEPTH:
            await self._seed_book(sub.key.symbol)

    async def _seed_book(self, symbol: str) -> None:
        """Show a book at once from REST; the stream's next (newer) book replaces it."""
        try:
            snapshot = await self._rest.depth(symbol, limit=200)
        except VenueError as exc:
            log.warning("could not seed the %s book from REST: %s", symbol, exc)
            return
        self._deliver_book(OrderBook.from_snapshot(snapshot))

    async def _resubscribe(self, link: Link, topics_on_link: Callable[[Topic], bool]) -> None:
        for sub in list(self._subs.values()):
            if topics_on_link(sub.key.topic):
                sub.last_message = time.monotonic()
                await link.send(self._request(sub.key, "sub"))
                if sub.key.topic is Topic.DEPTH:
                    self._books.pop(sub.key.symbol, None)
                    self._spawn(self._seed_book(sub.key.symbol))
                if sub.key.topic is Topic.CANDLES:
                    # From the newest candle seen before the drop: live candles may arrive first.
                    self._spawn(self._fill_candle_gap(sub, sub.last_candle_ms))

    async def _resubscribe_v1(self) -> None:
        await self._resubscribe(self._v1, lambda topic: topic in V1_TOPICS)

    async def _resubscribe_v2(self) -> None:
        await self._resubscribe(self._v2, lambda topic: topic not in V1_TOPICS)

    async def _fill_candle_gap(self, sub: _Subscription, since_ms: int | None) -> None:
        """Fetch from REST the candles from ``since_ms`` on: those closed while data was missing."""
        if since_ms is None or sub.key.interval is None:
            return
        try:
            candles = await self._rest.klines(sub.key.symbol, sub.key.interval, limit=1000, start_ms=since_ms)
        except VenueError as exc:
            log.warning("could not fill the %s candle gap: %s", sub.key, exc)
            return
        for candle in candles:
            self._deliver_candle(sub, CandleEvent(sub.key.symbol, sub.key.interval, candle))

    # ---- incoming ---------------------------------------------------------------------------

    def _on_link_event(self, event: ConnectionEvent) -> None:
        self._stale_links.discard(event.stream)
        if event.state is not ConnectionState.LIVE:
            on_v1 = event.stream == self._v1.name
            for sub in self._subs.values():
                if (sub.key.topic in V1_TOPICS) == on_v1:
                    self._mark_stale(sub, f"{event.stream} {event.state}")
        self._sink(event)

    def _on_message(self, link: Link, message: Any) -> None:
        try:
            decoded = decode_public(message)
        except (VenueError, KeyError, TypeError, ValueError, IndexError) as exc:
            log.warning("skipped a malformed market message (%s): %.120r", exc, message)
            return
        if isinstance(decoded, Control):
            self._on_control(link, decoded)
        elif isinstance(decoded, Decoded):
            self._on_data(decoded)

    def _on_control(self, link: Link, control: Control) -> None:
        if control.pong is not None:
            link.pong()
        elif control.error:
            log.warning("the venue refused a subscription (%s %s): %s", control.topic, control.symbol, control.error)
            for sub in self._subs.values():
                if sub.key.symbol == control.symbol and (not control.topic or control.topic in str(sub.key)):
                    self._mark_stale(sub, control.error)

    def _on_data(self, decoded: Decoded) -> None:
        sub = self._subs.get(decoded.key)
        if sub is None:
            return  # a late message for a subscription just cancelled
        sub.last_message = time.monotonic()
        if sub.stale:
            sub.stale = False
            self._sink(SubscriptionStatus(sub.key, stale=False))
            self._report_fresh(self._link_for(sub.key))
        for event in decoded.events:
            if isinstance(event, BookEvent):
                self._deliver_book(event.book)
            elif isinstance(event, CandleEvent):
                self._deliver_candle(sub, event)
            else:
                self._sink(event)

    def _deliver_book(self, book: OrderBook) -> None:
        keeper = self._books.setdefault(book.symbol, BookKeeper())
        if keeper.apply(book):
            self._sink(BookEvent(book))

    def _deliver_candle(self, sub: _Subscription, event: CandleEvent) -> None:
        open_ms = event.candle.open_time_ms
        if sub.last_candle_ms is None or open_ms >= sub.last_candle_ms:
            sub.last_candle_ms = open_ms
        self._sink(event)

    def _report_fresh(self, link: Link) -> None:
        """The link was reported STALE; once none of its subscriptions is, it is LIVE again."""
        if link.name not in self._stale_links or not link.live:
            return
        if not any(s.stale for s in self._subs.values() if self._link_for(s.key) is link):
            self._stale_links.discard(link.name)
            self._sink(ConnectionEvent(link.name, ConnectionState.LIVE))

    def _mark_stale(self, sub: _Subscription, reason: str) -> None:
        if not sub.stale:
            sub.stale = True
            self._sink(SubscriptionStatus(sub.key, stale=True, reason=reason))

    # ---- the silence watchdog ---------------------------------------------------------------

    async def _watch_silence(self) -> None:
        while True:
            await asyncio.sleep(self._watchdog_period)
            now = time.monotonic()
            for sub in list(self._subs.values()):
                limit = self._silence[sub.key.topic]
                link = self._link_for(sub.key)
                if link.live and now - sub.last_message > limit:
                    reason = f"no {sub.key.topic} data for {limit:g} s"
                    log.warning("%s: %s; subscribing again", sub.key, reason)
                    self._mark_stale(sub, reason)
                    if link.name not in self._stale_links:
                        self._stale_links.add(link.name)
                        self._sink(ConnectionEvent(link.name, ConnectionState.STALE, reason=f"{sub.key}: {reason}"))
                    sub.last_message = now
                    await link.send(self._request(sub.key, "cancel"))
                    await link.send(self._request(sub.key, "sub"))
                    if sub.key.topic is Topic.CANDLES:
                        self._spawn(self._fill_candle_gap(sub, sub.last_candle_ms))
