"""Webull's stock rules without a server: DAY/GTC both ways, the HKEX and US tick ladders (and the
domain's validation against them), positions, previews, accounts and fills derived from cumulative amounts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order, OrderRequest
from terminal.domain.securities import BrokerageAccount
from terminal.domain.validation import validate_order
from terminal.venues.errors import InvalidRequest
from terminal.venues.webull import mapping
from terminal.venues.webull.orders import new_order, wire_time_in_force
from terminal.venues.webull.venue import CAPABILITIES
from terminal.venues.wire import WireObject


def profile(symbol: str, category: str, currency: str, lot: str = "1") -> WireObject:
    row = {"symbol": symbol, "category": category, "currency": currency, "lot_size": lot, "name": symbol}
    return WireObject(row, "instrument")


def hk(price: str = "380") -> Instrument:
    return mapping.instrument(profile("00700", "HK_STOCK", "HKD", "100"), Decimal(price))


def us() -> Instrument:
    return mapping.instrument(profile("AAPL", "US_STOCK", "USD"))


def group(**fields: object) -> WireObject:
    item: dict[str, object] = {
        "client_order_id": "c-1",
        "order_id": "o-1",
        "symbol": "AAPL",
        "side": "BUY",
        "status": "SUBMITTED",
        "order_type": "LIMIT",
        "total_quantity": "3",
        "limit_price": "150.00",
        "filled_quantity": "0",
        "filled_price": "0",
        "place_time": "1700000000000",
    }
    item.update(fields)
    return WireObject({"client_order_id": "c-1", "combo_type": "NORMAL", "orders": [item]}, "order")


# ---- time in force ------------------------------------------------------------------------------------


def test_time_in_force_goes_out_as_day_or_gtc() -> None:
    assert wire_time_in_force(TimeInForce.DAY) == "DAY"
    assert wire_time_in_force(TimeInForce.GTC) == "GTC"
    assert wire_time_in_force(None) == "DAY"
    with pytest.raises(InvalidRequest, match="DAY or GTC"):
        wire_time_in_force(TimeInForce.IOC)


def test_time_in_force_comes_back_as_day_or_gtc() -> None:
    assert mapping.order(group(time_in_force="GTC")).time_in_force is TimeInForce.GTC
    assert mapping.order(group(time_in_force="DAY")).time_in_force is TimeInForce.DAY
    assert mapping.order(group()).time_in_force is TimeInForce.DAY  # none named: Webull's default


def test_instruments_allow_day_and_gtc_limits_and_day_markets() -> None:
    for item in (hk(), us()):
        assert item.time_in_force_for(OrderType.LIMIT) == (TimeInForce.DAY, TimeInForce.GTC)
        assert item.time_in_force_for(OrderType.MARKET) == (TimeInForce.DAY,)
        assert item.default_time_in_force(OrderType.LIMIT) is TimeInForce.DAY
    assert CAPABILITIES.time_in_force[OrderType.LIMIT] == (TimeInForce.DAY, TimeInForce.GTC)
    assert CAPABILITIES.time_in_force[OrderType.MARKET] == (TimeInForce.DAY,)


def test_an_order_carries_its_time_in_force_and_a_gtc_market_order_is_refused() -> None:
    aapl = us()
    gtc = OrderRequest("AAPL", Side.BUY, OrderType.LIMIT, Decimal(1), Decimal(150), time_in_force=TimeInForce.GTC)
    assert new_order(gtc, aapl, "c-1")["time_in_force"] == "GTC"
    plain = OrderRequest("AAPL", Side.BUY, OrderType.LIMIT, Decimal(1), Decimal(150))
    assert new_order(plain, aapl, "c-2")["time_in_force"] == "DAY"
    market = OrderRequest("AAPL", Side.BUY, OrderType.MARKET, Decimal(1), time_in_force=TimeInForce.GTC)
    with pytest.raises(InvalidRequest, match="DAY"):
        new_order(market, aapl, "c-3")


# ---- ticks --------------------------------------------------------------------------------------------


def test_hk_instruments_carry_the_hkex_ladder() -> None:
    tencent = hk("380")
    assert tencent.tick_size == Decimal("0.2")  # the tick at the price it was loaded at
    assert tencent.tick_at(Decimal("0.25")) == Decimal("0.001")  # band upper bounds are inclusive
    assert tencent.tick_at(Decimal("0.26")) == Decimal("0.005")
    assert tencent.tick_at(Decimal("9.99")) == Decimal("0.01")
    assert tencent.tick_at(Decimal("80")) == Decimal("0.05")
    assert tencent.tick_at(Decimal("600")) == Decimal("0.5")
    assert tencent.tick_at(Decimal("5000")) == Decimal(2)
    assert tencent.tick_at(Decimal("6000")) == Decimal(5)  # top_tick
    assert hk("80").tick_size == Decimal("0.05")


def test_an_hk_limit_price_is_validated_against_the_tick_at_that_price() -> None:
    tencent = hk("380")

    def violations(price: str) -> list[str]:
        request = OrderRequest("00700", Side.BUY, OrderType.LIMIT, Decimal(100), Decimal(price))
        return [v.rule for v in validate_order(request, tencent) if v.field == "price"]

    assert violations("380.2") == []
    assert violations("380.1") != []  # 0.2 between 200 and 500
    assert violations("600.5") == []  # 0.5 between 500 and 1,000, though loaded at 380
    assert violations("600.2") != []
    assert violations("9.99") == []


def test_us_instruments_take_sub_penny_prices_below_one_dollar_only() -> None:
    aapl = us()
    assert aapl.tick_size == Decimal("0.01")
    assert aapl.tick_at(Decimal("0.5")) == Decimal("0.0001")
    assert aapl.tick_at(Decimal("0.9999")) == Decimal("0.0001")
    assert aapl.tick_at(Decimal(1)) == Decimal("0.01")
    assert aapl.tick_at(Decimal(190)) == Decimal("0.01")


# ---- account ------------------------------------------------------------------------------------------


def test_a_position_is_the_domains_with_its_profit() -> None:
    rows = [
        {"symbol": "AAPL", "quantity": "10", "cost_price": "180.00", "last_price": "190", "market_value": "1900.00"},
        {"symbol": "MSFT", "quantity": "5", "cost_price": "400", "last_price": "420", "market_value": "2100",
         "currency": "USD", "available_quantity": "3"},
    ]  # fmt: skip
    aapl, msft = mapping.positions(rows, "USD")
    assert aapl.currency == "USD" and aapl.available is None and aapl.sellable == Decimal(10)
    assert aapl.cost == Decimal("1800.00") and aapl.unrealized_pnl == Decimal("100.00")
    assert msft.available == Decimal(3)
    held = mapping.account_balances([], [aapl, msft])
    assert [(b.asset, b.free, b.locked) for b in held] == [
        ("AAPL", Decimal(10), Decimal(0)),
        ("MSFT", Decimal(3), Decimal(2)),
    ]


def test_accounts_are_brokerage_accounts() -> None:
    data = [{"account_id": "A-1", "account_number": "5MV1", "account_type": "CASH", "account_label": "USD Cash"}]
    assert mapping.accounts(data) == [BrokerageAccount("A-1", "USD Cash", "CASH")]
    bare = [{"account_id": "A-2", "account_number": "5MV2"}]
    assert mapping.accounts(bare)[0].label == "5MV2"


def test_a_preview_keeps_its_scalar_figures_as_details() -> None:
    answer = {
        "estimated_cost": "300.00",
        "estimated_transaction_fee": "1.25",
        "currency": "USD",
        "buying_power_after": "99700.00",
        "pdt": False,
        "estimated_transaction_fee_detail": {"fees": []},
    }
    estimate = mapping.preview(answer)
    assert estimate.estimated_cost == Decimal("300.00") and estimate.estimated_fee == Decimal("1.25")
    assert estimate.currency == "USD"
    assert estimate.details == (("buying_power_after", "99700.00"), ("pdt", "false"))
    assert mapping.preview({"estimated_cost": "5"}, "HKD").currency == "HKD"


# ---- fills --------------------------------------------------------------------------------------------


def filled(quantity: str, average: str) -> Order:
    return mapping.order(
        group(status="PARTIAL_FILLED", filled_quantity=quantity, filled_price=average, filled_time="1700000001000")
    )


def test_a_fill_increment_is_priced_from_the_cumulative_amounts() -> None:
    first = filled("1", "150.00")
    fill = mapping.fill_increment(first, Decimal(0), Decimal(0), "USD", us())
    assert fill is not None and fill.quantity == 1 and fill.price == Decimal("150.00") and fill.trade_id == "o-1:1"
    later = filled("3", "149.33")  # 150 + 2 x 149, its average rounded to the cent
    fill = mapping.fill_increment(later, Decimal(1), first.cumulative_quote_qty, "USD", us())
    assert fill is not None and fill.quantity == 2 and fill.price == Decimal("149.00") and fill.trade_id == "o-1:3"
    assert fill.commission_asset == "USD" and fill.order_id == "o-1"
    assert mapping.fill_increment(later, Decimal(3), later.cumulative_quote_qty) is None
    assert later.status is OrderStatus.PARTIALLY_FILLED
