"""The public market streams v1 and v2 of one connection: requests, subscriptions, the periodic ticker."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection
from typing import Literal

from terminal.demo.exchange import DemoExchange
from terminal.demo.server import ws_wire as wire
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


class PublicFeed:
    """The ``Handler`` of a public connection (v1 or v2).

    A refused request is answered with an error message and the connection stays open. While the
    exchange's faults silence the public streams nothing at all is sent (pongs included); while one
    (topic, symbol) is paused that subscription sends nothing, and what happens meanwhile is not
    sent later (depth and bbo resume with the current book).
    """

    def __init__(self, exchange: DemoExchange, session: Session, version: Version) -> None:
        self.exchange = exchange
        self.session = session
        self.version = version
        self.tick = 0
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
                self.streams[key] = self._stream(request.topic, symbol, request.interval)
                self.session.wake()

    def _refuse(self, refused: RequestError) -> None:
        body = wire.error(refused.code, refused.msg, refused.echo)
        self.session.push(Outgoing(lambda: body))

    def _stream(self, topic: str, symbol: str, interval: Interval | None) -> Stream:
        args = (self.exchange, self.session, symbol, self.tick)
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
        out: list[Outgoing] = []
        for stream in list(self.streams.values()):
            if silenced or faults.stream_paused(stream.topic, stream.symbol, now, stream.subscribed_ms):
                stream.skip()
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
        """The base tick of the periodic topics."""
        while True:
            await asyncio.sleep(TICK_S)
            self.tick += 1
            if any(stream.every is not None for stream in self.streams.values()):
                self.session.wake()

    def close(self) -> None:
        for stream in self.streams.values():
            stream.stop()
        self.streams.clear()
