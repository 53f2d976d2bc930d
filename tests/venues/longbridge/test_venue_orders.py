"""LongbridgeVenue's orders against the fake server: submit (every type, Day/GTC, the remark), replace,
cancel, query by client order id (also after a lost answer), open orders, history and executions."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.venues.base import FillEvent, OrderEvent, VenueEvent
from terminal.venues.errors import InvalidRequest, OrderNotFound, UnknownOutcome
from terminal.venues.longbridge.venue import LongbridgeVenue
from tests.support.longbridge.server import LongbridgeFakeServer
from tests.support.longbridge.signed_client import SignedClient
from tests.venues.longbridge import venue_fixtures

server = venue_fixtures.server
events = venue_fixtures.events
quotes = venue_fixtures.quotes
venue = venue_fixtures.venue
account_interval = venue_fixtures.account_interval


def hk(
    kind: OrderType, price: str | None, quantity: str = "100", coid: str | None = None, tif: TimeInForce | None = None
) -> OrderRequest:
    return OrderRequest(
        "700.HK",
        Side.BUY,
        kind,
        Decimal(quantity),
        Decimal(price) if price is not None else None,
        time_in_force=tif,
        client_order_id=coid,
    )


def aapl(
    kind: OrderType, price: str | None, coid: str, tif: TimeInForce | None = None, side: Side = Side.BUY
) -> OrderRequest:
    return OrderRequest(
        "AAPL.US", side, kind, Decimal(2), Decimal(price) if price else None, time_in_force=tif, client_order_id=coid
    )


async def test_a_limit_order_rests_is_replaced_and_cancelled(
    venue: LongbridgeVenue, server: LongbridgeFakeServer, events: list[VenueEvent]
) -> None:
    placed = await venue.place(hk(OrderType.LIMIT, "300.00", coid="limit-1", tif=TimeInForce.GTC))
    assert placed.status is OrderStatus.NEW and placed.client_order_id == "limit-1"
    assert placed.order_id is not None and len(placed.order_id) == 18
    assert placed.price == Decimal("300.00") and placed.time_in_force is TimeInForce.GTC
    wire = server.order(placed.order_id)
    assert (wire.order_type, wire.time_in_force, wire.remark) == ("LO", "GTC", "limit-1")
    assert isinstance(events[-1], OrderEvent) and events[-1].order.client_order_id == "limit-1"
    assert [o.client_order_id for o in await venue.open_orders()] == ["limit-1"]

    replaced = await venue.replace("limit-1", quantity=Decimal(200), price=Decimal("301.00"))
    assert replaced.quantity == Decimal(200) and replaced.price == Decimal("301.00")
    assert replaced.status is OrderStatus.NEW and replaced.client_order_id == "limit-1"
    assert server.order(placed.order_id).remark == "limit-1"
    repriced = await venue.replace("limit-1", price=Decimal("302.00"))  # the quantity stays
    assert repriced.quantity == Decimal(200) and repriced.price == Decimal("302.00")

    cancelled = await venue.cancel("limit-1")
    assert cancelled.status is OrderStatus.CANCELED
    assert await venue.open_orders() == []
    assert (await venue.query("limit-1")).status is OrderStatus.CANCELED
    assert isinstance(events[-1], OrderEvent) and events[-1].update.status is OrderStatus.CANCELED


async def test_a_day_order_is_sent_as_day_by_default(venue: LongbridgeVenue, server: LongbridgeFakeServer) -> None:
    placed = await venue.place(hk(OrderType.LIMIT, "300.00", coid="day-1"))
    assert placed.time_in_force is TimeInForce.DAY
    assert placed.order_id is not None and server.order(placed.order_id).time_in_force == "Day"
    server.end_of_day()
    expired = await venue.query("day-1")
    assert expired.status is OrderStatus.CANCELED and expired.cancel_reason == "expired"


async def test_a_market_order_fills_with_one_fill_per_execution(
    venue: LongbridgeVenue, events: list[VenueEvent]
) -> None:
    filled = await venue.place(aapl(OrderType.MARKET, None, "mkt-1"))
    assert filled.status is OrderStatus.FILLED and filled.executed_qty == Decimal(2)
    assert filled.avg_price == Decimal("190.00") and filled.type is OrderType.MARKET
    fill_events = [e.fill for e in events if isinstance(e, FillEvent)]
    assert len(fill_events) == 1 and fill_events[0].client_order_id == "mkt-1"
    assert fill_events[0].side is Side.BUY and fill_events[0].commission_asset == "USD"
    (fill,) = await venue.fills()
    assert fill == fill_events[0]
    assert [o.client_order_id for o in await venue.order_history("AAPL.US")] == ["mkt-1"]


@pytest.mark.parametrize(
    ("kind", "wire", "price", "quantity", "tif"),
    [
        (OrderType.ENHANCED_LIMIT, "ELO", "300.00", "100", TimeInForce.GTC),
        (OrderType.AT_AUCTION, "AO", None, "100", None),
        (OrderType.AT_AUCTION_LIMIT, "ALO", "300.00", "100", None),
        (OrderType.ODD_LOT, "ODD", "300.00", "50", TimeInForce.DAY),
        (OrderType.SPECIAL_LIMIT, "SLO", "300.00", "100", None),
    ],
)
async def test_the_hong_kong_types_go_as_their_wire_names(
    venue: LongbridgeVenue,
    server: LongbridgeFakeServer,
    kind: OrderType,
    wire: str,
    price: str | None,
    quantity: str,
    tif: TimeInForce | None,
) -> None:
    placed = await venue.place(hk(kind, price, quantity, coid=f"hk-{wire}", tif=tif))
    assert placed.type is kind and placed.order_id is not None
    sent = server.order(placed.order_id)
    assert (sent.order_type, sent.remark) == (wire, f"hk-{wire}")
    assert sent.time_in_force == ("GTC" if tif is TimeInForce.GTC else "Day")
    if kind is OrderType.AT_AUCTION:  # no price: the fake fills it at the last price
        assert placed.status is OrderStatus.FILLED and placed.price is None


async def test_requests_the_venue_would_refuse_stay_here(venue: LongbridgeVenue) -> None:
    with pytest.raises(InvalidRequest):
        await venue.place(aapl(OrderType.MARKET, None, "gtc-mkt", tif=TimeInForce.GTC))
    with pytest.raises(InvalidRequest):
        await venue.place(hk(OrderType.AT_AUCTION, "300.00", coid="ao-priced"))
    with pytest.raises(InvalidRequest):
        await venue.place(hk(OrderType.LIMIT, "300.00", coid="x" * 65))
    with pytest.raises(InvalidRequest):
        await venue.place(hk(OrderType.LIMIT_MAKER, "300.00", coid="maker"))


async def test_a_refused_order_raises_and_places_nothing(venue: LongbridgeVenue, server: LongbridgeFakeServer) -> None:
    with pytest.raises(InvalidRequest):
        await venue.place(
            OrderRequest(
                "AAPL.US", Side.SELL, OrderType.LIMIT, Decimal(1000), Decimal("190.00"), client_order_id="too-many"
            )
        )
    assert server.orders == []


async def test_a_lost_submit_answer_is_reconciled_by_its_remark(
    venue: LongbridgeVenue, server: LongbridgeFakeServer
) -> None:
    server.swallow_next("/v1/trade/order", method="POST")
    with pytest.raises(UnknownOutcome):
        await venue.place(hk(OrderType.LIMIT, "300.00", coid="lost-1"))
    (sent,) = server.orders
    found = await venue.query("lost-1")  # not re-sent: found among today's orders by its remark
    assert found.status is OrderStatus.NEW and found.order_id == sent.order_id
    assert len(server.orders) == 1
    assert (await venue.cancel("lost-1")).status is OrderStatus.CANCELED


async def test_an_unknown_client_order_id_is_not_found(venue: LongbridgeVenue) -> None:
    with pytest.raises(OrderNotFound):
        await venue.query("never-placed")


async def test_a_resting_order_filled_later_is_seen_by_query_and_fills(
    venue: LongbridgeVenue, server: LongbridgeFakeServer
) -> None:
    placed = await venue.place(hk(OrderType.LIMIT, "300.00", "300", coid="later-1"))
    assert placed.order_id is not None
    server.fill_order(placed.order_id, "100")
    server.fill_order(placed.order_id, "100", "299.80")
    partly = await venue.query("later-1")
    assert partly.status is OrderStatus.PARTIALLY_FILLED and partly.executed_qty == Decimal(200)
    fills = await venue.fills("700.HK")
    assert len(fills) == 2 and {f.client_order_id for f in fills} == {"later-1"}
    assert sorted(f.price for f in fills) == [Decimal("299.80"), Decimal("300.00")]
    assert len({f.trade_id for f in fills}) == 2
    assert {f.commission_asset for f in fills} == {"HKD"}


async def test_an_order_placed_elsewhere_gets_an_lb_id(venue: LongbridgeVenue, server: LongbridgeFakeServer) -> None:
    body = {"symbol": "700.HK", "order_type": "LO", "side": "Buy", "submitted_quantity": "100"}
    body |= {"submitted_price": "300.00", "time_in_force": "Day"}  # another app's order: no remark
    with SignedClient(server.url, server.app_key, server.app_secret, server.token) as other:
        answer = other.post("/v1/trade/order", body)
    order_id = answer.json()["data"]["order_id"]
    (seen,) = await venue.open_orders()
    assert seen.client_order_id == f"LB-{order_id}" and seen.order_id == order_id
    assert (await venue.query(f"LB-{order_id}")).status is OrderStatus.NEW
    assert (await venue.cancel(seen.client_order_id)).status is OrderStatus.CANCELED


async def test_cancel_all_cancels_every_working_order(venue: LongbridgeVenue) -> None:
    await venue.place(hk(OrderType.LIMIT, "300.00", coid="all-1"))
    await venue.place(aapl(OrderType.LIMIT, "150.00", "all-2"))
    await venue.cancel_all("AAPL.US")
    assert [o.client_order_id for o in await venue.open_orders()] == ["all-1"]
    await venue.cancel_all()
    assert await venue.open_orders() == []
    history = await venue.order_history()
    assert {o.client_order_id for o in history} == {"all-1", "all-2"}
    assert all(o.status is OrderStatus.CANCELED for o in history)


async def test_preview_estimates_here_and_places_nothing(venue: LongbridgeVenue, server: LongbridgeFakeServer) -> None:
    estimate = await venue.preview(hk(OrderType.LIMIT, "300.00", "200"))
    assert estimate.estimated_cost == Decimal("60000.00") and estimate.currency == "HKD"
    market = await venue.preview(aapl(OrderType.MARKET, None, "pv-2"))
    assert market.estimated_cost == Decimal("380.00") and market.estimated_fee == 0
    assert server.orders == []
