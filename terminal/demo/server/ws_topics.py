"""The subscriptions of a public connection, one class per topic and version: when due, what to send."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from terminal.demo.exchange import DemoExchange
from terminal.demo.server import ws_wire as wire
from terminal.demo.server.ws_cache import WireCache
from terminal.demo.server.ws_session import CLOSE_SLOW_CLIENT, Outgoing, Session
from terminal.domain.intervals import Interval
from terminal.domain.market import PublicTrade

TICK_S = 0.1  # the base tick of periodic topics
FIRST_TRADES = 60  # 004, v1 trade: "you will receive an update of the most recent 60 trades"


class Stream:
    """A subscription: listens to the bus, renders its topic when due.

    004 gives each topic a cadence. v1: kline every 300 ms, realtimes every 500 ms, trade batched
    every 300 ms (the first message carries the latest 60 trades), depth every 300 ms. v2: kline,
    realtimes, trade and bbo in real time, depth every 100 ms. Periodic topics count base ticks of
    100 ms; topics of one period share their slots, so a connection's depths go out together.

    In feed-rate mode a state topic (``paced``) ignores its cadence: it sends as many fresh renders
    of its state as the pacer's ``credit`` allows, changed or not; trades keep their cadence.
    """

    topic: ClassVar[str]  # the fault-injection name of the topic: depth, trade, kline, realtimes, bbo
    every: ClassVar[int | None] = None  # periodic: base ticks between pushes; None: real time
    paced: ClassVar[bool] = True  # a state topic: takes a share of the feed rate in feed-rate mode

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        self.exchange = exchange
        self.cache = cache
        self.session = session
        self.symbol = symbol
        self.subscribed_ms = exchange.now_ms()
        self.symbol_name = exchange.listings[symbol].instrument.name or symbol
        self.initial = True  # a push is due as soon as the subscription starts
        self.first = True  # nothing sent yet ("f": true)
        self.dirty = False
        self._slot = tick // self.every if self.every else 0
        self._stops: list[Callable[[], None]] = []
        self.credit = 0.0  # feed-rate mode: messages due (the pacer adds, sending takes)
        if self.paced:
            self._stops.append(exchange.feed.join())

    def listen(self, channel: Hashable, callback: Callable[[Any], None]) -> None:
        self._stops.append(self.exchange.bus.subscribe(channel, callback))

    def stop(self) -> None:
        for stop in self._stops:
            stop()
        self._stops.clear()

    def due(self, tick: int) -> bool:
        if self.initial:
            return True
        if self.every is None:
            return self.dirty
        slot = tick // self.every
        if slot <= self._slot:
            return False
        self._slot = slot
        return self.has_news()

    def has_news(self) -> bool:
        """For periodic topics: whether this period has anything to send."""
        return True

    def poll(self, tick: int, now_ms: int) -> Outgoing | None:
        if not self.due(tick):
            return None
        self.initial = False
        self.dirty = False
        body = self.render(now_ms)
        if body is None:
            return None
        self.first = False
        return Outgoing(lambda: body, self.topic, self.symbol, self.subscribed_ms)

    def render(self, now_ms: int) -> Any:
        raise NotImplementedError

    def render_state(self, now_ms: int) -> Any:
        """Feed-rate mode: the topic's current state, whether or not it changed since the last push."""
        return self.render(now_ms)

    def feed(self) -> list[Outgoing]:
        """Feed-rate mode: the messages the credit allows, each rendered (and timed) when its turn comes."""
        count = int(self.credit)
        if count <= 0:
            return []
        self.credit -= count
        return [Outgoing(self._render_now, self.topic, self.symbol, self.subscribed_ms)] * count

    def _render_now(self) -> Any:
        body = self.render_state(self.exchange.now_ms())
        if body is not None:
            self.first = False
        return body

    def skip(self) -> None:
        """The topic is paused or the stream silenced: what happens meanwhile is not sent later."""
        self.credit %= 1.0  # feed-rate mode: what was due meanwhile is dropped, the phase kept

    def mark(self, _event: object = None) -> None:
        """A bus callback: the topic changed (periodic topics wait for their slot)."""
        self.dirty = True
        if self.every is None:
            self.session.wake()


# ---- v1 ------------------------------------------------------------------------------------------


class V1Stream(Stream):
    interval: Interval | None = None

    def envelope(self, data: list[wire.Json], now_ms: int, channel_id: str | None = None) -> wire.Json:
        return wire.v1_message(
            self.symbol,
            self.symbol_name,
            self.topic,
            wire.v1_params(self.interval),
            data,
            first=self.first,
            send_time=now_ms,
            channel_id=channel_id,
        )


class KlineV1(V1Stream):
    topic = "kline"
    every = 3

    def __init__(
        self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int, interval: Interval
    ) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.interval = interval

    def render(self, now_ms: int) -> Any:
        assert self.interval is not None
        candle = self.cache.kline(self.symbol, self.interval, "v1", now_ms)
        return None if candle is None else self.envelope([candle], now_ms)


class RealtimesV1(V1Stream):
    topic = "realtimes"
    every = 5

    def render(self, now_ms: int) -> Any:
        ticker = self.cache.realtimes(self.symbol, "v1", now_ms)
        return None if ticker is None else self.envelope([ticker], now_ms)


class TradeV1(V1Stream):
    topic = "trade"
    every = 3
    paced = False

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self._pending: deque[PublicTrade] = deque()
        self.listen(("trade", symbol), self._on_trade)

    def _on_trade(self, trade: PublicTrade) -> None:
        if len(self._pending) >= self.session.queue_limit:
            self._pending.clear()
            self.session.request_close(*CLOSE_SLOW_CLIENT)
            return
        self._pending.append(trade)

    def has_news(self) -> bool:
        return bool(self._pending)

    def render(self, now_ms: int) -> Any:
        # First the tape's latest 60 trades (it holds every trade queued so far), then batches.
        trades = self.exchange.market.recent_trades(self.symbol, FIRST_TRADES) if self.first else list(self._pending)
        self._pending.clear()
        if not trades and not self.first:
            return None
        return self.envelope([wire.trade(item) for item in trades], now_ms)

    def skip(self) -> None:
        super().skip()
        self._pending.clear()


class DepthV1(V1Stream):
    topic = "depth"
    every = 3

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.listen(("book", symbol), self.mark)

    def has_news(self) -> bool:
        return self.dirty

    def render(self, now_ms: int) -> Any:
        # "t" is the time of this push: the book as it stands now (so a client can time each push).
        version, bids, asks = self.cache.depth(self.symbol)
        data = wire.v1_depth_of(self.symbol, now_ms, version, bids, asks)
        return self.envelope([data], now_ms, self.session.channel_id)


# ---- v2 ------------------------------------------------------------------------------------------


class KlineV2(Stream):
    topic = "kline"

    def __init__(
        self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int, interval: Interval
    ) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.interval = interval
        self.params = {"symbol": symbol, "klineType": str(interval)}
        self.listen(("trade", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        candle = self.cache.kline(self.symbol, self.interval, "v2", now_ms)
        return None if candle is None else wire.v2_message("kline", self.params, candle)


class RealtimesV2(Stream):
    topic = "realtimes"

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.params = {"symbol": symbol}
        self.listen(("trade", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        ticker = self.cache.realtimes(self.symbol, "v2", now_ms)
        return None if ticker is None else wire.v2_message("realtimes", self.params, ticker)


class TradeV2(Stream):
    """One message per trade, queued as it happens (nothing on subscribing)."""

    topic = "trade"
    paced = False

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.initial = False
        self.listen(("trade", symbol), self._on_trade)

    def _on_trade(self, trade: PublicTrade) -> None:
        params = {"symbol": self.symbol}
        self.session.push(
            Outgoing(
                lambda: wire.v2_message("trade", params, wire.trade(trade)), "trade", self.symbol, self.subscribed_ms
            )
        )

    def render(self, now_ms: int) -> Any:
        return None


class DepthV2(Stream):
    topic = "depth"
    every = 1

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.params = {"symbol": symbol}
        self.listen(("book", symbol), self.mark)

    def has_news(self) -> bool:
        return self.dirty

    def render(self, now_ms: int) -> Any:
        # "t" is the time of this push: the book as it stands now (so a client can time each push).
        version, bids, asks = self.cache.depth(self.symbol)
        return wire.v2_message("depth", self.params, wire.v2_depth_of(self.symbol, now_ms, version, bids, asks))


class BboV2(Stream):
    """Best bid and offer, sent when either price or size changed since the last push."""

    topic = "bbo"

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, cache, session, symbol, tick)
        self.params = {"symbol": symbol}
        self._last: tuple[object, ...] | None = None
        self.listen(("book", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        state, _ = self.cache.bbo(self.symbol)
        return None if state == self._last else self.render_state(now_ms)

    def render_state(self, now_ms: int) -> Any:
        state, data = self.cache.bbo(self.symbol)
        self._last = state
        return wire.v2_message("bbo", self.params, {**data, "t": now_ms})
