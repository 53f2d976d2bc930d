"""The engine's operations as a server drives them: cancels, queries, events, batches, determinism
(terminal/demo/engine.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.demo.engine import MatchingEngine
from terminal.demo.errors import DemoError
from terminal.demo.events import BalanceUpdate, BookChanged, ExecutionReport, TicketInfo
from terminal.demo.fees import FeeSchedule
from terminal.domain.enums import OrderStatus, Side
from terminal.domain.market import PublicTrade
from tests.demo.factory import BTCUSDT, START, T0, limit, make_engine, market

D = Decimal


def code_of(call: object) -> str:
    assert callable(call)
    with pytest.raises(DemoError) as caught:
        call()
    return caught.value.code


# Cancel


def test_cancel_by_order_id_releases_the_lock() -> None:
    engine = make_engine()
    placed = engine.place("alice", limit(Side.BUY, "100", "2"), T0).order
    result = engine.cancel("alice", T0 + 5, order_id=placed.order_id)
    assert result.acknowledged.status is OrderStatus.NEW  # what 004's cancel example answers
    order = result.order
    assert (order.status, order.ord_cxl_reason, order.update_time) == (OrderStatus.CANCELED, "USER_CANCEL", T0 + 5)
    assert order.transact_time == T0
    assert engine.ledger.locked("alice", "USDT") == 0
    assert engine.ledger.free("alice", "USDT") == START["USDT"]
    assert engine.book("BTCUSDT").depth() == ([], [])


def test_cancel_by_client_order_id_after_a_partial_fill() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.BUY, "100", "2", client_id="c-1"), T0)
    engine.place("bob", limit(Side.SELL, "100", "0.5"), T0)
    order = engine.cancel("alice", T0, client_order_id="c-1").order
    assert order.status is OrderStatus.PARTIALLY_CANCELED and order.executed_qty == D("0.5")
    assert engine.ledger.locked("alice", "USDT") == 0


def test_cancel_refusals() -> None:
    engine = make_engine()
    filled_id = engine.place("bob", limit(Side.SELL, "100", "1"), T0).order.order_id
    engine.place("alice", limit(Side.BUY, "100", "1"), T0)
    open_id = engine.place("bob", limit(Side.SELL, "101", "1"), T0).order.order_id
    engine.cancel("bob", T0, order_id=open_id)
    assert code_of(lambda: engine.cancel("bob", T0, order_id=filled_id)) == "-1139"
    assert code_of(lambda: engine.cancel("bob", T0, order_id=open_id)) == "-1142"
    assert code_of(lambda: engine.cancel("bob", T0, order_id="1")) == "0211"
    assert code_of(lambda: engine.cancel("bob", T0, client_order_id="nope")) == "0211"
    assert code_of(lambda: engine.cancel("bob", T0)) == "0001"
    assert code_of(lambda: engine.cancel("nobody", T0, order_id=open_id)) == "-1160"


def test_an_account_cannot_see_or_cancel_another_accounts_order() -> None:
    engine = make_engine()
    order_id = engine.place("alice", limit(Side.BUY, "100", "1"), T0).order.order_id
    assert code_of(lambda: engine.cancel("bob", T0, order_id=order_id)) == "0211"
    assert code_of(lambda: engine.order("bob", order_id=order_id)) == "0211"
    assert engine.order("alice", order_id=order_id).is_open


def test_cancel_all_by_symbol_and_side() -> None:
    engine = make_engine()
    for price in ("90", "91", "92"):
        engine.place("alice", limit(Side.BUY, price, "1"), T0)
    engine.place("alice", limit(Side.SELL, "120", "1"), T0)
    engine.place("alice", limit(Side.BUY, "90", "1", symbol="BTCUSD"), T0)
    bought = engine.cancel_all("alice", T0, symbol="BTCUSDT", side=Side.BUY)
    assert [o.price for o in bought.cancelled] == [D("92"), D("91"), D("90")]  # newest first
    assert bought.last_order_id == bought.cancelled[-1].order_id
    assert all(o.ord_cxl_reason == "USER_CANCEL" for o in bought.cancelled)
    assert [o.side for o in engine.open_orders("alice", symbol="BTCUSDT")] == [Side.SELL]
    everything = engine.cancel_all("alice", T0)
    assert len(everything.cancelled) == 2 and engine.open_orders("alice") == []
    assert engine.cancel_all("alice", T0).last_order_id is None
    assert code_of(lambda: engine.cancel_all("alice", T0, symbol="NOPE")) == "0201"


def test_cancel_all_takes_at_most_200_and_pages_with_from_order_id() -> None:
    engine = make_engine()
    for i in range(5):
        engine.place("alice", limit(Side.BUY, str(90 + i), "1"), T0)
    first = engine.cancel_all("alice", T0, limit=2)
    assert len(first.cancelled) == 2
    rest = engine.cancel_all("alice", T0, from_order_id=first.last_order_id, limit=500)
    assert len(rest.cancelled) == 3 and engine.open_orders("alice") == []


def test_cancel_by_ids_reports_each_failure_with_0211() -> None:
    engine = make_engine()
    a = engine.place("alice", limit(Side.BUY, "90", "1"), T0).order.order_id
    b = engine.place("alice", limit(Side.BUY, "91", "1"), T0).order.order_id
    other = engine.place("bob", limit(Side.BUY, "91", "1"), T0).order.order_id
    engine.cancel("alice", T0, order_id=b)
    result = engine.cancel_by_ids("alice", T0, [a, b, other, "123"])
    assert [o.order_id for o in result.cancelled] == [a]
    assert [(f.order_id, f.code) for f in result.failures] == [(b, "0211"), (other, "0211"), ("123", "0211")]
    assert code_of(lambda: engine.cancel_by_ids("alice", T0, ["1"] * 101)) == "-2030"


# Queries


def test_query_order_open_and_finished() -> None:
    engine = make_engine()
    placed = engine.place("alice", limit(Side.BUY, "100", "1", client_id="q"), T0).order
    assert engine.order("alice", client_order_id="q") == placed
    engine.cancel("alice", T0 + 1, order_id=placed.order_id)
    assert engine.order("alice", order_id=placed.order_id).status is OrderStatus.CANCELED
    assert code_of(lambda: engine.order("alice")) == "0001"


def test_open_orders_filters_and_limit() -> None:
    engine = make_engine()
    ids = [engine.place("alice", limit(Side.BUY, str(90 + i), "1"), T0).order.order_id for i in range(4)]
    engine.place("alice", limit(Side.SELL, "120", "1"), T0)
    engine.place("alice", limit(Side.BUY, "90", "1", symbol="BTCUSD"), T0)
    assert len(engine.open_orders("alice")) == 6
    assert [o.order_id for o in engine.open_orders("alice", symbol="BTCUSDT", side=Side.BUY)] == ids[::-1]
    newest_two = engine.open_orders("alice", side=Side.BUY, limit=2)
    assert [o.symbol for o in newest_two] == ["BTCUSD", "BTCUSDT"] and newest_two[1].order_id == ids[-1]
    assert [o.order_id for o in engine.open_orders("alice", symbol="BTCUSDT", from_order_id=ids[2])] == [
        ids[1],
        ids[0],
    ]
    assert engine.open_orders("bob") == []
    assert code_of(lambda: engine.open_orders("alice", from_order_id="12x")) == "-1130"
    assert code_of(lambda: engine.open_orders("nobody")) == "-1160"


def test_trade_orders_are_finished_orders_newest_first() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    filled = engine.place("alice", limit(Side.BUY, "100", "1"), T0 + 10).order
    cancelled = engine.place("alice", limit(Side.BUY, "90", "1"), T0 + 20).order
    engine.cancel("alice", T0 + 30, order_id=cancelled.order_id)
    engine.place("alice", limit(Side.BUY, "80", "1"), T0 + 40)  # still open: not history
    history = engine.trade_orders("alice")
    assert [o.order_id for o in history] == [cancelled.order_id, filled.order_id]
    assert [o.order_id for o in engine.trade_orders("alice", start_ms=T0 + 15)] == [cancelled.order_id]
    assert [o.order_id for o in engine.trade_orders("alice", end_ms=T0 + 15)] == [filled.order_id]
    assert engine.trade_orders("alice", from_order_id=filled.order_id) == []
    assert engine.trade_orders("alice", side=Side.SELL) == []


def test_account_trades_filters_and_paging() -> None:
    engine = make_engine()
    for i in range(5):
        engine.place("bob", limit(Side.SELL, str(100 + i), "1"), T0)
    engine.place("alice", limit(Side.BUY, "104", "5", client_id="sweep"), T0 + 1)
    trades = engine.account_trades("alice")
    assert [t.price for t in trades] == [D("104"), D("103"), D("102"), D("101"), D("100")]  # newest first
    assert all(t.is_buyer and not t.is_maker and t.client_order_id == "sweep" for t in trades)
    ids = [t.trade_id for t in trades]
    assert [t.trade_id for t in engine.account_trades("alice", limit=2)] == ids[:2]
    assert [t.trade_id for t in engine.account_trades("alice", to_id=ids[1])] == ids[2:]
    assert [t.trade_id for t in engine.account_trades("alice", from_id=ids[3])] == ids[:3]
    assert [t.trade_id for t in engine.account_trades("alice", from_id=ids[4], limit=2)] == [ids[2], ids[3]]
    assert [t.trade_id for t in engine.account_trades("alice", from_id=ids[4], to_id=ids[0])] == ids[1:4]
    assert engine.account_trades("alice", client_order_id="other") == []
    assert engine.account_trades("alice", symbol="BTCUSD") == []
    assert len(engine.account_trades("alice", start_ms=T0 + 1, end_ms=T0 + 1)) == 5
    assert engine.account_trades("alice", start_ms=T0 + 2) == []


def test_history_is_capped_oldest_first() -> None:
    engine = make_engine(history_limit=3)
    ids = []
    for i in range(5):
        order_id = engine.place("alice", limit(Side.BUY, "90", "1", client_id=f"h{i}"), T0).order.order_id
        engine.cancel("alice", T0, order_id=order_id)
        ids.append(order_id)
    assert [o.order_id for o in engine.trade_orders("alice")] == ids[:1:-1]
    assert code_of(lambda: engine.order("alice", order_id=ids[0])) == "0211"
    assert code_of(lambda: engine.order("alice", client_order_id="h1")) == "0211"


def test_balances_and_deposit() -> None:
    engine = make_engine()
    assert {b.asset for b in engine.balances("alice")} == set(START)
    (event,) = engine.deposit("alice", "ETH", D("3"), T0)
    assert isinstance(event, BalanceUpdate) and event.account_id == "alice"
    assert [(b.asset, b.free, b.locked) for b in event.balances] == [("ETH", D("3"), D(0))]
    assert code_of(lambda: engine.balances("nobody")) == "-1160"


def test_market_data_views() -> None:
    engine = make_engine()
    engine.place("alice", limit(Side.BUY, "99", "1"), T0)
    engine.place("alice", limit(Side.BUY, "99", "2"), T0)
    engine.place("bob", limit(Side.SELL, "101", "1"), T0)
    snap = engine.snapshot("BTCUSDT", T0 + 3)
    assert (snap.bids, snap.asks, snap.time_ms) == (((D("99"), D("3")),), ((D("101"), D("1")),), T0 + 3)
    assert engine.symbols == ["BTCUSDT", "BTCUSD"]
    assert engine.instrument("BTCUSDT") is BTCUSDT
    assert [f.symbol for f in engine.fee_schedules(["BTCUSD", "NOPE"])] == ["BTCUSD"]
    assert len(engine.fee_schedules()) == 2
    assert engine.last_price("BTCUSDT") is None
    assert code_of(lambda: engine.snapshot("NOPE", T0)) == "0201"


def test_engine_needs_a_fee_schedule_per_symbol() -> None:
    with pytest.raises(ValueError, match="no fee schedule"):
        MatchingEngine([BTCUSDT], [], id_seed=1)
    fees = FeeSchedule.token_token(BTCUSDT, D("0.001"), D("0.001"))
    assert MatchingEngine([BTCUSDT], [fees], id_seed=1).fee_account_id == "fee-collector"


# Batches


def test_place_batch_answers_each_order_alone() -> None:
    engine = make_engine()
    results = engine.place_batch("alice", [limit(Side.BUY, "100", "1"), limit(Side.BUY, "0", "1")], T0)
    first, second = results
    assert not isinstance(first, DemoError) and first.order.is_open
    assert isinstance(second, DemoError) and second.code == "0001"
    too_many = [limit(Side.BUY, "100", "1")] * 21
    assert code_of(lambda: engine.place_batch("alice", too_many, T0)) == "-2022"
    mixed = [limit(Side.BUY, "100", "1"), limit(Side.BUY, "100", "1", symbol="BTCUSD")]
    assert code_of(lambda: engine.place_batch("alice", mixed, T0)) == "-1130"


# Events


def test_events_of_a_resting_order() -> None:
    engine = make_engine()
    result = engine.place("alice", limit(Side.BUY, "100", "1"), T0)
    new, book, balances = result.events
    assert isinstance(new, ExecutionReport) and new.order.status is OrderStatus.NEW and new.last_qty == 0
    assert new.event_ms == T0 and new.execution_id == ""
    assert book == BookChanged("BTCUSDT", T0)
    assert isinstance(balances, BalanceUpdate) and balances.account_id == "alice"
    assert [(b.asset, b.locked) for b in balances.balances] == [("USDT", D("100"))]


def test_events_of_a_match() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "2"), T0)
    result = engine.place("alice", limit(Side.BUY, "100", "1"), T0 + 1)
    kinds = [type(e).__name__ for e in result.events]
    assert kinds == [
        "ExecutionReport",  # taker NEW
        "ExecutionReport",  # maker fill
        "TicketInfo",
        "ExecutionReport",  # taker fill
        "TicketInfo",
        "PublicTrade",
        "BookChanged",
        "BalanceUpdate",
        "BalanceUpdate",
        "BalanceUpdate",
    ]
    reports = [e for e in result.events if isinstance(e, ExecutionReport)]
    maker_report, taker_report = reports[1], reports[2]
    assert maker_report.account_id == "bob" and maker_report.is_maker
    assert maker_report.order.status is OrderStatus.PARTIALLY_FILLED
    assert (maker_report.last_qty, maker_report.last_price) == (D("1"), D("100"))
    assert maker_report.commission_asset == "USDT" and maker_report.commission == D("0.1")
    assert taker_report.account_id == "alice" and not taker_report.is_maker
    assert taker_report.order.status is OrderStatus.FILLED and taker_report.commission_asset == "BTC"
    tickets = [e for e in result.events if isinstance(e, TicketInfo)]
    assert {t.account_id for t in tickets} == {"alice", "bob"}
    assert tickets[0].trade.ticket_id == tickets[1].trade.ticket_id and tickets[0].event_ms == T0 + 1
    assert maker_report.execution_id == tickets[0].trade.trade_id
    updated = {e.account_id for e in result.events if isinstance(e, BalanceUpdate)}
    assert updated == {"alice", "bob", engine.fee_account_id}


def test_events_of_a_cancelled_rest() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    result = engine.place("alice", market(Side.BUY, qty="2"), T0)
    last = [e for e in result.events if isinstance(e, ExecutionReport)][-1]
    assert last.order.status is OrderStatus.PARTIALLY_CANCELED and last.order.ord_cxl_reason == "RISKLIMIT_CANCEL"
    assert last.last_qty == 0


def test_cancel_events() -> None:
    engine = make_engine()
    order_id = engine.place("alice", limit(Side.BUY, "100", "1"), T0).order.order_id
    events = engine.cancel("alice", T0 + 1, order_id=order_id).events
    report, book, balances = events
    assert isinstance(report, ExecutionReport) and report.order.status is OrderStatus.CANCELED
    assert report.order.ord_cxl_reason == "USER_CANCEL"
    assert isinstance(book, BookChanged) and isinstance(balances, BalanceUpdate)
    assert [(b.asset, b.free, b.locked) for b in balances.balances] == [("USDT", START["USDT"], D(0))]


def test_a_refused_order_produces_no_events_and_leaves_no_trace() -> None:
    engine = make_engine()
    with pytest.raises(DemoError):
        engine.place("alice", limit(Side.BUY, "100.001", "1"), T0)
    result = engine.place("alice", limit(Side.BUY, "100", "1"), T0)
    assert [e.account_id for e in result.events if isinstance(e, BalanceUpdate)] == ["alice"]


# Determinism


def script(engine: MatchingEngine) -> list[object]:
    out: list[object] = []
    out.append(engine.place("bob", limit(Side.SELL, "100", "1"), T0))
    out.append(engine.place("carol", limit(Side.SELL, "101", "2"), T0 + 1))
    out.append(engine.place("alice", market(Side.BUY, amount="250"), T0 + 2))
    out.append(engine.place("alice", limit(Side.BUY, "99", "1"), T0 + 3))
    out.append(engine.cancel_all("alice", T0 + 4))
    out.append(engine.account_trades("carol"))
    return out


def test_same_seed_same_inputs_same_everything() -> None:
    first, second = script(make_engine(seed=5)), script(make_engine(seed=5))
    assert first == second
    assert script(make_engine(seed=6)) != first


def test_ids_increase_across_orders_and_trades() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    result = engine.place("alice", limit(Side.BUY, "100", "1"), T0)
    (fill,) = result.fills
    assert int(fill.trade_id) > int(result.order.order_id)
    assert len(result.order.order_id) == 19 and len(fill.ticket_id) == 19


def test_public_trade_is_the_domains() -> None:
    engine = make_engine()
    engine.place("bob", limit(Side.SELL, "100", "1"), T0)
    result = engine.place("alice", market(Side.BUY, qty="1"), T0)
    assert any(isinstance(e, PublicTrade) and e.aggressor is Side.BUY for e in result.events)
