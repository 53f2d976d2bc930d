"""WebullVenue's orders against the fake server: place, replace, cancel, fills, lost answers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.orders import OrderRequest
from terminal.venues.base import OrderEvent, VenueEvent
from terminal.venues.errors import UnknownOutcome
from terminal.venues.webull.venue import WebullVenue
from tests.support.webull.server import WebullFakeServer
from tests.venues.webull import venue_fixtures

server = venue_fixtures.server
events = venue_fixtures.events
venue = venue_fixtures.venue
account_interval = venue_fixtures.account_interval


def limit(price: str, quantity: str = "2", coid: str | None = None) -> OrderRequest:
    return OrderRequest("AAPL", Side.BUY, OrderType.LIMIT, Decimal(quantity), Decimal(price), client_order_id=coid)


async def test_a_limit_order_rests_then_is_replaced_and_cancelled(
    venue: WebullVenue,
    events: list[VenueEvent],
) -> None:
    placed = await venue.place(limit("150.00", coid="limit-1"))
    assert placed.status is OrderStatus.NEW and placed.price == Decimal("150.00") and placed.order_id
    assert [o.client_order_id for o in await venue.open_orders()] == ["limit-1"]
    assert isinstance(events[-1], OrderEvent) and events[-1].order.client_order_id == "limit-1"

    replaced = await venue.replace("limit-1", quantity=Decimal(3), price=Decimal("151.00"))
    assert replaced.quantity == Decimal(3) and replaced.price == Decimal("151.00")

    cancelled = await venue.cancel("limit-1")
    assert cancelled.status is OrderStatus.CANCELED
    assert await venue.open_orders() == []
    assert (await venue.query("limit-1")).status is OrderStatus.CANCELED


async def test_a_market_order_fills_and_shows_as_a_fill(venue: WebullVenue) -> None:
    request = OrderRequest("AAPL", Side.BUY, OrderType.MARKET, Decimal(1), client_order_id="mkt-1")
    filled = await venue.place(request)
    assert filled.status is OrderStatus.FILLED and filled.executed_qty == Decimal(1)
    assert filled.avg_price == Decimal("190.01")  # at the ask
    (fill,) = await venue.fills()
    assert fill.client_order_id == "mkt-1" and fill.price == Decimal("190.01") and fill.commission_asset == "USD"
    assert [o.client_order_id for o in await venue.order_history("AAPL")] == ["mkt-1"]


async def test_a_resting_order_filled_later_is_seen_by_query(venue: WebullVenue, server: WebullFakeServer) -> None:
    await venue.place(limit("150.00", coid="later-1"))
    server.fill_order("later-1", "1")
    partly = await venue.query("later-1")
    assert partly.status is OrderStatus.PARTIALLY_FILLED and partly.executed_qty == Decimal(1)


async def test_preview_places_nothing(venue: WebullVenue) -> None:
    estimate = await venue.preview(limit("150.00"))
    assert estimate.estimated_cost == Decimal("300.00") and estimate.estimated_fee == Decimal("0.00")
    assert estimate.currency == "USD"
    assert await venue.open_orders() == []


async def test_a_lost_answer_to_place_is_an_unknown_outcome(
    venue: WebullVenue,
    server: WebullFakeServer,
) -> None:
    server.swallow_next("/trading/orders/place")
    with pytest.raises(UnknownOutcome):
        await venue.place(limit("150.00", coid="lost-1"))
    assert (await venue.query("lost-1")).status is OrderStatus.NEW  # reconciled by its id, not re-sent
