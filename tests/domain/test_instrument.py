"""Instruments and their filters (terminal/domain/instrument.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.enums import OrderType, Side, SymbolStatus, TimeInForce
from terminal.domain.instrument import (
    ALLOWED_TIME_IN_FORCE,
    DEFAULT_TIME_IN_FORCE,
    Instrument,
    LotSize,
    OpenQuote,
    PriceBand,
    PriceFilter,
)

D = Decimal


def make_instrument(**overrides: object) -> Instrument:
    fields: dict[str, object] = {
        "symbol": "BTCUSDT",
        "base_asset": "BTC",
        "quote_asset": "USDT",
        "price_filter": PriceFilter(tick_size=D("0.01")),
        "lot_size": LotSize(min_qty=D("0.0001"), max_qty=D("100"), step_size=D("0.0001")),
    }
    fields.update(overrides)
    return Instrument(**fields)  # type: ignore[arg-type]


# --- PriceBand -----------------------------------------------------------------------------


def test_buy_ceiling_and_sell_floor() -> None:
    band = PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.2"))
    assert band.buy_ceiling(D("100")) == D("110")
    assert band.sell_floor(D("100")) == D("80")


def test_band_from_the_source_document_example() -> None:
    # 004 exchangeInfo sample: LIMIT_TRADING buyPriceUpRate "0.1", sellPriceDownRate "0.1".
    band = PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1"), max_open_orders=300)
    assert band.buy_ceiling(D("3.6725")) == D("4.03975")
    assert band.sell_floor(D("3.6725")) == D("3.30525")


@pytest.mark.parametrize("rate", [None, D(0), D("-0.1")])
def test_an_unset_rate_means_no_bound(rate: Decimal | None) -> None:
    band = PriceBand(buy_up_rate=rate, sell_down_rate=rate)
    assert band.buy_ceiling(D("100")) is None
    assert band.sell_floor(D("100")) is None


def test_band_products_are_exact() -> None:
    band = PriceBand(buy_up_rate=D("0.123456789"), sell_down_rate=D("0.000000001"))
    reference = D("206381.2785765348009")
    assert band.buy_ceiling(reference) == D("231860.4485393082781658683101")
    assert band.sell_floor(reference) == D("206381.2783701535223234651991")


@settings(max_examples=100, deadline=None)
@given(
    st.decimals(min_value=D("0.00000001"), max_value=D("1000000"), places=8),
    st.decimals(min_value=D("0.0001"), max_value=D("0.9999"), places=4),
)
def test_band_brackets_the_reference(reference: Decimal, rate: Decimal) -> None:
    band = PriceBand(buy_up_rate=rate, sell_down_rate=rate)
    ceiling, floor = band.buy_ceiling(reference), band.sell_floor(reference)
    assert ceiling is not None
    assert floor is not None
    assert floor < reference < ceiling
    assert ceiling - reference == reference - floor


# --- OpenQuote -----------------------------------------------------------------------------


def test_open_quote_all_zero_is_unset() -> None:
    # 004 exchangeInfo sample: every OPEN_QUOTE time is "0".
    quote = OpenQuote()
    for now in (0, 1, 1_668_483_032_058, 2**62):
        assert not quote.market_blocked(now)
        assert not quote.limit_window_active(now)


def test_market_block_window_is_half_open() -> None:
    quote = OpenQuote(no_market_start=1_000, no_market_end=2_000)
    assert not quote.market_blocked(999)
    assert quote.market_blocked(1_000)
    assert quote.market_blocked(1_999)
    assert not quote.market_blocked(2_000)
    assert not quote.limit_window_active(1_500)


def test_limit_window_is_half_open() -> None:
    quote = OpenQuote(limit_start=1_000, limit_end=2_000, limit_min_price=D("1"), limit_max_price=D("9"))
    assert not quote.limit_window_active(999)
    assert quote.limit_window_active(1_000)
    assert quote.limit_window_active(1_999)
    assert not quote.limit_window_active(2_000)
    assert not quote.market_blocked(1_500)


def test_unset_start_means_from_the_beginning() -> None:
    quote = OpenQuote(no_market_end=2_000, limit_end=3_000)
    assert quote.market_blocked(0)
    assert quote.market_blocked(1_999)
    assert quote.limit_window_active(2_999)
    assert not quote.limit_window_active(3_000)


def test_unset_end_means_no_window() -> None:
    quote = OpenQuote(no_market_start=1_000, limit_start=1_000)
    for now in (0, 1_000, 10**15):
        assert not quote.market_blocked(now)
        assert not quote.limit_window_active(now)


# --- time in force, order types, spends ----------------------------------------------------


def test_time_in_force_per_order_type_follows_the_source_document() -> None:
    # 004, "Create Order v1.1": GTC for Limit & Limit maker, IOC for Limit & Market, FOK for Limit.
    instrument = make_instrument()
    assert set(instrument.time_in_force_for(OrderType.LIMIT)) == {TimeInForce.GTC, TimeInForce.IOC, TimeInForce.FOK}
    assert instrument.time_in_force_for(OrderType.MARKET) == (TimeInForce.IOC,)
    assert instrument.time_in_force_for(OrderType.LIMIT_MAKER) == (TimeInForce.GTC,)


def test_every_default_time_in_force_is_allowed() -> None:
    for order_type in OrderType:
        assert DEFAULT_TIME_IN_FORCE[order_type] in ALLOWED_TIME_IN_FORCE[order_type]


def test_no_time_in_force_for_an_order_type_the_symbol_refuses() -> None:
    instrument = make_instrument(order_types=(OrderType.LIMIT,))
    assert instrument.time_in_force_for(OrderType.MARKET) == ()
    assert instrument.time_in_force_for(OrderType.LIMIT_MAKER) == ()
    assert instrument.time_in_force_for(OrderType.LIMIT) == ALLOWED_TIME_IN_FORCE[OrderType.LIMIT]


def test_spends_quote_for_buys_and_base_for_sells() -> None:
    instrument = make_instrument()
    assert instrument.spends(Side.BUY) == "USDT"
    assert instrument.spends(Side.SELL) == "BTC"
    assert Side.BUY.opposite is Side.SELL
    assert Side.SELL.opposite is Side.BUY


# --- Instrument shortcuts ------------------------------------------------------------------


def test_instrument_shortcuts() -> None:
    instrument = make_instrument(limit_trading=PriceBand(max_open_orders=300))
    assert instrument.tick_size == D("0.01")
    assert instrument.step_size == D("0.0001")
    assert instrument.is_trading
    assert instrument.max_open_orders == 300
    assert make_instrument().max_open_orders is None


@pytest.mark.parametrize("status", [SymbolStatus.IN_PREVIEW, SymbolStatus.HALT, SymbolStatus.RESUMING])
def test_only_trading_status_is_trading(status: SymbolStatus) -> None:
    assert not make_instrument(status=status).is_trading


def test_amount_step_is_the_quote_precision_else_the_tick() -> None:
    assert make_instrument(quote_precision=D("0.00001")).amount_step == D("0.00001")
    assert make_instrument().amount_step == D("0.01")
    assert make_instrument(quote_precision=D("0")).amount_step == D("0.01")


def test_flags_do_not_take_part_in_equality_or_hash() -> None:
    a = make_instrument(flags={"retailAllowed": True})
    b = make_instrument(flags={"retailAllowed": False})
    assert a == b
    assert hash(a) == hash(b)
