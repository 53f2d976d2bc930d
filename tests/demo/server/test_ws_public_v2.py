"""Public stream v2 of the demo exchange over real sockets: real-time topics, 100 ms depth, faults."""

from __future__ import annotations

import pytest
from websockets.exceptions import ConnectionClosed

from terminal.domain.enums import Side
from tests.demo.server.test_ws_kit import (
    MINUTE_OPEN,
    NOW,
    PUBLIC_PONG,
    V2_BBO,
    V2_DEPTH,
    V2_KLINE,
    V2_REALTIMES,
    V2_TRADE,
    account,
    assert_quiet,
    assert_shape,
    barrier,
    is_topic,
    limit,
    make_exchange,
    public,
    receive,
    receive_until,
    running,
    send,
    take,
    trade,
    v1_sub,
    v2_sub,
)


async def test_kline_is_pushed_on_every_trade() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("kline", "BTCUSDT", klineType="1m"))
        snapshot = await receive(ws)
        assert_shape(snapshot, V2_KLINE)
        assert snapshot == {
            "topic": "kline",
            "params": {"symbol": "BTCUSDT", "klineType": "1m"},
            "data": {
                "t": MINUTE_OPEN,
                "s": "BTCUSDT",
                "sn": "BTCUSDT",
                "c": "95000",
                "h": "95000",
                "l": "95000",
                "o": "95000",
                "v": "0.1",
            },
        }
        trade(exchange, maker, taker, Side.SELL, "94000", "0.2")
        update = await receive(ws)
        assert update["data"] == {**snapshot["data"], "c": "94000", "l": "94000", "v": "0.3"}
        trade(exchange, maker, taker, Side.BUY, "96000", "0.05")
        update = await receive(ws)
        assert (update["data"]["h"], update["data"]["c"], update["data"]["v"]) == ("96000", "96000", "0.35")


async def test_realtimes_is_pushed_on_every_trade() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("realtimes", "BTCUSDT"))
        snapshot = await receive(ws)
        assert_shape(snapshot, V2_REALTIMES)
        assert snapshot["params"] == {"symbol": "BTCUSDT"}
        trade(exchange, maker, taker, Side.BUY, "96330", "0.1")
        update = await receive(ws)
        assert update["data"] == {
            "t": NOW,
            "s": "BTCUSDT",
            "o": "95000",
            "h": "96330",
            "l": "95000",
            "c": "96330",
            "v": "0.2",
            "qv": "19133",
            "m": "0.0140",  # 1330 / 95000
        }


async def test_trade_sends_one_message_per_trade() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("trade", "ETHUSDT"))
        assert await barrier(ws) == []  # nothing on subscribing
        for i in range(3):
            limit(exchange, maker, Side.SELL, str(3000 + i), "0.5", symbol="ETHUSDT")
        swept = take(exchange, taker, Side.BUY, "3002", "1.5", symbol="ETHUSDT")
        sold = trade(exchange, maker, taker, Side.SELL, "2990", "0.25", symbol="ETHUSDT")
        messages = [await receive(ws) for _ in range(4)]
        for message in messages:
            assert_shape(message, V2_TRADE)
            assert message["params"] == {"symbol": "ETHUSDT"}
        tickets = [fill.ticket_id for fill in swept.fills] + [sold.fills[0].ticket_id]
        assert [m["data"] for m in messages] == [
            {"v": tickets[0], "t": NOW, "p": "3000", "q": "0.5", "m": False},
            {"v": tickets[1], "t": NOW, "p": "3001", "q": "0.5", "m": False},
            {"v": tickets[2], "t": NOW, "p": "3002", "q": "0.5", "m": False},
            {"v": tickets[3], "t": NOW, "p": "2990", "q": "0.25", "m": True},  # the buyer was the maker
        ]


async def test_depth_snapshot_at_once_then_one_message_per_period() -> None:
    exchange = make_exchange()
    maker = account(exchange)
    limit(exchange, maker, Side.BUY, "94000", "0.5")
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("depth", "BTCUSDT"))
        snapshot = await receive(ws)
        assert snapshot["data"]["b"] == [["94000", "0.5"]]
        assert snapshot["data"]["a"] == []

        for i in range(50):
            limit(exchange, maker, Side.SELL, str(95000 + i), "0.01")
        limit(exchange, maker, Side.BUY, "94000", "0.25")
        update, skipped = await receive_until(ws, is_topic("depth"))
        assert skipped == []
        assert_shape(update, V2_DEPTH)
        assert update["data"]["s"] == "BTCUSDT"
        assert update["data"]["t"] == NOW
        assert update["data"]["v"] == exchange.book_version("BTCUSDT")
        assert update["data"]["b"] == [["94000", "0.75"]]
        assert update["data"]["a"] == [[str(95000 + i), "0.01"] for i in range(50)]


async def test_bbo_is_sent_only_when_the_best_prices_or_sizes_change() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    limit(exchange, maker, Side.BUY, "94000", "0.5")
    limit(exchange, maker, Side.SELL, "96000", "0.7")
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("bbo", "BTCUSDT"))
        snapshot = await receive(ws)
        assert_shape(snapshot, V2_BBO)
        assert snapshot["data"] == {"s": "BTCUSDT", "b": "94000", "bz": "0.5", "a": "96000", "az": "0.7", "t": NOW}

        limit(exchange, maker, Side.SELL, "97000", "1")  # behind the best ask
        limit(exchange, maker, Side.BUY, "93000", "1")  # behind the best bid
        assert await barrier(ws) == []

        limit(exchange, maker, Side.BUY, "94000", "0.25")  # more at the best bid
        update = await receive(ws)
        assert update["data"] == {**snapshot["data"], "bz": "0.75"}

        take(exchange, taker, Side.BUY, "96000", "0.7")  # the best ask is taken: the next one shows
        update = await receive(ws)
        assert (update["data"]["a"], update["data"]["az"]) == ("97000", "1")


async def test_ping_pong_on_v2() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, {"ping": 1748503859938})
        answer = await receive(ws)
        assert_shape(answer, PUBLIC_PONG)
        assert answer == {"pong": NOW}


async def test_refused_requests_are_answered_and_the_socket_stays_usable() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url, "v2") as ws:
        await ws.send("{")
        assert await receive(ws) == {"code": "-1004", "msg": "Bad request"}

        unknown = v2_sub("trade", "NOPEUSDT")
        await send(ws, unknown)
        assert await receive(ws) == {**unknown, "symbol": "NOPEUSDT", "code": "0201", "msg": "Instrument not found"}

        await send(ws, v2_sub("ticker", "BTCUSDT"))
        assert (await receive(ws))["msg"] == "Illegal parameter 'topic'"
        await send(ws, v2_sub("kline", "BTCUSDT"))
        assert (await receive(ws))["msg"] == "Required field klineType missing or invalid"
        await send(ws, v2_sub("kline", "BTCUSDT", klineType="7m"))
        assert (await receive(ws))["msg"] == "Illegal parameter 'klineType'"
        await send(ws, {"topic": "depth", "event": "sub"})
        assert (await receive(ws))["code"] == "0001"

        await send(ws, v2_sub("depth", "BTCUSDT"))
        assert is_topic("depth")(await receive(ws))
        assert await barrier(ws) == []


async def test_cancel_stops_pushes() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    async with running(exchange) as url, public(url, "v2") as ws:
        await send(ws, v2_sub("trade", "BTCUSDT"))
        await barrier(ws)
        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        assert is_topic("trade")(await receive(ws))

        await send(ws, v2_sub("trade", "BTCUSDT", "cancel"))
        await barrier(ws)
        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        assert await barrier(ws) == []


async def test_paused_topic_and_symbol_send_nothing_others_go_on() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    exchange.faults.pause_stream("depth", "BTCUSDT", NOW + 60_000)
    exchange.faults.pause_stream("trade", "BTCUSDT", NOW + 60_000)
    async with running(exchange) as url, public(url, "v2") as ws:
        for topic in ("depth", "trade", "bbo"):
            await send(ws, v2_sub(topic, "BTCUSDT"))
        for topic in ("depth", "trade"):
            await send(ws, v2_sub(topic, "ETHUSDT"))
        before = await barrier(ws)
        assert [(m["topic"], m["params"]["symbol"]) for m in before] == [("bbo", "BTCUSDT"), ("depth", "ETHUSDT")]

        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        limit(exchange, maker, Side.BUY, "94000", "0.1")
        trade(exchange, maker, taker, Side.BUY, "3000", "1", symbol="ETHUSDT")
        _, skipped = await receive_until(ws, is_topic("depth", "ETHUSDT"))
        # The ETH trade may come before or after this depth update (whichever the writer had first).
        sent = {(m["topic"], m["params"]["symbol"]) for m in skipped}
        assert ("bbo", "BTCUSDT") in sent
        assert sent <= {("bbo", "BTCUSDT"), ("trade", "ETHUSDT")}

        exchange.faults.pause_stream("depth", "BTCUSDT", 0)  # resumed: the current book at once
        resumed, _ = await receive_until(ws, is_topic("depth", "BTCUSDT"))
        assert resumed["data"]["b"] == [["94000", "0.1"]]


async def test_silenced_public_streams_send_nothing_not_even_pongs() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    async with running(exchange) as url, public(url, "v2") as v2, public(url, "v1") as v1:
        await send(v2, v2_sub("trade", "BTCUSDT"))
        await barrier(v2)
        await send(v1, v1_sub("BTCUSDT", "depth"))
        await receive(v1)

        exchange.faults.silent_until_ms = NOW + 60_000
        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        await send(v1, {"ping": 1})
        await send(v2, {"ping": 1})
        await assert_quiet(v1)
        await assert_quiet(v2)

        exchange.faults.silent_until_ms = 0
        assert await barrier(v2) == []  # the trade pushed while silent is not sent late
        update, _ = await receive_until(v1, is_topic("depth"))  # the book changed while silent
        assert update["data"][0]["v"] == exchange.book_version("BTCUSDT")


async def test_a_client_that_falls_too_far_behind_is_closed() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    async with (
        running(exchange, queue_limit=20) as url,
        public(url, "v2") as v2,
        public(url, "v1") as v1,
        public(url, "v2") as calm,
    ):
        await send(v2, v2_sub("trade", "BTCUSDT"))
        await send(v1, v1_sub("BTCUSDT", "trade"))
        await send(calm, v2_sub("depth", "BTCUSDT"))
        await barrier(v2)
        await receive(v1)
        await receive(calm)

        for i in range(30):
            limit(exchange, maker, Side.SELL, str(95000 + i), "0.01")
        take(exchange, taker, Side.BUY, "95029", "0.3")  # 30 trades at once: more than 20 may wait
        for ws in (v2, v1):
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await receive(ws)
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1008, "send queue overflow: client too slow")
        update, _ = await receive_until(calm, is_topic("depth"))
        assert update["data"]["a"] == []  # every ask was taken
        assert await barrier(calm) == []
