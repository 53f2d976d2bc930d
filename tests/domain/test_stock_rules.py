"""Rules of stock venues in the domain: a tick that depends on the price, per-instrument time in
force with its default, and DAY orders (terminal/domain/instrument.py, validation.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import DEFAULT_TIME_IN_FORCE, Instrument, LotSize, PriceFilter
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import validate_order

D = Decimal
# A part of HKEX's spread table: up to 0.25 in 0.001, to 0.50 in 0.005, to 10 in 0.01, to 20 in 0.02.
LADDER = ((D("0.25"), D("0.001")), (D("0.50"), D("0.005")), (D("10"), D("0.01")), (D("20"), D("0.02")))
HK = Instrument(
    symbol="00700",
    base_asset="00700",
    quote_asset="HKD",
    price_filter=PriceFilter(tick_size=D("0.01"), ladder=LADDER, top_tick=D("0.05")),
    lot_size=LotSize(min_qty=D(100), max_qty=D(1_000_000), step_size=D(100)),
    order_types=(OrderType.LIMIT, OrderType.MARKET),
    time_in_force_rules={
        OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.MARKET: (TimeInForce.DAY,),
    },
)


@pytest.mark.parametrize(
    ("price", "tick"),
    [
        ("0.001", "0.001"),
        ("0.25", "0.001"),  # a band's upper bound belongs to it
        ("0.255", "0.005"),
        ("0.50", "0.005"),
        ("9.99", "0.01"),
        ("10", "0.01"),
        ("10.02", "0.02"),
        ("20", "0.02"),
        ("20.05", "0.05"),  # above the last band: the top tick
        ("5000", "0.05"),
    ],
)
def test_the_tick_is_the_one_of_the_band_holding_the_price(price: str, tick: str) -> None:
    assert HK.tick_at(D(price)) == D(tick)


def test_without_a_ladder_the_tick_is_the_same_at_every_price() -> None:
    flat = PriceFilter(tick_size=D("0.01"))
    assert {flat.tick_at(D(p)) for p in ("0.0001", "1", "99999")} == {D("0.01")}


def test_a_ladder_without_a_top_tick_keeps_the_last_band_tick_above_it() -> None:
    assert PriceFilter(tick_size=D("0.01"), ladder=LADDER).tick_at(D(50)) == D("0.02")


def _limit(price: str, tif: TimeInForce | None = TimeInForce.DAY) -> OrderRequest:
    return OrderRequest("00700", Side.BUY, OrderType.LIMIT, quantity=D(100), price=D(price), time_in_force=tif)


@pytest.mark.parametrize("price", ["0.245", "0.255", "9.99", "10.02", "19.98", "20.05"])
def test_a_price_on_the_tick_of_its_band_is_valid(price: str) -> None:
    assert validate_order(_limit(price), HK) == []


@pytest.mark.parametrize(("price", "nearest"), [("10.03", "10.04"), ("0.253", "0.255"), ("20.07", "20.05")])
def test_a_price_off_the_tick_of_its_band_is_refused_with_the_nearest(price: str, nearest: str) -> None:
    (violation,) = validate_order(_limit(price), HK)
    assert (violation.field, violation.rule, violation.nearest) == ("price", "tick_size", D(nearest))


def test_the_instrument_rules_decide_the_time_in_force() -> None:
    assert HK.time_in_force_for(OrderType.LIMIT) == (TimeInForce.DAY, TimeInForce.GTC)
    assert HK.default_time_in_force(OrderType.LIMIT) is TimeInForce.DAY
    assert HK.default_time_in_force(OrderType.MARKET) is TimeInForce.DAY
    assert validate_order(_limit("10", TimeInForce.GTC), HK) == []
    (violation,) = validate_order(_limit("10", TimeInForce.IOC), HK)
    assert violation.rule == "time_in_force"
    assert "DAY or GTC" in violation.message


def test_an_instrument_without_rules_keeps_the_crypto_defaults() -> None:
    plain = Instrument(
        symbol="BTCUSDT",
        base_asset="BTC",
        quote_asset="USDT",
        price_filter=PriceFilter(tick_size=D("0.01")),
        lot_size=LotSize(min_qty=D("0.001"), max_qty=D(100), step_size=D("0.001")),
    )
    assert plain.default_time_in_force(OrderType.LIMIT) is DEFAULT_TIME_IN_FORCE[OrderType.LIMIT]
    assert TimeInForce.DAY not in plain.time_in_force_for(OrderType.LIMIT)
