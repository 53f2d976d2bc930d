"""LongbridgeVenue's account: what start announces, balances and positions, the account poll (orders
filled elsewhere, one fill per execution, STALE on failures), the token refresh and an expired token."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.venues.base import (
    BalanceEvent,
    ConnectionEvent,
    ConnectionState,
    FillEvent,
    OrderEvent,
    PositionEvent,
    Topic,
    VenueEvent,
    amends_orders,
)
from terminal.venues.errors import AuthenticationError
from terminal.venues.longbridge.errors import TokenExpired
from terminal.venues.longbridge.token import AccessToken
from terminal.venues.longbridge.venue import STREAM, TOKEN_EXPIRED_REASON, LongbridgeVenue
from tests.support.longbridge.server import LongbridgeFakeServer
from tests.venues.longbridge import venue_fixtures
from tests.venues.longbridge.venue_fixtures import StandInQuotes, make_venue

server = venue_fixtures.server
events = venue_fixtures.events
quotes = venue_fixtures.quotes
venue = venue_fixtures.venue


@pytest.fixture
def account_interval() -> float:
    return 0.05


async def until(check: Callable[[], bool], timeout: float = 3.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not check():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.01)


def state_now(events: list[VenueEvent]) -> ConnectionState:
    return connection(events)[-1].state


def connection(events: list[VenueEvent]) -> list[ConnectionEvent]:
    return [e for e in events if isinstance(e, ConnectionEvent) and e.stream == STREAM]


async def test_start_announces_balances_positions_and_goes_live(
    venue: LongbridgeVenue, events: list[VenueEvent], quotes: StandInQuotes
) -> None:
    assert quotes.started
    assert [e.state for e in connection(events)][:2] == [ConnectionState.CONNECTING, ConnectionState.LIVE]
    assert venue.permissions.can_trade and venue.permissions.account == "lb" and venue.account_id == "lb"
    assert set(venue.instruments) == {"700.HK", "AAPL.US", "9988.HK", "TSLA.US"}  # held, symbols, watchlist
    (balances,) = [e for e in events if isinstance(e, BalanceEvent)][:1]
    assert balances.complete
    by_asset = {b.asset: b for b in balances.balances}
    assert by_asset["HKD"] == Balance.of("HKD", Decimal("1000000.00"), Decimal(0))
    assert by_asset["USD"] == Balance.of("USD", Decimal("100000.00"), Decimal(0))
    assert by_asset["700.HK"] == Balance.of("700.HK", Decimal(200), Decimal(0))
    (positions,) = [e for e in events if isinstance(e, PositionEvent)][:1]
    tencent = {p.symbol: p for p in positions.positions}["700.HK"]
    assert tencent.quantity == Decimal(200) and tencent.cost_price == Decimal("300.000")
    assert tencent.last_price == Decimal("320.00") and tencent.market_value == Decimal("64000.00")
    assert tencent.currency == "HKD" and tencent.unrealized_pnl == Decimal("4000.00")
    caps = venue.capabilities
    assert amends_orders(venue) and caps.positions and not caps.streaming_account and caps.streaming_market_data
    assert caps.venue == "Longbridge" and caps.poll_interval_s == 0
    assert OrderType.ENHANCED_LIMIT in caps.order_types and OrderType.LIMIT_MAKER not in caps.order_types
    assert caps.time_in_force[OrderType.LIMIT] == (TimeInForce.DAY, TimeInForce.GTC)
    (account,) = await venue.accounts()
    assert account.account_id == "lb" and "Longbridge" in account.label


async def test_watch_and_candles_go_to_the_quotes(venue: LongbridgeVenue, quotes: StandInQuotes) -> None:
    venue.watch(Topic.DEPTH, "700.HK").release()
    assert quotes.watched == [(Topic.DEPTH, "700.HK")]
    assert len(await venue.candles("700.HK", venue.capabilities.intervals[0])) == 1


async def test_a_resting_order_filled_by_the_market_is_announced_once_per_execution(
    venue: LongbridgeVenue, server: LongbridgeFakeServer, events: list[VenueEvent]
) -> None:
    placed = await venue.place(
        OrderRequest("700.HK", Side.BUY, OrderType.LIMIT, Decimal(300), Decimal("300.00"), client_order_id="rest-1")
    )
    assert placed.order_id is not None
    server.fill_order(placed.order_id, "100")
    await until(lambda: any(isinstance(e, FillEvent) for e in events))
    server.set_price("700.HK", "299.00")  # reaches the limit: the rest fills at 300.00
    await until(lambda: len([e for e in events if isinstance(e, FillEvent)]) == 2)
    await until(
        lambda: any(
            isinstance(e, PositionEvent)
            and len(e.positions)
            and any(p.symbol == "700.HK" and p.quantity == Decimal(500) for p in e.positions)
            for e in events
        )
    )
    await asyncio.sleep(0.2)  # more polls change nothing
    fills = [e.fill for e in events if isinstance(e, FillEvent)]
    assert [f.quantity for f in fills] == [Decimal(100), Decimal(200)]
    assert [t.trade_id for t in server.executions] == [f.trade_id for f in fills]
    assert all(f.client_order_id == "rest-1" and f.price == Decimal("300.00") for f in fills)
    last = [e for e in events if isinstance(e, OrderEvent)][-1]
    assert last.update.status is OrderStatus.FILLED and last.update.executed_qty == Decimal(300)
    cash = [e for e in events if isinstance(e, BalanceEvent)][-1]
    assert {b.asset: b.total for b in cash.balances}["HKD"] == Decimal("910000.00")


async def test_a_failed_poll_is_stale_until_one_succeeds(
    venue: LongbridgeVenue, server: LongbridgeFakeServer, events: list[VenueEvent]
) -> None:
    for _ in range(4):  # a read is retried: fail every attempt of one poll
        server.fail_next("/v1/trade/order/today", 500, 500000, "internal error")
    await until(lambda: any(e.state is ConnectionState.STALE for e in connection(events)))
    await until(lambda: connection(events)[-1].state is ConnectionState.LIVE)


async def test_an_expired_token_fails_the_stream_until_a_new_one_is_used(
    venue: LongbridgeVenue, server: LongbridgeFakeServer, events: list[VenueEvent], quotes: StandInQuotes
) -> None:
    server.expire_token(server.token)
    with pytest.raises(TokenExpired):
        await venue.open_orders()
    failed = connection(events)[-1]
    assert failed.state is ConnectionState.FAILED and failed.reason == TOKEN_EXPIRED_REASON
    assert not venue.permissions.can_trade and venue.permissions.reason == TOKEN_EXPIRED_REASON
    await asyncio.sleep(0.2)  # the poll keeps failing quietly: no STALE over the FAILED
    assert state_now(events) is ConnectionState.FAILED
    fresh = AccessToken(server.issue_token(), datetime.now(UTC) + timedelta(days=90))  # from the developer site
    await venue.use_token(fresh)
    revived = venue.permissions  # a new name: mypy narrowed the old expression to False above
    assert state_now(events) is ConnectionState.LIVE and revived.can_trade
    assert quotes.tokens == [fresh.token] and venue.token == fresh
    assert await venue.open_orders() == []


async def test_refresh_token_replaces_the_token_everywhere(
    venue: LongbridgeVenue, server: LongbridgeFakeServer, quotes: StandInQuotes
) -> None:
    old = venue.token
    fresh = await venue.refresh_token(datetime.now(UTC) + timedelta(days=90))
    assert fresh.token != old.token and venue.token == fresh
    assert quotes.tokens == [fresh.token]
    assert server.tokens[old.token] == "invalidated" and server.tokens[fresh.token] == "valid"
    assert await venue.open_orders() == []  # signed with the new token


async def test_an_expired_token_at_start_raises_after_a_failed_event(server: LongbridgeFakeServer) -> None:
    server.expire_token(server.token)
    seen: list[VenueEvent] = []
    venue = make_venue(server, StandInQuotes())
    with pytest.raises(AuthenticationError):
        await venue.start(seen.append)
    assert connection(seen)[-1].state is ConnectionState.FAILED
    await venue.close()
