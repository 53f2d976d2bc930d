"""The Hong Kong stock order types (Longbridge's ELO, AO, ALO, ODD, SLO): which take a price, their
time in force, and the rules a request of each type must keep (no price at auction, odd lots below one lot)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import ALLOWED_TIME_IN_FORCE, DEFAULT_TIME_IN_FORCE, Instrument, LotSize, PriceFilter
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import RiskBreach, RiskLimit, RiskLimits, assess_risk
from terminal.domain.validation import Violation, validate_order

D = Decimal
PRICED = (
    OrderType.LIMIT,
    OrderType.LIMIT_MAKER,
    OrderType.ENHANCED_LIMIT,
    OrderType.AT_AUCTION_LIMIT,
    OrderType.ODD_LOT,
    OrderType.SPECIAL_LIMIT,
)
HK_TYPES = (
    OrderType.LIMIT,
    OrderType.ENHANCED_LIMIT,
    OrderType.MARKET,
    OrderType.AT_AUCTION,
    OrderType.AT_AUCTION_LIMIT,
    OrderType.ODD_LOT,
    OrderType.SPECIAL_LIMIT,
)
# A Hong Kong stock: board lot 500 shares.
HK = Instrument(
    symbol="700.HK",
    base_asset="700.HK",
    quote_asset="HKD",
    price_filter=PriceFilter(tick_size=D("0.2")),
    lot_size=LotSize(min_qty=D(500), max_qty=D(5_000_000), step_size=D(500)),
    order_types=HK_TYPES,
    time_in_force_rules={
        OrderType.LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.ENHANCED_LIMIT: (TimeInForce.DAY, TimeInForce.GTC),
        OrderType.MARKET: (TimeInForce.DAY,),
        OrderType.AT_AUCTION: (TimeInForce.DAY,),
        OrderType.AT_AUCTION_LIMIT: (TimeInForce.DAY,),
        OrderType.ODD_LOT: (TimeInForce.DAY,),
        OrderType.SPECIAL_LIMIT: (TimeInForce.DAY,),
    },
)


def request(
    order_type: OrderType,
    quantity: str | None = "500",
    price: str | None = "380.2",
    side: Side = Side.BUY,
    amount: str | None = None,
) -> OrderRequest:
    return OrderRequest(
        HK.symbol,
        side,
        order_type,
        quantity=D(quantity) if quantity is not None else None,
        price=D(price) if price is not None else None,
        amount=D(amount) if amount is not None else None,
        time_in_force=TimeInForce.DAY,
    )


def keys(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in violations}


def only(violations: list[Violation], field: str, rule: str) -> Violation:
    found = [v for v in violations if (v.field, v.rule) == (field, rule)]
    assert len(found) == 1, violations
    return found[0]


def test_which_types_take_a_price_and_which_rest() -> None:
    assert tuple(t for t in OrderType if t.takes_price) == PRICED
    assert {t for t in OrderType if not t.takes_price} == {OrderType.MARKET, OrderType.AT_AUCTION}
    assert {t for t in OrderType if t.rests} == {
        OrderType.LIMIT,
        OrderType.LIMIT_MAKER,
        OrderType.ENHANCED_LIMIT,
        OrderType.AT_AUCTION_LIMIT,
        OrderType.ODD_LOT,
    }


@pytest.mark.parametrize("order_type", list(OrderType))
def test_every_type_has_time_in_force_rules_and_a_default(order_type: OrderType) -> None:
    assert DEFAULT_TIME_IN_FORCE[order_type] in ALLOWED_TIME_IN_FORCE[order_type]
    every = Instrument(
        symbol="X",
        base_asset="X",
        quote_asset="USD",
        price_filter=PriceFilter(tick_size=D("0.01")),
        lot_size=LotSize(min_qty=D(1), max_qty=D(100), step_size=D(1)),
        order_types=tuple(OrderType),
    )
    assert every.time_in_force_for(order_type) == ALLOWED_TIME_IN_FORCE[order_type]
    assert every.default_time_in_force(order_type) == DEFAULT_TIME_IN_FORCE[order_type]
    assert HK.default_time_in_force(order_type) is (
        TimeInForce.DAY if order_type in HK_TYPES else DEFAULT_TIME_IN_FORCE[order_type]
    )


def test_the_instrument_rules_decide_the_time_in_force_of_a_stock_type() -> None:
    assert HK.time_in_force_for(OrderType.ENHANCED_LIMIT) == (TimeInForce.DAY, TimeInForce.GTC)
    assert HK.time_in_force_for(OrderType.ODD_LOT) == (TimeInForce.DAY,)
    assert HK.time_in_force_for(OrderType.LIMIT_MAKER) == ()  # not offered for this stock
    gtc = validate_order(
        OrderRequest(HK.symbol, Side.BUY, OrderType.ODD_LOT, D(100), D("380.2"), time_in_force=TimeInForce.GTC), HK
    )
    assert only(gtc, "timeInForce", "time_in_force").message == "GTC is not allowed for ODD_LOT orders: use DAY"


@pytest.mark.parametrize("order_type", [OrderType.LIMIT, OrderType.ENHANCED_LIMIT, OrderType.AT_AUCTION_LIMIT])
def test_priced_types_in_whole_lots_pass(order_type: OrderType) -> None:
    assert validate_order(request(order_type), HK) == []


def test_a_special_limit_and_an_odd_lot_pass() -> None:
    assert validate_order(request(OrderType.SPECIAL_LIMIT, quantity="1500"), HK) == []
    assert validate_order(request(OrderType.ODD_LOT, quantity="120", side=Side.SELL), HK) == []


@pytest.mark.parametrize("order_type", PRICED[2:])
def test_a_priced_type_needs_a_price_on_the_tick(order_type: OrderType) -> None:
    missing = validate_order(
        request(order_type, quantity="100" if order_type is OrderType.ODD_LOT else "500", price=None), HK
    )
    assert only(missing, "price", "required").message == "price is required"
    off = only(validate_order(request(order_type, quantity="100", price="380.3"), HK), "price", "tick_size")
    assert off.message == "price 380.3 is not a multiple of the tick 0.2: nearest 380.4"
    assert off.nearest == D("380.4")


def test_a_priced_type_takes_no_quote_amount() -> None:
    violation = only(
        validate_order(request(OrderType.ENHANCED_LIMIT, amount="1000"), HK), "amount", "amount_not_allowed"
    )
    assert violation.message == "an enhanced limit order takes a quantity, not a quote amount"


def test_an_at_auction_order_takes_no_price() -> None:
    assert validate_order(request(OrderType.AT_AUCTION, price=None), HK) == []
    violation = only(validate_order(request(OrderType.AT_AUCTION), HK), "price", "price_not_allowed")
    assert violation.message == "an at-auction order takes no price: it is matched at the auction's price"
    assert only(validate_order(request(OrderType.MARKET), HK), "price", "price_not_allowed").message == (
        "a market order takes no price"
    )


def test_an_at_auction_order_is_in_whole_lots() -> None:
    off = only(validate_order(request(OrderType.AT_AUCTION, quantity="700", price=None), HK), "quantity", "step_size")
    assert off.message == "quantity 700 is not a multiple of the step 500: nearest 500"
    missing = only(validate_order(request(OrderType.AT_AUCTION, quantity=None, price=None), HK), "quantity", "required")
    assert missing.message == "quantity is required"
    amount = validate_order(request(OrderType.AT_AUCTION, quantity=None, price=None, amount="1000"), HK)
    assert only(amount, "amount", "amount_not_allowed").message == (
        "an at-auction order takes a quantity, not a quote amount"
    )


def test_an_odd_lot_is_below_one_board_lot() -> None:
    violation = only(validate_order(request(OrderType.ODD_LOT, quantity="500"), HK), "quantity", "odd_lot")
    assert violation.message == (
        "an odd-lot order is for fewer shares than one board lot of 500, not 500: "
        "use a limit order for whole lots, or at most 499 here; nearest 499"
    )
    assert violation.nearest == D(499)
    assert ("quantity", "min_qty") not in keys(validate_order(request(OrderType.ODD_LOT, quantity="1"), HK))


def test_an_odd_lot_counts_whole_shares() -> None:
    violation = only(validate_order(request(OrderType.ODD_LOT, quantity="12.5"), HK), "quantity", "step_size")
    assert violation.message == "an odd-lot quantity is a whole number of shares, not 12.5: nearest 13"
    zero = only(validate_order(request(OrderType.ODD_LOT, quantity="0"), HK), "quantity", "positive")
    assert zero.nearest == D(1)


def test_no_odd_lot_where_the_lot_is_one_share() -> None:
    single = Instrument(
        symbol="AAPL",
        base_asset="AAPL",
        quote_asset="USD",
        price_filter=PriceFilter(tick_size=D("0.01")),
        lot_size=LotSize(min_qty=D(1), max_qty=D(1000), step_size=D(1)),
        order_types=(OrderType.LIMIT, OrderType.ODD_LOT),
    )
    order = OrderRequest("AAPL", Side.BUY, OrderType.ODD_LOT, D(1), D("100.00"))
    violation = only(validate_order(order, single), "quantity", "odd_lot")
    assert violation.message == "AAPL trades in steps of 1: there is no odd lot below one board lot"


@given(st.integers(min_value=1, max_value=499))
def test_every_odd_lot_below_the_board_lot_passes(shares: int) -> None:
    assert validate_order(request(OrderType.ODD_LOT, quantity=str(shares)), HK) == []


@given(st.decimals(min_value=D("0.01"), max_value=D(100_000), places=2))
def test_the_nearest_odd_lot_is_valid(quantity: Decimal) -> None:
    violations = validate_order(request(OrderType.ODD_LOT, quantity=str(quantity)), HK)
    nearest = [v.nearest for v in violations if v.field == "quantity" and v.nearest is not None]
    assert bool(violations) is not (quantity == quantity.to_integral_value() and quantity < 500)
    for value in nearest:
        assert validate_order(request(OrderType.ODD_LOT, quantity=str(value)), HK) == []


@given(st.sampled_from(list(OrderType)), st.booleans())
def test_a_price_is_required_exactly_where_the_type_takes_one(order_type: OrderType, priced: bool) -> None:
    instrument = Instrument(
        symbol=HK.symbol,
        base_asset=HK.base_asset,
        quote_asset="HKD",
        price_filter=HK.price_filter,
        lot_size=HK.lot_size,
        order_types=tuple(OrderType),
    )
    quantity = "100" if order_type is OrderType.ODD_LOT else "500"
    order = OrderRequest(HK.symbol, Side.BUY, order_type, D(quantity), D("380.2") if priced else None)
    found = keys(validate_order(order, instrument))
    assert (("price", "required") in found) is (order_type.takes_price and not priced)
    assert (("price", "price_not_allowed") in found) is (not order_type.takes_price and priced)


def test_risk_values_an_unpriced_order_at_the_book_and_a_priced_one_at_its_price() -> None:
    limits = RiskLimits(max_order_notional=D(100_000), max_price_distance_pct=D(5))

    def assess(order: OrderRequest) -> list[RiskBreach]:
        return assess_risk(order, HK, limits, best_bid=D(380), best_ask=D(400), last_price=None, open_orders=0)

    auction = assess(request(OrderType.AT_AUCTION, quantity="500", price=None))
    assert [b.message for b in auction] == ["Notional about 200,000 HKD is above your limit of 100,000 HKD"]
    far = assess(request(OrderType.ENHANCED_LIMIT, price="500", quantity="100"))
    assert [b.limit for b in far] == [RiskLimit.DISTANCE]


WILD = st.one_of(
    st.none(), st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10, max_value=10**7)
)


@given(st.sampled_from(list(OrderType)), st.sampled_from(Side), WILD, WILD, WILD, WILD)
def test_validating_any_stock_order_never_raises(
    order_type: OrderType,
    side: Side,
    quantity: Decimal | None,
    price: Decimal | None,
    amount: Decimal | None,
    free: Decimal | None,
) -> None:
    order = OrderRequest(HK.symbol, side, order_type, quantity, price, amount)
    for violation in validate_order(order, HK, free_balance=free, reference_price=D(380)):
        assert violation.message.strip() and violation.field and violation.rule
