"""Matching: order types, time in force, self-trade prevention, fills and fees (terminal/demo/matching.py)."""

from __future__ import annotations

from decimal import Decimal

from terminal.demo.engine import MatchingEngine
from terminal.demo.records import OrderView
from terminal.domain.enums import OrderStatus, Side, StpMode, TimeInForce
from terminal.domain.market import PublicTrade
from tests.demo.factory import MAKER_RATE, START, T0, TAKER_RATE, limit, make_engine, maker, market

D = Decimal


def book_of(engine: MatchingEngine, symbol: str = "BTCUSDT") -> tuple[list[tuple[Decimal, Decimal]], ...]:
    return engine.book(symbol).depth()


def asks(engine: MatchingEngine, *levels: tuple[str, str], account: str = "bob") -> list[OrderView]:
    return [engine.place(account, limit(Side.SELL, price, qty), T0).order for price, qty in levels]


def test_a_crossing_limit_trades_at_the_resting_price() -> None:
    engine = make_engine()
    (ask,) = asks(engine, ("100", "2"))
    result = engine.place("alice", limit(Side.BUY, "105", "1.5"), T0 + 1)
    order = result.order
    assert order.status is OrderStatus.FILLED
    assert (order.executed_qty, order.cumulative_quote_qty, order.avg_price) == (D("1.5"), D("150"), D("100"))
    assert [(f.price, f.qty, f.is_maker) for f in result.fills] == [(D("100"), D("1.5"), False)]
    resting = engine.order("bob", order_id=ask.order_id)
    assert resting.status is OrderStatus.PARTIALLY_FILLED and resting.leaves_qty == D("0.5")
    assert resting.update_time == T0 + 1 and resting.time == T0
    # The taker locked 105 x 1.5 and paid 100 x 1.5: the rest is free again.
    assert engine.ledger.locked("alice", "USDT") == 0
    assert engine.ledger.free("alice", "USDT") == START["USDT"] - D("150")


def test_a_limit_sweeps_levels_then_rests_needing_only_its_own_price() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"), ("101", "1"), ("103", "1"))
    result = engine.place("alice", limit(Side.BUY, "102", "3"), T0)
    assert [(f.price, f.qty) for f in result.fills] == [(D("100"), D("1")), (D("101"), D("1"))]
    assert result.order.status is OrderStatus.PARTIALLY_FILLED and result.order.is_open
    assert result.order.avg_price == D("100.5")
    bids, ask_levels = book_of(engine)
    assert bids == [(D("102"), D("1"))] and ask_levels == [(D("103"), D("1"))]
    assert engine.ledger.locked("alice", "USDT") == D("102")


def test_fifo_within_a_price_level() -> None:
    engine = make_engine()
    first = engine.place("bob", limit(Side.SELL, "100", "1"), T0).order
    second = engine.place("carol", limit(Side.SELL, "100", "1"), T0).order
    engine.place("alice", limit(Side.BUY, "100", "1.5"), T0)
    assert engine.order("bob", order_id=first.order_id).status is OrderStatus.FILLED
    assert engine.order("carol", order_id=second.order_id).executed_qty == D("0.5")


def test_better_price_beats_earlier_time() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "101", "1"), T0)
    engine.place("carol", limit(Side.SELL, "100", "1"), T0 + 1)
    fills = engine.place("alice", limit(Side.BUY, "101", "1"), T0 + 2).fills
    assert [f.price for f in fills] == [D("100")]


def test_ioc_cancels_the_rest() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"))
    partly = engine.place("alice", limit(Side.BUY, "100", "3", tif=TimeInForce.IOC), T0).order
    assert partly.status is OrderStatus.PARTIALLY_CANCELED and partly.executed_qty == D("1")
    assert partly.ord_cxl_reason == "RISKLIMIT_CANCEL"
    none = engine.place("alice", limit(Side.BUY, "100", "3", tif=TimeInForce.IOC), T0).order
    assert none.status is OrderStatus.CANCELED and none.executed_qty == 0
    assert book_of(engine) == ([], [])
    assert engine.ledger.locked("alice", "USDT") == 0


def test_fok_fills_completely_or_not_at_all() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"), ("101", "1"))
    killed = engine.place("alice", limit(Side.BUY, "101", "2.5", tif=TimeInForce.FOK), T0)
    # The document has no EXPIRED status; like its unfilled market order example, this is CANCELED.
    assert killed.order.status is OrderStatus.CANCELED and killed.fills == ()
    assert book_of(engine)[1] == [(D("100"), D("1")), (D("101"), D("1"))]
    beyond_price = engine.place("alice", limit(Side.BUY, "100", "2", tif=TimeInForce.FOK), T0)
    assert beyond_price.order.status is OrderStatus.CANCELED
    filled = engine.place("alice", limit(Side.BUY, "101", "2", tif=TimeInForce.FOK), T0)
    assert filled.order.status is OrderStatus.FILLED and len(filled.fills) == 2
    assert engine.ledger.locked("alice", "USDT") == 0


def test_fok_does_not_count_own_orders() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"))
    engine.place("alice", limit(Side.SELL, "100", "1"), T0)
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    taker = limit(Side.BUY, "100", "2", tif=TimeInForce.FOK)
    assert engine.place("alice", taker, T0).order.status is OrderStatus.CANCELED  # stops at its own
    expire_maker = limit(Side.BUY, "100", "2", tif=TimeInForce.FOK, stp=StpMode.EXPIRE_MAKER)
    result = engine.place("alice", expire_maker, T0)
    assert result.order.status is OrderStatus.FILLED
    assert engine.open_orders("alice") == []  # its own ask was cancelled on the way


def test_market_buy_by_quantity_walks_the_book_within_the_band() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"), ("105", "1"), ("111", "1"))
    result = engine.place("alice", market(Side.BUY, qty="3"), T0, reference_price=D("100"))
    assert [f.price for f in result.fills] == [D("100"), D("105")]  # 111 is above 100 x 1.1
    order = result.order
    assert (order.status, order.ord_cxl_reason) == (OrderStatus.PARTIALLY_CANCELED, "RISKLIMIT_CANCEL")
    assert (order.price, order.type, order.time_in_force) == (D(0), "MARKET", TimeInForce.IOC)
    assert engine.ledger.locked("alice", "USDT") == 0
    assert engine.ledger.free("alice", "USDT") == START["USDT"] - D("205")


def test_market_order_on_an_empty_book_is_cancelled() -> None:
    engine = make_engine()
    order = engine.place("alice", market(Side.SELL, qty="1"), T0).order
    assert order.status is OrderStatus.CANCELED and order.executed_qty == 0
    assert engine.ledger.locked("alice", "BTC") == 0


def test_market_sell_stops_at_the_band_floor() -> None:
    engine = make_engine()
    for price in ("100", "95", "89"):
        engine.place("bob", limit(Side.BUY, price, "1"), T0)
    result = engine.place("alice", market(Side.SELL, qty="3"), T0, reference_price=D("100"))
    assert [f.price for f in result.fills] == [D("100"), D("95")]
    assert book_of(engine)[0] == [(D("89"), D("1"))]


def test_market_buy_by_amount_spends_at_most_the_amount() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"), ("200", "1"))
    result = engine.place("alice", market(Side.BUY, amount="150"), T0)
    order = result.order
    # 1 at 100, then 0.25 at 200: exactly 150.
    assert [(f.price, f.qty) for f in result.fills] == [(D("100"), D("1")), (D("200"), D("0.25"))]
    assert (order.status, order.orig_qty, order.req_amount) == (OrderStatus.FILLED, D(0), D("150"))
    assert order.cumulative_quote_qty == D("150")
    assert order.stream_type == "MARKET_OF_QUOTE"


def test_market_buy_by_amount_stops_at_whole_steps_and_frees_the_dust() -> None:
    engine = make_engine()
    asks(engine, ("300", "1"))
    order = engine.place("alice", market(Side.BUY, amount="100"), T0).order
    assert order.executed_qty == D("0.333") and order.cumulative_quote_qty == D("99.9")
    assert order.status is OrderStatus.FILLED
    assert engine.ledger.locked("alice", "USDT") == 0
    assert engine.ledger.free("alice", "USDT") == START["USDT"] - D("99.9")


def test_market_buy_by_amount_too_small_for_one_step_is_cancelled() -> None:
    engine = make_engine()
    asks(engine, ("3000", "1"))
    order = engine.place("alice", market(Side.BUY, amount="2"), T0).order
    assert order.status is OrderStatus.CANCELED and order.executed_qty == 0


def test_market_buy_by_amount_with_the_fee_in_quote_pays_the_fee_out_of_the_amount() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "5", symbol="BTCUSD"), T0)
    result = engine.place("alice", market(Side.BUY, amount="200", symbol="BTCUSD"), T0)
    (fill,) = result.fills
    assert fill.qty == D("1.996")  # 200 / (100 x 1.002), floored to the step
    assert fill.commission_asset == "USD" and fill.commission == D("199.6") * TAKER_RATE
    spent = START["USD"] - engine.ledger.free("alice", "USD")
    assert spent == D("199.6") + fill.commission <= D("200")


def test_market_buy_by_quantity_without_a_band_locks_what_the_book_costs() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1", symbol="BTCUSD"), T0)
    engine.place("bob", limit(Side.SELL, "150", "1", symbol="BTCUSD"), T0)
    result = engine.place("alice", market(Side.BUY, qty="1.5", symbol="BTCUSD"), T0)
    assert result.order.status is OrderStatus.FILLED
    assert [(f.price, f.qty) for f in result.fills] == [(D("100"), D("1")), (D("150"), D("0.5"))]
    assert engine.ledger.locked("alice", "USD") == 0


def test_limit_maker_rests_and_later_makes() -> None:
    engine = make_engine()
    resting = engine.place("alice", maker(Side.SELL, "100", "1"), T0).order
    assert resting.status is OrderStatus.NEW and resting.type == "LIMIT_MAKER"
    fills = engine.place("bob", market(Side.BUY, qty="1"), T0).fills
    assert fills[0].price == D("100")
    maker_trade = engine.account_trades("alice")[0]
    assert maker_trade.is_maker and maker_trade.commission == D("100") * MAKER_RATE


def test_stp_expire_taker_keeps_earlier_fills_and_the_resting_order() -> None:
    engine = make_engine()
    asks(engine, ("100", "1"))
    own = engine.place("alice", limit(Side.SELL, "101", "1"), T0).order
    asks(engine, ("101", "1"))
    result = engine.place("alice", limit(Side.BUY, "101", "3"), T0)
    assert [f.price for f in result.fills] == [D("100")]
    order = result.order
    assert (order.status, order.ord_cxl_reason) == (OrderStatus.PARTIALLY_CANCELED, "SELF_TRADE_CANCEL")
    assert engine.order("alice", order_id=own.order_id).status is OrderStatus.NEW
    assert book_of(engine)[0] == []  # the taker's rest did not rest


def test_stp_expire_taker_without_fills_is_cancelled() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.SELL, "100", "1"), T0)
    order = engine.place("alice", market(Side.BUY, qty="1"), T0).order
    assert (order.status, order.ord_cxl_reason) == (OrderStatus.CANCELED, "SELF_TRADE_CANCEL")


def test_stp_expire_maker_cancels_the_resting_order_and_goes_on() -> None:
    engine = make_engine()
    own = engine.place("alice", limit(Side.SELL, "100", "1"), T0).order
    asks(engine, ("100", "1"))
    result = engine.place("alice", limit(Side.BUY, "100", "1", stp=StpMode.EXPIRE_MAKER), T0)
    assert result.order.status is OrderStatus.FILLED
    cancelled = engine.order("alice", order_id=own.order_id)
    assert (cancelled.status, cancelled.ord_cxl_reason) == (OrderStatus.CANCELED, "SELF_TRADE_CANCEL")
    assert result.order.stp_mode is StpMode.EXPIRE_MAKER
    assert engine.ledger.locked("alice", "BTC") == 0


def test_token_token_fees_are_taken_from_what_each_side_receives() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "2"), T0)
    (fill,) = engine.place("alice", limit(Side.BUY, "100", "2"), T0).fills
    assert (fill.commission, fill.commission_asset) == (D("2") * TAKER_RATE, "BTC")
    assert engine.ledger.free("alice", "BTC") == START["BTC"] + D("2") - D("2") * TAKER_RATE
    (maker_trade,) = engine.account_trades("bob")
    assert (maker_trade.commission, maker_trade.commission_asset) == (D("200") * MAKER_RATE, "USDT")
    assert engine.ledger.free("bob", "USDT") == START["USDT"] + D("200") - D("200") * MAKER_RATE
    assert engine.balances(engine.fee_account_id) == [
        b for b in engine.balances(engine.fee_account_id) if b.asset in {"BTC", "USDT"}
    ]
    assert engine.ledger.free(engine.fee_account_id, "BTC") == D("2") * TAKER_RATE
    assert engine.ledger.free(engine.fee_account_id, "USDT") == D("200") * MAKER_RATE


def test_token_fiat_buyer_pays_the_fee_on_top() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.BUY, "100", "1", symbol="BTCUSD"), T0)
    engine.place("alice", limit(Side.SELL, "100", "1", symbol="BTCUSD"), T0)
    assert engine.ledger.free("bob", "USD") == START["USD"] - D("100") - D("100") * MAKER_RATE
    assert engine.ledger.locked("bob", "USD") == 0  # the taker-rate reserve came back
    assert engine.ledger.free("alice", "USD") == START["USD"] + D("100") - D("100") * TAKER_RATE


def test_public_trade_flags_the_buyer_as_maker() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.BUY, "100", "1"), T0)
    result = engine.place("alice", limit(Side.SELL, "100", "1"), T0)
    (trade,) = [e for e in result.events if isinstance(e, PublicTrade)]
    assert trade.buyer_is_maker and trade.price == D("100") and trade.quantity == D("1")
    assert trade.trade_id == result.fills[0].ticket_id
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    result = engine.place("alice", limit(Side.BUY, "100", "1"), T0)
    (trade,) = [e for e in result.events if isinstance(e, PublicTrade)]
    assert not trade.buyer_is_maker


def test_both_sides_of_a_match_share_the_ticket_not_the_id() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    (taker_fill,) = engine.place("alice", limit(Side.BUY, "100", "1"), T0).fills
    (maker_fill,) = engine.account_trades("bob")
    assert taker_fill.ticket_id == maker_fill.ticket_id
    assert taker_fill.trade_id != maker_fill.trade_id
    assert taker_fill.is_buyer and not maker_fill.is_buyer
    fill = taker_fill.to_fill()
    assert (fill.trade_id, fill.quantity, fill.is_maker) == (taker_fill.trade_id, D("1"), False)
