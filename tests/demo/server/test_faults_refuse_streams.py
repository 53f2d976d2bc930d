"""The refuse-streams fault: for a while every WebSocket handshake is refused and the open sockets are
dropped, while REST keeps answering (the terminal's streams stay down, its REST calls go through)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from terminal.demo.server.app import DemoServer
from tests.demo.server.test_ws_kit import WAIT_S, barrier, receive, send
from tests.support.demo import Clock, fault, running_demo


@contextlib.asynccontextmanager
async def demo(clock: Clock) -> AsyncIterator[DemoServer]:
    async with running_demo(simulate=False, clock=clock) as server:
        yield server


def urls(server: DemoServer) -> list[str]:
    """A public v1, a public v2 and a private stream URL (with a fresh listen key of the demo user)."""
    endpoints = server.endpoints
    assert endpoints is not None
    exchange = server.exchange
    listen_key = exchange.listen_keys.create(exchange.user.main_account, exchange.now_ms())
    return [endpoints.ws_public_v1, endpoints.ws_public_v2, f"{endpoints.ws_private}/{listen_key}"]


async def assert_refused(url: str) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(url, open_timeout=WAIT_S, close_timeout=1):
            pass
    assert refused.value.response.status_code == 403


async def assert_answers(ws: ClientConnection) -> None:
    await send(ws, {"ping": 1})
    assert "pong" in await receive(ws)


async def test_handshakes_are_refused_during_the_window_and_accepted_after_it() -> None:
    clock = Clock()
    async with demo(clock) as server:
        before = server.exchange.now_ms()
        answer = await fault(server, "/_demo/refuse-streams", {"seconds": 30})
        assert answer["dropped"] == 0
        assert before + 30_000 <= answer["until"] <= server.exchange.now_ms() + 30_000
        for url in urls(server):
            await assert_refused(url)
        assert server.exchange.connections.counts() == {"public_v1": 0, "public_v2": 0, "private": 0}

        assert server.endpoints is not None
        async with httpx.AsyncClient(base_url=server.endpoints.rest_url) as http:
            assert (await http.get("/api/v1/time")).status_code == 200  # REST still answers

        clock.offset_ms += 30_001  # the window has passed
        for url in urls(server):
            async with connect(url, open_timeout=WAIT_S, close_timeout=1) as ws:
                await assert_answers(ws)


async def test_zero_seconds_ends_the_refusal() -> None:
    async with demo(Clock()) as server:
        await fault(server, "/_demo/refuse-streams", {"seconds": 60})
        url = urls(server)[1]
        await assert_refused(url)
        assert (await fault(server, "/_demo/refuse-streams", {"seconds": 0}))["dropped"] == 0
        async with connect(url, open_timeout=WAIT_S, close_timeout=1) as ws:
            await assert_answers(ws)


async def test_open_connections_are_dropped_when_the_window_starts() -> None:
    async with demo(Clock()) as server, contextlib.AsyncExitStack() as stack:
        sockets = [await stack.enter_async_context(connect(url, close_timeout=1)) for url in urls(server)]
        for ws in sockets:
            await barrier(ws)
        assert server.exchange.connections.counts() == {"public_v1": 1, "public_v2": 1, "private": 1}

        assert (await fault(server, "/_demo/refuse-streams", {"seconds": 30}))["dropped"] == 3
        for ws in sockets:
            with pytest.raises(ConnectionClosed) as closed:
                while True:
                    await receive(ws)
            assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
        assert server.exchange.connections.counts() == {"public_v1": 0, "public_v2": 0, "private": 0}
        await assert_refused(urls(server)[0])  # and reconnecting at once is refused


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ({}, "seconds must be a number"),
        ({"seconds": "5"}, "seconds must be a number"),
        ({"seconds": True}, "seconds must be a number"),
        ({"seconds": -1}, "seconds must be at least 0"),
    ],
)
async def test_bad_input_is_refused_with_a_sentence(body: dict[str, object], error: str) -> None:
    async with demo(Clock()) as server:
        assert server.endpoints is not None
        async with httpx.AsyncClient(base_url=server.endpoints.rest_url) as http:
            response = await http.post("/_demo/refuse-streams", json=body)
        assert (response.status_code, response.json()) == (400, {"error": error})
        assert not server.exchange.faults.streams_refused(server.exchange.now_ms())
