"""The demo exchange's REST server on a loopback port, raw signed requests, and terminal clients."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from terminal.demo.exchange import DemoExchange, DemoUser
from terminal.demo.keys import ApiKey
from terminal.demo.server.fault_routes import fault_routes
from terminal.demo.server.limits import Limits, RateClass
from terminal.demo.server.rest import json_error_handlers, rest_routes
from terminal.domain.enums import OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.hashkey import endpoints
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.signing import Credentials
from terminal.venues.hashkey.transport import HashKeyTransport
from terminal.venues.ratelimit import Rate, RateLimiter
from tests.demo.server.signer import Signer
from tests.support.http_recorder import serve

D = Decimal
# Tests that make many calls quickly lift the documented limits; the limit tests use the real ones.
GENEROUS = Limits(per_second=dict.fromkeys(RateClass, 100_000))


def make_app(exchange: DemoExchange, limits: Limits | None = GENEROUS) -> Starlette:
    routes = fault_routes(exchange) + rest_routes(exchange, limits=limits)
    return Starlette(routes=routes, exception_handlers=json_error_handlers())


MID = D(95000)


def seed_book(exchange: DemoExchange, symbol: str = "BTCUSDT", mid: Decimal = MID, levels: int = 5) -> DemoUser:
    """A market maker resting ``levels`` bids and asks a tick apart around ``mid``."""
    maker = exchange.create_user({"BTC": D(100), "ETH": D(1000), "USDT": D(10_000_000)})
    tick = exchange.engine.instrument(symbol).tick_size
    for i in range(1, levels + 1):
        for side, price in ((Side.SELL, mid + tick * i), (Side.BUY, mid - tick * i)):
            request = OrderRequest(symbol, side, OrderType.LIMIT, quantity=D("0.5"), price=price)
            exchange.place(maker.main_account, request)
    return maker


@pytest.fixture
def exchange() -> DemoExchange:
    return DemoExchange()


@pytest.fixture
async def url(exchange: DemoExchange) -> AsyncIterator[str]:
    async with serve(make_app(exchange)) as base:
        yield base


@pytest.fixture
async def http(url: str) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=url, timeout=10.0) as client:
        yield client


@pytest.fixture
def signer(http: httpx.AsyncClient, exchange: DemoExchange) -> Signer:
    """Signed requests with the default user's trading key."""
    return Signer(http, exchange.user.trading_key)


ClientFactory = Callable[[ApiKey], HashKeyRestClient]


def client_for(url: str, key: ApiKey, **transport: Any) -> HashKeyRestClient:
    """The terminal's own REST client for ``key``, its pacing lifted to match ``GENEROUS``."""
    limiter = RateLimiter(dict.fromkeys(endpoints.RateClass, Rate(100_000, 1.0)))
    return HashKeyRestClient(HashKeyTransport(url, Credentials(key.key, key.secret), limiter=limiter, **transport))


@pytest.fixture
async def connect(url: str) -> AsyncIterator[ClientFactory]:
    """Clients for any key, closed after the test."""
    made: list[HashKeyRestClient] = []

    def make(key: ApiKey) -> HashKeyRestClient:
        made.append(client_for(url, key))
        return made[-1]

    yield make
    for client in made:
        await client.aclose()
