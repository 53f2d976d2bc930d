"""Connections of the demo exchange's WebSocket server: counted by endpoint, dropped on demand, no leaks."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

from terminal.demo.exchange import DemoExchange
from tests.demo.server.test_ws_kit import (
    NOW,
    WAIT_S,
    account,
    barrier,
    make_exchange,
    receive,
    running,
    send,
    v1_sub,
    v2_sub,
)


async def eventually(condition: Callable[[], bool], timeout: float = WAIT_S) -> None:
    """Wait until ``condition`` holds (the server notices a client's close on its own time)."""
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def open_all(
    stack: contextlib.AsyncExitStack, url: str, exchange: DemoExchange, account_id: str = ""
) -> list[ClientConnection]:
    """Two v1, one v2 and one private socket (of ``account_id``), each with live subscriptions or a live key."""
    key = exchange.listen_keys.create(account_id or account(exchange), NOW)
    paths = ["/quote/ws/v1", "/quote/ws/v1", "/quote/ws/v2", f"/api/v1/ws/{key}"]
    sockets = [await stack.enter_async_context(connect(url + path, close_timeout=1)) for path in paths]
    await send(sockets[0], v1_sub("BTCUSDT", "depth"))
    await send(sockets[1], v1_sub("ETHUSDT", "kline_1m"))
    await send(sockets[2], v2_sub("bbo", "BTCUSDT"))
    for ws in sockets:
        await barrier(ws)
    return sockets


def other_tasks() -> set[asyncio.Task[object]]:
    current = asyncio.current_task()
    return {task for task in asyncio.all_tasks() if task is not current}


async def test_connections_are_counted_by_endpoint_and_all_can_be_dropped() -> None:
    exchange = make_exchange()
    owner = account(exchange)
    async with running(exchange) as url, contextlib.AsyncExitStack() as stack:
        sockets = await open_all(stack, url, exchange, owner)
        assert exchange.connections.counts() == {"public_v1": 2, "public_v2": 1, "private": 1}
        assert exchange.bus.subscribers(("private", owner)) == 1

        assert await exchange.connections.drop_all() == 4
        for ws in sockets:
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await receive(ws)
            assert closed.value.rcvd is not None
            assert (closed.value.rcvd.code, closed.value.rcvd.reason) == (1001, "dropped by the demo exchange")
        assert exchange.connections.counts() == {"public_v1": 0, "public_v2": 0, "private": 0}
        assert exchange.bus.subscribers(("book", "BTCUSDT")) == 0
        assert exchange.bus.subscribers(("private", owner)) == 0

        async with connect(url + "/quote/ws/v2") as again:  # the server still accepts
            assert exchange.connections.counts()["public_v2"] == 1
            await send(again, {"ping": 1})
            assert await receive(again) == {"pong": NOW}


async def test_clients_that_leave_are_forgotten() -> None:
    exchange = make_exchange()
    async with running(exchange) as url:
        async with contextlib.AsyncExitStack() as stack:
            await open_all(stack, url, exchange)
            assert sum(exchange.connections.counts().values()) == 4
            assert exchange.bus.subscribers(("book", "BTCUSDT")) == 2  # v1 depth and v2 bbo
        await eventually(lambda: sum(exchange.connections.counts().values()) == 0)
        await eventually(lambda: exchange.bus.subscribers(("book", "BTCUSDT")) == 0)


async def test_stopping_the_server_closes_every_socket_and_leaves_no_task(caplog: pytest.LogCaptureFixture) -> None:
    exchange = make_exchange(ping_interval_s=0.05, pong_timeout_s=60)
    caplog.set_level(logging.ERROR)
    async with contextlib.AsyncExitStack() as stack:
        async with running(exchange) as url:
            sockets = await open_all(stack, url, exchange)
        # uvicorn has stopped: every session ended with it, and the clients were told.
        for ws in sockets:
            with pytest.raises(ConnectionClosed):
                while True:
                    await receive(ws)
    assert exchange.connections.counts() == {"public_v1": 0, "public_v2": 0, "private": 0}
    await eventually(lambda: not other_tasks())
    assert not [r for r in caplog.records if "Task was destroyed" in r.getMessage() or r.levelno >= logging.ERROR]
