"""Feed-rate mode over real sockets: each state subscription gets its share, depth "t" is the push's time,
trades keep following the market, and the admin route switches it at run time (functional bounds, not timing)."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import Counter
from collections.abc import AsyncIterator
from typing import Any

import httpx
from websockets.asyncio.client import ClientConnection

from terminal.demo.exchange import DemoConfig, wall_ms
from terminal.demo.server.app import DemoServer
from terminal.domain.enums import Side
from tests.demo.server.test_ws_kit import (
    account,
    assert_quiet,
    barrier,
    limit,
    public,
    receive,
    send,
    trade,
    v1_sub,
    v2_sub,
)
from tests.support.demo import fault, running_demo

Key = tuple[str, str]  # topic, symbol


@contextlib.asynccontextmanager
async def still_demo(feed_rate: float = 0.0) -> AsyncIterator[DemoServer]:
    """A demo exchange with no simulated market: nothing changes unless the test trades."""
    async with running_demo(DemoConfig(seed=3, history_days=1, feed_rate=feed_rate), simulate=False) as server:
        exchange = server.exchange
        maker, taker = account(exchange), account(exchange)
        for symbol, price in (("BTCUSDT", "95000"), ("ETHUSDT", "3000")):
            trade(exchange, maker, taker, Side.BUY, price, "0.1", symbol=symbol)  # a ticker and a candle
            limit(exchange, maker, Side.BUY, str(int(price) - 10), "0.5", symbol=symbol)
            limit(exchange, maker, Side.SELL, str(int(price) + 10), "0.5", symbol=symbol)
        yield server


def stream_urls(server: DemoServer) -> str:
    assert server.endpoints is not None
    return server.endpoints.stream_url


def key_of(message: Any) -> Key | None:
    if not isinstance(message, dict) or "topic" not in message:
        return None
    return message["topic"], message.get("symbol") or message["params"]["symbol"]


async def collect(ws: ClientConnection, seconds: float) -> list[Any]:
    """Everything that arrives for ``seconds``."""
    messages: list[Any] = []
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            while True:
                messages.append(json.loads(await ws.recv()))
    return messages


async def feed_state(server: DemoServer) -> Any:
    return await fault(server, "/_demo/feed-rate")


async def test_off_by_default_the_venues_cadences_hold() -> None:
    async with still_demo() as server, public(stream_urls(server), "v2") as ws:
        assert await feed_state(server) == {"rate": 0.0, "subscriptions": 0, "perSubscription": 0.0}
        await send(ws, v2_sub("realtimes", "BTCUSDT"))
        await send(ws, v2_sub("depth", "BTCUSDT"))
        first = Counter(key_of(m) for m in await barrier(ws))
        assert first == Counter([("depth", "BTCUSDT"), ("realtimes", "BTCUSDT")])
        await assert_quiet(ws, 0.5)  # nothing changed: nothing is re-sent
        assert (await feed_state(server))["subscriptions"] == 2


async def test_each_state_subscription_gets_an_equal_share() -> None:
    rate = 240.0
    async with (
        still_demo(rate) as server,
        public(stream_urls(server), "v2") as v2,
        public(stream_urls(server), "v1") as v1,
    ):
        for topic in ("depth", "bbo", "realtimes"):
            await send(v2, v2_sub(topic, "BTCUSDT"))
        await send(v2, v2_sub("kline", "BTCUSDT", klineType="1m"))
        await send(v2, v2_sub("trade", "BTCUSDT"))
        await send(v1, v1_sub("ETHUSDT", "depth"))
        await send(v1, v1_sub("ETHUSDT", "realtimes"))
        await send(v1, v1_sub("ETHUSDT", "trade"))
        await barrier(v2)
        await barrier(v1)
        state = await feed_state(server)
        assert (state["subscriptions"], state["perSubscription"]) == (6, 40.0)  # trades take no share
        seconds = 2.0
        received = await asyncio.gather(collect(v2, seconds), collect(v1, seconds))
    counts = Counter(key_of(m) for messages in received for m in messages)
    expected = rate / 6 * seconds
    state_keys = [("depth", "BTCUSDT"), ("bbo", "BTCUSDT"), ("realtimes", "BTCUSDT"), ("kline", "BTCUSDT")]
    state_keys += [("depth", "ETHUSDT"), ("realtimes", "ETHUSDT")]
    for key in state_keys:
        assert 0.5 * expected <= counts[key] <= 1.5 * expected, (key, counts[key], expected)
    assert set(counts) == set(state_keys)  # no trades happened: no trade message (nor anything else)


async def test_depth_t_is_the_time_of_each_push() -> None:
    async with (
        still_demo(100) as server,
        public(stream_urls(server), "v2") as v2,
        public(stream_urls(server), "v1") as v1,
    ):
        await send(v2, v2_sub("depth", "BTCUSDT"))
        await send(v1, v1_sub("BTCUSDT", "depth"))
        await barrier(v2)
        await barrier(v1)
        before = wall_ms()
        v2_messages, v1_messages = await asyncio.gather(collect(v2, 0.6), collect(v1, 0.6))
        after = wall_ms()
    v2_data = [m["data"] for m in v2_messages]
    v1_data = [m["data"][0] for m in v1_messages]
    for data in (v2_data, v1_data):
        assert len(data) >= 10
        times = [d["t"] for d in data]
        assert before - 50 <= times[0] and times[-1] <= after  # the push's time, not the book's last change
        assert times == sorted(times) and times[-1] - times[0] >= 300
        assert len({d["v"] for d in data}) == 1  # the book did not change: the same state, re-sent
    assert all(m["data"][0]["t"] == m["sendTime"] and m["f"] is False for m in v1_messages)


async def test_trades_follow_the_market_in_feed_mode() -> None:
    async with (
        still_demo(500) as server,
        public(stream_urls(server), "v2") as v2,
        public(stream_urls(server), "v1") as v1,
    ):
        await send(v2, v2_sub("realtimes", "BTCUSDT"))  # a state subscription: the feed runs
        await send(v2, v2_sub("trade", "BTCUSDT"))
        await send(v1, v1_sub("BTCUSDT", "trade"))
        await barrier(v2)
        await barrier(v1)
        exchange = server.exchange
        maker, taker = account(exchange), account(exchange)
        fills = [trade(exchange, maker, taker, Side.BUY, str(95000 + i), "0.01").fills[0] for i in range(3)]
        v2_messages, v1_messages = await asyncio.gather(collect(v2, 0.8), collect(v1, 0.8))
    v2_trades = [m["data"]["v"] for m in v2_messages if m["topic"] == "trade"]
    assert v2_trades == [fill.ticket_id for fill in fills]  # one message per trade, nothing re-sent
    assert len(v2_messages) - len(v2_trades) >= 100  # meanwhile the ticker is fed
    assert len(v1_messages) == 1  # v1 keeps batching every 300 ms
    assert [item["v"] for item in v1_messages[0]["data"]] == [fill.ticket_id for fill in fills]


async def test_the_admin_route_switches_the_mode_at_run_time() -> None:
    async with still_demo() as server, public(stream_urls(server), "v2") as ws:
        await send(ws, v2_sub("realtimes", "BTCUSDT"))
        await barrier(ws)
        loop = asyncio.get_running_loop()
        started = loop.time()
        answer = await fault(server, "/_demo/feed-rate", {"rate": 50})
        assert answer == {"rate": 50.0, "subscriptions": 1, "perSubscription": 50.0}
        await receive(ws, timeout=1.0)
        assert loop.time() - started < 0.5  # within ~100 ms (generous here: a functional check)
        await fault(server, "/_demo/feed-rate", {"rate": 0})
        await collect(ws, 0.2)  # what was already on its way
        await assert_quiet(ws, 0.5)


BAD_RATES: list[object] = [{"rate": -1}, {"rate": "fast"}, {"rate": True}, {"rate": 100_001}, {}, [1], None]


async def test_the_admin_route_refuses_bad_input() -> None:
    async with running_demo(DemoConfig(seed=3, history_days=1, feed_rate=10), simulate=False) as server:
        assert server.endpoints is not None
        async with httpx.AsyncClient(base_url=server.endpoints.rest_url) as http:
            for body in BAD_RATES:
                response = await http.post("/_demo/feed-rate", json=body)
                assert (response.status_code, set(response.json())) == (400, {"error"}), body
            garbage = await http.post("/_demo/feed-rate", content=b"fast", headers={"Content-Type": "application/json"})
            assert garbage.status_code == 400
            too_fast = await http.post("/_demo/feed-rate", json={"rate": 100_001})
            assert too_fast.json() == {"error": "rate must be at most 100000"}
            assert server.exchange.feed.rate == 10
            top = await http.post("/_demo/feed-rate", json={"rate": 100_000})
            assert top.status_code == 200 and top.json()["rate"] == 100_000
        assert server.exchange.feed.rate == 100_000


async def test_subscriptions_leave_the_share_when_their_connection_closes() -> None:
    async with still_demo(100) as server:
        async with public(stream_urls(server), "v2") as ws:
            await send(ws, v2_sub("depth", "BTCUSDT"))
            await send(ws, v2_sub("bbo", "BTCUSDT"))
            await barrier(ws)
            assert (await feed_state(server))["perSubscription"] == 50.0
            await send(ws, v2_sub("bbo", "BTCUSDT", event="cancel"))
            await barrier(ws)
            assert (await feed_state(server))["subscriptions"] == 1
        async with asyncio.timeout(3):
            while (await feed_state(server))["subscriptions"]:
                await asyncio.sleep(0.05)
