"""The private user-data stream of the demo exchange over real sockets: events, heartbeat, listen keys."""

from __future__ import annotations

import contextlib
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from terminal.demo.exchange import DemoExchange
from terminal.domain.enums import Side
from tests.demo.server.test_ws_kit import (
    ACCOUNT_INFO,
    EXECUTION_REPORT,
    NOW,
    PRIVATE_PING,
    PUBLIC_PONG,
    TICKET_INFO,
    WAIT_S,
    account,
    assert_shape,
    barrier,
    limit,
    make_exchange,
    receive,
    running,
    send,
    take,
)


@contextlib.asynccontextmanager
async def private(url: str, listen_key: str) -> AsyncIterator[ClientConnection]:
    async with connect(f"{url}/api/v1/ws/{listen_key}", open_timeout=WAIT_S, close_timeout=1) as ws:
        yield ws


async def closed_with(ws: ClientConnection, *, answer_pings: bool = False) -> tuple[int, str]:
    """Read until the server closes; the close code and reason it sent."""
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            message = await receive(ws)
            if answer_pings and isinstance(message, dict) and "ping" in message:
                await send(ws, {"pong": message["ping"]})
    assert closed.value.rcvd is not None
    return closed.value.rcvd.code, closed.value.rcvd.reason


def user(exchange: DemoExchange) -> tuple[str, str]:
    """An account and a live listen key for it."""
    account_id = account(exchange)
    return account_id, exchange.listen_keys.create(account_id, NOW)


async def test_unknown_expired_and_deleted_listen_keys_are_refused_at_the_handshake() -> None:
    exchange = make_exchange()
    account_id, expired = user(exchange)
    exchange.listen_keys.expire_now(expired)
    deleted = exchange.listen_keys.create(account_id, NOW)
    exchange.listen_keys.delete(deleted, account_id)
    async with running(exchange) as url:
        for key in ("not-a-listen-key", expired, deleted):
            with pytest.raises(InvalidStatus) as refused:
                async with private(url, key):
                    pass
            assert refused.value.response.status_code == 403
        assert exchange.connections.counts()["private"] == 0


async def test_a_filled_order_pushes_execution_ticket_and_balance_arrays() -> None:
    exchange = make_exchange()
    maker, key = user(exchange)
    taker = account(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        await barrier(ws)
        placed = limit(exchange, maker, Side.SELL, "95000", "0.5")
        taken = take(exchange, taker, Side.BUY, "95000", "0.5")
        messages = [await receive(ws) for _ in range(5)]

    for message in messages:
        assert isinstance(message, list)
        assert len(message) == 1
    events: list[dict[str, Any]] = [message[0] for message in messages]
    assert [e["e"] for e in events] == [
        "executionReport",  # NEW
        "outboundAccountInfo",  # the BTC it locked
        "executionReport",  # FILLED
        "ticketInfo",
        "outboundAccountInfo",  # BTC sold, USDT received less the fee
    ]
    examples = {"executionReport": EXECUTION_REPORT, "ticketInfo": TICKET_INFO, "outboundAccountInfo": ACCOUNT_INFO}
    for message in messages:
        assert_shape(message, examples[message[0]["e"]])

    order = placed.order
    common = {
        "e": "executionReport",
        "E": str(NOW),
        "s": "BTCUSDT",
        "c": order.client_order_id,
        "S": "SELL",
        "o": "LIMIT",
        "f": "GTC",
        "q": "0.5",
        "p": "95000",
        "i": order.order_id,
        "u": True,
        "O": str(NOW),
        "C": False,
        "v": "0",
        "reqAmt": "0",
        "P": "0",
        "lo": False,
        "lt": "",
        "x": "",
    }
    assert events[0] == {
        **common,
        "X": "NEW",
        "l": "0",
        "z": "0",
        "L": "0",
        "n": "0",
        "N": "",
        "w": True,
        "m": False,
        "Z": "0",
        "d": "",
        "r": "0.5",
        "V": "0",
    }
    assert events[1]["B"] == [{"a": "BTC", "f": "99.5", "l": "0.5", "r": ""}]
    assert (events[1]["E"], events[1]["T"], events[1]["W"], events[1]["D"]) == (str(NOW), True, True, True)

    ticket = taken.fills[0].ticket_id
    execution = events[2]
    assert execution == {
        **common,
        "X": "FILLED",
        "l": "0.5",
        "z": "0.5",
        "L": "95000",
        "n": "71.25",  # 0.15 % of 47,500 USDT
        "N": "USDT",
        "w": False,
        "m": True,  # the fill rested on the book
        "Z": "47500",
        "d": execution["d"],
        "r": "0",
        "V": "95000",
    }
    assert re.fullmatch(r"\d+", execution["d"])
    assert events[3] == {
        "e": "ticketInfo",
        "E": str(NOW),
        "s": "BTCUSDT",
        "q": "0.5",
        "t": str(NOW),
        "p": "95000",
        "T": ticket,
        "o": order.order_id,
        "c": order.client_order_id,
        "a": maker,
        "m": True,
        "S": "SELL",
    }
    assert events[4]["B"] == [
        {"a": "BTC", "f": "99.5", "l": "0", "r": ""},
        {"a": "USDT", "f": "100047428.75", "l": "0", "r": ""},
    ]


async def test_only_the_keys_own_account_is_streamed() -> None:
    exchange = make_exchange()
    _, key = user(exchange)
    other = account(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        await barrier(ws)
        limit(exchange, other, Side.BUY, "90000", "0.1")
        assert await barrier(ws) == []


async def test_server_pings_every_interval_and_answered_pings_keep_the_link() -> None:
    exchange = make_exchange(ping_interval_s=0.1, pong_timeout_s=0.5)
    _, key = user(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        channels = set()
        for _ in range(8):  # 0.8 s of pings: longer than the pong timeout
            ping = await receive(ws)
            assert_shape(ping, PRIVATE_PING)
            assert ping["ping"] == NOW
            channels.add(ping["channelId"])
            await send(ws, {"pong": ping["ping"]})
        assert len(channels) == 1
        assert re.fullmatch(r"[0-9a-f]{16}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{16}-[0-9a-f]{8}", channels.pop())

        assert await closed_with(ws) == (4002, "no heartbeat from the client")  # now it stops answering


async def test_a_client_that_never_answers_is_dropped() -> None:
    exchange = make_exchange(ping_interval_s=0.1, pong_timeout_s=0.3)
    _, key = user(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        assert await closed_with(ws) == (4002, "no heartbeat from the client")
    assert exchange.connections.counts()["private"] == 0


async def test_an_expired_listen_key_closes_the_stream() -> None:
    exchange = make_exchange(ping_interval_s=0.1, pong_timeout_s=60)
    _, key = user(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        await barrier(ws)
        exchange.listen_keys.expire_now(key)
        assert await closed_with(ws, answer_pings=True) == (4001, "invalid listen key: expired or deleted")


async def test_a_deleted_listen_key_closes_the_stream_before_its_next_push() -> None:
    exchange = make_exchange()  # a 30 s ping interval: only the push can notice
    account_id, key = user(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        await barrier(ws)
        assert exchange.listen_keys.delete(key, account_id)
        limit(exchange, account_id, Side.BUY, "90000", "0.1")
        assert await closed_with(ws) == (4001, "invalid listen key: expired or deleted")


async def test_client_pings_are_answered_and_other_messages_ignored() -> None:
    exchange = make_exchange()
    _, key = user(exchange)
    async with running(exchange) as url, private(url, key) as ws:
        await send(ws, {"ping": 1748503859938})
        answer = await receive(ws)
        assert_shape(answer, PUBLIC_PONG)
        assert answer == {"pong": NOW}
        # The document's sample client sends subscriptions here: they need no answer.
        await send(ws, {"symbol": "BTCUSDT", "topic": "trade", "event": "sub", "params": {"binary": False}, "id": 1})
        await send(ws, {"pong": 1748504490208})
        assert await barrier(ws) == []
        await ws.send("garbage")
        assert await receive(ws) == {"code": "-1004", "msg": "Bad request"}
        assert await barrier(ws) == []
