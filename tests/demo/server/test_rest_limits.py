"""Per-key limits: 2 queries and 10 orders a second, 429 then a one-minute suspension, 418 after repeated
violation; the injected rate-limit fault. Time is the exchange's (a fake clock here), never slept on."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from terminal.demo.exchange import DemoExchange
from terminal.demo.server.limits import KeyLimiter, Limits, RateClass, Refusal
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import RateLimited
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from tests.demo.server.conftest import D, make_app
from tests.demo.server.signer import Signer
from tests.support.http_recorder import serve

T0 = 1_800_000_000_000


class Clock:
    def __init__(self) -> None:
        self.ms = T0

    def __call__(self) -> int:
        return self.ms


def _statuses(refusals: list[Refusal | None]) -> list[int]:
    return [200 if r is None else r.status for r in refusals]


def test_the_query_budget_is_two_a_second_then_a_minute_of_429() -> None:
    clock = Clock()
    limiter = KeyLimiter(clock)
    assert _statuses([limiter.admit("k", RateClass.QUERY) for _ in range(3)]) == [200, 200, 429]
    clock.ms += 1_000
    refusal = limiter.admit("k", RateClass.QUERY)  # the window has room again, but the key is suspended
    assert refusal is not None and (refusal.status, refusal.retry_after_s) == (429, 60)
    assert (refusal.error.code, refusal.error.message) == ("0003", "Rate limit exceeded")
    clock.ms += 60_000
    assert limiter.admit("k", RateClass.QUERY) is None


def test_orders_have_their_own_budget_and_code() -> None:
    clock = Clock()
    limiter = KeyLimiter(clock)
    assert limiter.admit("k", RateClass.QUERY) is None
    assert limiter.admit("k", RateClass.QUERY) is None
    assert _statuses([limiter.admit("k", RateClass.ORDER) for _ in range(11)]) == [200] * 10 + [429]
    refusal = limiter.admit("k", RateClass.ORDER)
    assert refusal is not None
    assert refusal.error.message == "Too many new orders, current limit is 10 orders per second"
    assert refusal.error.code == "-1015"
    assert limiter.admit("other", RateClass.ORDER) is None  # per key
    assert _statuses([limiter.admit("k", RateClass.TRANSFER) for _ in range(2)]) == [200, 429]


def test_more_than_five_requests_inside_the_suspension_are_banned_for_two_minutes() -> None:
    clock = Clock()
    limiter = KeyLimiter(clock)
    statuses = [limiter.admit("k", RateClass.QUERY) for _ in range(3)]  # the third is refused
    for _ in range(6):  # each inside the minute that began with the last 429
        clock.ms += 5_000
        statuses.append(limiter.admit("k", RateClass.QUERY))
    assert _statuses(statuses) == [200, 200, 429, 429, 429, 429, 429, 429, 418]
    banned = statuses[-1]
    assert banned is not None and banned.retry_after_s == 120 and banned.error.code == "-3145"
    clock.ms += 60_000
    other = limiter.admit("k", RateClass.ORDER)  # a ban blocks every class of the key
    assert other is not None and (other.status, other.retry_after_s) == (418, 60)
    clock.ms += 60_000
    assert limiter.admit("k", RateClass.QUERY) is None


def test_a_suspension_served_in_full_forgives() -> None:
    clock = Clock()
    limiter = KeyLimiter(clock, Limits(strikes_before_ban=1))
    for _ in range(3):
        limiter.admit("k", RateClass.QUERY)
    clock.ms += 61_000
    assert limiter.admit("k", RateClass.QUERY) is None
    assert limiter.admit("k", RateClass.QUERY) is None
    assert _statuses([limiter.admit("k", RateClass.QUERY), limiter.admit("k", RateClass.QUERY)]) == [429, 429]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def documented(clock: Clock) -> AsyncIterator[tuple[DemoExchange, httpx.AsyncClient]]:
    """A server with the documented limits on a fake clock."""
    exchange = DemoExchange(clock=clock)
    async with serve(make_app(exchange, limits=None)) as base, httpx.AsyncClient(base_url=base) as http:
        yield exchange, http


async def test_429_then_418_over_http(clock: Clock, documented: tuple[DemoExchange, httpx.AsyncClient]) -> None:
    exchange, http = documented
    signer = Signer(http, exchange.user.trading_key)

    async def account() -> httpx.Response:
        return await signer.send("GET", "/api/v1/account", timestamp=clock.ms)

    assert [(await account()).status_code for _ in range(2)] == [200, 200]
    limited = await account()
    assert (limited.status_code, limited.headers["Retry-After"], limited.json()) == (
        429,
        "60",
        {"code": "0003", "msg": "Rate limit exceeded"},
    )
    order = [("symbol", "BTCUSDT"), ("side", "BUY"), ("type", "LIMIT"), ("quantity", "0.01"), ("price", "90000")]
    assert (await signer.send("POST", "/api/v1.1/spot/order", order, timestamp=clock.ms)).status_code == 200
    assert [(await account()).status_code for _ in range(5)] == [429] * 5
    banned = await account()
    assert (banned.status_code, banned.headers["Retry-After"], banned.json()["code"]) == (418, "120", "-3145")
    clock.ms += 119_000
    assert (await account()).headers["Retry-After"] == "1"
    clock.ms += 1_000
    assert (await account()).status_code == 200


async def test_the_rate_limit_fault_answers_429_without_counting_towards_a_ban(
    clock: Clock, documented: tuple[DemoExchange, httpx.AsyncClient]
) -> None:
    exchange, http = documented
    signer = Signer(http, exchange.user.trading_key)
    assert (await http.post("/_demo/rate-limit", json={"seconds": 2.5})).json() == {"until": T0 + 2_500}
    answers = [await signer.send("GET", "/api/v1/account", timestamp=clock.ms) for _ in range(10)]
    assert {(a.status_code, a.headers["Retry-After"]) for a in answers} == {(429, "3")}
    order = await signer.send("DELETE", "/api/v1/spot/cancelAllOpenOrders", timestamp=clock.ms)
    assert order.json()["code"] == "-1015"
    assert (await http.get("/quote/v1/depth", params={"symbol": "BTCUSDT"})).status_code == 200  # public: unaffected
    clock.ms += 2_500
    assert (await signer.send("GET", "/api/v1/account", timestamp=clock.ms)).status_code == 200


async def test_the_terminal_paces_itself_inside_the_documented_limits(exchange: DemoExchange) -> None:
    """Real time, the client's own pacing (2 per 1.1 s, 10 per 1.1 s), the server's documented limits."""
    async with serve(make_app(exchange, limits=None)) as base:
        key = exchange.user.trading_key
        client = HashKeyRestClient(HashKeyTransport(base, Credentials(key.key, key.secret)))
        order = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D("0.01"), price=D(90000))
        async with client:
            await asyncio.gather(
                *(client.account() for _ in range(3)), *(client.create_order(order) for _ in range(12))
            )
        assert len(exchange.engine.open_orders(key.account_id)) == 12


async def test_the_terminal_hears_the_429(documented: tuple[DemoExchange, httpx.AsyncClient]) -> None:
    exchange, http = documented
    await http.post("/_demo/rate-limit", json={"seconds": 30})
    key = exchange.user.trading_key
    transport = HashKeyTransport(str(http.base_url), Credentials(key.key, key.secret), retry_attempts=1)
    async with HashKeyRestClient(transport) as client:
        with pytest.raises(RateLimited) as limited:
            await client.account()
    assert limited.value.retry_after == 30
