"""The signed Longbridge transport against fake HTTP answers (httpx.MockTransport): what is signed and
sent, timestamps that never repeat, what is retried, what becomes an unknown outcome, and redaction."""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

import httpx
import orjson
import pytest

from terminal.venues.errors import (
    AuthenticationError,
    MalformedResponse,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueUnavailable,
)
from terminal.venues.longbridge.errors import TokenExpired
from terminal.venues.longbridge.hosts import Hosts
from terminal.venues.longbridge.signing import sign
from terminal.venues.longbridge.transport import (
    RATES,
    LongbridgeTransport,
    RateClass,
    TimestampSequence,
    encode_query,
)
from terminal.venues.ratelimit import Rate, RateLimiter
from tests.support.fake_clock import FakeClock

APP_KEY = "lb-app-key-0123456789"
APP_SECRET = "lb-s3cr3t-s3cr3t-s3cr3t-s3cr3t"
TOKEN = "m_eyJhbGciOiJSUzI1NiIsImtpZCI6ImQ5YWRiMGIxYTdlNzYxNzEi"
HOSTS = Hosts("https://openapi.longportapp.com")
NOW_MS = 1700000000000

# Pacing is not what most tests are about: they get room for a burst. The pacing tests use RATES.
ROOMY = {name: Rate(1000, 0.01) for name in RATES}


def ok(data: object = None) -> httpx.Response:
    return httpx.Response(200, json={"code": 0, "message": "", "data": data})


class Venue:
    """Answers in turn (the last one repeats) and keeps every request it got."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers) or [ok({})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


async def _no_sleep(_: float) -> None:
    return None


def _transport(
    venue: Venue, *, rates: dict[str, Rate] = ROOMY, clock: FakeClock | None = None, **kw: object
) -> LongbridgeTransport:
    options: dict[str, object] = {"clock_ms": lambda: NOW_MS, "access_token": TOKEN}
    options.update(kw)
    return LongbridgeTransport(
        HOSTS,
        APP_KEY,
        APP_SECRET,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(rates, clock),
        rates=rates,
        retry_sleep=_no_sleep,
        **options,  # type: ignore[arg-type]
    )


def _verify(request: httpx.Request) -> None:
    """Recompute the signature the way the venue would, from what actually went over the wire."""
    path, _, query = request.url.raw_path.decode().partition("?")
    expected = sign(
        request.method,
        path,
        query,
        request.content or None,
        request.headers["authorization"],
        request.headers["x-api-key"],
        APP_SECRET,
        request.headers["x-timestamp"],
    )
    assert request.headers["x-api-signature"] == expected


async def test_a_read_is_signed_over_the_query_as_sent_with_repeated_keys_in_order() -> None:
    venue = Venue(ok({"list": []}))
    async with _transport(venue) as transport:
        data = await transport.request(
            "GET", "/v1/asset/account", query=[("currency", "USD"), ("currency", "HKD")], idempotent=True
        )
    assert data == {"list": []}
    (request,) = venue.requests
    assert request.url.raw_path == b"/v1/asset/account?currency=USD&currency=HKD"
    assert request.headers["authorization"] == TOKEN  # raw, no "Bearer"
    assert request.headers["x-api-key"] == APP_KEY
    assert request.headers["x-timestamp"] == str(NOW_MS)
    assert "content-type" not in request.headers
    assert request.content == b""
    _verify(request)


async def test_the_known_answer_goes_on_the_wire() -> None:
    venue = Venue(ok({}))
    transport = LongbridgeTransport(
        Hosts("http://127.0.0.1:1"),
        "key",
        "secret",
        access_token="token",
        clock_ms=lambda: NOW_MS,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
        rates=ROOMY,
    )
    async with transport:
        await transport.request("GET", "/v1/asset/account", query="currency=USD&currency=HKD", idempotent=True)
    assert (
        venue.requests[0]
        .headers["x-api-signature"]
        .endswith("Signature=6816055d0ad4b02dcb07203e71b312709bfc3fb72c6a87336ac22f37102dd7b5")
    )


async def test_the_body_is_serialized_once_and_those_bytes_are_signed_and_sent() -> None:
    venue = Venue(ok({"order_id": "683615454870679552"}))
    body = {"symbol": "700.HK", "side": "Buy", "submitted_price": Decimal("50.5"), "remark": "腾讯"}
    async with _transport(venue) as transport:
        data = await transport.request("POST", "/v1/trade/order", json_body=body, idempotent=False)
    assert data == {"order_id": "683615454870679552"}
    (request,) = venue.requests
    assert request.content == orjson.dumps({**body, "submitted_price": "50.5"})
    assert request.headers["content-type"] == "application/json; charset=utf-8"
    _verify(request)


def test_encode_query_keeps_order_and_repeats() -> None:
    assert encode_query({"a": "1", "b": "x y"}) == "a=1&b=x+y"
    assert encode_query([("s", "700.HK"), ("s", "BABA.US")]) == "s=700.HK&s=BABA.US"
    assert encode_query("?a=1") == "a=1"
    assert encode_query(None) == ""


def test_timestamps_never_repeat_even_when_the_clock_stands_or_steps_back() -> None:
    now = [NOW_MS]
    sequence = TimestampSequence(lambda: now[0])
    first, second = sequence.next(), sequence.next()
    now[0] = NOW_MS - 5_000
    third = sequence.next()
    now[0] = NOW_MS + 10_000
    assert [first, second, third, sequence.next()] == [NOW_MS, NOW_MS + 1, NOW_MS + 2, NOW_MS + 10_000]


async def test_timestamps_strictly_increase_under_concurrency() -> None:
    venue = Venue(ok({}))
    async with _transport(venue) as transport:
        await asyncio.gather(*(transport.request("GET", "/v1/trade/order/today", idempotent=True) for _ in range(50)))
    stamps = [int(request.headers["x-timestamp"]) for request in venue.requests]
    assert len(stamps) == 50
    assert stamps == sorted(stamps)
    assert len(set(stamps)) == 50
    for request in venue.requests:
        _verify(request)


async def test_a_read_rate_limited_is_retried_with_a_new_timestamp_and_signature() -> None:
    venue = Venue(
        httpx.Response(429, json={"code": 429002, "message": "too many requests"}, headers={"Retry-After": "0"}),
        ok({"list": []}),
    )
    async with _transport(venue) as transport:
        assert await transport.request("GET", "/v1/asset/stock", query={"symbol": "700.HK"}, idempotent=True) == {
            "list": []
        }
    first, second = venue.requests
    assert first.headers["x-timestamp"] != second.headers["x-timestamp"]
    assert first.headers["x-api-signature"] != second.headers["x-api-signature"]
    _verify(first)
    _verify(second)


async def test_a_reused_timestamp_answer_to_a_read_is_retried_freshly_signed() -> None:
    venue = Venue(httpx.Response(403, json={"code": 403202, "message": "duplicate request"}), ok([]))
    async with _transport(venue) as transport:
        assert await transport.request("GET", "/v1/asset/cash", idempotent=True) == []
    assert len({request.headers["x-timestamp"] for request in venue.requests}) == 2


async def test_a_read_is_retried_after_a_server_error_then_gives_up() -> None:
    venue = Venue(httpx.Response(502, text="bad gateway"))
    async with _transport(venue, retry_attempts=3) as transport:
        with pytest.raises(ServerError):
            await transport.request("GET", "/v1/asset/cash", idempotent=True)
    assert len(venue.requests) == 3


async def test_a_rate_limit_pauses_its_class() -> None:
    clock = FakeClock()
    venue = Venue(httpx.Response(429, json={"code": 429001, "message": "too many requests"}))
    async with _transport(venue, rates=RATES, clock=clock) as transport:
        with pytest.raises(RateLimited) as caught:
            await transport.request("POST", "/v1/trade/order", json_body={}, idempotent=False)
        assert caught.value.retry_after == RATES[RateClass.TRADE].window
        assert transport.limiter.status(RateClass.TRADE).paused_for == pytest.approx(33.0)
    assert len(venue.requests) == 1


async def test_trade_calls_are_spaced_as_documented() -> None:
    clock = FakeClock()
    venue = Venue(ok({}))
    rates = {**RATES}
    async with _transport(venue, rates=rates, clock=clock) as transport:
        first = asyncio.ensure_future(transport.request("GET", "/v1/asset/cash", idempotent=True))
        second = asyncio.ensure_future(transport.request("GET", "/v1/asset/cash", idempotent=True))
        await clock.settle()
        assert first.done() and not second.done()
        await clock.advance(0.03)
        await clock.settle()
        assert second.done()
        await asyncio.gather(first, second)


async def test_a_post_whose_answer_is_lost_is_an_unknown_outcome_and_sent_once() -> None:
    venue = Venue(httpx.ReadTimeout("timed out"))
    async with _transport(venue) as transport:
        with pytest.raises(UnknownOutcome):
            await transport.request("POST", "/v1/trade/order", json_body={"symbol": "700.HK"}, idempotent=False)
    assert len(venue.requests) == 1


async def test_a_post_answered_5xx_is_an_unknown_outcome_and_sent_once() -> None:
    venue = Venue(httpx.Response(500, json={"code": 500001, "message": "internal"}))
    async with _transport(venue) as transport:
        with pytest.raises(UnknownOutcome):
            await transport.request("POST", "/v1/trade/order", json_body={}, idempotent=False)
    assert len(venue.requests) == 1


async def test_a_post_that_never_left_is_unavailable() -> None:
    venue = Venue(httpx.ConnectError("refused"))
    async with _transport(venue) as transport:
        with pytest.raises(VenueUnavailable):
            await transport.request("POST", "/v1/trade/order", json_body={}, idempotent=False)


async def test_token_expired_surfaces_as_its_own_error_and_is_not_retried() -> None:
    venue = Venue(httpx.Response(401, json={"code": 401003, "message": "token expired"}))
    async with _transport(venue) as transport:
        with pytest.raises(TokenExpired):
            await transport.request("GET", "/v1/asset/cash", idempotent=True)
    assert len(venue.requests) == 1


async def test_a_200_that_is_not_an_envelope_is_malformed_for_a_read() -> None:
    venue = Venue(httpx.Response(200, text="<html>maintenance</html>"))
    async with _transport(venue) as transport:
        with pytest.raises(MalformedResponse):
            await transport.request("GET", "/v1/asset/cash", idempotent=True)


async def test_no_token_means_no_request() -> None:
    venue = Venue()
    async with _transport(venue, access_token=None) as transport:
        with pytest.raises(AuthenticationError):
            await transport.request("GET", "/v1/asset/cash", idempotent=True)
        transport.set_access_token("a-new-token-123456")
        await transport.request("GET", "/v1/asset/cash", idempotent=True)
    assert venue.requests[0].headers["authorization"] == "a-new-token-123456"


async def test_an_unknown_rate_class_is_refused() -> None:
    async with _transport(Venue()) as transport:
        for name in ("nope", RateClass.TRADE_GAP):
            with pytest.raises(ValueError):
                await transport.request("GET", "/v1/asset/cash", rate_class=name, idempotent=True)


async def test_secrets_stay_out_of_logs_and_repr(caplog: pytest.LogCaptureFixture) -> None:
    venue = Venue(ok({}))
    transport = _transport(venue)
    assert APP_SECRET not in repr(transport) and TOKEN not in repr(transport) and APP_KEY not in repr(transport)
    with caplog.at_level(logging.DEBUG, logger="terminal.venues.longbridge.rest"):
        async with transport:
            await transport.request("GET", "/v1/asset/cash", idempotent=True)
    text = caplog.text
    assert "x-timestamp" in text.lower()
    signature = venue.requests[0].headers["x-api-signature"]
    for secret in (APP_SECRET, TOKEN, APP_KEY, signature):
        assert secret not in text


async def test_a_token_change_waits_for_requests_on_the_wire_and_holds_new_ones_back() -> None:
    """The venue kills the old token when it issues the new one: no request signed with the old token
    may still be travelling then, and none waiting may go out with it afterwards."""
    answer_first = asyncio.Event()
    seen: list[tuple[str, str]] = []

    async def venue(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers["authorization"]))
        if request.url.path == "/v1/slow":
            await answer_first.wait()
        return ok({})

    transport = LongbridgeTransport(
        HOSTS,
        APP_KEY,
        APP_SECRET,
        access_token=TOKEN,
        clock_ms=lambda: NOW_MS,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
        rates=ROOMY,
        retry_sleep=_no_sleep,
    )
    slow = asyncio.create_task(transport.request("GET", "/v1/slow", idempotent=True))
    while not seen:
        await asyncio.sleep(0)

    async def change() -> None:
        async with transport.token_change():
            await transport.request("GET", "/v1/token/refresh", idempotent=False)
            transport.set_access_token("new-token")

    changing = asyncio.create_task(change())
    for _ in range(20):
        await asyncio.sleep(0)
    later = asyncio.create_task(transport.request("GET", "/v1/later", idempotent=True))
    for _ in range(20):
        await asyncio.sleep(0)
    assert [path for path, _ in seen] == ["/v1/slow"]  # the change waits for the slow answer; "later" waits too
    answer_first.set()
    await asyncio.gather(slow, changing, later)
    assert seen == [("/v1/slow", TOKEN), ("/v1/token/refresh", TOKEN), ("/v1/later", "new-token")]
    await transport.aclose()
