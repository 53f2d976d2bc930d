"""Closing the listen-key keeper never waits out a 429 pause or a silent venue: the key is deleted
when that takes a moment, and otherwise left to expire by itself (004: "valid for 60 minutes")."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections.abc import AsyncIterator

import orjson
import pytest

from terminal.demo.server.app import DemoServer
from terminal.venues.errors import RateLimited
from terminal.venues.hashkey import endpoints
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.listen_key import DELETE_TIMEOUT_S, ListenKeyKeeper
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from terminal.venues.ratelimit import RateLimiter
from tests.support.demo import fault, running_demo

PAUSE_S = 20
LEFT_TO_EXPIRE = "did not delete the listen key"


def _client(rest_url: str, api_key: str = "key", api_secret: str = "secret") -> HashKeyRestClient:
    # A limiter of its own: a 20 s pause must not reach another test's client of the same address.
    limiter = RateLimiter(endpoints.RATES)
    return HashKeyRestClient(HashKeyTransport(rest_url, Credentials(api_key, api_secret), limiter=limiter))


@contextlib.asynccontextmanager
async def _keeper_at_demo() -> AsyncIterator[tuple[DemoServer, HashKeyRestClient, ListenKeyKeeper]]:
    async with running_demo() as demo:
        e = demo.endpoints
        assert e is not None
        async with _client(e.rest_url, e.api_key, e.api_secret) as rest:
            keeper = ListenKeyKeeper(rest)
            keeper.start()
            yield demo, rest, keeper
            await keeper.close()


def _known_at_demo(demo: DemoServer, key: str) -> bool:
    return demo.exchange.listen_keys.expires_at(key) is not None


async def test_closing_deletes_the_key() -> None:
    async with _keeper_at_demo() as (demo, _, keeper):
        key = await keeper.get()
        assert _known_at_demo(demo, key)
        await keeper.close()
        assert keeper.key is None
        assert not _known_at_demo(demo, key)


async def test_closing_right_after_a_burst_of_queries_waits_for_its_turn_and_deletes_the_key() -> None:
    async with _keeper_at_demo() as (demo, rest, keeper):
        key = await keeper.get()
        await asyncio.gather(rest.account(), rest.account(), rest.account())  # queries: 2 per 1.1 s
        assert rest.transport.limiter.status("query").headroom == 0
        await keeper.close()
        assert not _known_at_demo(demo, key)


async def test_closing_while_paused_by_a_429_does_not_wait_out_the_pause(caplog: pytest.LogCaptureFixture) -> None:
    async with _keeper_at_demo() as (demo, rest, keeper):
        key = await keeper.get()
        await fault(demo, "/_demo/rate-limit", {"seconds": PAUSE_S})
        with pytest.raises(RateLimited):
            await rest.account()  # answered 429: the limiter now holds queries back for the pause
        assert rest.transport.limiter.status("query").paused_for > PAUSE_S - 5
        caplog.set_level(logging.INFO, logger="terminal.venues.hashkey.listen_key")
        started = time.monotonic()
        await keeper.close()
        assert time.monotonic() - started < 5
        assert keeper.key is None
        assert _known_at_demo(demo, key)  # left to expire by itself
        assert any(LEFT_TO_EXPIRE in r.getMessage() for r in caplog.records)


async def test_closing_when_the_delete_itself_is_answered_429_gives_up_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with _keeper_at_demo() as (demo, _, keeper):
        key = await keeper.get()
        await fault(demo, "/_demo/rate-limit", {"seconds": PAUSE_S})
        caplog.set_level(logging.INFO, logger="terminal.venues.hashkey.listen_key")
        started = time.monotonic()
        await keeper.close()
        assert time.monotonic() - started < 5
        assert _known_at_demo(demo, key)
        assert any(LEFT_TO_EXPIRE in r.getMessage() for r in caplog.records)


async def test_closing_against_a_venue_that_never_answers_the_delete_gives_up_after_a_moment(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The demo cannot hold a listen-key request unanswered: a small local server can."""
    deletes = 0
    release = asyncio.Event()
    handlers: set[asyncio.Task[object]] = set()

    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        nonlocal deletes
        task = asyncio.current_task()
        assert task is not None
        handlers.add(task)
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            while not release.is_set():
                head = await reader.readuntil(b"\r\n\r\n")
                length = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
                await reader.readexactly(int(length.group(1)) if length else 0)
                if head.startswith(b"DELETE "):
                    deletes += 1
                    await release.wait()  # never answered
                    break
                body = orjson.dumps({"listenKey": "k" * 20})
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
                writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
                await writer.drain()
        writer.close()

    server = await asyncio.start_server(serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with _client(f"http://127.0.0.1:{port}") as rest:
            keeper = ListenKeyKeeper(rest)
            assert await keeper.get() == "k" * 20
            caplog.set_level(logging.INFO, logger="terminal.venues.hashkey.listen_key")
            started = time.monotonic()
            await keeper.close()
            elapsed = time.monotonic() - started
        assert deletes >= 1
        assert DELETE_TIMEOUT_S - 0.5 < elapsed < DELETE_TIMEOUT_S + 2
        assert any(LEFT_TO_EXPIRE in r.getMessage() for r in caplog.records)
    finally:
        release.set()
        server.close()
        await asyncio.wait_for(asyncio.gather(*handlers), 5)
