"""A fake Longbridge quote gateway on loopback, for the real SDK (``AsyncQuoteContext``).

One asyncio loop in a thread of its own serves both ``GET /v1/socket/token`` (the one-time password the
SDK asks for before it connects), ``GET /v1/watchlist/groups`` and the binary WebSocket protocol
(``/?version=1&codec=1&platform=9``): header byte (low 4 bits: 1 request, 2 response, 3 push), then
big-endian command, request id, timeout or status and a 24-bit body length; protobuf bodies (quote/api.proto).
The test drives it through a thread-safe control API: prices, depth and trades pushed to subscribers,
dropped connections.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import random
import struct
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from http import HTTPStatus
from types import TracebackType
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve
from websockets.datastructures import Headers
from websockets.http11 import Request, Response

from tests.support import main_thread_gc
from tests.support.longbridge_quotes import proto

HOST = "127.0.0.1"

# Commands (quote/api.proto, enum Command).
AUTH, RECONNECT, QUOTE_PROFILE, SUBSCRIPTION, SUBSCRIBE, UNSUBSCRIBE = 2, 3, 4, 5, 6, 7
TRADE_PERIOD, TRADE_DAY, STATIC_INFO, SECURITY_QUOTE, DEPTH, TRADES = 8, 9, 10, 11, 14, 17
CANDLESTICKS, HISTORY_CANDLESTICKS = 19, 27
PUSH_QUOTE, PUSH_DEPTH, PUSH_TRADE = 101, 102, 104
# SubType
SUB_QUOTE, SUB_DEPTH, SUB_BROKERS, SUB_TRADE = 1, 2, 3, 4
# Period -> seconds (enum Period)
PERIOD_SECONDS = {
    1: 60,
    2: 120,
    3: 180,
    5: 300,
    10: 600,
    15: 900,
    20: 1200,
    30: 1800,
    45: 2700,
    60: 3600,
    120: 7200,
    180: 10800,
    240: 14400,
    1000: 86400,
    2000: 7 * 86400,
    3000: 30 * 86400,
}


@dataclass
class FakeSecurity:
    symbol: str
    name: str
    currency: str
    lot_size: int
    exchange: str
    board: str
    last: str


@dataclass
class QuoteState:
    last: str
    open: str
    high: str
    low: str
    prev_close: str
    volume: int = 0
    turnover: str = "0"
    timestamp: int = 0


@dataclass(frozen=True)
class FakeTrade:
    price: str
    volume: int
    timestamp: int
    direction: int = 2  # 0 neutral, 1 down, 2 up


@dataclass
class _Connection:
    ws: ServerConnection
    subs: dict[str, set[int]] = field(default_factory=dict)


DEFAULT_SECURITIES = (
    FakeSecurity("700.HK", "Tencent Holdings", "HKD", 100, "SEHK", "HKEquity", "320.0"),
    FakeSecurity("9988.HK", "Alibaba Group", "HKD", 100, "SEHK", "HKEquity", "82.35"),
    FakeSecurity("AAPL.US", "Apple Inc.", "USD", 1, "NASD", "USMain", "190.5"),
    FakeSecurity("TSLA.US", "Tesla, Inc.", "USD", 1, "NASD", "USMain", "250.1"),
)


def _response(cmd: int, request_id: int, body: bytes = b"", status: int = 0) -> bytes:
    return bytes([0x02, cmd]) + struct.pack(">IB", request_id, status) + len(body).to_bytes(3, "big") + body


def _push(cmd: int, body: bytes) -> bytes:
    return bytes([0x03, cmd]) + len(body).to_bytes(3, "big") + body


def _depth_rows(levels: Sequence[tuple[str, int]]) -> list[bytes]:
    return [
        proto.integer(1, i + 1) + proto.text(2, price) + proto.integer(3, volume) + proto.integer(4, 1)
        for i, (price, volume) in enumerate(levels)
    ]


def _trade_body(trade: FakeTrade) -> bytes:
    return (
        proto.text(1, trade.price)
        + proto.integer(2, trade.volume)
        + proto.integer(3, trade.timestamp)
        + proto.integer(5, trade.direction)
    )


class LongbridgeQuoteServer:
    """The gateway on ``http://127.0.0.1:PORT`` (HTTP) and ``ws://127.0.0.1:PORT`` (quotes), one port."""

    def __init__(self, securities: Iterable[FakeSecurity] = DEFAULT_SECURITIES) -> None:
        self.securities = {s.symbol: s for s in securities}
        self.quotes = {
            s.symbol: QuoteState(s.last, s.last, s.last, s.last, s.last, 1000, s.last, int(time.time()))
            for s in self.securities.values()
        }
        self.depth: dict[str, tuple[list[tuple[str, int]], list[tuple[str, int]]]] = {}
        self.trades: dict[str, list[FakeTrade]] = {}
        self.watchlist_groups: list[tuple[str, list[str]]] = [("Mine", ["700.HK", "AAPL.US"]), ("HK", ["9988.HK"])]
        self.tokens_seen: list[str] = []  # Authorization of every /v1/socket/token request
        self.commands: list[int] = []  # every request's command, in order
        self._connections: list[_Connection] = []
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        self._stop: asyncio.Event | None = None
        self.port = 0

    # -- life --------------------------------------------------------------------------------------
    @property
    def http_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def quote_ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def start(self) -> LongbridgeQuoteServer:
        main_thread_gc.hold()
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), name="longbridge-quotes", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake quote gateway did not start")
        return self

    def stop(self) -> None:
        if self._thread is None:
            return
        loop, stop = self._loop, self._stop
        if loop is not None and stop is not None:
            loop.call_soon_threadsafe(stop.set)
        self._thread.join(10)
        self._thread = None
        main_thread_gc.release()

    def __enter__(self) -> LongbridgeQuoteServer:
        return self.start()

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        asyncio.run(self._main(ready))

    async def _main(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(self._handle, HOST, 0, process_request=self._http, ping_interval=None) as server:
            self._server = server
            self.port = next(iter(server.sockets)).getsockname()[1]
            ready.set()
            await self._stop.wait()
            for connection in list(self._connections):
                await connection.ws.close()

    # -- control (any thread) -------------------------------------------------------------------------
    def _call(self, coro: Any) -> Any:
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def set_quote(self, symbol: str, last: str, *, volume: int | None = None, turnover: str | None = None) -> None:
        """A new last price, pushed (101) to the symbol's QUOTE subscribers."""
        self._call(self._set_quote(symbol, last, volume, turnover))

    def push_depth(self, symbol: str, bids: Sequence[tuple[str, int]], asks: Sequence[tuple[str, int]]) -> None:
        """Replace the symbol's book and push it (102) to DEPTH subscribers."""
        self._call(self._push_depth(symbol, list(bids), list(asks)))

    def push_trades(self, symbol: str, trades: Sequence[tuple[str, int] | FakeTrade]) -> None:
        """Record trades (price, volume) and push them (104) to TRADE subscribers."""
        now = int(time.time())
        made = [t if isinstance(t, FakeTrade) else FakeTrade(t[0], t[1], now) for t in trades]
        self._call(self._push_trades(symbol, made))

    def drop_connections(self) -> None:
        """Close every quote socket (the SDK reconnects by itself)."""
        self._call(self._drop())

    def subscriptions(self) -> dict[str, set[int]]:
        """What the open connections are subscribed to: symbol -> SubType numbers."""
        with self._lock:
            merged: dict[str, set[int]] = {}
            for connection in self._connections:
                for symbol, kinds in connection.subs.items():
                    if kinds:
                        merged.setdefault(symbol, set()).update(kinds)
            return merged

    @property
    def connection_count(self) -> int:
        with self._lock:
            return len(self._connections)

    # -- pushes -----------------------------------------------------------------------------------------
    async def _broadcast(self, symbol: str, kind: int, frame: bytes) -> None:
        with self._lock:
            targets = [c.ws for c in self._connections if kind in c.subs.get(symbol, ())]
        for ws in targets:
            with contextlib.suppress(Exception):
                await ws.send(frame)

    def _quote_push_body(self, symbol: str) -> bytes:
        q = self.quotes[symbol]
        return (
            proto.text(1, symbol)
            + proto.integer(2, int(time.time() * 1000))
            + proto.text(3, q.last)
            + proto.text(4, q.open)
            + proto.text(5, q.high)
            + proto.text(6, q.low)
            + proto.integer(7, q.timestamp)
            + proto.integer(8, q.volume)
            + proto.text(9, q.turnover)
        )

    async def _set_quote(self, symbol: str, last: str, volume: int | None, turnover: str | None) -> None:
        q = self.quotes[symbol]
        q.last = last
        q.high = max(q.high, last, key=float)
        q.low = min(q.low, last, key=float)
        q.volume = q.volume + 100 if volume is None else volume
        if turnover is not None:
            q.turnover = turnover
        q.timestamp = int(time.time())
        await self._broadcast(symbol, SUB_QUOTE, _push(PUSH_QUOTE, self._quote_push_body(symbol)))

    async def _push_depth(self, symbol: str, bids: list[tuple[str, int]], asks: list[tuple[str, int]]) -> None:
        self.depth[symbol] = (bids, asks)
        body = (
            proto.text(1, symbol)
            + proto.integer(2, int(time.time() * 1000))
            + proto.messages(3, _depth_rows(asks))
            + proto.messages(4, _depth_rows(bids))
        )
        await self._broadcast(symbol, SUB_DEPTH, _push(PUSH_DEPTH, body))

    async def _push_trades(self, symbol: str, trades: list[FakeTrade]) -> None:
        self.trades.setdefault(symbol, []).extend(trades)
        body = proto.text(1, symbol) + proto.integer(2, int(time.time() * 1000))
        body += proto.messages(3, [_trade_body(t) for t in trades])
        await self._broadcast(symbol, SUB_TRADE, _push(PUSH_TRADE, body))

    async def _drop(self) -> None:
        with self._lock:
            targets = [c.ws for c in self._connections]
        for ws in targets:
            ws.transport.abort()

    # -- HTTP --------------------------------------------------------------------------------------------
    def _http(self, connection: ServerConnection, request: Request) -> Response | None:
        path = request.path.split("?")[0]
        if request.headers.get("Upgrade", "").lower() == "websocket":
            return None
        if path == "/v1/socket/token":
            self.tokens_seen.append(request.headers.get("Authorization", ""))
            return _json({"code": 0, "message": "success", "data": {"otp": "fake-otp", "limit": 10, "online": 0}})
        if path == "/v1/watchlist/groups":
            groups = [
                {
                    "id": str(i + 1),
                    "name": name,
                    "securities": [
                        {
                            "symbol": s,
                            "market": s.rsplit(".", 1)[1],
                            "name": self.securities[s].name if s in self.securities else s,
                            "watched_price": "",
                            "watched_at": "1700000000",
                        }
                        for s in symbols
                    ],
                }
                for i, (name, symbols) in enumerate(self.watchlist_groups)
            ]
            return _json({"code": 0, "message": "success", "data": {"groups": groups}})
        return _json({"code": 404, "message": "not found"}, HTTPStatus.NOT_FOUND)

    # -- WebSocket ------------------------------------------------------------------------------------------
    async def _handle(self, ws: ServerConnection) -> None:
        connection = _Connection(ws)
        with self._lock:
            self._connections.append(connection)
        try:
            async for frame in ws:
                if isinstance(frame, bytes) and frame and frame[0] & 0x0F == 1:
                    await self._request(connection, frame)
        except Exception:
            pass
        finally:
            with self._lock:
                self._connections.remove(connection)

    async def _request(self, connection: _Connection, frame: bytes) -> None:
        cmd = frame[1]
        (request_id,) = struct.unpack(">I", frame[2:6])
        size = int.from_bytes(frame[8:11], "big")
        fields = proto.decode(frame[11 : 11 + size])
        self.commands.append(cmd)
        body = self._answer(connection, cmd, fields)
        await connection.ws.send(_response(cmd, request_id, body))

    def _answer(self, connection: _Connection, cmd: int, fields: proto.Fields) -> bytes:
        if cmd == SUBSCRIBE:
            with self._lock:
                for symbol in proto.strings(fields, 1):
                    connection.subs.setdefault(symbol, set()).update(proto.ints(fields, 2))
            return b""
        if cmd == UNSUBSCRIBE:
            with self._lock:
                if proto.first_int(fields, 3):
                    connection.subs.clear()
                for symbol in proto.strings(fields, 1):
                    connection.subs.get(symbol, set()).difference_update(proto.ints(fields, 2))
            return b""
        if cmd == SUBSCRIPTION:
            with self._lock:
                rows = [
                    proto.text(1, s) + b"".join(proto.integer(2, k) for k in sorted(v))
                    for s, v in connection.subs.items()
                    if v
                ]
            return proto.messages(1, rows)
        if cmd == STATIC_INFO:
            return proto.messages(1, [self._static(s) for s in proto.strings(fields, 1) if s in self.securities])
        if cmd == SECURITY_QUOTE:
            return proto.messages(1, [self._quote(s) for s in proto.strings(fields, 1) if s in self.quotes])
        if cmd == DEPTH:
            symbol = proto.strings(fields, 1)[0]
            bids, asks = self.depth.get(symbol, ([], []))
            return proto.text(1, symbol) + proto.messages(2, _depth_rows(asks)) + proto.messages(3, _depth_rows(bids))
        if cmd == TRADES:
            symbol = proto.strings(fields, 1)[0]
            count = proto.first_int(fields, 2, 100)
            recent = self.trades.get(symbol, [])[-count:]
            return proto.text(1, symbol) + proto.messages(2, [_trade_body(t) for t in recent])
        if cmd == CANDLESTICKS:
            symbol = proto.strings(fields, 1)[0]
            period, count = proto.first_int(fields, 2), proto.first_int(fields, 3, 100)
            return proto.text(1, symbol) + proto.messages(2, self._candles(symbol, period, count, int(time.time())))
        if cmd == HISTORY_CANDLESTICKS:
            symbol = proto.strings(fields, 1)[0]
            period = proto.first_int(fields, 2)
            offset = proto.first_message(fields, 5)
            count = proto.first_int(offset, 4, 100)
            end = int(time.time())
            date, minute = proto.strings(offset, 2), proto.strings(offset, 3)
            if date:
                moment = dt.datetime.strptime(date[0] + (minute[0] if minute else "0000"), "%Y%m%d%H%M")
                end = int(moment.replace(tzinfo=dt.UTC).timestamp())
            return proto.text(1, symbol) + proto.messages(2, self._candles(symbol, period, count, end))
        if cmd == TRADE_PERIOD:
            periods = proto.messages(2, [proto.integer(1, 0) + proto.integer(2, 2359)])
            return proto.messages(1, [proto.text(1, m) + periods for m in ("HK", "US", "CN", "SG")])
        if cmd == TRADE_DAY:
            begin, until = proto.strings(fields, 2), proto.strings(fields, 3)
            day = dt.datetime.strptime(begin[0], "%Y%m%d").date() if begin else dt.date.today()
            last = dt.datetime.strptime(until[0], "%Y%m%d").date() if until else day
            days: list[bytes] = []
            while day <= last:
                days.append(proto.text(1, day.strftime("%Y%m%d")))
                day += dt.timedelta(days=1)
            return b"".join(days)
        return b""

    def _static(self, symbol: str) -> bytes:
        s = self.securities[symbol]
        return (
            proto.text(1, s.symbol)
            + proto.text(3, s.name)
            + proto.text(6, s.exchange)
            + proto.text(7, s.currency)
            + proto.integer(8, s.lot_size)
            + proto.text(17, s.board)
        )

    def _quote(self, symbol: str) -> bytes:
        q = self.quotes[symbol]
        return (
            proto.text(1, symbol)
            + proto.text(2, q.last)
            + proto.text(3, q.prev_close)
            + proto.text(4, q.open)
            + proto.text(5, q.high)
            + proto.text(6, q.low)
            + proto.integer(7, q.timestamp)
            + proto.integer(8, q.volume)
            + proto.text(9, q.turnover)
        )

    def _candles(self, symbol: str, period: int, count: int, end: int) -> list[bytes]:
        """``count`` candles of ``period`` ending at (the candle holding) ``end``, oldest first: a walk in
        whole ticks that is the same for the same candle (seeded by its open time), ending near the last."""
        step = PERIOD_SECONDS.get(period, 60)
        last_open = end - end % step
        security = self.securities[symbol]
        base = Decimal(security.last)
        tick = Decimal("0.01") if security.currency == "USD" else (Decimal("0.2") if base > 200 else Decimal("0.05"))
        rows: list[bytes] = []
        for i in range(count - 1, -1, -1):
            opened = last_open - i * step
            walk = random.Random(opened // step)
            drift = sum(random.Random(opened // step - k).choice((-1, 0, 1)) for k in range(40))
            close = base + tick * drift
            open_ = close + tick * walk.choice((-2, -1, 0, 1, 2))
            high = max(open_, close) + tick * walk.randint(0, 3)
            low = min(open_, close) - tick * walk.randint(0, 3)
            rows.append(
                proto.text(1, f"{close}")
                + proto.text(2, f"{open_}")
                + proto.text(3, f"{low}")
                + proto.text(4, f"{high}")
                + proto.integer(5, 1000 + walk.randint(0, 5000))
                + proto.text(6, f"{close * 1000}")
                + proto.integer(7, opened)
            )
        return rows


def _json(payload: object, status: HTTPStatus = HTTPStatus.OK) -> Response:
    body = json.dumps(payload).encode()
    headers = Headers([("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return Response(status.value, status.phrase, headers, body)
