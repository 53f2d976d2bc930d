"""The public market streams v1 and v2 of one connection: requests, subscriptions, the periodic ticker."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable, Collection
from typing import Literal

from terminal.demo.exchange import DemoExchange
from terminal.demo.server import ws_wire as wire
from terminal.demo.server.ws_cache import WireCache
from terminal.demo.server.ws_pacer import pace
from terminal.demo.server.ws_requests import Ignored, Ping, Request, RequestError, Subscription, parse_v1, parse_v2
from terminal.demo.server.ws_session import Outgoing, Session
from terminal.demo.server.ws_topics import (
    TICK_S,
    BboV2,
    DepthV1,
    DepthV2,
    KlineV1,
    KlineV2,
    RealtimesV1,
    RealtimesV2,
    Stream,
    TradeV1,
    TradeV2,
)
from terminal.domain.intervals import Interval

Version = Literal["v1", "v2"]
Key = tuple[str, str, Interval | None]  # topic, symbol, kline interval
GOLDEN = 0.6180339887498949


class PublicFeed:
    """The ``Handler`` of a public connection (v1 or v2).

    A refused request is answered with an error message and the connection stays open. While the
    exchange's faults silence the public streams nothing at all is sent (pongs included); while one
    (topic, symbol) is paused that subscription sends nothing, and what happens meanwhile is not
    sent later (depth and bbo resume with the current book).

    In the exchange's feed-rate mode the state topics go out as the pacer's credit allows (after
    each one's first message, which goes out at once as always); trades keep their cadence.
    """

    def __init__(self, exchange: DemoExchange, cache: WireCache, session: Session, version: Version) -> None:
        self.exchange = exchange
        self.cache = cache
        self.session = session
        self.version = version
        self.tick = 0
        self._phases = itertools.count()
        self.streams: dict[Key, Stream] = {}
        self._parse: Callable[[str, Collection[str]], Request] = parse_v1 if version == "v1" else parse_v2

    # ---- client messages ----------------------------------------------------------------------

    def on_text(self, text: str) -> None:
        try:
            request = self._parse(text, self.exchange.listings)
        except RequestError as refused:
            self._refuse(refused)
            return
        if isinstance(request, Ping):
            self.session.push(Outgoing(lambda: wire.pong(self.exchange.now_ms())))
        elif isinstance(request, Ignored):
            return
        else:
            self._apply(request)

    def _apply(self, request: Subscription) -> None:
        for refused in request.refused:
            self._refuse(refused)
        if request.event == "cancel_all":
            for stream in self.streams.values():
                stream.stop()
            self.streams.clear()
            return
        for symbol in request.symbols:
            key = (request.topic, symbol, request.interval)
            old = self.streams.pop(key, None)
            if old is not None:
                old.stop()
            if request.event == "sub":
                # Subscribing again starts over: a fresh first message ("f": true).
                stream = self._stream(request.topic, symbol, request.interval)
                # Feed-rate mode: streams of one share would all come due in the same step; spread
                # their phases (golden-ratio steps) so a connection's messages come evenly apart.
                stream.credit = next(self._phases) * GOLDEN % 1.0
                self.streams[key] = stream
                self.session.wake()

    def _refuse(self, refused: RequestError) -> None:
        body = wire.error(refused.code, refused.msg, refused.echo)
        self.session.push(Outgoing(lambda: body))

    def _stream(self, topic: str, symbol: str, interval: Interval | None) -> Stream:
        args = (self.exchange, self.cache, self.session, symbol, self.tick)
        if topic == "kline":
            assert interval is not None
            return KlineV1(*args, interval) if self.version == "v1" else KlineV2(*args, interval)
        if self.version == "v1":
            return {"realtimes": RealtimesV1, "trade": TradeV1, "depth": DepthV1}[topic](*args)
        return {"realtimes": RealtimesV2, "trade": TradeV2, "depth": DepthV2, "bbo": BboV2}[topic](*args)

    # ---- the writer's side ----------------------------------------------------------------------

    def collect(self) -> list[Outgoing]:
        now = self.exchange.now_ms()
        faults = self.exchange.faults
        silenced = faults.silenced(now)
        feeding = self.exchange.feed.on
        out: list[Outgoing] = []
        for stream in list(self.streams.values()):
            if silenced or faults.stream_paused(stream.topic, stream.symbol, now, stream.subscribed_ms):
                stream.skip()
                continue
            if feeding and stream.paced and not stream.initial:
                out.extend(stream.feed())
                continue
            message = stream.poll(self.tick, now)
            if message is not None:
                out.append(message)
        return out

    def allowed(self, message: Outgoing) -> bool:
        now = self.exchange.now_ms()
        faults = self.exchange.faults
        if faults.silenced(now):
            return False
        return (
            message.topic is None
            or message.symbol is None
            or not faults.stream_paused(message.topic, message.symbol, now, message.subscribed_ms)
        )

    async def background(self) -> None:
        """The base tick of the periodic topics, and the pacer of feed-rate mode."""
        await asyncio.gather(self._tick(), pace(self.exchange.feed, self.streams.values, self.session.wake))

    async def _tick(self) -> None:
        while True:
            await asyncio.sleep(TICK_S)
            self.tick += 1
            if any(stream.every is not None for stream in self.streams.values()):
                self.session.wake()

    def close(self) -> None:
        for stream in self.streams.values():
            stream.stop()
        self.streams.clear()
