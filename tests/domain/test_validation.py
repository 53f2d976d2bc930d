"""Order validation against an instrument's rules (terminal/domain/validation.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from terminal.domain.decimals import ceil_to, floor_to, is_multiple, mul
from terminal.domain.enums import OrderType, Side, SymbolStatus, TimeInForce
from terminal.domain.instrument import (
    ALLOWED_TIME_IN_FORCE,
    Instrument,
    LotSize,
    MinNotional,
    OpenQuote,
    PriceBand,
    PriceFilter,
    TradeAmount,
)
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import Violation, validate_order

D = Decimal

# The properties below are HashKey's; the stock venues' types have their own (test_order_types.py).
HASHKEY_TYPES = (OrderType.LIMIT, OrderType.MARKET, OrderType.LIMIT_MAKER)
INSTRUMENT = Instrument(
    symbol="BTCUSDT",
    base_asset="BTC",
    quote_asset="USDT",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(
        min_qty=D("0.001"), max_qty=D("100"), step_size=D("0.0001"), market_min_qty=D("0.01"), market_max_qty=D("50")
    ),
    quote_precision=D("0.01"),
    min_notional=MinNotional(D("10")),
    trade_amount=TradeAmount(
        min_amount=D("5"), max_amount=D("1000000"), market_min_amount=D("10"), market_max_amount=D("200000")
    ),
    limit_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.2"), max_open_orders=300),
    market_trading=PriceBand(buy_up_rate=D("0.1"), sell_down_rate=D("0.1")),
    open_quote=OpenQuote(),
)

BARE = Instrument(
    symbol="BTCUSDT",
    base_asset="BTC",
    quote_asset="USDT",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D("0.001"), max_qty=D("100"), step_size=D("0.0001")),
)


def limit(
    side: Side = Side.BUY,
    price: str | None = "100",
    quantity: str | None = "0.5",
    order_type: OrderType = OrderType.LIMIT,
    **fields: object,
) -> OrderRequest:
    return OrderRequest(
        symbol="BTCUSDT",
        side=side,
        type=order_type,
        price=None if price is None else D(price),
        quantity=None if quantity is None else D(quantity),
        **fields,  # type: ignore[arg-type]
    )


def market(
    side: Side = Side.BUY, quantity: str | None = None, amount: str | None = None, **fields: object
) -> OrderRequest:
    return OrderRequest(
        symbol="BTCUSDT",
        side=side,
        type=OrderType.MARKET,
        quantity=None if quantity is None else D(quantity),
        amount=None if amount is None else D(amount),
        **fields,  # type: ignore[arg-type]
    )


def keys(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in violations}


def only(violations: list[Violation], field: str, rule: str) -> Violation:
    matches = [v for v in violations if (v.field, v.rule) == (field, rule)]
    assert len(matches) == 1, violations
    return matches[0]


# --- valid requests ------------------------------------------------------------------------


def test_a_valid_limit_order_has_no_violations() -> None:
    assert validate_order(limit(), INSTRUMENT) == []
    assert validate_order(limit(Side.SELL), INSTRUMENT) == []
    assert validate_order(limit(order_type=OrderType.LIMIT_MAKER), INSTRUMENT) == []


def test_a_valid_order_with_every_context_has_no_violations() -> None:
    request = limit(time_in_force=TimeInForce.FOK, client_order_id="t-1.2:3_x")
    violations = validate_order(
        request,
        INSTRUMENT,
        reference_price=D("100"),
        free_balance=D("50"),
        best_bid=D("99.99"),
        best_ask=D("100.01"),
        open_orders=299,
        now_ms=1_700_000_000_000,
    )
    assert violations == []


def test_valid_market_orders_have_no_violations() -> None:
    assert validate_order(market(quantity="1"), INSTRUMENT) == []
    assert validate_order(market(amount="100"), INSTRUMENT) == []
    assert validate_order(market(Side.SELL, quantity="1"), INSTRUMENT) == []
    assert validate_order(market(quantity="1", time_in_force=TimeInForce.IOC), INSTRUMENT) == []


# --- symbol, status, type, time in force, client order id ----------------------------------


def test_symbol_must_match() -> None:
    request = replace(limit(), symbol="ETHUSDT")
    violation = only(validate_order(request, INSTRUMENT), "symbol", "symbol")
    assert violation.message == "order is for ETHUSDT but the rules are for BTCUSDT"
    assert violation.nearest is None


@pytest.mark.parametrize("status", [SymbolStatus.HALT, SymbolStatus.IN_PREVIEW, SymbolStatus.RESUMING])
def test_symbol_must_be_trading(status: SymbolStatus) -> None:
    violation = only(validate_order(limit(), replace(INSTRUMENT, status=status)), "symbol", "status")
    assert violation.message == f"BTCUSDT is not trading now ({status.value})"


def test_order_type_must_be_accepted() -> None:
    instrument = replace(INSTRUMENT, order_types=(OrderType.LIMIT,))
    violation = only(validate_order(market(quantity="1"), instrument), "type", "order_type")
    assert violation.message == "MARKET orders are not accepted for BTCUSDT"
    maker = validate_order(limit(order_type=OrderType.LIMIT_MAKER), instrument)
    assert ("type", "order_type") in keys(maker)
    assert validate_order(limit(), instrument) == []


@pytest.mark.parametrize("order_type", HASHKEY_TYPES)
@pytest.mark.parametrize("time_in_force", list(TimeInForce))
def test_time_in_force_per_order_type(order_type: OrderType, time_in_force: TimeInForce) -> None:
    if order_type is OrderType.MARKET:
        request = market(quantity="1", time_in_force=time_in_force)
    else:
        request = limit(order_type=order_type, time_in_force=time_in_force)
    allowed = time_in_force in ALLOWED_TIME_IN_FORCE[order_type]
    assert (("timeInForce", "time_in_force") not in keys(validate_order(request, INSTRUMENT))) is allowed


def test_time_in_force_sentences() -> None:
    violation = only(
        validate_order(market(quantity="1", time_in_force=TimeInForce.GTC), INSTRUMENT), "timeInForce", "time_in_force"
    )
    assert violation.message == "GTC is not allowed for MARKET orders: use IOC"
    violation = only(
        validate_order(limit(order_type=OrderType.LIMIT_MAKER, time_in_force=TimeInForce.FOK), INSTRUMENT),
        "timeInForce",
        "time_in_force",
    )
    assert violation.message == "FOK is not allowed for LIMIT_MAKER orders: use GTC"


def test_time_in_force_may_be_left_to_the_default() -> None:
    assert validate_order(limit(order_type=OrderType.LIMIT_MAKER, time_in_force=None), INSTRUMENT) == []


@pytest.mark.parametrize("client_order_id", ["", "a b", "ünïcode", "x" * 256, "a/b", "a&b=c", "a\n"])
def test_client_order_id_is_checked(client_order_id: str) -> None:
    violations = validate_order(limit(client_order_id=client_order_id), INSTRUMENT)
    violation = only(violations, "clientOrderId", "client_order_id")
    assert violation.message == "client order id must be 1 to 255 letters, digits or . _ : -"


@pytest.mark.parametrize("client_order_id", ["1", "x" * 255, "abc-DEF_123.4:5", "1766730014087296"])
def test_good_client_order_ids_pass(client_order_id: str) -> None:
    assert validate_order(limit(client_order_id=client_order_id), INSTRUMENT) == []


# --- price ---------------------------------------------------------------------------------


@pytest.mark.parametrize("order_type", [OrderType.LIMIT, OrderType.LIMIT_MAKER])
def test_price_is_required_for_limit_orders(order_type: OrderType) -> None:
    violation = only(validate_order(limit(price=None, order_type=order_type), INSTRUMENT), "price", "required")
    assert violation.message == "price is required"
    assert violation.nearest == D("0.01")


@pytest.mark.parametrize("price", ["0", "-1", "-0.01"])
def test_price_must_be_positive(price: str) -> None:
    violations = validate_order(limit(price=price), INSTRUMENT)
    violation = only(violations, "price", "positive")
    assert violation.message == "price must be greater than zero: smallest 0.01"
    assert violation.nearest == D("0.01")
    assert ("price", "tick_size") not in keys(violations)


def test_price_tick_sentence_from_the_issue() -> None:
    violation = only(validate_order(limit(price="101.237"), INSTRUMENT), "price", "tick_size")
    assert violation.message == "price 101.237 is not a multiple of the tick 0.01: nearest 101.24"
    assert violation.nearest == D("101.24")


def test_price_tick_on_a_grid_that_is_not_a_power_of_ten() -> None:
    instrument = replace(INSTRUMENT, price_filter=PriceFilter(tick_size=D("0.5")))
    violation = only(validate_order(limit(price="100.3", quantity="1"), instrument), "price", "tick_size")
    assert violation.message == "price 100.3 is not a multiple of the tick 0.5: nearest 100.5"
    assert validate_order(limit(price="100.5", quantity="1"), instrument) == []


def test_price_below_half_a_tick_rounds_up_to_one_tick() -> None:
    violation = only(validate_order(limit(price="0.004", quantity="5000"), BARE), "price", "tick_size")
    assert violation.nearest == D("0.01")


def test_buy_price_above_the_band() -> None:
    violations = validate_order(limit(price="110.01"), INSTRUMENT, reference_price=D("100"))
    violation = only(violations, "price", "price_band")
    assert violation.message == (
        "buy price 110.01 is above the limit 110.00 (10% above the reference price 100.00): nearest 110.00"
    )
    assert violation.nearest == D("110.00")
    assert validate_order(limit(price="110"), INSTRUMENT, reference_price=D("100")) == []


def test_sell_price_below_the_band() -> None:
    violations = validate_order(limit(Side.SELL, price="79.99"), INSTRUMENT, reference_price=D("100"))
    violation = only(violations, "price", "price_band")
    assert violation.message == (
        "sell price 79.99 is below the limit 80.00 (20% below the reference price 100.00): nearest 80.00"
    )
    assert violation.nearest == D("80.00")
    assert validate_order(limit(Side.SELL, price="80"), INSTRUMENT, reference_price=D("100")) == []


def test_band_only_binds_its_own_side() -> None:
    assert validate_order(limit(Side.SELL, price="150"), INSTRUMENT, reference_price=D("100")) == []
    assert validate_order(limit(Side.BUY, price="50"), INSTRUMENT, reference_price=D("100")) == []


def test_band_nearest_lies_on_the_grid_inside_the_band() -> None:
    # 100.003 x 1.1 = 110.0033: the highest tick inside is 110.00; 100.003 x 0.8 = 80.0024 -> 80.01.
    buy = only(validate_order(limit(price="111"), INSTRUMENT, reference_price=D("100.003")), "price", "price_band")
    assert buy.nearest == D("110.00")
    sell = only(
        validate_order(limit(Side.SELL, price="80"), INSTRUMENT, reference_price=D("100.003")), "price", "price_band"
    )
    assert sell.nearest == D("80.01")


@pytest.mark.parametrize("reference", [None, D(0), D(-5)])
def test_band_needs_a_reference_price(reference: Decimal | None) -> None:
    assert validate_order(limit(price="1000", quantity="0.5"), INSTRUMENT, reference_price=reference) == []


def test_band_is_not_applied_to_market_orders() -> None:
    assert validate_order(market(quantity="1"), INSTRUMENT, reference_price=D("100")) == []


WINDOW = OpenQuote(limit_start=1_000, limit_end=2_000, limit_min_price=D("50.005"), limit_max_price=D("150.005"))


def test_open_quote_limit_window_minimum() -> None:
    instrument = replace(INSTRUMENT, open_quote=WINDOW)
    violation = only(validate_order(limit(price="50", quantity="1"), instrument, now_ms=1_500), "price", "open_quote")
    assert violation.message == "during the opening window the price may not be below 50.01: nearest 50.01"
    assert violation.nearest == D("50.01")


def test_open_quote_limit_window_maximum() -> None:
    instrument = replace(INSTRUMENT, open_quote=WINDOW)
    violation = only(validate_order(limit(price="150.01"), instrument, now_ms=1_000), "price", "open_quote")
    assert violation.message == "during the opening window the price may not be above 150.00: nearest 150.00"
    assert violation.nearest == D("150.00")


def test_open_quote_limit_window_only_inside_the_window() -> None:
    instrument = replace(INSTRUMENT, open_quote=WINDOW)
    for now in (None, 999, 2_000):
        assert validate_order(limit(price="150.01"), instrument, now_ms=now) == []
    assert validate_order(limit(price="150"), instrument, now_ms=1_500) == []


def test_open_quote_zero_bounds_are_unset() -> None:
    instrument = replace(INSTRUMENT, open_quote=OpenQuote(limit_start=1_000, limit_end=2_000))
    assert validate_order(limit(price="100"), instrument, now_ms=1_500) == []


def test_open_quote_blocks_market_orders() -> None:
    instrument = replace(INSTRUMENT, open_quote=OpenQuote(no_market_start=1_000, no_market_end=2_000))
    violation = only(validate_order(market(quantity="1"), instrument, now_ms=1_999), "type", "open_quote")
    assert violation.message == "market orders are not accepted on BTCUSDT during its opening window"
    assert violation.nearest is None
    assert validate_order(market(quantity="1"), instrument, now_ms=2_000) == []
    assert validate_order(market(quantity="1"), instrument) == []
    assert validate_order(limit(), instrument, now_ms=1_500) == []


def test_limit_maker_buy_would_take() -> None:
    request = limit(price="100.01", order_type=OrderType.LIMIT_MAKER)
    violation = only(validate_order(request, INSTRUMENT, best_ask=D("100.01")), "price", "post_only")
    assert violation.message == "a limit-maker buy at 100.01 would take liquidity (best ask 100.01): nearest 100.00"
    assert violation.nearest == D("100.00")
    assert validate_order(limit(price="100", order_type=OrderType.LIMIT_MAKER), INSTRUMENT, best_ask=D("100.01")) == []


def test_limit_maker_sell_would_take() -> None:
    request = limit(Side.SELL, price="99.5", order_type=OrderType.LIMIT_MAKER)
    violation = only(validate_order(request, INSTRUMENT, best_bid=D("99.99")), "price", "post_only")
    assert violation.message == "a limit-maker sell at 99.5 would take liquidity (best bid 99.99): nearest 100.00"
    assert violation.nearest == D("100.00")


def test_limit_maker_nearest_is_the_closest_tick_off_a_grid_book() -> None:
    buy = limit(price="101", order_type=OrderType.LIMIT_MAKER)
    assert only(validate_order(buy, INSTRUMENT, best_ask=D("100.005")), "price", "post_only").nearest == D("100.00")
    sell = limit(Side.SELL, price="99", order_type=OrderType.LIMIT_MAKER)
    assert only(validate_order(sell, INSTRUMENT, best_bid=D("99.995")), "price", "post_only").nearest == D("100.00")


def test_limit_maker_checks_only_the_opposite_side_of_the_book() -> None:
    buy = limit(price="100", order_type=OrderType.LIMIT_MAKER)
    assert validate_order(buy, INSTRUMENT, best_bid=D("100.5")) == []
    sell = limit(Side.SELL, price="100", order_type=OrderType.LIMIT_MAKER)
    assert validate_order(sell, INSTRUMENT, best_ask=D("99")) == []


def test_a_plain_limit_order_may_take() -> None:
    assert validate_order(limit(price="101"), INSTRUMENT, best_ask=D("100"), best_bid=D("99")) == []


def test_price_on_a_market_order() -> None:
    violations = validate_order(replace(market(quantity="1"), price=D("100")), INSTRUMENT)
    violation = only(violations, "price", "price_not_allowed")
    assert violation.message == "a market order takes no price"


# --- quantity ------------------------------------------------------------------------------


@pytest.mark.parametrize("order_type", [OrderType.LIMIT, OrderType.LIMIT_MAKER])
def test_quantity_is_required_for_limit_orders(order_type: OrderType) -> None:
    violation = only(validate_order(limit(quantity=None, order_type=order_type), INSTRUMENT), "quantity", "required")
    assert violation.message == "quantity is required"
    assert violation.nearest == D("0.001")


@pytest.mark.parametrize("quantity", ["0", "-0.5"])
def test_quantity_must_be_positive(quantity: str) -> None:
    violations = validate_order(limit(quantity=quantity), INSTRUMENT)
    violation = only(violations, "quantity", "positive")
    assert violation.message == "quantity must be greater than zero: smallest 0.0010"
    assert keys(violations) == {("quantity", "positive")}


def test_smallest_quantity_lies_on_the_step_grid() -> None:
    instrument = replace(BARE, lot_size=LotSize(min_qty=D("0.0015"), max_qty=D("10"), step_size=D("0.001")))
    violation = only(validate_order(limit(quantity="0"), instrument), "quantity", "positive")
    assert violation.nearest == D("0.002")
    assert violation.message == "quantity must be greater than zero: smallest 0.002"


def test_quantity_step() -> None:
    violation = only(validate_order(limit(quantity="0.50015"), INSTRUMENT), "quantity", "step_size")
    assert violation.message == "quantity 0.50015 is not a multiple of the step 0.0001: nearest 0.5002"
    assert violation.nearest == D("0.5002")


def test_quantity_step_that_is_not_a_power_of_ten() -> None:
    instrument = replace(BARE, lot_size=LotSize(min_qty=D("5"), max_qty=D("1000"), step_size=D("5")))
    violation = only(validate_order(limit(price="1", quantity="12"), instrument), "quantity", "step_size")
    assert violation.message == "quantity 12 is not a multiple of the step 5: nearest 10"


def test_quantity_minimum() -> None:
    violations = validate_order(limit(quantity="0.0005", price="30000"), INSTRUMENT)
    violation = only(violations, "quantity", "min_qty")
    assert violation.message == "quantity 0.0005 is below the minimum 0.0010: nearest 0.0010"
    assert violation.nearest == D("0.001")


def test_quantity_maximum() -> None:
    violation = only(validate_order(limit(quantity="100.0001"), INSTRUMENT), "quantity", "max_qty")
    assert violation.message == "quantity 100.0001 is above the maximum 100.0000: nearest 100.0000"
    assert violation.nearest == D("100")


def test_market_quantity_uses_the_market_bounds() -> None:
    # 0.005 is a fine limit quantity but below marketOrderMinQty 0.01.
    low = only(validate_order(market(quantity="0.005"), INSTRUMENT), "quantity", "min_qty")
    assert low.message == "market order quantity 0.005 is below the minimum 0.0100: nearest 0.0100"
    assert low.nearest == D("0.01")
    high = only(validate_order(market(quantity="60"), INSTRUMENT), "quantity", "max_qty")
    assert high.message == "market order quantity 60 is above the maximum 50.0000: nearest 50.0000"
    assert high.nearest == D("50")
    assert validate_order(limit(quantity="60", price="100"), INSTRUMENT) == []


def test_market_quantity_falls_back_to_the_limit_bounds() -> None:
    assert ("quantity", "min_qty") in keys(validate_order(market(quantity="0.0005"), BARE))
    assert ("quantity", "max_qty") in keys(validate_order(market(quantity="101"), BARE))
    assert validate_order(market(quantity="0.005"), BARE) == []


def test_market_quantity_must_be_positive() -> None:
    violation = only(validate_order(market(quantity="0"), INSTRUMENT), "quantity", "positive")
    assert violation.nearest == D("0.01")
    assert violation.message == "quantity must be greater than zero: smallest 0.0100"


def test_market_quantity_step() -> None:
    violation = only(validate_order(market(quantity="1.00001"), INSTRUMENT), "quantity", "step_size")
    assert violation.message == "market order quantity 1.00001 is not a multiple of the step 0.0001: nearest 1.0000"


def test_min_notional() -> None:
    instrument = replace(INSTRUMENT, trade_amount=None)
    violation = only(validate_order(limit(price="100", quantity="0.05"), instrument), "quantity", "min_notional")
    assert violation.message == (
        "order value 5.00 USDT (price x quantity) is below the minimum 10.00 USDT: nearest quantity 0.1000"
    )
    assert violation.nearest == D("0.1")


def test_trade_amount_minimum() -> None:
    instrument = replace(INSTRUMENT, min_notional=None)
    violation = only(validate_order(limit(price="3", quantity="1"), instrument), "quantity", "min_amount")
    assert violation.message == (
        "order value 3.00 USDT (price x quantity) is below the minimum 5.00 USDT: nearest quantity 1.6667"
    )
    assert violation.nearest == D("1.6667")


def test_only_the_binding_minimum_is_reported() -> None:
    violations = validate_order(limit(price="3", quantity="1"), INSTRUMENT)
    # MIN_NOTIONAL (10) binds over TRADE_AMOUNT.minAmount (5); its nearest satisfies both.
    assert only(violations, "quantity", "min_notional").nearest == D("3.3334")
    assert not [v for v in violations if v.rule == "min_amount"]


def test_trade_amount_maximum() -> None:
    instrument = replace(INSTRUMENT, trade_amount=TradeAmount(max_amount=D("1000")))
    violation = only(validate_order(limit(price="30", quantity="40"), instrument), "quantity", "max_amount")
    assert violation.message == (
        "order value 1200.00 USDT (price x quantity) is above the maximum 1000.00 USDT: nearest quantity 33.3333"
    )
    assert violation.nearest == D("33.3333")


def test_notional_rules_skip_zero_bounds() -> None:
    instrument = replace(INSTRUMENT, min_notional=MinNotional(D(0)), trade_amount=TradeAmount(D(0), D(0)))
    assert validate_order(limit(price="0.01", quantity="0.001"), instrument) == []


# --- market quote amount -------------------------------------------------------------------


def test_market_amount_precision() -> None:
    violation = only(validate_order(market(amount="100.005"), INSTRUMENT), "amount", "amount_precision")
    assert violation.message == "amount 100.005 has more decimals than USDT allows (0.01): nearest 100.01 USDT"
    assert violation.nearest == D("100.01")


def test_market_amount_minimum() -> None:
    violation = only(validate_order(market(amount="9.99"), INSTRUMENT), "amount", "min_amount")
    assert violation.message == "amount 9.99 is below the market order minimum 10.00 USDT: nearest 10.00 USDT"
    assert violation.nearest == D("10")


def test_market_amount_maximum() -> None:
    violation = only(validate_order(market(amount="200000.01"), INSTRUMENT), "amount", "max_amount")
    assert violation.message == (
        "amount 200000.01 is above the market order maximum 200000.00 USDT: nearest 200000.00 USDT"
    )
    assert violation.nearest == D("200000")


@pytest.mark.parametrize("amount", ["0", "-10"])
def test_market_amount_must_be_positive(amount: str) -> None:
    violations = validate_order(market(amount=amount), INSTRUMENT)
    violation = only(violations, "amount", "positive")
    assert violation.message == "amount must be greater than zero: smallest 10.00 USDT"
    assert violation.nearest == D("10")
    assert keys(violations) == {("amount", "positive")}


def test_market_amount_without_bounds_uses_the_amount_step() -> None:
    assert only(validate_order(market(amount="0"), BARE), "amount", "positive").nearest == D("0.01")
    assert validate_order(market(amount="0.01"), BARE) == []


def test_amount_on_a_market_sell() -> None:
    violation = only(validate_order(market(Side.SELL, amount="100"), INSTRUMENT), "amount", "amount_sell")
    assert violation.message == "a market sell takes a quantity, not a quote amount"


def test_quantity_and_amount_together() -> None:
    violation = only(validate_order(market(quantity="1", amount="100"), INSTRUMENT), "amount", "quantity_and_amount")
    assert violation.message == "give either a quantity or a quote amount, not both"


@pytest.mark.parametrize(("side", "text"), [(Side.BUY, "a quantity or a quote amount"), (Side.SELL, "a quantity")])
def test_market_order_needs_a_size(side: Side, text: str) -> None:
    violation = only(validate_order(market(side), INSTRUMENT), "quantity", "required")
    assert violation.message == f"a market order needs {text}"


@pytest.mark.parametrize("order_type", [OrderType.LIMIT, OrderType.LIMIT_MAKER])
def test_amount_on_a_limit_order(order_type: OrderType) -> None:
    request = replace(limit(order_type=order_type), amount=D("50"))
    violation = only(validate_order(request, INSTRUMENT), "amount", "amount_not_allowed")
    kind = "limit-maker" if order_type is OrderType.LIMIT_MAKER else "limit"
    assert violation.message == f"a {kind} order takes a quantity, not a quote amount"


# --- balance and open orders ---------------------------------------------------------------


def test_balance_for_a_limit_buy() -> None:
    violations = validate_order(limit(price="100", quantity="1"), INSTRUMENT, free_balance=D("50"))
    violation = only(violations, "quantity", "balance")
    assert violation.message == "needs 100.00 USDT but only 50 USDT is free: largest quantity 0.5000"
    assert violation.nearest == D("0.5")
    assert validate_order(limit(price="100", quantity="0.5"), INSTRUMENT, free_balance=D("50")) == []


def test_balance_for_a_sell() -> None:
    for request in (limit(Side.SELL, quantity="2"), market(Side.SELL, quantity="2")):
        violation = only(validate_order(request, INSTRUMENT, free_balance=D("1.23456")), "quantity", "balance")
        assert violation.message == "needs 2.0000 BTC but only 1.23456 BTC is free: largest quantity 1.2345"
        assert violation.nearest == D("1.2345")
    assert validate_order(limit(Side.SELL, quantity="2"), INSTRUMENT, free_balance=D("2")) == []


def test_balance_for_a_market_buy_by_amount() -> None:
    violation = only(validate_order(market(amount="100"), INSTRUMENT, free_balance=D("50.555")), "amount", "balance")
    assert violation.message == "needs 100.00 USDT but only 50.555 USDT is free: largest amount 50.55 USDT"
    assert violation.nearest == D("50.55")
    assert validate_order(market(amount="100"), INSTRUMENT, free_balance=D("100")) == []


def test_balance_for_a_market_buy_by_quantity_uses_the_band_ceiling() -> None:
    violations = validate_order(market(quantity="1"), INSTRUMENT, free_balance=D("50"), reference_price=D("100"))
    violation = only(violations, "quantity", "balance")
    # Priced at the MARKET_TRADING ceiling (reference 100 + 10%): the venue locks funds at that price.
    assert violation.message == "needs up to 110.00 USDT but only 50 USDT is free: largest quantity 0.4545"
    assert violation.nearest == D("0.4545")
    # Without a reference price the cost of a market buy by quantity is unknown: nothing to say.
    assert validate_order(market(quantity="1"), INSTRUMENT, free_balance=D("50")) == []


def test_balance_for_a_limit_maker_buy() -> None:
    request = limit(price="100", quantity="1", order_type=OrderType.LIMIT_MAKER)
    assert ("quantity", "balance") in keys(validate_order(request, INSTRUMENT, free_balance=D("99.99")))


def test_balance_nearest_is_rounded_down_even_when_the_quotient_rounds_up() -> None:
    # 2 / 3 = 0.666...: the largest affordable quantity on a 0.0001 grid is 0.6666, never 0.6667.
    violation = only(validate_order(limit(price="3", quantity="1"), BARE, free_balance=D("2")), "quantity", "balance")
    assert violation.nearest == D("0.6666")
    # A balance a hair below 3 x 0.6667: its quotient rounds up to 0.6667 at 60 digits, which is unaffordable.
    free = D("2.0000" + "9" * 70)
    violation = only(validate_order(limit(price="3", quantity="1"), BARE, free_balance=free), "quantity", "balance")
    assert violation.nearest == D("0.6666")


def test_min_notional_nearest_is_rounded_up_even_when_the_quotient_rounds_down() -> None:
    # A minimum a hair above 3 x 3.3333: its quotient rounds down to 3.3333 at 60 digits, which is too small.
    instrument = replace(BARE, min_notional=MinNotional(D("9.9999" + "0" * 70 + "1")))
    violation = only(validate_order(limit(price="3", quantity="1"), instrument), "quantity", "min_notional")
    assert violation.nearest == D("3.3334")


def test_max_open_orders() -> None:
    violation = only(validate_order(limit(), INSTRUMENT, open_orders=300), "openOrders", "max_open_orders")
    assert violation.message == "300 orders are already open on BTCUSDT; the limit is 300"
    assert validate_order(limit(), INSTRUMENT, open_orders=299) == []
    assert validate_order(limit(), BARE, open_orders=10_000) == []
    assert validate_order(market(quantity="1"), INSTRUMENT, open_orders=300) == []


def test_every_violation_is_reported_at_once() -> None:
    request = OrderRequest(
        symbol="ETHUSDT",
        side=Side.BUY,
        type=OrderType.LIMIT_MAKER,
        price=D("101.237"),
        quantity=D("0.00005"),
        amount=D("1"),
        time_in_force=TimeInForce.IOC,
        client_order_id="bad id",
    )
    violations = validate_order(
        request,
        replace(INSTRUMENT, status=SymbolStatus.HALT),
        reference_price=D("50"),
        free_balance=D("0"),
        best_ask=D("100"),
        open_orders=300,
    )
    assert keys(violations) == {
        ("symbol", "symbol"),
        ("symbol", "status"),
        ("timeInForce", "time_in_force"),
        ("clientOrderId", "client_order_id"),
        ("amount", "amount_not_allowed"),
        ("price", "tick_size"),
        ("price", "price_band"),
        ("price", "post_only"),
        ("quantity", "step_size"),
        ("quantity", "min_qty"),
        ("quantity", "min_notional"),  # binds over min_amount, which is then not repeated
        ("quantity", "balance"),
        ("openOrders", "max_open_orders"),
    }


# --- property: requests built inside every bound are valid ---------------------------------

TICKS = [D(text) for text in ("0.00001", "0.001", "0.01", "0.1", "1", "10", "0.5", "0.25", "5")]
fractions = st.decimals(min_value=0, max_value=1, places=3)


@st.composite
def valid_cases(draw: st.DrawFn) -> tuple[OrderRequest, Instrument, dict[str, object]]:
    """A request and an instrument built around it, so that every rule holds by construction."""
    tick = draw(st.sampled_from(TICKS))
    step = draw(st.sampled_from(TICKS))
    amount_step = draw(st.sampled_from([*TICKS, None]))
    side = draw(st.sampled_from(Side))
    order_type = draw(st.sampled_from(HASHKEY_TYPES))
    by_amount = order_type is OrderType.MARKET and side is Side.BUY and draw(st.booleans())

    quantity = step * draw(st.integers(1, 100_000))
    price = tick * draw(st.integers(1, 100_000))
    amount = (amount_step or tick) * draw(st.integers(1, 100_000))

    def floor_bound(value: Decimal, grid: Decimal) -> Decimal:
        return grid * draw(st.integers(0, int(value / grid)))  # a multiple of grid, <= value

    min_qty = floor_bound(quantity, step)
    max_qty = quantity + step * draw(st.integers(0, 1000))
    market_min = draw(st.one_of(st.none(), st.just(floor_bound(quantity, step))))
    market_max = draw(st.one_of(st.none(), st.just(quantity + step * draw(st.integers(0, 10)))))
    if order_type is not OrderType.MARKET:
        market_min = draw(st.one_of(st.none(), st.just(max_qty * 2)))  # market bounds must not matter
        market_max = draw(st.one_of(st.none(), st.just(min_qty / 2)))
    elif market_min is None:
        market_min = draw(st.one_of(st.none(), st.just(min_qty)))

    notional = mul(price, quantity)
    min_notional = draw(st.one_of(st.none(), st.just(MinNotional(mul(notional, draw(fractions))))))
    trade_amount = TradeAmount(
        min_amount=draw(st.one_of(st.none(), st.just(mul(notional, draw(fractions))))),
        max_amount=draw(st.one_of(st.none(), st.just(mul(notional, 1 + draw(fractions))))),
        market_min_amount=draw(st.one_of(st.none(), st.just(mul(amount, draw(fractions))))),
        market_max_amount=draw(st.one_of(st.none(), st.just(mul(amount, 1 + draw(fractions))))),
    )

    # Any reference within 5% of the price is inside bands of at least 10% either way.
    reference = mul(price, 1 + (draw(fractions) - D("0.5")) / 10)
    rate = st.decimals(min_value=D("0.1"), max_value=D("0.9"), places=2)
    band = PriceBand(buy_up_rate=draw(rate), sell_down_rate=draw(rate), max_open_orders=draw(st.integers(1, 500)))
    open_orders = draw(st.integers(0, band.max_open_orders - 1)) if band.max_open_orders else None

    now = 1_700_000_000_000
    window_active = draw(st.booleans())
    limit_bounds = (mul(price, draw(fractions)), mul(price, 1 + draw(fractions)))
    if window_active and order_type is not OrderType.MARKET:
        open_quote = OpenQuote(
            limit_start=now - 1, limit_end=now + 1, limit_min_price=limit_bounds[0], limit_max_price=limit_bounds[1]
        )
    else:
        # The market block is over (it ended at now) and the limit window has not begun.
        open_quote = OpenQuote(no_market_start=now - 10, no_market_end=now, limit_start=now + 1, limit_end=now + 2)

    instrument = Instrument(
        symbol="XYZUSD",
        base_asset="XYZ",
        quote_asset="USD",
        price_filter=PriceFilter(tick_size=tick),
        lot_size=LotSize(min_qty, max_qty, step, market_min, market_max),
        quote_precision=amount_step,
        min_notional=min_notional,
        trade_amount=trade_amount,
        limit_trading=band,
        market_trading=band,
        open_quote=draw(st.sampled_from([open_quote, None])),
    )

    time_in_force = draw(st.one_of(st.none(), st.sampled_from(ALLOWED_TIME_IN_FORCE[order_type])))
    client_order_id = draw(st.one_of(st.none(), st.from_regex(r"\A[A-Za-z0-9._:-]{1,40}\Z")))
    gap = tick * draw(st.integers(1, 50))
    if order_type is OrderType.MARKET:
        # A market buy by quantity is funded at the MARKET_TRADING ceiling, as the venue locks it.
        ceiling = band.buy_ceiling(reference) if band is not None else None
        unit = ceiling if ceiling is not None else reference
        request = OrderRequest(
            "XYZUSD",
            side,
            order_type,
            quantity=None if by_amount else quantity,
            amount=amount if by_amount else None,
            time_in_force=time_in_force,
            client_order_id=client_order_id,
        )
    else:
        unit = price
        request = OrderRequest(
            "XYZUSD",
            side,
            order_type,
            quantity=quantity,
            price=price,
            time_in_force=time_in_force,
            client_order_id=client_order_id,
        )
    needed = amount if by_amount else quantity if side is Side.SELL else mul(quantity, unit)
    context: dict[str, object] = {
        "reference_price": reference,
        "free_balance": needed + draw(st.sampled_from([D(0), D(1), D("1e6")])),
        # The book sits away from the price on the side a maker order must not touch.
        "best_bid": price - gap if side is Side.SELL else draw(st.one_of(st.none(), st.just(price - gap))),
        "best_ask": price + gap if side is Side.BUY else draw(st.one_of(st.none(), st.just(price + gap))),
        "open_orders": open_orders,
        "now_ms": now,
    }
    for name in list(context):
        if name != "now_ms" and draw(st.integers(0, 5)) == 0:
            context[name] = None
    return request, instrument, context


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_cases())
def test_requests_inside_every_bound_are_valid(case: tuple[OrderRequest, Instrument, dict[str, object]]) -> None:
    request, instrument, context = case
    assert validate_order(request, instrument, **context) == []  # type: ignore[arg-type]


# --- property: the nearest value satisfies its rule ----------------------------------------


def _values(grid: Decimal) -> st.SearchStrategy[Decimal]:
    """Values on and off a grid, small and large, zero and negative."""
    return st.one_of(
        st.integers(-2, 200_000).map(lambda units: grid * units),
        st.decimals(min_value=D("-1"), max_value=D("1e7"), places=6),
        st.decimals(min_value=D("0"), max_value=D("0.001"), places=9),
    )


@st.composite
def any_cases(draw: st.DrawFn) -> tuple[OrderRequest, Instrument, dict[str, object]]:
    """A sane instrument and a request that may break any of its rules."""
    tick = draw(st.sampled_from(TICKS))
    step = draw(st.sampled_from(TICKS))
    positive = st.decimals(min_value=D("0.000001"), max_value=D("1e6"), places=6)
    low, high = sorted((draw(positive), draw(positive)))
    market_low, market_high = sorted((draw(positive), draw(positive)))
    amount_low, amount_high = sorted((draw(positive), draw(positive)))
    market_amount_low, market_amount_high = sorted((draw(positive), draw(positive)))
    quote_low, quote_high = sorted((draw(positive), draw(positive)))
    # The opening window must hold at least one tick, or no price could satisfy it.
    quote_high = max(quote_high, ceil_to(quote_low, tick))
    maybe = st.booleans()
    instrument = Instrument(
        symbol="XYZUSD",
        base_asset="XYZ",
        quote_asset="USD",
        price_filter=PriceFilter(tick_size=tick),
        lot_size=LotSize(low, high, step, market_low if draw(maybe) else None, market_high if draw(maybe) else None),
        quote_precision=draw(st.sampled_from([*TICKS, None])),
        min_notional=MinNotional(draw(positive)) if draw(maybe) else None,
        trade_amount=TradeAmount(
            amount_low if draw(maybe) else None,
            amount_high if draw(maybe) else None,
            market_amount_low if draw(maybe) else None,
            market_amount_high if draw(maybe) else None,
        )
        if draw(maybe)
        else None,
        limit_trading=PriceBand(
            draw(st.decimals(min_value=D("0.01"), max_value=D("2"), places=3)),
            draw(st.decimals(min_value=D("0.01"), max_value=D("0.99"), places=3)),
            max_open_orders=10,
        ),
        open_quote=OpenQuote(
            no_market_start=0,
            no_market_end=10,
            limit_start=0,
            limit_end=10,
            limit_min_price=quote_low,
            limit_max_price=quote_high,
        )
        if draw(maybe)
        else None,
    )
    order_type = draw(st.sampled_from(HASHKEY_TYPES))
    optional_price = st.one_of(st.none(), _values(tick))
    optional_size = st.one_of(st.none(), _values(step))
    request = OrderRequest(
        "XYZUSD",
        draw(st.sampled_from(Side)),
        order_type,
        quantity=draw(optional_size),
        price=draw(optional_price) if order_type is not OrderType.MARKET or draw(st.integers(0, 9)) == 0 else None,
        amount=draw(optional_size) if order_type is OrderType.MARKET or draw(st.integers(0, 9)) == 0 else None,
    )
    context: dict[str, object] = {
        "reference_price": draw(st.one_of(st.none(), _values(tick))),
        "free_balance": draw(st.one_of(st.none(), _values(step))),
        "best_bid": draw(st.one_of(st.none(), _values(tick))),
        "best_ask": draw(st.one_of(st.none(), _values(tick))),
        "open_orders": draw(st.one_of(st.none(), st.integers(0, 20))),
        "now_ms": draw(st.one_of(st.none(), st.integers(0, 20))),
    }
    return request, instrument, context


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_cases())
def test_nearest_value_satisfies_its_rule(case: tuple[OrderRequest, Instrument, dict[str, object]]) -> None:
    request, instrument, context = case
    violations = validate_order(request, instrument, **context)  # type: ignore[arg-type]
    for violation in violations:
        if violation.nearest is None:
            continue
        assert violation.field in ("price", "quantity", "amount"), violation
        fixed = replace(request, **{violation.field: violation.nearest})  # type: ignore[arg-type]
        after = validate_order(fixed, instrument, **context)  # type: ignore[arg-type]
        assert (violation.field, violation.rule) not in keys(after), (violation, after)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_cases())
def test_nearest_values_lie_on_their_grid(case: tuple[OrderRequest, Instrument, dict[str, object]]) -> None:
    request, instrument, context = case
    grid = {"price": instrument.tick_size, "quantity": instrument.step_size, "amount": instrument.amount_step}
    for violation in validate_order(request, instrument, **context):  # type: ignore[arg-type]
        if violation.nearest is not None:
            assert is_multiple(violation.nearest, grid[violation.field]), violation


# --- property: arbitrary input never breaks validation -------------------------------------

wild = st.one_of(
    st.none(),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            D(0),
            D("-0"),
            D(-1),
            D("1e100"),
            D("-1e100"),
            D("1e-100"),
            D("1E+1000"),
            D("1E-1000"),
            D("0E-50"),
            D("123456789012345678901234567890123456789012345678901234567890.123456789"),
        ]
    ),
)


@settings(max_examples=500, deadline=None)
@given(
    st.sampled_from(Side),
    st.sampled_from(OrderType),
    wild,
    wild,
    wild,
    st.one_of(st.none(), st.sampled_from(TimeInForce)),
    st.one_of(st.none(), st.text(max_size=300)),
    wild,
    wild,
    wild,
    wild,
    st.one_of(st.none(), st.integers()),
    st.one_of(st.none(), st.integers()),
)
def test_validate_order_never_raises(
    side: Side,
    order_type: OrderType,
    quantity: Decimal | None,
    price: Decimal | None,
    amount: Decimal | None,
    time_in_force: TimeInForce | None,
    client_order_id: str | None,
    reference: Decimal | None,
    free: Decimal | None,
    bid: Decimal | None,
    ask: Decimal | None,
    open_orders: int | None,
    now_ms: int | None,
) -> None:
    request = OrderRequest("BTCUSDT", side, order_type, quantity, price, amount, time_in_force, client_order_id)
    instrument = replace(INSTRUMENT, open_quote=WINDOW)
    for rules in (instrument, BARE):
        violations = validate_order(
            request,
            rules,
            reference_price=reference,
            free_balance=free,
            best_bid=bid,
            best_ask=ask,
            open_orders=open_orders,
            now_ms=now_ms,
        )
        assert isinstance(violations, list)
        for violation in violations:
            assert isinstance(violation, Violation)
            assert isinstance(violation.message, str)
            assert violation.message.strip()
            assert violation.field
            assert violation.rule


def test_validate_order_handles_huge_and_tiny_values() -> None:
    huge = D("1" + "0" * 70 + ".123")
    violations = validate_order(limit(price=str(huge), quantity=str(huge)), INSTRUMENT, free_balance=D(1))
    assert ("price", "tick_size") in keys(violations)
    assert ("quantity", "max_qty") in keys(violations)
    tiny = validate_order(limit(price="1e-100", quantity="1e-100"), INSTRUMENT, free_balance=D(1))
    assert only(tiny, "price", "tick_size").nearest == D("0.01")
    assert only(tiny, "quantity", "min_qty").nearest == D("0.001")


def test_floor_and_ceil_helpers_used_by_nearest_values() -> None:
    # The building blocks the nearest values rely on, at the edges the rules use.
    assert ceil_to(D("10") / D("3"), D("0.0001")) == D("3.3334")
    assert floor_to(D("1000") / D("30"), D("0.0001")) == D("33.3333")
