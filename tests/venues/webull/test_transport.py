"""The signed Webull transport against fake HTTP answers (httpx.MockTransport): what is signed and
sent, what is retried, what becomes an unknown outcome, pacing after 429, and secrets kept out of logs."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qsl

import httpx
import orjson
import pytest

from terminal.venues.errors import (
    AuthenticationError,
    MalformedResponse,
    OrderRejected,
    RateLimited,
    ServerError,
    UnknownOutcome,
    VenueUnavailable,
)
from terminal.venues.ratelimit import Rate, RateLimiter
from terminal.venues.webull.hosts import Hosts
from terminal.venues.webull.signing import signature, string_to_sign
from terminal.venues.webull.transport import RATES, RateClass, WebullTransport
from tests.support.fake_clock import FakeClock

APP_KEY = "wb-app-key-0123456789"
APP_SECRET = "wb-s3cr3t-s3cr3t-s3cr3t-s3cr3t"
TOKEN = "ccb071f764864b65a1fb48484e940a56"
HOSTS = Hosts("https://api.webull.hk")
NOW = datetime(2025, 11, 13, 1, 37, 20, tzinfo=UTC)
SIGNED = ("x-app-key", "x-timestamp", "x-signature-version", "x-signature-algorithm", "x-signature-nonce")

Handler = Callable[[httpx.Request], httpx.Response]


class Venue:
    """Answers in turn (the last one repeats) and keeps every request it got."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers) or [httpx.Response(200, json={})]
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer


async def _no_sleep(_: float) -> None:
    return None


# Pacing is not what most tests are about: they get room for a burst. The pacing tests use RATES.
ROOMY = {name: Rate(100, rate.window) for name, rate in RATES.items()}


def _transport(
    venue: Venue, *, clock: FakeClock | None = None, rates: dict[str, Rate] = ROOMY, **kw: object
) -> WebullTransport:
    return WebullTransport(
        HOSTS,
        APP_KEY,
        APP_SECRET,
        clock=lambda: NOW,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(rates, clock),
        rates=rates,
        retry_sleep=_no_sleep,
        **kw,  # type: ignore[arg-type]
    )


def _verify(request: httpx.Request, algorithm: str = "HMAC-SHA256") -> None:
    """Recompute the signature the way the venue would, from what actually went over the wire."""
    headers = {name: request.headers[name] for name in SIGNED}
    query = dict(parse_qsl(request.url.query.decode(), keep_blank_values=True))
    body = request.content or None
    text = string_to_sign(request.url.host, request.url.path, query, body, headers, algorithm)  # the bare name
    assert request.headers["x-signature"] == signature(text, APP_SECRET, algorithm)


async def test_a_read_is_signed_over_the_query_and_the_host() -> None:
    venue = Venue(httpx.Response(200, json=[{"account_id": "A1"}]))
    async with _transport(venue) as transport:
        data = await transport.request(
            "GET", "/openapi/account/list", query={"symbols": "AAPL,00700", "note": "a b&c=d é"}, idempotent=True
        )
    assert data == [{"account_id": "A1"}]
    (request,) = venue.requests
    assert request.url.host == "api.webull.hk"
    assert request.headers["host"] == "api.webull.hk"
    assert request.headers["x-timestamp"] == "2025-11-13T01:37:20Z"
    assert request.headers["x-signature-version"] == "1.0"
    assert request.headers["x-signature-algorithm"] == "HMAC-SHA256"
    assert request.headers["x-version"] == "v2"
    assert "x-access-token" not in request.headers
    assert "content-type" not in request.headers
    assert request.content == b""
    _verify(request)


async def test_the_body_is_serialized_once_compactly_and_those_bytes_are_signed() -> None:
    venue = Venue(httpx.Response(200, json={"ok": True}))
    body = {"account_id": "A1", "new_orders": [{"side": "BUY", "limit_price": "180.00", "symbol": "腾讯"}]}
    async with _transport(venue, algorithm="HMAC-SHA1") as transport:
        await transport.request("POST", "/openapi/trade/order/place", json_body=body, idempotent=False)
    (request,) = venue.requests
    assert request.content == orjson.dumps(body)
    assert b" " not in request.content
    assert request.headers["content-type"] == "application/json"
    assert request.headers["x-signature-algorithm"] == "HMAC-SHA1"
    _verify(request, "HMAC-SHA1")


async def test_decimals_go_as_plain_strings_and_other_objects_are_refused() -> None:
    venue = Venue()
    async with _transport(venue) as transport:
        body = {"limit_price": Decimal("180.00"), "quantity": Decimal("1E+2")}
        await transport.request("POST", "/openapi/trade/order/place", json_body=body, idempotent=False)
        with pytest.raises(TypeError):
            await transport.request("POST", "/openapi/trade/order/place", json_body={"x": object()}, idempotent=False)
    assert venue.requests[0].content == b'{"limit_price":"180","quantity":"100"}'  # to_plain, the wire form
    assert len(venue.requests) == 1


async def test_an_empty_object_is_sent_and_signed_as_two_bytes() -> None:
    venue = Venue()
    async with _transport(venue) as transport:
        await transport.request("POST", "/openapi/auth/token/create", json_body={}, idempotent=False)
    assert venue.requests[0].content == b"{}"
    _verify(venue.requests[0])


async def test_the_access_token_is_sent_but_not_signed() -> None:
    venue = Venue()
    async with _transport(venue, access_token=TOKEN) as transport:
        await transport.request("GET", "/openapi/assets/balance", query={"account_id": "A1"}, idempotent=True)
        transport.set_access_token(None)
        await transport.request("GET", "/openapi/assets/balance", query={"account_id": "A1"}, idempotent=True)
    with_token, without = venue.requests
    assert with_token.headers["x-access-token"] == TOKEN
    assert "x-access-token" not in without.headers
    _verify(with_token)  # the signature covers only the five x- headers and host


async def test_a_custom_host_with_a_port_is_signed_by_its_bare_name() -> None:
    venue = Venue()
    transport = WebullTransport(
        Hosts("http://127.0.0.1:8123"),
        APP_KEY,
        APP_SECRET,
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
    )
    async with transport:
        await transport.request("GET", "/openapi/config", idempotent=True)
    assert venue.requests[0].headers["host"] == "127.0.0.1:8123"  # sent with its port, signed without it
    _verify(venue.requests[0])


async def test_every_request_has_a_fresh_nonce_and_the_clocks_time() -> None:
    venue = Venue()
    times = iter([NOW, NOW.replace(second=21)])
    transport = WebullTransport(
        HOSTS,
        APP_KEY,
        APP_SECRET,
        clock=lambda: next(times),
        client=httpx.AsyncClient(transport=httpx.MockTransport(venue)),
        limiter=RateLimiter(ROOMY),
    )
    async with transport:
        for _ in range(2):
            await transport.request("GET", "/openapi/config", idempotent=True)
    first, second = venue.requests
    assert first.headers["x-signature-nonce"] != second.headers["x-signature-nonce"]
    assert [first.headers["x-timestamp"], second.headers["x-timestamp"]] == [
        "2025-11-13T01:37:20Z",
        "2025-11-13T01:37:21Z",
    ]


async def test_a_read_is_retried_after_5xx_with_a_fresh_signature() -> None:
    venue = Venue(
        httpx.Response(503, json={"error_code": "SERVICE_NOT_AVAILABLE", "message": "busy"}),
        httpx.ReadTimeout("slow"),
        httpx.Response(200, json={"token_check_enabled": True}),
    )
    async with _transport(venue) as transport:
        assert await transport.request("GET", "/openapi/config", idempotent=True) == {"token_check_enabled": True}
    assert len(venue.requests) == 3
    assert len({r.headers["x-signature-nonce"] for r in venue.requests}) == 3
    for request in venue.requests:
        _verify(request)


async def test_a_read_gives_up_after_its_attempts() -> None:
    venue = Venue(httpx.Response(500, json={"error_code": "SYSTEM_ERROR", "message": "boom"}))
    async with _transport(venue, retry_attempts=3) as transport:
        with pytest.raises(ServerError, match="boom"):
            await transport.request("GET", "/openapi/config", idempotent=True)
    assert len(venue.requests) == 3


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(500, json={"error_code": "SYSTEM_ERROR", "message": "boom"}),
        httpx.Response(504, text="<html>gateway</html>"),
        httpx.ReadTimeout("no answer"),
        httpx.RemoteProtocolError("dropped"),
        httpx.Response(200, text="not json"),
    ],
)
async def test_an_uncertain_order_is_an_unknown_outcome_and_never_resent(answer: httpx.Response | Exception) -> None:
    venue = Venue(answer)
    async with _transport(venue) as transport:
        with pytest.raises(UnknownOutcome):
            await transport.request("POST", "/openapi/trade/order/place", json_body={"a": 1}, idempotent=False)
    assert len(venue.requests) == 1


async def test_a_connection_that_never_opened_delivered_nothing() -> None:
    venue = Venue(httpx.ConnectError("refused"))
    async with _transport(venue) as transport:
        with pytest.raises(VenueUnavailable, match="could not reach"):
            await transport.request("POST", "/openapi/trade/order/place", json_body={"a": 1}, idempotent=False)
        with pytest.raises(VenueUnavailable):
            await transport.request("GET", "/openapi/config", idempotent=True)
    assert len(venue.requests) == 1 + 3  # the order once, the read with its retries


async def test_refusals_are_not_retried() -> None:
    venue = Venue(
        httpx.Response(401, json={"error_code": "INVALID_TOKEN", "message": "Header x-access-token is missing."}),
        httpx.Response(417, json={"error_code": "NEW_RULE", "message": "market closed"}),
    )
    async with _transport(venue) as transport:
        with pytest.raises(AuthenticationError, match="x-access-token"):
            await transport.request("GET", "/openapi/assets/balance", idempotent=True)
        with pytest.raises(OrderRejected, match="market closed"):
            await transport.request("POST", "/openapi/trade/order/place", json_body={}, idempotent=False)
    assert len(venue.requests) == 2


async def test_a_bad_success_body_of_a_read_is_malformed() -> None:
    venue = Venue(httpx.Response(200, text="<html>"))
    async with _transport(venue) as transport:
        with pytest.raises(MalformedResponse):
            await transport.request("GET", "/openapi/config", idempotent=True)
    assert len(venue.requests) == 1
    assert await _transport(Venue(httpx.Response(200))).request("GET", "/x", idempotent=True) is None


async def test_429_pauses_the_class_and_is_not_retried() -> None:
    clock = FakeClock()
    venue = Venue(httpx.Response(429, json={"error_code": "TOO_MANY_REQUESTS", "message": "slow down"}))
    async with _transport(venue, clock=clock, rates=RATES) as transport:
        with pytest.raises(RateLimited) as caught:
            await transport.request(
                "GET", "/openapi/trade/order/open", rate_class=RateClass.ORDER_QUERY, idempotent=True
            )
        assert caught.value.retry_after == RATES[RateClass.ORDER_QUERY].window
        assert transport.limiter.status(RateClass.ORDER_QUERY).paused_for == pytest.approx(2.2)
        assert transport.limiter.status(RateClass.ORDER).paused_for == 0
        # A state-changing request of a paused class waits at most max_wait, then gives up unsent.
        with pytest.raises(RateLimited):
            await transport.request(
                "POST", "/x", json_body={}, rate_class=RateClass.ORDER_QUERY, idempotent=False, max_wait=0.5
            )
    assert len(venue.requests) == 1


async def test_a_longer_retry_after_is_honoured() -> None:
    clock = FakeClock()
    venue = Venue(httpx.Response(429, headers={"Retry-After": "30"}, json={"error_code": "TOO_MANY_REQUESTS"}))
    async with _transport(venue, clock=clock, rates=RATES) as transport:
        with pytest.raises(RateLimited) as caught:
            await transport.request("POST", "/o", json_body={}, rate_class=RateClass.ORDER, idempotent=False)
        assert caught.value.retry_after == 30.0
        assert transport.limiter.status(RateClass.ORDER).paused_for == pytest.approx(30.0)


async def test_orders_are_paced_by_their_class() -> None:
    clock = FakeClock()
    venue = Venue()
    async with _transport(venue, clock=clock, rates=RATES) as transport:
        await transport.request("POST", "/o", json_body={}, rate_class=RateClass.ORDER, idempotent=False)
        with pytest.raises(RateLimited, match="order"):
            await transport.request(
                "POST", "/o", json_body={}, rate_class=RateClass.ORDER, idempotent=False, max_wait=0.5
            )
    assert len(venue.requests) == 1


def test_bad_construction_is_refused() -> None:
    with pytest.raises(ValueError, match="both required"):
        WebullTransport(HOSTS, "", APP_SECRET)
    with pytest.raises(ValueError, match="unknown Webull signature algorithm"):
        WebullTransport(HOSTS, APP_KEY, APP_SECRET, algorithm="RSA")


async def test_an_unknown_rate_class_is_refused_before_sending() -> None:
    venue = Venue()
    async with _transport(venue) as transport:
        with pytest.raises(ValueError, match="rate class"):
            await transport.request("GET", "/x", rate_class="nope", idempotent=True)
    assert venue.requests == []


async def test_secret_signature_and_token_stay_out_of_logs_and_repr(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    venue = Venue(httpx.Response(200, json={}), httpx.Response(500, json={"error_code": "SYSTEM_ERROR"}))
    async with _transport(venue, access_token=TOKEN) as transport:
        await transport.request("GET", "/openapi/assets/balance", query={"account_id": "A1"}, idempotent=True)
        with pytest.raises(UnknownOutcome):
            await transport.request("POST", "/openapi/trade/order/place", json_body={"a": 1}, idempotent=False)
        shown = f"{transport!r} {transport!s}"
    logged = caplog.text + shown
    assert "/openapi/assets/balance" in caplog.text  # the requests are logged...
    assert "x-signature-nonce" in caplog.text
    assert APP_SECRET not in logged  # ...but never the secret,
    assert TOKEN not in logged  # the access token,
    assert APP_KEY not in logged  # the app key,
    for request in venue.requests:
        assert request.headers["x-signature"] not in logged  # or a signature
