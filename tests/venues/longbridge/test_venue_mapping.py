"""Longbridge's order, execution and asset answers as domain objects: every SDK status, the client order
id (known, remark, ``LB-``), blank decimals, and a rejected order seen through the venue."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.orders import OrderRequest
from terminal.venues.errors import MalformedResponse
from terminal.venues.longbridge import mapping
from terminal.venues.longbridge.venue import LongbridgeVenue
from terminal.venues.wire import WireObject
from tests.support.longbridge.server import LongbridgeFakeServer
from tests.venues.longbridge import venue_fixtures

server = venue_fixtures.server
events = venue_fixtures.events
quotes = venue_fixtures.quotes
venue = venue_fixtures.venue
account_interval = venue_fixtures.account_interval


def row(**changes: object) -> WireObject:
    data: dict[str, object] = {
        "order_id": "701276261045858304",
        "status": "NewStatus",
        "quantity": "200",
        "executed_quantity": "0",
        "price": "300.2",
        "executed_price": "0.000",
        "submitted_at": "1651644897",
        "updated_at": "1651644900",
        "side": "Buy",
        "symbol": "700.HK",
        "order_type": "ELO",
        "msg": "",
        "time_in_force": "GTC",
        "remark": "coid-1",
    }
    data.update(changes)
    return WireObject(data, "order")


@pytest.mark.parametrize(
    ("wire", "executed", "status"),
    [
        ("NotReported", "0", OrderStatus.PENDING_NEW),
        ("ReplacedNotReported", "0", OrderStatus.PENDING_NEW),
        ("ProtectedNotReported", "0", OrderStatus.PENDING_NEW),
        ("VarietiesNotReported", "0", OrderStatus.PENDING_NEW),
        ("WaitToNew", "0", OrderStatus.PENDING_NEW),
        ("NewStatus", "0", OrderStatus.NEW),
        ("ReplacedStatus", "0", OrderStatus.NEW),
        ("ReplacedStatus", "100", OrderStatus.PARTIALLY_FILLED),
        ("WaitToReplace", "0", OrderStatus.NEW),
        ("PendingReplaceStatus", "0", OrderStatus.NEW),
        ("WaitToCancel", "0", OrderStatus.NEW),
        ("PendingCancelStatus", "100", OrderStatus.PARTIALLY_FILLED),
        ("PartialFilledStatus", "100", OrderStatus.PARTIALLY_FILLED),
        ("FilledStatus", "200", OrderStatus.FILLED),
        ("CanceledStatus", "0", OrderStatus.CANCELED),
        ("CanceledStatus", "100", OrderStatus.PARTIALLY_CANCELED),
        ("ExpiredStatus", "0", OrderStatus.CANCELED),
        ("PartialWithdrawal", "100", OrderStatus.PARTIALLY_CANCELED),
        ("RejectedStatus", "0", OrderStatus.REJECTED),
    ],
)
def test_every_status_has_a_place(wire: str, executed: str, status: OrderStatus) -> None:
    order = mapping.order(row(status=wire, executed_quantity=executed, executed_price="300.000"))
    assert order.venue_status is status
    assert order.cancel_pending == (wire in ("WaitToCancel", "PendingCancelStatus"))


def test_an_unknown_status_is_malformed() -> None:
    with pytest.raises(MalformedResponse, match=r"order\.status"):
        mapping.order(row(status="Martian"))


def test_an_order_as_the_domain_sees_it() -> None:
    order = mapping.order(row(executed_quantity="100", executed_price="300.100", status="PartialFilledStatus"))
    assert order.type is OrderType.ENHANCED_LIMIT and order.side is Side.BUY
    assert order.time_in_force is TimeInForce.GTC and order.price == Decimal("300.2")
    assert order.client_order_id == "coid-1" and order.cumulative_quote_qty == Decimal("30010.000")
    assert (order.created_ms, order.updated_ms) == (1651644897000, 1651644900000)
    market = mapping.order(row(order_type="MO", price="", remark="", time_in_force="Day"))
    assert market.price is None and market.client_order_id == "LB-701276261045858304"
    assert market.time_in_force is TimeInForce.DAY
    known = mapping.order(row(), {"701276261045858304": "mine"})
    assert known.client_order_id == "mine"


def test_cash_comes_once_per_currency() -> None:
    infos = [
        {"currency": "HKD", "available_cash": "900.00", "frozen_cash": "100.00"},
        {"currency": "USD", "available_cash": "50.00", "frozen_cash": "0.00"},
    ]
    data = {
        "list": [
            {"currency": "HKD", "total_cash": "1000.00", "cash_infos": infos},
            {"currency": "USD", "total_cash": "50.00", "cash_infos": infos},
            {"currency": "CNH", "total_cash": "7.00", "cash_infos": []},
        ]
    }
    balances = {b.asset: b for b in mapping.cash_balances(data)}
    assert balances["HKD"].free == Decimal("900.00") and balances["HKD"].locked == Decimal("100.00")
    assert balances["HKD"].total == Decimal("1000.00") and balances["CNH"].free == Decimal("7.00")
    assert len(balances) == 3


async def test_a_rejected_order_carries_the_venues_reason(venue: LongbridgeVenue, server: LongbridgeFakeServer) -> None:
    request = OrderRequest("TSLA.US", Side.BUY, OrderType.LIMIT, Decimal(1), Decimal("200.00"), client_order_id="r-1")
    placed = await venue.place(request)
    assert placed.order_id is not None
    server.reject_order(placed.order_id, "price out of band")
    rejected = await venue.query("r-1")
    assert rejected.status is OrderStatus.REJECTED and rejected.reject_reason == "price out of band"


async def test_a_sell_reserves_the_holding_in_its_balance(venue: LongbridgeVenue) -> None:
    request = OrderRequest("700.HK", Side.SELL, OrderType.LIMIT, Decimal(100), Decimal("400.00"), client_order_id="s-1")
    await venue.place(request)
    (tencent,) = [p for p in await venue.positions() if p.symbol == "700.HK"]
    assert tencent.available == Decimal(100) and tencent.quantity == Decimal(200)
    assert mapping.position_balance(tencent).locked == Decimal(100)
