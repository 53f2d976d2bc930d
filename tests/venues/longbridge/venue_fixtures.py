"""A started LongbridgeVenue against the fake Longbridge server, with a stand-in QuoteSource (fixed
instruments and last prices) and generous client-side rates so tests run fast."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from terminal.domain.enums import OrderType, SymbolStatus
from terminal.domain.instrument import Instrument, LotSize
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.domain.tick_tables import hk_price_filter, us_price_filter
from terminal.venues.base import EventSink, Topic, VenueEvent
from terminal.venues.longbridge.hosts import Hosts
from terminal.venues.longbridge.orders import TIME_IN_FORCE_RULES
from terminal.venues.longbridge.token import AccessToken
from terminal.venues.longbridge.transport import RATES, LongbridgeTransport
from terminal.venues.longbridge.venue import LongbridgeVenue
from terminal.venues.ratelimit import Rate, RateLimiter
from tests.support.longbridge.server import LongbridgeFakeServer

FAST = {name: Rate(1000, 0.01) for name in RATES}

HK_TYPES = (
    OrderType.LIMIT,
    OrderType.ENHANCED_LIMIT,
    OrderType.AT_AUCTION,
    OrderType.AT_AUCTION_LIMIT,
    OrderType.ODD_LOT,
    OrderType.SPECIAL_LIMIT,
)
US_TYPES = (OrderType.LIMIT, OrderType.MARKET)
LAST_PRICES = {
    "700.HK": Decimal("320.00"),
    "9988.HK": Decimal("85.00"),
    "AAPL.US": Decimal("190.00"),
    "TSLA.US": Decimal("250.00"),
}


def stock(symbol: str, name: str, lot: int) -> Instrument:
    hk = symbol.endswith(".HK")
    price = LAST_PRICES[symbol]
    rule = hk_price_filter(price) if hk else us_price_filter(price)
    types = HK_TYPES if hk else US_TYPES
    return Instrument(
        symbol=symbol,
        base_asset=symbol,
        quote_asset="HKD" if hk else "USD",
        price_filter=rule,
        lot_size=LotSize(min_qty=Decimal(lot), max_qty=Decimal(10**9), step_size=Decimal(lot)),
        status=SymbolStatus.TRADING,
        name=name,
        order_types=types,
        group="HK" if hk else "US",
        time_in_force_rules={kind: TIME_IN_FORCE_RULES[kind] for kind in types},
    )


INSTRUMENTS = {
    "700.HK": stock("700.HK", "TENCENT", 100),
    "9988.HK": stock("9988.HK", "BABA-W", 100),
    "AAPL.US": stock("AAPL.US", "Apple Inc.", 1),
    "TSLA.US": stock("TSLA.US", "Tesla, Inc.", 1),
}


class _Held:
    def release(self) -> None:
        return None


class StandInQuotes:
    """A QuoteSource with fixed instruments and last prices; it records what the venue asked of it."""

    def __init__(self, watchlist: Sequence[str] = ("TSLA.US",)) -> None:
        self.started = False
        self.closed = False
        self.tokens: list[str] = []
        self.asked: list[list[str]] = []
        self.watched: list[tuple[Topic, str]] = []
        self.prices = dict(LAST_PRICES)
        self._watchlist = list(watchlist)

    async def start(self, sink: EventSink) -> None:
        self.started = True

    async def instruments(self, symbols: Sequence[str]) -> dict[str, Instrument]:
        self.asked.append(list(symbols))
        return {symbol: INSTRUMENTS[symbol] for symbol in symbols if symbol in INSTRUMENTS}

    async def watchlist(self) -> list[str]:
        return list(self._watchlist)

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> _Held:
        self.watched.append((topic, symbol))
        return _Held()

    async def candles(
        self, symbol: str, interval: Interval, *, end_ms: int | None = None, limit: int = 1000
    ) -> list[Candle]:
        return [Candle(0, Decimal(1), Decimal(2), Decimal(1), Decimal(2), Decimal(10))]

    async def last_prices(self, symbols: Sequence[str]) -> dict[str, Decimal]:
        return {symbol: self.prices[symbol] for symbol in symbols if symbol in self.prices}

    async def set_access_token(self, token: str) -> None:
        self.tokens.append(token)

    async def close(self) -> None:
        self.closed = True


@pytest.fixture
def server() -> Iterator[LongbridgeFakeServer]:
    with LongbridgeFakeServer() as fake:
        yield fake


@pytest.fixture
def events() -> list[VenueEvent]:
    return []


@pytest.fixture
def quotes() -> StandInQuotes:
    return StandInQuotes()


@pytest.fixture
def account_interval() -> float:
    """How often the venue polls the account: rarely, unless a test module overrides this fixture."""
    return 60.0


def make_venue(
    server: LongbridgeFakeServer, quotes: StandInQuotes, account_interval: float = 60.0, token: str | None = None
) -> LongbridgeVenue:
    transport = LongbridgeTransport(
        Hosts(server.url),
        server.app_key,
        server.app_secret,
        access_token=token or server.token,
        limiter=RateLimiter(FAST),
        rates=FAST,
        timeout=1.0,
        retry_initial_wait=0.01,
    )
    return LongbridgeVenue(
        Hosts(server.url),
        server.app_key,
        server.app_secret,
        AccessToken(token or server.token, datetime.now(UTC) + timedelta(days=90)),
        quotes=quotes,
        symbols=("9988.HK",),
        account_interval=account_interval,
        transport=transport,
    )


@pytest.fixture
async def venue(
    server: LongbridgeFakeServer, quotes: StandInQuotes, events: list[VenueEvent], account_interval: float
) -> AsyncIterator[LongbridgeVenue]:
    started = make_venue(server, quotes, account_interval)
    await started.start(events.append)
    yield started
    await started.close()
    # An expired token is refused (and recorded) by the fake; tests that expire one expect that.
    assert [v for v in server.violations if "has expired" not in v] == []
