"""The request/response layer on its own: req_id matching, subscriptions, errors, lost answers, keep-alive."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest

from terminal.venues.base import ConnectionEvent
from terminal.venues.deriv import calls
from terminal.venues.deriv.connection import DerivConnection
from terminal.venues.deriv.endpoints import stream_url
from terminal.venues.deriv.subscriptions import Message
from terminal.venues.errors import InvalidRequest, OrderRejected, ServerError, VenueError
from tests.support.deriv.server import DerivTestServer
from tests.support.deriv.standard import TRADE_TOKEN
from tests.venues.deriv.live import FAST_BACKOFF, FAST_HEARTBEAT


@pytest.fixture
async def connection(server: DerivTestServer) -> AsyncIterator[DerivConnection]:
    events: list[ConnectionEvent] = []
    conn = DerivConnection(
        stream_url(server.url, 1089),
        TRADE_TOKEN,
        events.append,
        heartbeat=FAST_HEARTBEAT,
        backoff=FAST_BACKOFF,
        request_timeout=0.5,
    )
    await conn.start(5.0)
    try:
        yield conn
    finally:
        await conn.close()


async def test_answers_are_matched_by_req_id(connection: DerivConnection, server: DerivTestServer) -> None:
    answers = await asyncio.gather(
        *(connection.request({"time": 1}) for _ in range(5)), connection.request(calls.portfolio())
    )
    assert [a["msg_type"] for a in answers] == ["time"] * 5 + ["portfolio"]
    sent = [r["req_id"] for r in server.requests]
    assert len(sent) == len(set(sent))  # every request its own id
    assert connection.authorized is not None and connection.authorized["authorize"]["loginid"] == "VRTC1001"


async def test_an_error_answer_raises_the_mapped_error(connection: DerivConnection, server: DerivTestServer) -> None:
    server.fail_next("portfolio", "WrongResponse", "Sorry, an error occurred.")
    with pytest.raises(ServerError, match="Sorry"):
        await connection.request(calls.portfolio())
    with pytest.raises(OrderRejected, match="not found"):
        await connection.request(calls.sell(1234, Decimal(0)))


async def test_a_read_without_an_answer_may_be_asked_again(
    connection: DerivConnection, server: DerivTestServer
) -> None:
    server.swallow_next("portfolio")
    with pytest.raises(ServerError, match=r"no answer came within 0\.5 s; asking again is safe"):
        await connection.request(calls.portfolio())
    assert (await connection.request(calls.portfolio()))["msg_type"] == "portfolio"


async def test_subscribe_returns_once_the_stream_exists(connection: DerivConnection, server: DerivTestServer) -> None:
    messages: list[Message] = []
    subscription = await connection.subscribe(lambda: calls.tick_history("R_50", 10), messages.append)
    assert subscription.id is not None and server.subscriptions()[subscription.id] == "ticks_history"
    assert messages[0]["msg_type"] == "history"
    while len(messages) < 3:
        await asyncio.sleep(0.01)
    assert {m["msg_type"] for m in messages[1:]} == {"tick"}
    assert connection.count("ticks_history") == 1
    subscription.release()
    while subscription.id in server.subscriptions():
        await asyncio.sleep(0.01)
    assert connection.count("ticks_history") == 0


async def test_subscribe_raises_a_refusal(connection: DerivConnection) -> None:
    errors: list[VenueError] = []
    with pytest.raises(InvalidRequest, match="invalid"):
        await connection.subscribe(lambda: calls.tick_history("NOPE_1"), lambda _: None, errors.append)
    assert [type(e) for e in errors] == [InvalidRequest]  # its on_error heard it too
    assert connection.subscriptions() == []
