"""The ticket's logic without Qt: fields to order requests, sizes from balances, estimates, words, repeats."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.demo.catalog import listings
from terminal.domain.decimals import is_multiple, mul
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.order_state import mark_rejected, mark_unknown, new_order
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import validate_order
from terminal.ui.ticket.draft import Problem, TicketInput, draft_order
from terminal.ui.ticket.sizing import (
    Liquidity,
    SizeQuery,
    estimate,
    liquidity,
    market_buy_unit_price,
    percent_size,
    reserve_rate,
)
from terminal.ui.ticket.ticket_text import Tone, estimate_text, format_amount, order_outcome, submit_label
from terminal.venues.base import Fees

D = Decimal
INSTRUMENTS = {listing.instrument.symbol: listing.instrument for listing in listings()}
BTC = INSTRUMENTS["BTCUSDT"]  # tick 0.01, step 0.00001, min qty 0.0001, min notional 1 USDT
USDTUSD = INSTRUMENTS["USDTUSD"]  # tick 0.0001, step 0.01, quote precision 0.01
TOKEN_FEES = Fees(D("0.001"), D("0.002"), "BTC", "USDT")  # each side pays in what it receives
FIAT_FEES = Fees(D("0.001"), D("0.002"), "USD", "USD")  # both sides pay in the quote asset


def _ticket(**changes: object) -> TicketInput:
    base = TicketInput("BTCUSDT", Side.BUY, OrderType.LIMIT, TimeInForce.GTC, "95000.00", "0.01000", "")
    return replace(base, **changes)  # type: ignore[arg-type]


# ---- fields to requests ------------------------------------------------------------------------


def test_a_valid_limit_ticket_makes_its_request() -> None:
    draft = draft_order(_ticket(), BTC)
    assert draft.problems == ()
    assert draft.request == OrderRequest(
        "BTCUSDT", Side.BUY, OrderType.LIMIT, quantity=D("0.01"), price=D("95000"), time_in_force=TimeInForce.GTC
    )


def test_an_off_tick_price_is_a_problem_with_the_nearest_price() -> None:
    draft = draft_order(_ticket(price_text="95000.005"), BTC)
    assert draft.request is None
    assert draft.candidate is not None and draft.candidate.price == D("95000.005")
    (problem,) = draft.problems
    assert problem.field == "price"
    assert problem.message == "price 95000.005 is not a multiple of the tick 0.01: nearest 95000.01"
    assert problem.nearest == D("95000.01")


def test_blank_and_unparsable_fields_are_named() -> None:
    draft = draft_order(_ticket(price_text="  ", quantity_text="1,5"), BTC)
    assert draft.candidate is None and draft.request is None
    assert draft.problems == (
        Problem("price", "price is required"),
        Problem("quantity", "quantity '1,5' is not a number"),
    )
    nan = draft_order(_ticket(price_text="NaN"), BTC)
    assert nan.problems == (Problem("price", "price 'NaN' is not a finite number"),)


def test_a_market_ticket_ignores_the_price_field_and_buys_by_amount_only_when_asked() -> None:
    by_quantity = draft_order(
        _ticket(type=OrderType.MARKET, time_in_force=TimeInForce.IOC, price_text="garbage", amount_text="x"), BTC
    )
    assert by_quantity.request == OrderRequest(
        "BTCUSDT", Side.BUY, OrderType.MARKET, quantity=D("0.01"), time_in_force=TimeInForce.IOC
    )
    by_amount = draft_order(
        _ticket(
            type=OrderType.MARKET, time_in_force=TimeInForce.IOC, quantity_text="?", amount_text="100", by_amount=True
        ),
        BTC,
    )
    assert by_amount.request == OrderRequest(
        "BTCUSDT", Side.BUY, OrderType.MARKET, amount=D("100"), time_in_force=TimeInForce.IOC
    )
    # A sell never spends a quote amount, whatever the switch says.
    sell = draft_order(
        _ticket(side=Side.SELL, type=OrderType.MARKET, time_in_force=TimeInForce.IOC, by_amount=True), BTC
    )
    assert sell.request is not None and sell.request.quantity == D("0.01") and sell.request.amount is None


def test_a_time_in_force_the_type_does_not_allow_is_a_problem() -> None:
    draft = draft_order(_ticket(type=OrderType.LIMIT_MAKER, time_in_force=TimeInForce.IOC), BTC)
    assert [p.field for p in draft.problems] == ["timeInForce"]
    assert "use GTC" in draft.problems[0].message


def test_a_rule_said_twice_is_listed_once() -> None:
    # MIN_NOTIONAL and TRADE_AMOUNT's minimum both refuse 0.0001 BTC at 1 USDT, in the same words.
    draft = draft_order(_ticket(price_text="1.00", quantity_text="0.00010"), BTC)
    assert [p.message for p in draft.problems] == [
        "order value 0.00010000 USDT (price x quantity) is below the minimum 1.00000000 USDT: nearest quantity 1.00000"
    ]


def test_the_given_check_judges_the_request() -> None:
    seen: list[OrderRequest] = []

    def check(request: OrderRequest) -> list:  # type: ignore[type-arg]
        seen.append(request)
        return validate_order(request, BTC, free_balance=D("10"))

    draft = draft_order(_ticket(), BTC, check)
    assert len(seen) == 1
    assert [p.field for p in draft.problems] == ["quantity"]
    assert draft.problems[0].nearest == D("0.00010")  # the largest quantity 10 USDT buys at 95,000


_NUMBERISH = st.one_of(
    st.text(max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.from_regex(r"\A[ +-]?[0-9_]{0,9}(\.[0-9]{0,10})?([eE][+-]?[0-9]{1,5})? ?\Z"),
    st.sampled_from(["", "0", "-0", "1e999999999", "1e-1001", "0.00001", "95000.01", "NaN", "-Infinity", "1__0"]),
)


@settings(max_examples=400, deadline=None)
@given(
    symbol=st.sampled_from(sorted(INSTRUMENTS)),
    side=st.sampled_from(Side),
    order_type=st.sampled_from(OrderType),
    tif=st.one_of(st.none(), st.sampled_from(TimeInForce)),
    price=_NUMBERISH,
    quantity=_NUMBERISH,
    amount=_NUMBERISH,
    by_amount=st.booleans(),
)
def test_any_text_gives_a_valid_request_or_readable_problems(
    symbol: str,
    side: Side,
    order_type: OrderType,
    tif: TimeInForce | None,
    price: str,
    quantity: str,
    amount: str,
    by_amount: bool,
) -> None:
    instrument = INSTRUMENTS[symbol]
    ticket = TicketInput(symbol, side, order_type, tif, price, quantity, amount, by_amount)
    draft = draft_order(ticket, instrument)
    request = draft.request
    if request is None:
        assert draft.problems
        for problem in draft.problems:
            assert isinstance(problem.message, str) and problem.message
            assert "\n" not in problem.message and "Traceback" not in problem.message
            assert len(problem.message) < 400
            assert problem.nearest is None or problem.nearest.is_finite()
        return
    assert not draft.problems
    assert validate_order(request, instrument) == []
    for value in (request.price, request.quantity, request.amount):
        assert value is None or (value.is_finite() and value > 0)
    if request.price is not None:
        assert is_multiple(request.price, instrument.tick_size)
    if request.quantity is not None:
        assert is_multiple(request.quantity, instrument.step_size)
    if request.amount is not None:
        assert is_multiple(request.amount, instrument.amount_step)
        assert side is Side.BUY and order_type is OrderType.MARKET
    assert (request.price is None) == (order_type is OrderType.MARKET)


# ---- sizes from the free balance ---------------------------------------------------------------


def _size(instrument: Instrument = BTC, **changes: object) -> SizeQuery:
    base = SizeQuery(100, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, False, D("10000"), D("95000"))
    return replace(base, **changes)  # type: ignore[arg-type]


def test_percentages_of_the_free_balance() -> None:
    # A BTCUSDT buy pays its fee in BTC: nothing of the USDT is held back.
    assert percent_size(_size(percent=50), BTC, TOKEN_FEES) == D("0.05263")  # 5,000 / 95,000 = 0.0526315...
    assert percent_size(_size(percent=25, side=Side.SELL, free=D("1.23456789")), BTC, TOKEN_FEES) == D("0.30864")
    market_amount = _size(percent=75, type=OrderType.MARKET, by_amount=True, free=D("1000.123456789"))
    assert percent_size(market_amount, BTC, TOKEN_FEES) == D("750.09259259")
    assert percent_size(_size(unit_price=None), BTC, TOKEN_FEES) is None
    assert percent_size(_size(free=D(0)), BTC, TOKEN_FEES) == D(0)


def test_a_fee_in_the_spent_asset_leaves_room() -> None:
    # USDTUSD charges both sides in USD: a buy holds back the higher of its possible rates.
    assert reserve_rate(FIAT_FEES, Side.BUY, "USD", OrderType.LIMIT, TimeInForce.GTC) == D("0.002")
    assert reserve_rate(FIAT_FEES, Side.BUY, "USD", OrderType.LIMIT_MAKER, TimeInForce.GTC) == D("0.001")
    assert reserve_rate(FIAT_FEES, Side.SELL, "USDT", OrderType.LIMIT, TimeInForce.GTC) == 0
    size = percent_size(_size(USDTUSD, free=D("1000"), unit_price=D("1.0000")), USDTUSD, FIAT_FEES)
    assert size == D("998.00")  # 1000 / 1.002 = 998.004
    assert mul(mul(size, D("1.0000")), D("1.002")) <= D("1000")


def test_a_market_buy_by_quantity_is_funded_at_the_band_ceiling() -> None:
    assert market_buy_unit_price(BTC, D("95000")) == D("104500.0")  # 10 % above the reference
    assert market_buy_unit_price(replace(BTC, market_trading=None), D("95000")) == D("95000")
    assert market_buy_unit_price(BTC, None) is None


@settings(max_examples=200, deadline=None)
@given(
    percent=st.sampled_from([25, 50, 75, 100]),
    side=st.sampled_from(Side),
    order_type=st.sampled_from(OrderType),
    free=st.decimals(min_value=0, max_value=10**9, places=8),
    price=st.decimals(min_value=D("0.0001"), max_value=10**6, places=4),
    fiat=st.booleans(),
)
def test_a_percentage_never_spends_more_than_its_share(
    percent: int, side: Side, order_type: OrderType, free: Decimal, price: Decimal, fiat: bool
) -> None:
    instrument, fees = (USDTUSD, FIAT_FEES) if fiat else (BTC, TOKEN_FEES)
    tif = TimeInForce.IOC if order_type is OrderType.MARKET else TimeInForce.GTC
    query = SizeQuery(percent, side, order_type, tif, False, free, price)
    size = percent_size(query, instrument, fees)
    assert size is not None and size >= 0
    assert is_multiple(size, instrument.step_size)
    share = free * percent / 100
    spent = size if side is Side.SELL else mul(size, price)
    room = 1 + reserve_rate(fees, side, instrument.spends(side), order_type, tif)
    assert mul(spent, room) <= share


# ---- estimates ---------------------------------------------------------------------------------


def test_resting_limits_pay_the_maker_rate_and_marketable_ones_the_taker_rate() -> None:
    bid, ask = D("94999.99"), D("95000.01")
    assert liquidity(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, D("94000"), bid, ask) is Liquidity.MAKER
    assert liquidity(Side.BUY, OrderType.LIMIT, TimeInForce.GTC, D("95000.01"), bid, ask) is Liquidity.TAKER
    assert liquidity(Side.SELL, OrderType.LIMIT, TimeInForce.GTC, D("94999.99"), bid, ask) is Liquidity.TAKER
    assert liquidity(Side.BUY, OrderType.LIMIT, TimeInForce.IOC, D("1"), bid, ask) is Liquidity.TAKER
    assert liquidity(Side.BUY, OrderType.MARKET, TimeInForce.IOC, None, bid, ask) is Liquidity.TAKER
    assert liquidity(Side.BUY, OrderType.LIMIT_MAKER, TimeInForce.GTC, D("99999"), bid, ask) is Liquidity.MAKER


def test_the_estimate_names_the_notional_the_fee_and_its_rate() -> None:
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000"), time_in_force=TimeInForce.GTC)
    cost = estimate(request, BTC, TOKEN_FEES, reference=None, best_bid=D("94000"), best_ask=D("96000"))
    assert (cost.notional, cost.fee, cost.fee_currency, cost.liquidity) == (
        D("950"),
        D("0.00001"),
        "BTC",
        Liquidity.MAKER,
    )
    assert estimate_text(cost, BTC) == "Notional 950.00 USDT · fee 0.00001 BTC (maker rate 0.1%)"
    sell = replace(request, side=Side.SELL, price=D("90000"))
    cost = estimate(sell, BTC, TOKEN_FEES, reference=None, best_bid=D("94000"), best_ask=D("96000"))
    assert estimate_text(cost, BTC) == "Notional 900.00 USDT · fee 1.8 USDT (taker rate 0.2%)"
    market = OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=D("100"), time_in_force=TimeInForce.IOC)
    cost = estimate(market, BTC, TOKEN_FEES, reference=D("100000"), best_bid=None, best_ask=None)
    assert estimate_text(cost, BTC) == "Notional 100.00 USDT · fee ≈ 0.000002 BTC (taker rate 0.2%)"
    by_quantity = replace(market, amount=None, quantity=D("0.5"))
    cost = estimate(by_quantity, BTC, TOKEN_FEES, reference=D("100000"), best_bid=None, best_ask=None)
    assert estimate_text(cost, BTC) == "Notional ≈ 50,000.00 USDT · fee 0.001 BTC (taker rate 0.2%)"
    cost = estimate(
        replace(by_quantity, side=Side.SELL), BTC, TOKEN_FEES, reference=D("100000"), best_bid=None, best_ask=None
    )
    assert estimate_text(cost, BTC) == "Notional ≈ 50,000.00 USDT · fee ≈ 100 USDT (taker rate 0.2%)"
    unknown = estimate(
        replace(market, amount=None, quantity=D("1")), BTC, None, reference=None, best_bid=None, best_ask=None
    )
    assert estimate_text(unknown, BTC) == "Notional unknown until the market has a price · fee rate unknown"


# ---- words -------------------------------------------------------------------------------------


def test_the_submit_button_says_what_it_will_do() -> None:
    limit = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000"), time_in_force=TimeInForce.GTC)
    assert submit_label(limit, Side.BUY, BTC) == "Buy 0.01000 BTC at 95,000.00"
    assert (
        submit_label(replace(limit, time_in_force=TimeInForce.FOK), Side.BUY, BTC)
        == "Buy 0.01000 BTC at 95,000.00 (FOK)"
    )
    maker = replace(limit, side=Side.SELL, type=OrderType.LIMIT_MAKER)
    assert submit_label(maker, Side.SELL, BTC) == "Sell 0.01000 BTC at 95,000.00 (maker only)"
    market = OrderRequest("BTCUSDT", Side.BUY, OrderType.MARKET, amount=D("1234.5"))
    assert submit_label(market, Side.BUY, BTC) == "Buy BTC for 1,234.50 USDT at market"
    assert submit_label(None, Side.SELL, BTC) == "Sell"
    # Values off their grid keep their digits: a disabled button must not show a valid-looking order.
    off_grid = replace(limit, quantity=D("0.000001"), price=D("95000.004"))
    assert submit_label(off_grid, Side.BUY, BTC) == "Buy 0.000001 BTC at 95,000.004"
    assert (
        submit_label(replace(market, amount=D("1.000000001")), Side.BUY, BTC)
        == "Buy BTC for 1.000000001 USDT at market"
    )
    assert format_amount(D("100.123456789"), BTC) == "100.12345679"
    assert format_amount(D("7"), BTC) == "7.00"


def test_outcomes_are_sentences() -> None:
    request = OrderRequest("BTCUSDT", Side.BUY, OrderType.LIMIT, D("0.01"), D("95000"))
    order = new_order(request, "cid-1", 0)
    assert order_outcome(order, BTC).tone is Tone.PENDING
    rejected = order_outcome(mark_rejected(order, "Not enough funds: Insufficient asset."), BTC)
    assert rejected.tone is Tone.ERROR
    assert rejected.text == "Rejected: Not enough funds: Insufficient asset."
    unknown = order_outcome(mark_unknown(order, "No clear answer from the venue (503)."), BTC)
    assert unknown.text.startswith("Outcome unknown, being checked with the venue")
