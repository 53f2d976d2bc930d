"""Risk limits and the check an order passes before it leaves (terminal/domain/risk.py)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.enums import OrderType, Side
from terminal.domain.instrument import Instrument, LotSize, PriceFilter
from terminal.domain.orders import OrderRequest
from terminal.domain.risk import (
    RiskAction,
    RiskBreach,
    RiskLimit,
    RiskLimits,
    RiskLimitsError,
    assess_risk,
)

D = Decimal

BTC = Instrument(
    symbol="BTCUSDT",
    base_asset="BTC",
    quote_asset="USDT",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D("0.0001"), max_qty=D("1000"), step_size=D("0.0001")),
    quote_precision=D("0.01"),
)
ETH = Instrument(
    symbol="ETHUSDT",
    base_asset="ETH",
    quote_asset="USDT",
    price_filter=PriceFilter(tick_size=D("0.01")),
    lot_size=LotSize(min_qty=D("0.001"), max_qty=D("10000"), step_size=D("0.001")),
)

EXPONENT = re.compile(r"\d[eE][+-]?\d")


def limit_order(quantity: str, price: str, side: Side = Side.BUY, symbol: str = "BTCUSDT") -> OrderRequest:
    return OrderRequest(symbol, side, OrderType.LIMIT, quantity=D(quantity), price=D(price))


def market(side: Side, quantity: str | None = None, amount: str | None = None) -> OrderRequest:
    return OrderRequest(
        "BTCUSDT",
        side,
        OrderType.MARKET,
        quantity=None if quantity is None else D(quantity),
        amount=None if amount is None else D(amount),
    )


def assess(
    request: OrderRequest,
    limits: RiskLimits,
    *,
    instrument: Instrument = BTC,
    bid: str | None = "49999",
    ask: str | None = "50001",
    last: str | None = "50000",
    open_orders: int = 0,
) -> list[RiskBreach]:
    return assess_risk(
        request,
        instrument,
        limits,
        best_bid=None if bid is None else D(bid),
        best_ask=None if ask is None else D(ask),
        last_price=None if last is None else D(last),
        open_orders=open_orders,
    )


def messages(breaches: list[RiskBreach]) -> list[str]:
    return [breach.message for breach in breaches]


NOTIONAL = RiskLimits(max_order_notional=D(10_000))
QUANTITY = RiskLimits(max_quantity_per_symbol={"BTCUSDT": D(2)})
DISTANCE = RiskLimits(max_price_distance_pct=D(5))
OPEN = RiskLimits(max_open_orders=10)


# --- no limits -----------------------------------------------------------------------------------


def test_without_limits_nothing_is_ever_a_breach() -> None:
    limits = RiskLimits()
    assert not limits.any_set
    for request in (limit_order("1000", "1"), market(Side.BUY, amount="1e9"), market(Side.SELL, quantity="50")):
        assert assess(request, limits, bid=None, ask=None, last=None, open_orders=10**6) == []


def test_any_set_counts_order_limits_only() -> None:
    assert NOTIONAL.any_set
    assert QUANTITY.any_set
    assert DISTANCE.any_set
    assert OPEN.any_set
    assert not RiskLimits(cancel_on_disconnect_s=30, actions={RiskLimit.NOTIONAL: RiskAction.BLOCK}).any_set


# --- notional ------------------------------------------------------------------------------------


def test_a_notional_above_the_limit_asks_for_confirmation_by_default() -> None:
    breaches = assess(limit_order("0.25", "50000"), NOTIONAL)
    assert breaches == [
        RiskBreach(RiskLimit.NOTIONAL, RiskAction.CONFIRM, "Notional 12,500 USDT is above your limit of 10,000 USDT")
    ]


def test_a_notional_limit_set_to_block_blocks() -> None:
    limits = RiskLimits(max_order_notional=D(10_000), actions={RiskLimit.NOTIONAL: RiskAction.BLOCK})
    [breach] = assess(limit_order("0.25", "50000"), limits)
    assert breach.action is RiskAction.BLOCK
    assert breach.limit is RiskLimit.NOTIONAL


def test_a_notional_exactly_at_the_limit_is_allowed() -> None:
    assert assess(limit_order("0.2", "50000"), NOTIONAL) == []
    assert messages(assess(limit_order("0.2", "50000.01"), NOTIONAL)) == [
        "Notional 10,000.01 USDT is above your limit of 10,000 USDT"
    ]


def test_a_market_buy_is_priced_at_the_ask_and_a_sell_at_the_bid_else_at_the_last_trade() -> None:
    buy, sell = market(Side.BUY, quantity="0.25"), market(Side.SELL, quantity="0.25")
    assert messages(assess(buy, NOTIONAL, ask="44000")) == [
        "Notional about 11,000 USDT is above your limit of 10,000 USDT"
    ]
    assert assess(buy, NOTIONAL, ask="40000", bid="60000", last="60000") == []  # the ask is what a buy pays
    assert messages(assess(sell, NOTIONAL, bid="48000")) == [
        "Notional about 12,000 USDT is above your limit of 10,000 USDT"
    ]
    assert assess(sell, NOTIONAL, bid="40000", ask="60000", last="60000") == []
    assert messages(assess(buy, NOTIONAL, ask=None, bid=None, last="42000")) == [
        "Notional about 10,500 USDT is above your limit of 10,000 USDT"
    ]
    assert messages(assess(sell, NOTIONAL, ask="1", bid=None, last="42000")) == [
        "Notional about 10,500 USDT is above your limit of 10,000 USDT"
    ]


def test_a_market_buy_by_amount_has_the_amount_as_its_notional_even_without_prices() -> None:
    assert messages(assess(market(Side.BUY, amount="12500"), NOTIONAL, bid=None, ask=None, last=None)) == [
        "Notional 12,500 USDT is above your limit of 10,000 USDT"
    ]
    assert assess(market(Side.BUY, amount="10000"), NOTIONAL, bid=None, ask=None, last=None) == []


def test_a_notional_limit_that_cannot_be_judged_is_a_breach() -> None:
    unknown = assess(market(Side.BUY, quantity="0.01"), NOTIONAL, bid=None, ask=None, last=None)
    assert messages(unknown) == ["No price is known to check the 10,000 USDT notional limit"]
    assert unknown[0].action is RiskAction.CONFIRM
    zero_prices = assess(market(Side.SELL, quantity="0.01"), NOTIONAL, bid="0", ask="0", last="0")
    assert messages(zero_prices) == ["No price is known to check the 10,000 USDT notional limit"]
    no_quantity = OrderRequest("BTCUSDT", Side.SELL, OrderType.MARKET)
    assert messages(assess(no_quantity, NOTIONAL)) == ["No quantity is known to check the 10,000 USDT notional limit"]
    no_price = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D(1))
    assert messages(assess(no_price, NOTIONAL)) == ["No price is known to check the 10,000 USDT notional limit"]


# --- quantity ------------------------------------------------------------------------------------


def test_a_quantity_above_the_symbols_limit_is_a_breach() -> None:
    assert messages(assess(limit_order("3", "1"), QUANTITY)) == ["Quantity 3 BTC is above your BTCUSDT limit of 2 BTC"]
    assert assess(limit_order("2", "1"), QUANTITY) == []  # exactly at the limit
    assert assess(limit_order("3", "1"), QUANTITY, instrument=ETH) == []  # another symbol: no limit
    blocking = RiskLimits(max_quantity_per_symbol={"BTCUSDT": D(2)}, actions={"max_quantity_per_symbol": "block"})  # type: ignore[dict-item]
    assert [breach.action for breach in assess(limit_order("2.0001", "1"), blocking)] == [RiskAction.BLOCK]
    assert messages(assess(limit_order("2.0001", "1"), blocking)) == [
        "Quantity 2.0001 BTC is above your BTCUSDT limit of 2 BTC"
    ]


def test_the_star_key_covers_every_symbol_not_named() -> None:
    limits = RiskLimits(max_quantity_per_symbol={"*": D("1.5"), "BTCUSDT": D(2)})
    assert limits.max_quantity("BTCUSDT") == D(2)
    assert limits.max_quantity("btcusdt") == D(2)  # named in another case
    assert limits.max_quantity("ETHUSDT") == D("1.5")
    assert RiskLimits(max_quantity_per_symbol={"BTCUSDT": D(2)}).max_quantity("ETHUSDT") is None
    eth = OrderRequest("ETHUSDT", Side.SELL, OrderType.LIMIT, quantity=D(3), price=D(2000))
    assert messages(assess(eth, limits, instrument=ETH)) == ["Quantity 3 ETH is above your per-symbol limit of 1.5 ETH"]
    assert assess(limit_order("2", "1"), limits) == []  # BTCUSDT's own limit, not the star's


def test_a_market_buy_by_amount_is_converted_to_a_quantity_at_the_ask() -> None:
    request = market(Side.BUY, amount="10000")
    assert messages(assess(request, QUANTITY, ask="4000")) == [
        "Quantity about 2.5 BTC is above your BTCUSDT limit of 2 BTC"
    ]
    assert assess(request, QUANTITY, ask="5000") == []
    assert messages(assess(request, QUANTITY, ask="3000")) == [
        "Quantity about 3.3334 BTC is above your BTCUSDT limit of 2 BTC"  # rounded up: never shown below the truth
    ]
    assert messages(assess(request, QUANTITY, bid=None, ask=None, last=None)) == [
        "No price is known to check your BTCUSDT limit of 2 BTC"
    ]
    star = RiskLimits(max_quantity_per_symbol={"*": D(2)})
    assert messages(assess(request, star, bid=None, ask=None, last=None)) == [
        "No price is known to check your per-symbol limit of 2 BTC"
    ]
    assert messages(assess(OrderRequest("BTCUSDT", Side.SELL, OrderType.MARKET), QUANTITY)) == [
        "No quantity is known to check your BTCUSDT limit of 2 BTC"
    ]


# --- distance from the mid -----------------------------------------------------------------------


def test_a_limit_price_far_from_the_mid_is_a_breach() -> None:
    def around_40000(request: OrderRequest) -> list[RiskBreach]:  # the mid is 40,000; the last trade is ignored
        return assess(request, DISTANCE, bid="39999.5", ask="40000.5", last="1")

    assert messages(around_40000(limit_order("0.1", "45000"))) == [
        "Price 45,000 is 12.5% from the mid 40,000 (limit 5%)"
    ]
    assert messages(around_40000(limit_order("0.1", "35000", Side.SELL))) == [
        "Price 35,000 is 12.5% from the mid 40,000 (limit 5%)"
    ]
    assert around_40000(limit_order("0.1", "42000")) == []  # exactly 5 %
    assert around_40000(limit_order("0.1", "38000")) == []
    assert messages(around_40000(limit_order("0.1", "42000.01"))) == [
        "Price 42,000.01 is 5.01% from the mid 40,000 (limit 5%)"  # 5.000025 %, rounded up
    ]


def test_the_mid_is_shown_at_the_ticks_precision() -> None:
    [breach] = assess(limit_order("0.1", "50000"), DISTANCE, bid="57142.85", ask="57142.86", last=None)
    assert breach.message == "Price 50,000 is 12.5% from the mid 57,142.86 (limit 5%)"  # the mid is 57,142.855


def test_without_both_sides_of_the_book_the_last_price_is_the_mid() -> None:
    assert messages(assess(limit_order("0.1", "45000"), DISTANCE, bid=None, ask="40000", last="40000")) == [
        "Price 45,000 is 12.5% from the mid 40,000 (limit 5%)"
    ]
    assert messages(assess(limit_order("0.1", "45000"), DISTANCE, bid=None, ask=None, last=None)) == [
        "No mid or last price is known to check the 5% price distance limit"
    ]


def test_the_distance_limit_applies_to_priced_orders_only() -> None:
    assert assess(market(Side.BUY, quantity="0.1"), DISTANCE, bid=None, ask=None, last=None) == []
    maker = OrderRequest("BTCUSDT", Side.SELL, OrderType.LIMIT_MAKER, quantity=D(1), price=D(60000))
    limits = RiskLimits(max_price_distance_pct=D("0.5"), actions={RiskLimit.DISTANCE: RiskAction.BLOCK})
    assert assess(maker, limits) == [
        RiskBreach(RiskLimit.DISTANCE, RiskAction.BLOCK, "Price 60,000 is 20% from the mid 50,000 (limit 0.5%)")
    ]
    unpriced = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D(1))
    assert messages(assess(unpriced, DISTANCE)) == ["The order has no price to check the 5% price distance limit"]


# --- open orders ---------------------------------------------------------------------------------


def test_the_open_order_limit_counts_the_new_order() -> None:
    assert assess(limit_order("1", "50000"), OPEN, open_orders=9) == []
    assert assess(limit_order("1", "50000"), OPEN, open_orders=10) == [
        RiskBreach(RiskLimit.OPEN_ORDERS, RiskAction.CONFIRM, "This would be open order 11; your limit is 10")
    ]
    blocking = RiskLimits(max_open_orders=1, actions={RiskLimit.OPEN_ORDERS: RiskAction.BLOCK})
    assert assess(limit_order("1", "50000"), blocking, open_orders=0) == []
    assert [b.action for b in assess(market(Side.SELL, quantity="1"), blocking, open_orders=1)] == [RiskAction.BLOCK]


# --- together ------------------------------------------------------------------------------------


def test_every_broken_limit_is_reported_in_order_each_with_its_own_action() -> None:
    limits = RiskLimits(
        max_order_notional=D(1000),
        max_quantity_per_symbol={"*": D("0.01")},
        max_price_distance_pct=D(1),
        max_open_orders=2,
        actions={RiskLimit.QUANTITY: RiskAction.BLOCK, RiskLimit.OPEN_ORDERS: RiskAction.BLOCK},
    )
    breaches = assess(limit_order("0.5", "55000"), limits, open_orders=2)
    assert [(breach.limit, breach.action) for breach in breaches] == [
        (RiskLimit.NOTIONAL, RiskAction.CONFIRM),
        (RiskLimit.QUANTITY, RiskAction.BLOCK),
        (RiskLimit.DISTANCE, RiskAction.CONFIRM),
        (RiskLimit.OPEN_ORDERS, RiskAction.BLOCK),
    ]
    assert messages(breaches) == [
        "Notional 27,500 USDT is above your limit of 1,000 USDT",
        "Quantity 0.5 BTC is above your per-symbol limit of 0.01 BTC",
        "Price 55,000 is 10% from the mid 50,000 (limit 1%)",
        "This would be open order 3; your limit is 2",
    ]
    assert assess(limit_order("0.01", "50100"), limits, open_orders=1) == []  # inside every limit: no question


# --- properties ----------------------------------------------------------------------------------

prices = st.decimals(min_value=D("0.01"), max_value=D("1000000"), places=2)
quantities = st.decimals(min_value=D("0.0001"), max_value=D("1000"), places=4)
limit_values = st.decimals(min_value=D("0.0001"), max_value=D("1e9"), places=4)


def _shown_numbers(message: str) -> list[Decimal]:
    return [D(text.replace(",", "")) for text in re.findall(r"\d[\d,]*(?:\.\d+)?", message)]


@settings(max_examples=300, deadline=None)
@given(price=prices, quantity=quantities, limit=limit_values)
def test_notional_breaches_exactly_above_the_limit_and_never_shows_the_value_at_or_below_it(
    price: Decimal, quantity: Decimal, limit: Decimal
) -> None:
    breaches = assess(limit_order(str(quantity), str(price)), RiskLimits(max_order_notional=limit))
    assert bool(breaches) == (price * quantity > limit)
    for breach in breaches:
        assert not EXPONENT.search(breach.message)
        shown, shown_limit = _shown_numbers(breach.message)
        assert shown_limit == limit
        assert shown > limit


@settings(max_examples=300, deadline=None)
@given(price=prices, bid=prices, spread=st.decimals(min_value=D(0), max_value=D(100), places=2), pct=limit_values)
def test_distance_breaches_exactly_beyond_the_limit_and_never_shows_it_within(
    price: Decimal, bid: Decimal, spread: Decimal, pct: Decimal
) -> None:
    ask = bid + spread
    mid = (bid + ask) / 2
    breaches = assess(limit_order("1", str(price)), RiskLimits(max_price_distance_pct=pct), bid=str(bid), ask=str(ask))
    assert bool(breaches) == (abs(price - mid) * 100 > pct * mid)
    for breach in breaches:
        assert not EXPONENT.search(breach.message)
        shown_price, distance, _mid, shown_limit = _shown_numbers(breach.message)
        assert (shown_price, shown_limit) == (price, pct)
        assert distance > pct


@settings(max_examples=200, deadline=None)
@given(open_orders=st.integers(0, 10_000), limit=st.integers(1, 10_000))
def test_the_open_order_limit_allows_up_to_the_limit(open_orders: int, limit: int) -> None:
    breaches = assess(limit_order("1", "1"), RiskLimits(max_open_orders=limit), open_orders=open_orders)
    assert bool(breaches) == (open_orders >= limit)


# --- the limits themselves -----------------------------------------------------------------------


def test_limits_normalize_their_values_and_fill_in_every_action() -> None:
    limits = RiskLimits(
        max_order_notional="2500.50",  # type: ignore[arg-type]
        max_quantity_per_symbol={"BTCUSDT": 1},  # type: ignore[dict-item]
        actions={"max_open_orders": "block"},  # type: ignore[dict-item]
    )
    assert limits.max_order_notional == D("2500.50")
    assert limits.max_quantity_per_symbol == {"BTCUSDT": D(1)}
    assert limits.actions == {
        RiskLimit.NOTIONAL: RiskAction.CONFIRM,
        RiskLimit.QUANTITY: RiskAction.CONFIRM,
        RiskLimit.DISTANCE: RiskAction.CONFIRM,
        RiskLimit.OPEN_ORDERS: RiskAction.BLOCK,
    }
    assert all(isinstance(key, RiskLimit) and isinstance(value, RiskAction) for key, value in limits.actions.items())
    assert limits.action(RiskLimit.OPEN_ORDERS) is RiskAction.BLOCK
    assert limits.action(RiskLimit.NOTIONAL) is RiskAction.CONFIRM
    assert RiskLimits(actions={RiskLimit.NOTIONAL: RiskAction.CONFIRM}) == RiskLimits()  # confirm is the default


def test_the_callers_maps_are_copied() -> None:
    quantities = {"BTCUSDT": D(1)}
    limits = RiskLimits(max_quantity_per_symbol=quantities)
    quantities["BTCUSDT"] = D(99)
    assert limits.max_quantity("BTCUSDT") == D(1)


@pytest.mark.parametrize("seconds", [None, 5, 30, 3600])
def test_the_disconnect_option_is_off_or_5_to_3600_seconds(seconds: int | None) -> None:
    assert RiskLimits(cancel_on_disconnect_s=seconds).cancel_on_disconnect_s == seconds


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"max_order_notional": D(0)}, "max_order_notional must be greater than zero, not 0"),
        ({"max_order_notional": D("-0.5")}, "max_order_notional must be greater than zero, not -0.5"),
        ({"max_order_notional": 1.5}, "max_order_notional must be a number, not float"),
        ({"max_order_notional": D("Infinity")}, "not a finite number"),
        ({"max_price_distance_pct": "abc"}, "max_price_distance_pct 'abc' is not a number"),
        ({"max_price_distance_pct": D(0)}, "max_price_distance_pct must be greater than zero"),
        ({"max_quantity_per_symbol": [("BTCUSDT", D(1))]}, "must map symbols to quantities"),
        ({"max_quantity_per_symbol": {"BTCUSDT": D(-1)}}, r"max_quantity_per_symbol\[BTCUSDT\] must be greater"),
        ({"max_quantity_per_symbol": {"": D(1)}}, "A symbol in max_quantity_per_symbol is empty"),
        ({"max_quantity_per_symbol": {"BTC USDT": D(1)}}, "contains a space"),
        ({"max_quantity_per_symbol": {7: D(1)}}, "must be text, not int"),
        ({"max_quantity_per_symbol": {"x" * 65: D(1)}}, "longer than 64 characters"),
        ({"max_quantity_per_symbol": {"BTCUSDT": D(1), "btcUSDT": D(2)}}, "names BTCUSDT twice"),
        ({"max_open_orders": 0}, "whole number of at least 1, not 0"),
        ({"max_open_orders": True}, "not True"),
        ({"max_open_orders": 2.0}, "not 2.0"),
        ({"actions": ["block"]}, "actions must map limits to block or confirm"),
        ({"actions": {"max_orders": "block"}}, 'A limit in actions must be one of "max_order_notional"'),
        ({"actions": {RiskLimit.NOTIONAL: "never"}}, 'max_order_notional must be one of "block", "confirm"'),
        ({"cancel_on_disconnect_s": 4}, "from 5 to 3600, not 4"),
        ({"cancel_on_disconnect_s": 3601}, "not 3601"),
        ({"cancel_on_disconnect_s": 30.0}, "not 30.0"),
        ({"cancel_on_disconnect_s": True}, "not True"),
    ],
)
def test_invalid_limits_are_refused_with_a_sentence(changes: dict[str, object], message: str) -> None:
    with pytest.raises(RiskLimitsError, match=message):
        RiskLimits(**changes)  # type: ignore[arg-type]


def test_a_risk_limits_error_is_a_value_error() -> None:
    assert issubclass(RiskLimitsError, ValueError)
