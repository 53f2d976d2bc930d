"""How the signed transport behaves when the venue misbehaves: what is retried, what becomes
an unknown outcome, pacing after 429/418, clock resynchronization, and secrets kept out of logs."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import AsyncIterator
from decimal import Decimal

import pytest
from starlette.responses import Response

from terminal.domain.enums import OrderType, Side
from terminal.domain.intervals import Interval
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import (
    AuthenticationError,
    Banned,
    ClockSkew,
    InvalidRequest,
    MalformedResponse,
    OrderRejected,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueUnavailable,
)
from terminal.venues.hashkey import endpoints as ep
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from tests.support.http_recorder import Recorded, Recorder, json_answer, recording_server
from tests.venues.hashkey import doc_examples as doc

SECRET = "s3cr3t-s3cr3t-s3cr3t-s3cr3t-s3cr3t"
API_KEY = "demo-key-0123456789"
ORDER = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=Decimal("0.01"), price=Decimal("85000"))


async def _no_sleep(_: float) -> None:
    await asyncio.sleep(0)


def _client(url: str, *, credentials: Credentials | None = None, timeout: float = 5.0) -> HashKeyRestClient:
    transport = HashKeyTransport(
        url,
        credentials if credentials is not None else Credentials(API_KEY, SECRET),
        timeout=timeout,
        retry_attempts=3,
        retry_sleep=_no_sleep,
    )
    return HashKeyRestClient(transport)


@pytest.fixture
async def server() -> AsyncIterator[Recorder]:
    async with recording_server() as recorder:
        yield recorder


def _server_time(offset_ms: int) -> object:
    """Answer /api/v1/time with our clock moved by ``offset_ms``, computed when asked."""

    def answer(recorded: Recorded) -> Response:
        return json_answer({"serverTime": int(time.time() * 1000) + offset_ms})(recorded)

    return answer


def _status(code: int, body: bytes = b"", media: str = "text/html") -> object:
    return lambda _: Response(body, status_code=code, media_type=media)


async def test_5xx_on_an_order_is_an_unknown_outcome_and_never_resent(server: Recorder) -> None:
    server.on("POST", ep.CREATE_ORDER.path, json_answer({"code": -1000, "msg": "boom"}, status=500))
    async with _client(server.url) as client:
        with pytest.raises(UnknownOutcome):
            await client.create_order(ORDER)
    assert len(server.hits("POST", ep.CREATE_ORDER.path)) == 1


async def test_5xx_on_a_cancel_is_an_unknown_outcome(server: Recorder) -> None:
    server.on("DELETE", ep.CANCEL_ORDER.path, _status(503))  # type: ignore[arg-type]
    async with _client(server.url) as client:
        with pytest.raises(UnknownOutcome):
            await client.cancel_order(order_id="1")
    assert len(server.requests) == 1


async def test_5xx_on_a_read_is_retried_until_it_succeeds(server: Recorder) -> None:
    server.on(
        "GET",
        ep.ACCOUNT.path,
        _status(503),  # type: ignore[arg-type]
        _status(502, b"<html>bad gateway</html>"),  # type: ignore[arg-type]
        json_answer(doc.ACCOUNT),
    )
    async with _client(server.url) as client:
        balances = await client.account()
    assert balances.user_id == "1649292498445571840"
    hits = server.hits("GET", ep.ACCOUNT.path)
    assert len(hits) == 3
    # Every attempt is signed afresh: a new timestamp, a new signature.
    assert len({h.query_params()["signature"] for h in hits}) == 3


async def test_a_read_that_keeps_failing_gives_up_with_a_server_error(server: Recorder) -> None:
    server.on("GET", ep.DEPTH.path, _status(500, b"<html>oops</html>"))  # type: ignore[arg-type]
    async with _client(server.url) as client:
        with pytest.raises(ServerError) as raised:
            await client.depth("BTCUSDT")
    assert len(server.requests) == 3
    assert "<html>" not in str(raised.value)


async def test_an_order_that_gets_no_answer_in_time_is_an_unknown_outcome(server: Recorder) -> None:
    async def slow(_: Recorded) -> Response:
        await asyncio.sleep(1.0)
        return Response(b"{}", media_type="application/json")

    server.on("POST", ep.CREATE_ORDER.path, slow)
    async with _client(server.url, timeout=0.2) as client:
        with pytest.raises(UnknownOutcome, match="may or may not"):
            await client.create_order(ORDER)
    assert len(server.requests) == 1


async def test_a_read_that_times_out_is_retried_then_reported_unavailable(server: Recorder) -> None:
    async def slow(_: Recorded) -> Response:
        await asyncio.sleep(1.0)
        return Response(b"{}", media_type="application/json")

    server.on("GET", ep.OPEN_ORDERS.path, slow)
    async with _client(server.url, timeout=0.2) as client:
        with pytest.raises(VenueUnavailable):
            await client.open_orders()
    assert len(server.requests) == 3


async def test_a_refused_connection_means_the_order_was_not_sent() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    async with _client(f"http://127.0.0.1:{port}") as client:
        with pytest.raises(VenueUnavailable, match="could not reach"):
            await client.create_order(ORDER)


async def test_a_documented_rejection_keeps_the_venue_message(server: Recorder) -> None:
    body = {"code": -1136, "msg": "Order quantity lower than the minimum"}
    server.on("POST", ep.CREATE_ORDER.path, json_answer(body, status=400))
    async with _client(server.url) as client:
        with pytest.raises(OrderRejected) as raised:
            await client.create_order(ORDER)
    assert raised.value.code == "-1136"
    assert raised.value.message == "Order quantity lower than the minimum"
    assert raised.value.http_status == 400


async def test_an_error_code_in_a_200_body_is_an_error(server: Recorder) -> None:
    server.on("GET", ep.OPEN_ORDERS.path, json_answer({"code": "0102", "msg": "Invalid APIKey"}))
    async with _client(server.url) as client:
        with pytest.raises(AuthenticationError, match="Invalid APIKey"):
            await client.open_orders()


async def test_429_pauses_its_class_for_the_documented_minute(server: Recorder) -> None:
    server.on("GET", ep.ACCOUNT.path, json_answer({"code": "0003", "msg": "Rate limit exceeded"}, status=429))
    server.on("POST", ep.CREATE_ORDER.path, json_answer(doc.ORDER_ACK))
    async with _client(server.url) as client:
        with pytest.raises(RateLimited) as raised:
            await client.account()
        assert raised.value.retry_after == 60.0
        assert len(server.hits("GET", ep.ACCOUNT.path)) == 1  # a 429 is not retried
        limiter = client.transport.limiter
        assert limiter.status(ep.RateClass.QUERY).paused_for > 59
        assert limiter.status(ep.RateClass.ORDER).paused_for == 0
        # Orders have their own budget: a query pause does not hold them back.
        placed = await client.create_order(ORDER)
        assert placed.order_id == doc.ORDER_ACK["orderId"]


async def test_429_honours_retry_after_and_orders_fail_fast_while_paused(server: Recorder) -> None:
    server.on(
        "POST",
        ep.CREATE_ORDER.path,
        json_answer({"code": -1015, "msg": "Too many new orders"}, 429, {"Retry-After": "7"}),
    )
    async with _client(server.url) as client:
        with pytest.raises(RateLimited) as first:
            await client.create_order(ORDER)
        assert first.value.retry_after == 7.0
        started = time.monotonic()
        with pytest.raises(RateLimited, match="can go in"):
            await client.create_order(ORDER)  # paused: refused locally, at once, not queued for 7 s
        assert time.monotonic() - started < 1.0
    assert len(server.requests) == 1


async def test_418_stops_every_request(server: Recorder) -> None:
    server.on("GET", ep.ACCOUNT.path, json_answer({"code": -1, "msg": "IP banned"}, status=418))
    async with _client(server.url) as client:
        with pytest.raises(Banned):
            await client.account()
        with pytest.raises(Banned):
            await client.depth("BTCUSDT")
        with pytest.raises(Banned):
            await client.create_order(ORDER)
    assert len(server.requests) == 1


async def test_clock_skew_on_a_read_resyncs_and_retries_once(server: Recorder) -> None:
    skew = {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow"}
    server.on("GET", ep.OPEN_ORDERS.path, json_answer(skew, status=400), json_answer(doc.OPEN_ORDERS))
    server.on("GET", ep.TIME.path, _server_time(3000))  # type: ignore[arg-type]
    async with _client(server.url) as client:
        orders = await client.open_orders()
        assert client.transport.clock.offset_ms > 2500
    assert len(orders) == 1
    first, second = server.hits("GET", ep.OPEN_ORDERS.path)
    assert int(second.query_params()["timestamp"]) - int(first.query_params()["timestamp"]) > 2500
    assert len(server.hits("GET", ep.TIME.path)) == 1


async def test_clock_skew_on_an_order_is_never_retried(server: Recorder) -> None:
    skew = {"code": -1021, "msg": "Timestamp for this request is outside of the recvWindow"}
    server.on("POST", ep.CREATE_ORDER.path, json_answer(skew, status=400))
    server.on("GET", ep.TIME.path, _server_time(-4000))  # type: ignore[arg-type]
    async with _client(server.url) as client:
        with pytest.raises(ClockSkew):
            await client.create_order(ORDER)
        assert len(server.hits("POST", ep.CREATE_ORDER.path)) == 1
        assert len(server.hits("GET", ep.TIME.path)) == 1  # resynchronized for the next request
        assert -4500 < client.transport.clock.offset_ms < -3500


async def test_clock_sync_moves_the_signed_timestamp(server: Recorder) -> None:
    server.on("GET", ep.TIME.path, _server_time(-4000))  # type: ignore[arg-type]
    server.on("GET", ep.ACCOUNT.path, json_answer(doc.ACCOUNT))
    async with _client(server.url) as client:
        sample = await client.transport.sync_clock()
        assert -4500 < sample.offset_ms < -3500
        await client.account()
    sent = int(server.hits("GET", ep.ACCOUNT.path)[0].query_params()["timestamp"])
    assert abs(sent - (int(time.time() * 1000) - 4000)) < 1500


async def test_a_malformed_success_reply_names_what_is_wrong(server: Recorder) -> None:
    broken = {k: v for k, v in doc.ORDER_ACK.items() if k != "orderId"}
    server.on("POST", ep.CREATE_ORDER.path, json_answer(broken))
    server.on("GET", ep.KLINES.path, json_answer([[1, "1", "2"]]))
    async with _client(server.url) as client:
        with pytest.raises(MalformedResponse, match=r"order\.orderId is missing"):
            await client.create_order(ORDER)
        with pytest.raises(MalformedResponse, match=r"klines\[0\]"):
            await client.klines("BTCUSDT", Interval.M1)


async def test_signed_calls_without_a_key_are_refused_before_sending(server: Recorder) -> None:
    transport = HashKeyTransport(server.url, None)
    async with HashKeyRestClient(transport) as client:
        with pytest.raises(AuthenticationError, match="needs an API key"):
            await client.account()
    assert server.requests == []


@pytest.mark.parametrize(
    "bad_call",
    [
        lambda c: c.create_order(OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=Decimal(1))),
        lambda c: c.create_order(
            OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=Decimal(1), amount=Decimal(10))
        ),
        lambda c: c.create_order(OrderRequest("BTCUSDT", Side.SELL, OrderType.MARKET, amount=Decimal(10))),
        lambda c: c.create_order(OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, quantity=Decimal(-1))),
        lambda c: c.create_order(
            OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, Decimal(1), Decimal(1), client_order_id="has space")
        ),
        lambda c: c.batch_orders([ORDER] * 21),
        lambda c: c.batch_orders([ORDER, OrderRequest("ETHUSDT", Side.BUY, OrderType.LIMIT, Decimal(1), Decimal(1))]),
        lambda c: c.cancel_orders_by_ids(["12", "x"]),
        lambda c: c.cancel_order(),
        lambda c: c.klines("BTCUSDT", Interval.M1, limit=1001),
        lambda c: c.depth("BTCUSDT", limit=201),
        lambda c: c.asset_transfer("1", "1", "USDT", Decimal(1)),
        lambda c: c.withdraw("USDT", "w1", "0x1", Decimal(1), "ETH", memo="not-alnum!"),
    ],
)
async def test_invalid_requests_never_leave(server: Recorder, bad_call: object) -> None:
    async with _client(server.url) as client:
        with pytest.raises(InvalidRequest):
            await bad_call(client)  # type: ignore[operator]
    assert server.requests == []


async def test_secrets_and_signatures_stay_out_of_logs_and_repr(
    server: Recorder, caplog: pytest.LogCaptureFixture
) -> None:
    server.on("GET", ep.ACCOUNT.path, json_answer(doc.ACCOUNT))
    server.on("PUT", ep.RESET_LISTEN_KEY.path, json_answer({}))
    caplog.set_level(logging.DEBUG)
    async with _client(server.url) as client:
        await client.account()
        await client.reset_listen_key("LISTENKEY-SHOULD-NOT-BE-LOGGED")
        text = f"{client!r} {client.transport!r} {client.transport.credentials!r} {client.transport.credentials!s}"
    signatures = [r.query_params().get("signature") or r.form_params().get("signature") for r in server.requests]
    assert all(signatures)
    logged = caplog.text + text
    assert "/api/v1/account" in caplog.text  # the requests are logged...
    assert SECRET not in logged  # ...but never the secret,
    for signature in signatures:
        assert signature not in logged  # the signatures,
    assert "LISTENKEY-SHOULD-NOT-BE-LOGGED" not in logged  # or listen keys
    assert API_KEY not in logged
