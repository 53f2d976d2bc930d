"""WebullVenue's account against the fake server: domain positions, accounts and previews, and the
background account poll (fills of resting orders, orders ended elsewhere, balance and position
changes, a failed poll). Every wait is for a condition, with a generous timeout."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from decimal import Decimal
from typing import TypeVar

import pytest

from terminal.domain.balance import Balance
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.domain.securities import BrokerageAccount, OrderPreview
from terminal.venues.base import (
    BalanceEvent,
    ConnectionEvent,
    ConnectionState,
    FillEvent,
    OrderEvent,
    PositionEvent,
    VenueEvent,
    amends_orders,
)
from terminal.venues.errors import MalformedResponse
from terminal.venues.webull.venue import STREAM, WebullVenue
from tests.support.webull.server import WebullFakeServer
from tests.venues.webull import venue_fixtures

server = venue_fixtures.server
events = venue_fixtures.events
venue = venue_fixtures.venue

T = TypeVar("T")
TIMEOUT = 10.0
BALANCES = "/trading/assets/balances/get"
OPEN_ORDERS = "/trading/orders/open-orders/list"


@pytest.fixture
def account_interval() -> float:
    return 0.05


async def until(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


def of(events: list[VenueEvent], kind: type[T]) -> list[T]:
    return [e for e in events if isinstance(e, kind)]


def calls(server: WebullFakeServer, path: str) -> int:
    return sum(1 for request in server.requests if request.path == path)


async def polls_later(server: WebullFakeServer, count: int = 3) -> None:
    """Wait until the account poll has read the open orders ``count`` more times (whole poll rounds)."""
    start = calls(server, OPEN_ORDERS)
    await until(lambda: calls(server, OPEN_ORDERS) >= start + count)


def fills_of(events: list[VenueEvent], client_order_id: str) -> list[FillEvent]:
    return [e for e in of(events, FillEvent) if e.fill.client_order_id == client_order_id]


def updates_of(events: list[VenueEvent], client_order_id: str) -> list[OrderEvent]:
    return [e for e in of(events, OrderEvent) if e.update.client_order_id == client_order_id]


def limit(price: str, quantity: str, coid: str, tif: TimeInForce | None = None) -> OrderRequest:
    return OrderRequest(
        "AAPL", Side.BUY, OrderType.LIMIT, Decimal(quantity), Decimal(price), time_in_force=tif, client_order_id=coid
    )


async def test_the_venue_is_a_polled_amending_securities_venue(venue: WebullVenue) -> None:
    assert amends_orders(venue) and venue.capabilities.positions and not venue.capabilities.streaming_account
    assert venue.capabilities.poll_interval_s == venue.poll_interval
    assert venue.account_id == "ACC-US-CASH-0001"


async def test_positions_are_domain_positions_with_their_profit(venue: WebullVenue) -> None:
    (held,) = await venue.positions()
    assert held.symbol == "AAPL" and held.currency == "USD"
    assert held.cost_price == Decimal("180.00") and held.last_price == Decimal("190.00")
    assert held.cost == Decimal("1800.00") and held.unrealized_pnl == Decimal("100.00")


async def test_accounts_are_brokerage_accounts(venue: WebullVenue) -> None:
    us, hk = await venue.accounts()
    assert us == BrokerageAccount("ACC-US-CASH-0001", "USD Cash", "CASH", "USD")  # the chosen one's currency
    assert hk.account_id == "ACC-HK-MRGN-0002" and hk.kind == "MARGIN"


async def test_a_preview_is_an_order_preview(venue: WebullVenue) -> None:
    estimate = await venue.preview(limit("150.00", "2", "pv-1"))
    assert estimate == OrderPreview(Decimal("300.00"), Decimal("0.00"), "USD", estimate.details)
    assert all(isinstance(value, str) for _, value in estimate.details)


async def test_start_announces_the_account_once_and_unchanged_polls_announce_nothing(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent]
) -> None:
    await polls_later(server)
    (balance,) = of(events, BalanceEvent)
    assert balance.complete and [b.asset for b in balance.balances] == ["USD", "AAPL"]
    (positions,) = of(events, PositionEvent)
    assert [p.symbol for p in positions.positions] == ["AAPL"]
    assert of(events, OrderEvent) == [] and of(events, FillEvent) == []


async def test_a_resting_order_filled_by_the_venue_gives_one_fill_per_increment(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent]
) -> None:
    placed = await venue.place(limit("150.00", "3", "rest-1"))
    assert placed.status is OrderStatus.NEW and len(updates_of(events, "rest-1")) == 1

    server.fill_order("rest-1", "1", "150.00")
    await until(lambda: len(fills_of(events, "rest-1")) == 1)
    partly = updates_of(events, "rest-1")[-1]
    assert partly.update.status is OrderStatus.PARTIALLY_FILLED and partly.update.executed_qty == 1

    server.fill_order("rest-1", "2", "149.00")
    await until(lambda: len(fills_of(events, "rest-1")) == 2)
    await until(lambda: updates_of(events, "rest-1")[-1].update.status is OrderStatus.FILLED)
    await polls_later(server)

    first, second = (event.fill for event in fills_of(events, "rest-1"))
    assert (first.quantity, first.price, first.trade_id) == (Decimal(1), Decimal("150.00"), f"{placed.order_id}:1")
    assert (second.quantity, second.price, second.trade_id) == (Decimal(2), Decimal("149.00"), f"{placed.order_id}:3")
    assert [e.update.status for e in updates_of(events, "rest-1")] == [
        OrderStatus.NEW,
        OrderStatus.PARTIALLY_FILLED,
        OrderStatus.FILLED,
    ]

    # The holding and the cash moved: both announced, as a complete balance set and the positions.
    await until(lambda: any(p.quantity == 13 for e in of(events, PositionEvent) for p in e.positions))
    await until(lambda: any(b.asset == "AAPL" and b.total == 13 for e in of(events, BalanceEvent) for b in e.balances))
    latest = of(events, BalanceEvent)[-1]
    assert latest.complete and latest.balances[0].asset == "USD"
    assert latest.balances[0].total == Decimal("100000.00") - Decimal("150.00") - 2 * Decimal("149.00")


async def test_a_fill_the_terminal_already_reported_is_not_announced_again(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent]
) -> None:
    market = OrderRequest("AAPL", Side.BUY, OrderType.MARKET, Decimal(2), client_order_id="mkt-1")
    filled = await venue.place(market)
    assert filled.status is OrderStatus.FILLED
    await polls_later(server)
    (fill,) = fills_of(events, "mkt-1")
    assert fill.fill.quantity == 2 and fill.fill.trade_id == f"{filled.order_id}:2"
    assert len(updates_of(events, "mkt-1")) == 1


async def test_orders_ended_elsewhere_get_their_final_state(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent]
) -> None:
    day = await venue.place(limit("150.00", "1", "day-1"))
    gtc = await venue.place(limit("150.00", "1", "gtc-1", TimeInForce.GTC))
    assert day.time_in_force is TimeInForce.DAY and gtc.time_in_force is TimeInForce.GTC

    server.end_of_day()  # the DAY order is cancelled by the venue, not by the terminal
    await until(lambda: updates_of(events, "day-1")[-1].update.status is OrderStatus.CANCELED)
    await polls_later(server)
    assert [e.update.status for e in updates_of(events, "gtc-1")] == [OrderStatus.NEW]
    assert [o.client_order_id for o in await venue.open_orders()] == ["gtc-1"]
    assert fills_of(events, "day-1") == []


async def test_a_failed_poll_makes_the_stream_stale_until_one_succeeds(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent]
) -> None:
    def states() -> list[ConnectionEvent]:
        return [e for e in of(events, ConnectionEvent) if e.stream == STREAM]

    server.fail_next(BALANCES, 417, "INVALID_PARAMETER", "Parameter error")
    server.fail_next(BALANCES, 417, "INVALID_PARAMETER", "Parameter error")
    await until(lambda: states()[-1].state is ConnectionState.LIVE and len(states()) >= 3)
    assert [e.state for e in states()] == [ConnectionState.CONNECTING, ConnectionState.LIVE, ConnectionState.STALE,
                                           ConnectionState.LIVE]  # fmt: skip
    assert "Parameter error" in states()[2].reason  # one STALE for two failed polls


async def test_the_poll_outlives_malformed_answers_and_surprises(
    venue: WebullVenue, server: WebullFakeServer, events: list[VenueEvent], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = venue.balances
    failures = [MalformedResponse("", "balance.account_currency_assets is missing"), RuntimeError("a bug")]

    async def flaky() -> list[Balance]:
        if failures:
            raise failures.pop(0)
        return await real()

    monkeypatch.setattr(venue, "balances", flaky)
    await until(lambda: not failures)
    await until(lambda: of(events, ConnectionEvent)[-1].state is ConnectionState.LIVE)
    stale = [e for e in of(events, ConnectionEvent) if e.state is ConnectionState.STALE]
    assert len(stale) == 1 and "missing" in stale[0].reason
    assert venue._account_task is not None and not venue._account_task.done()
