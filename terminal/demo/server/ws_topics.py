"""The subscriptions of a public connection, one class per topic and version: when due, what to send."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
from typing import Any, ClassVar

from terminal.demo.exchange import DemoExchange
from terminal.demo.server import ws_wire as wire
from terminal.demo.server.ws_session import CLOSE_SLOW_CLIENT, Outgoing, Session
from terminal.domain.intervals import Interval
from terminal.domain.market import PublicTrade

TICK_S = 0.1  # the base tick of periodic topics
DEPTH_LEVELS = 200  # 004, v1 depth: "can request up to limit of 200"
FIRST_TRADES = 60  # 004, v1 trade: "you will receive an update of the most recent 60 trades"


class Stream:
    """A subscription: listens to the bus, renders its topic when due.

    004 gives each topic a cadence. v1: kline every 300 ms, realtimes every 500 ms, trade batched
    every 300 ms (the first message carries the latest 60 trades), depth every 300 ms. v2: kline,
    realtimes, trade and bbo in real time, depth every 100 ms. Periodic topics count base ticks of
    100 ms; topics of one period share their slots, so a connection's depths go out together.
    """

    topic: ClassVar[str]  # the fault-injection name of the topic: depth, trade, kline, realtimes, bbo
    every: ClassVar[int | None] = None  # periodic: base ticks between pushes; None: real time

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        self.exchange = exchange
        self.session = session
        self.symbol = symbol
        self.subscribed_ms = exchange.now_ms()
        self.symbol_name = exchange.listings[symbol].instrument.name or symbol
        self.initial = True  # a push is due as soon as the subscription starts
        self.first = True  # nothing sent yet ("f": true)
        self.dirty = False
        self._slot = tick // self.every if self.every else 0
        self._stops: list[Callable[[], None]] = []

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

    def skip(self) -> None:
        """The topic is paused or the stream silenced: what happens meanwhile is not sent later."""

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

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int, interval: Interval) -> None:
        super().__init__(exchange, session, symbol, tick)
        self.interval = interval

    def render(self, now_ms: int) -> Any:
        assert self.interval is not None
        candle = self.exchange.market.current_candle(self.symbol, self.interval, now_ms)
        if candle is None:
            return None
        return self.envelope([wire.v1_kline(self.symbol, self.symbol_name, candle)], now_ms)


class RealtimesV1(V1Stream):
    topic = "realtimes"
    every = 5

    def render(self, now_ms: int) -> Any:
        ticker = self.exchange.market.ticker(self.symbol, now_ms)
        if ticker is None:
            return None
        return self.envelope([wire.v1_realtimes(self.symbol, self.symbol_name, ticker)], now_ms)


class TradeV1(V1Stream):
    topic = "trade"
    every = 3

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
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
        self._pending.clear()


class DepthV1(V1Stream):
    topic = "depth"
    every = 3

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
        self.listen(("book", symbol), self.mark)

    def has_news(self) -> bool:
        return self.dirty

    def render(self, now_ms: int) -> Any:
        snapshot = self.exchange.depth(self.symbol, DEPTH_LEVELS)
        return self.envelope([wire.v1_depth(snapshot)], now_ms, self.session.channel_id)


# ---- v2 ------------------------------------------------------------------------------------------


class KlineV2(Stream):
    topic = "kline"

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int, interval: Interval) -> None:
        super().__init__(exchange, session, symbol, tick)
        self.interval = interval
        self.listen(("trade", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        candle = self.exchange.market.current_candle(self.symbol, self.interval, now_ms)
        if candle is None:
            return None
        params = {"symbol": self.symbol, "klineType": str(self.interval)}
        return wire.v2_message("kline", params, wire.v2_kline(self.symbol, self.symbol_name, candle))


class RealtimesV2(Stream):
    topic = "realtimes"

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
        self.listen(("trade", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        ticker = self.exchange.market.ticker(self.symbol, now_ms)
        if ticker is None:
            return None
        return wire.v2_message("realtimes", {"symbol": self.symbol}, wire.v2_realtimes(self.symbol, ticker))


class TradeV2(Stream):
    """One message per trade, queued as it happens (nothing on subscribing)."""

    topic = "trade"

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
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

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
        self.listen(("book", symbol), self.mark)

    def has_news(self) -> bool:
        return self.dirty

    def render(self, now_ms: int) -> Any:
        snapshot = self.exchange.depth(self.symbol, DEPTH_LEVELS)
        return wire.v2_message("depth", {"symbol": self.symbol}, wire.v2_depth(snapshot))


class BboV2(Stream):
    """Best bid and offer, sent when either price or size changed since the last push."""

    topic = "bbo"

    def __init__(self, exchange: DemoExchange, session: Session, symbol: str, tick: int) -> None:
        super().__init__(exchange, session, symbol, tick)
        self._last: tuple[object, ...] | None = None
        self.listen(("book", symbol), self.mark)

    def render(self, now_ms: int) -> Any:
        top = self.exchange.book_ticker(self.symbol)
        state = (top.bid, top.bid_qty, top.ask, top.ask_qty)
        if state == self._last:
            return None
        self._last = state
        return wire.v2_message("bbo", {"symbol": self.symbol}, wire.v2_bbo(top))
