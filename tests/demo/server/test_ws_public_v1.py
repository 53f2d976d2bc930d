"""Public stream v1 of the demo exchange over real sockets: every topic against 004's examples."""

from __future__ import annotations

import re

from terminal.domain.enums import Side
from tests.demo.server.test_ws_kit import (
    MINUTE_OPEN,
    NOW,
    PUBLIC_PONG,
    V1_DEPTH,
    V1_KLINE,
    V1_REALTIMES,
    V1_TRADE,
    account,
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
    trade,
    v1_sub,
)


async def test_kline_pushes_the_current_candle_of_each_interval() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
    trade(exchange, maker, taker, Side.SELL, "95100", "0.2")
    trade(exchange, maker, taker, Side.BUY, "94900", "0.3")
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "kline_1m"))
        first = await receive(ws)
        assert_shape(first, V1_KLINE)
        assert first["f"] is True
        assert first["params"] == {"realtimeInterval": "24h", "klineType": "1m", "binary": "false"}
        assert first["sendTime"] == NOW
        assert first["data"] == [
            {
                "t": MINUTE_OPEN,
                "s": "BTCUSDT",
                "sn": "BTCUSDT",
                "c": "94900",
                "h": "95100",
                "l": "94900",
                "o": "95000",
                "v": "0.6",
                "et": 0,
                "qv": "56990",  # 9500 + 19020 + 28470
                "td": 3,
                "tb": "0.4",  # the two trades whose taker bought
                "tq": "37970",
            }
        ]

        trade(exchange, maker, taker, Side.BUY, "95200", "0.05")
        later, _ = await receive_until(ws, lambda m: m["data"][0]["td"] == 4)
        assert later["f"] is False
        candle = later["data"][0]
        assert (candle["o"], candle["h"], candle["l"], candle["c"], candle["v"]) == (
            "95000",
            "95200",
            "94900",
            "95200",
            "0.65",
        )

        await send(ws, v1_sub("BTCUSDT", "kline_1h"))
        hourly, _ = await receive_until(ws, lambda m: m["params"].get("klineType") == "1h")
        assert hourly["f"] is True
        assert hourly["data"][0]["t"] == NOW - NOW % 3_600_000
        assert hourly["data"][0]["td"] == 4


async def test_kline_repeats_every_period_with_first_flag_only_once() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "kline_1m"))
        flags = [(await receive(ws))["f"] for _ in range(3)]
        assert flags == [True, False, False]


async def test_realtimes_reports_24h_statistics_of_the_trades() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
    trade(exchange, maker, taker, Side.BUY, "96000", "0.2")
    trade(exchange, maker, taker, Side.SELL, "94050", "0.1")
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "realtimes"))
        first = await receive(ws)
        assert_shape(first, V1_REALTIMES)
        assert first["f"] is True
        assert first["params"] == {"realtimeInterval": "24h", "binary": "false"}
        assert first["data"] == [
            {
                "t": NOW,
                "s": "BTCUSDT",
                "sn": "BTCUSDT",
                "c": "94050",
                "h": "96000",
                "l": "94050",
                "o": "95000",
                "v": "0.4",
                "qv": "38105",  # 9500 + 19200 + 9405
                "m": "-0.0100",  # (94050 - 95000) / 95000
                "e": 301,
            }
        ]
        second = await receive(ws)
        assert second["topic"] == "realtimes"
        assert second["f"] is False


async def test_trade_first_message_carries_the_latest_60_then_batches() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    for i in range(65):
        trade(exchange, maker, taker, Side.BUY, str(95000 + i), "0.001")
    tape = exchange.market.recent_trades("BTCUSDT", 60)
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "trade"))
        first = await receive(ws)
        assert_shape(first, V1_TRADE)
        assert first["f"] is True
        assert len(first["data"]) == 60
        assert [row["v"] for row in first["data"]] == [t.trade_id for t in tape]  # oldest first
        assert first["data"][-1] == {"v": tape[-1].trade_id, "t": NOW, "p": "95064", "q": "0.001", "m": False}

        bought = trade(exchange, maker, taker, Side.BUY, "95100", "0.002")
        sold = trade(exchange, maker, taker, Side.SELL, "95090", "0.003")
        batch, _ = await receive_until(ws, is_topic("trade"))
        assert batch["f"] is False
        assert batch["data"] == [
            {"v": bought.fills[0].ticket_id, "t": NOW, "p": "95100", "q": "0.002", "m": False},
            {"v": sold.fills[0].ticket_id, "t": NOW, "p": "95090", "q": "0.003", "m": True},  # the buyer rested
        ]
        assert_shape(batch, V1_TRADE)


async def test_trade_first_message_is_sent_even_without_trades() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("ETHUSDT", "trade"))
        first = await receive(ws)
        assert (first["topic"], first["symbol"], first["data"], first["f"]) == ("trade", "ETHUSDT", [], True)


async def test_depth_sends_one_snapshot_per_period_of_at_most_200_levels() -> None:
    exchange = make_exchange()
    maker = account(exchange)
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "depth"))
        first = await receive(ws)
        assert first["f"] is True
        assert first["data"][0]["b"] == first["data"][0]["a"] == []

        # 215 book changes within one period: one message, with the book as it ends.
        for i in range(210):
            limit(exchange, maker, Side.SELL, str(95000 + i), "0.01")
        for i in range(5):
            limit(exchange, maker, Side.BUY, str(94000 - i), "0.02")
        update, skipped = await receive_until(ws, is_topic("depth"))
        assert skipped == []
        assert_shape(update, V1_DEPTH)
        assert update["f"] is False
        assert update["channelId"] == first["channelId"]
        assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{16}-[0-9a-f]{8}", update["channelId"])
        book = update["data"][0]
        assert (book["e"], book["s"], book["t"], book["o"]) == (301, "BTCUSDT", NOW, 0)
        assert book["v"] == exchange.book_version("BTCUSDT")
        assert len(book["a"]) == 200
        assert book["a"][:2] == [["95000", "0.01"], ["95001", "0.01"]]
        assert book["a"][-1] == ["95199", "0.01"]
        assert book["b"] == [[str(94000 - i), "0.02"] for i in range(5)]


async def test_ping_is_answered_with_the_server_time() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url) as ws:
        await send(ws, {"ping": 1748503859938})
        answer = await receive(ws)
        assert_shape(answer, PUBLIC_PONG)
        assert answer == {"pong": NOW}


async def test_refused_requests_are_answered_and_the_socket_stays_usable() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url) as ws:
        await ws.send("this is not JSON")
        assert await receive(ws) == {"code": "-1004", "msg": "Bad request"}
        await send(ws, [1, 2])
        assert await receive(ws) == {"code": "-1004", "msg": "Bad request"}

        unknown = {**v1_sub("NOPEUSDT", "trade"), "id": 7}
        await send(ws, unknown)
        assert await receive(ws) == {**unknown, "code": "0201", "msg": "Instrument not found"}

        for topic in ("tickers", "kline_7m", "kline"):
            await send(ws, v1_sub("BTCUSDT", topic))
            answer = await receive(ws)
            assert (answer["code"], answer["msg"], answer["topic"]) == ("-1130", "Illegal parameter 'topic'", topic)

        await send(ws, {"symbol": "BTCUSDT", "topic": "trade", "event": "subscribe"})
        assert (await receive(ws))["msg"] == "Illegal parameter 'event'"
        await send(ws, {"topic": "trade", "event": "sub"})
        assert (await receive(ws))["code"] == "0001"
        await send(ws, {"symbol": "BTCUSDT", "topic": "trade", "event": "sub", "params": {"binary": True}})
        answer = await receive(ws)
        assert (answer["code"], answer["msg"]) == ("-1020", "Unsupported operation")

        await send(ws, v1_sub("BTCUSDT", "trade"))
        first = await receive(ws)
        assert (first["topic"], first["f"]) == ("trade", True)
        assert await barrier(ws) == []


async def test_several_symbols_in_one_request() -> None:
    exchange = make_exchange()
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT,NOPE,ETHUSDT", "depth"))
        messages = [await receive(ws) for _ in range(3)]
        errors = [m for m in messages if "code" in m]
        assert [(m["code"], m["symbol"]) for m in errors] == [("0201", "NOPE")]
        assert errors[0]["topic"] == "depth"  # the request's fields, for the client to match
        assert sorted(m["symbol"] for m in messages if "data" in m) == ["BTCUSDT", "ETHUSDT"]


async def test_cancel_stops_the_topic_and_leaves_the_others() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "trade"))
        await send(ws, v1_sub("BTCUSDT", "depth"))
        await receive_until(ws, is_topic("trade"))
        _, before = await receive_until(ws, is_topic("depth"))
        assert not any(is_topic("trade")(m) for m in before)

        await send(ws, v1_sub("BTCUSDT", "trade", "cancel"))
        await barrier(ws)
        # Trade and depth share their 300 ms slots, trade subscribed first: a live trade
        # subscription would push its batch before this depth update.
        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        _, skipped = await receive_until(ws, is_topic("depth"))
        assert skipped == []

        await send(ws, {"symbol": "BTCUSDT", "topic": "depth", "event": "cancel_all"})
        await barrier(ws)
        await send(ws, v1_sub("ETHUSDT", "depth"))
        await receive_until(ws, is_topic("depth", "ETHUSDT"))
        limit(exchange, maker, Side.BUY, "90000", "0.1")
        limit(exchange, maker, Side.BUY, "3000", "1", symbol="ETHUSDT")
        _, skipped = await receive_until(ws, is_topic("depth", "ETHUSDT"))
        assert skipped == []


async def test_paused_topic_sends_nothing_until_resumed() -> None:
    exchange = make_exchange()
    maker, taker = account(exchange), account(exchange)
    exchange.faults.pause_stream("trade", "BTCUSDT", NOW + 60_000)
    async with running(exchange) as url, public(url) as ws:
        await send(ws, v1_sub("BTCUSDT", "trade"))
        await send(ws, v1_sub("ETHUSDT", "trade"))
        _, skipped = await receive_until(ws, is_topic("trade", "ETHUSDT"))
        assert skipped == []

        trade(exchange, maker, taker, Side.BUY, "95000", "0.1")
        trade(exchange, maker, taker, Side.BUY, "3000", "1", symbol="ETHUSDT")
        batch, skipped = await receive_until(ws, is_topic("trade", "ETHUSDT"))
        assert skipped == []
        assert [row["p"] for row in batch["data"]] == ["3000"]

        exchange.faults.pause_stream("trade", "BTCUSDT", 0)
        trade(exchange, maker, taker, Side.BUY, "95001", "0.1")
        resumed, _ = await receive_until(ws, is_topic("trade", "BTCUSDT"))
        assert resumed["f"] is True  # its first message was never sent: the tape's latest trades
        assert [row["p"] for row in resumed["data"]] == ["95000", "95001"]
