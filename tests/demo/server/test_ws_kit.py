"""What the WebSocket tests share (no tests here): 004's push examples, which every push is compared with
key for key and JSON type for JSON type, a running demo server, traders, and waits."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

from starlette.applications import Starlette
from websockets.asyncio.client import ClientConnection, connect

from terminal.demo.exchange import DemoConfig, DemoExchange
from terminal.demo.results import PlaceResult
from terminal.demo.server.ws import ws_routes
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from tests.support.http_recorder import serve

D = Decimal
# A fixed exchange clock in the middle of a minute: every trade of a test lands in one candle.
MINUTE_OPEN = 1_766_727_660_000  # the open time of the document's kline example
NOW = MINUTE_OPEN + 30_000
WAIT_S = 3.0  # the longest any expected message may take (generous: only a failure waits this long)

# ---- 004's examples -------------------------------------------------------------------------------

V1_KLINE = {
    "symbol": "BTCUSDT",
    "symbolName": "BTCUSDT",
    "topic": "kline",
    "params": {"realtimeInterval": "24h", "klineType": "1m", "binary": "false"},
    "data": [
        {
            "t": 1766727660000,
            "s": "BTCUSDT",
            "sn": "BTCUSDT",
            "c": "88888.01",
            "h": "88888.01",
            "l": "88888.01",
            "o": "88888.01",
            "v": "0",
            "et": 0,
            "qv": "0",
            "td": 0,
            "tb": "0",
            "tq": "0",
        }
    ],
    "f": True,
    "sendTime": 1766727675969,
    "shared": False,
}

V1_REALTIMES = {
    "symbol": "BTCUSDT",
    "symbolName": "BTCUSDT",
    "topic": "realtimes",
    "params": {"realtimeInterval": "24h", "binary": "false"},
    "data": [
        {
            "t": 1764598623773,
            "s": "BTCUSDT",
            "sn": "BTCUSDT",
            "c": "86127.13",
            "h": "91854.4",
            "l": "84834.68",
            "o": "91592.99",
            "v": "23.90583",
            "qv": "2071254.823793",
            "m": "-0.0597",
            "e": 301,
        }
    ],
    "f": False,
    "sendTime": 1764598623952,
    "shared": False,
}

V1_TRADE = {
    "symbol": "BTCUSDT",
    "symbolName": "BTCUSDT",
    "topic": "trade",
    "params": {"realtimeInterval": "24h", "binary": "false"},
    "data": [{"v": "4620696243481038848", "t": 1764598927887, "p": "86101.4", "q": "0.00314", "m": False}],
    "f": False,
    "sendTime": 1764598928016,
    "shared": False,
}

V1_DEPTH = {
    "symbol": "BTCUSDT",
    "symbolName": "BTCUSDT",
    "topic": "depth",
    "params": {"realtimeInterval": "24h", "binary": "false"},
    "data": [
        {
            "e": 301,
            "s": "BTCUSDT",
            "t": 1764599292355,
            "v": "538222447_18",
            "b": [["86296.37", "0.00046"], ["86296.29", "0.0006"]],
            "a": [["86296.38", "0.00115"], ["86300.51", "0.00986"]],
            "o": 0,
        }
    ],
    "f": False,
    "sendTime": 1764599292481,
    "channelId": "0edeeafffed451ae-00000001-002a4da4-b065b0d60d88615a-688ef045",
    "shared": False,
}

V2_KLINE = {
    "topic": "kline",
    "params": {"symbol": "BTCUSDT", "klineType": "1m"},
    "data": {
        "t": 1766728080000,
        "s": "BTCUSDT",
        "sn": "BTCUSDT",
        "c": "88947.71",
        "h": "88947.71",
        "l": "88947.71",
        "o": "88947.71",
        "v": "0",
    },
}

V2_REALTIMES = {
    "topic": "realtimes",
    "params": {"symbol": "BTCUSDT"},
    "data": {
        "t": 1766728440004,
        "s": "BTCUSDT",
        "o": "87740.12",
        "h": "89270.33",
        "l": "86971.82",
        "c": "88910.23",
        "v": "0.20041",
        "qv": "17621.0846565",
        "m": "0.0133",
    },
}

V2_TRADE = {
    "topic": "trade",
    "params": {"symbol": "ETHUSDT"},
    "data": {"v": "4645465192627367936", "t": 1766728952350, "p": "2974.53", "q": "0.0089", "m": False},
}

V2_DEPTH = {
    "topic": "depth",
    "params": {"symbol": "BTCUSDT"},
    "data": {
        "s": "BTCUSDT",
        "t": 1764659869550,
        "v": "735962141_2",
        "b": [["86962.98", "0.04215"], ["86961.35", "0.00057"]],
        "a": [["86962.99", "0.34497"], ["86963.94", "0.00114"]],
    },
}

V2_BBO = {
    "topic": "bbo",
    "params": {"symbol": "ETHUSDT"},
    "data": {"s": "ETHUSDT", "b": "2974.52", "bz": "0.0202", "a": "2974.85", "az": "0.2838", "t": 1766729017183},
}

PUBLIC_PONG = {"pong": 1748503865406}
PRIVATE_PING = {"ping": 1748504490208, "channelId": "02ac86fffe5fdf52-00000001-00266eb0-74a37ad40fb20d81-0cda790b"}

ACCOUNT_INFO = [
    {
        "e": "outboundAccountInfo",
        "E": "1764932840383",
        "T": True,
        "W": True,
        "D": True,
        "B": [{"a": "BTC", "f": "6086.715847759989968887", "l": "0", "r": ""}],
    }
]

EXECUTION_REPORT = [
    {
        "e": "executionReport",
        "E": "1766730014188",
        "s": "BTCUSDT",
        "c": "1766730014087296",
        "S": "BUY",
        "o": "MARKET_OF_QUOTE",
        "f": "IOC",
        "q": "0",
        "p": "0",
        "X": "PARTIALLY_FILLED",
        "i": "2113879002607330816",
        "l": "0.00885",
        "z": "0.00885",
        "L": "112934.82",
        "n": "0.000013275",
        "N": "BTC",
        "u": True,
        "w": True,
        "m": False,
        "O": "1766730014098",
        "Z": "999.473157",
        "C": False,
        "v": "0",
        "reqAmt": "1000",
        "d": "2113879003035149824",
        "r": "0",
        "V": "112934.82",
        "P": "0",
        "lo": False,
        "lt": "",
        "x": "",
    }
]

TICKET_INFO = [
    {
        "e": "ticketInfo",
        "E": "1766730154173",
        "s": "USDTAED",
        "q": "1.00",
        "t": "1766730154162",
        "p": "91446.40",
        "T": "2113880177556930560",
        "o": "2113880177188611584",
        "c": "99999999980006",
        "a": "1695624199740137984",
        "m": False,
        "S": "BUY",
    }
]


def json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    return type(value).__name__


def assert_shape(actual: object, example: object, where: str = "$") -> None:
    """``actual`` has exactly the example's keys, with the same JSON types, at every depth."""
    assert json_type(actual) == json_type(example), f"{where}: {actual!r} is not like {example!r}"
    if isinstance(example, dict):
        assert isinstance(actual, dict)
        assert list(actual) == list(example), f"{where}: keys {list(actual)} != {list(example)}"
        for key, value in example.items():
            assert_shape(actual[key], value, f"{where}.{key}")
    elif isinstance(example, list) and example:
        assert isinstance(actual, list)
        for index, item in enumerate(actual):
            assert_shape(item, example[0], f"{where}[{index}]")


# ---- a running server -------------------------------------------------------------------------------


def make_exchange(**config: Any) -> DemoExchange:
    return DemoExchange(DemoConfig(**config), clock=lambda: NOW)


@contextlib.asynccontextmanager
async def running(exchange: DemoExchange, **options: Any) -> AsyncIterator[str]:
    """Serve the WebSocket routes; yield the ws:// base URL."""
    async with serve(Starlette(routes=ws_routes(exchange, **options))) as url:
        yield url.replace("http://", "ws://")


@contextlib.asynccontextmanager
async def public(url: str, version: str = "v1") -> AsyncIterator[ClientConnection]:
    async with connect(f"{url}/quote/ws/{version}", open_timeout=WAIT_S, close_timeout=1) as ws:
        yield ws


async def send(ws: ClientConnection, message: object) -> None:
    await ws.send(json.dumps(message))


async def receive(ws: ClientConnection, timeout: float = WAIT_S) -> Any:
    return json.loads(await asyncio.wait_for(ws.recv(), timeout))


async def receive_until(
    ws: ClientConnection, wanted: Callable[[Any], bool], timeout: float = WAIT_S
) -> tuple[Any, list[Any]]:
    """The first message ``wanted`` accepts, and every message received before it."""
    skipped: list[Any] = []
    async with asyncio.timeout(timeout):
        while True:
            message = json.loads(await ws.recv())
            if wanted(message):
                return message, skipped
            skipped.append(message)


async def barrier(ws: ClientConnection) -> list[Any]:
    """Ping and wait for the pong: the server has handled everything sent before. Returns what came first."""
    await send(ws, {"ping": 1})
    _, before = await receive_until(ws, lambda m: isinstance(m, dict) and "pong" in m)
    return before


async def assert_quiet(ws: ClientConnection, seconds: float = 0.4) -> None:
    """Nothing arrives for a while (only for what cannot be ordered against another message)."""
    with contextlib.suppress(TimeoutError):
        message = await asyncio.wait_for(ws.recv(), seconds)
        raise AssertionError(f"expected silence, got {message!r}")


def v1_sub(symbol: str, topic: str, event: str = "sub") -> dict[str, Any]:
    return {"symbol": symbol, "topic": topic, "event": event, "params": {"binary": False}}


def v2_sub(topic: str, symbol: str, event: str = "sub", **params: str) -> dict[str, Any]:
    return {"topic": topic, "event": event, "params": {"symbol": symbol, **params}}


def is_topic(topic: str, symbol: str = "BTCUSDT") -> Callable[[Any], bool]:
    def check(message: Any) -> bool:
        if not isinstance(message, dict) or message.get("topic") != topic:
            return False
        return bool(message.get("symbol", message.get("params", {}).get("symbol")) == symbol)

    return check


# ---- traders -----------------------------------------------------------------------------------------


def account(exchange: DemoExchange) -> str:
    return exchange.open_account({"BTC": D(100), "ETH": D(1000), "USDT": D(100_000_000)})


def limit(
    exchange: DemoExchange, account_id: str, side: Side, price: str, qty: str, symbol: str = "BTCUSDT"
) -> PlaceResult:
    request = OrderRequest(symbol, side, OrderType.LIMIT, quantity=D(qty), price=D(price))
    return exchange.place(account_id, request)


def take(
    exchange: DemoExchange, account_id: str, side: Side, price: str, qty: str, symbol: str = "BTCUSDT"
) -> PlaceResult:
    """An IOC limit order that crosses whatever rests at ``price`` or better."""
    request = OrderRequest(
        symbol, side, OrderType.LIMIT, quantity=D(qty), price=D(price), time_in_force=TimeInForce.IOC
    )
    return exchange.place(account_id, request)


def trade(
    exchange: DemoExchange, maker: str, taker: str, aggressor: Side, price: str, qty: str, symbol: str = "BTCUSDT"
) -> PlaceResult:
    """One trade at ``price``: the maker rests, the taker (on ``aggressor``'s side) crosses it."""
    limit(exchange, maker, aggressor.opposite, price, qty, symbol)
    return take(exchange, taker, aggressor, price, qty, symbol)
