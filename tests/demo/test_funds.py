"""What resting orders keep locked and how one fill moves balances (terminal/demo/funds.py)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from terminal.demo.accounts import Ledger, LedgerError
from terminal.demo.engine import MatchingEngine
from terminal.demo.fees import FeeSchedule
from terminal.demo.funds import resting_need, settle_fill
from terminal.demo.records import OrderRecord
from terminal.domain.enums import OrderType, Side, StpMode, TimeInForce
from tests.demo.factory import BTCUSDT, START, T0, limit

D = Decimal


def test_resting_need() -> None:
    assert resting_need(Side.BUY, D("100"), D("2"), D(0)) == D("200")
    assert resting_need(Side.BUY, D("100"), D("2"), D("0.002")) == D("200.4")
    assert resting_need(Side.SELL, D("100"), D("2"), D(0)) == D("2")
    assert resting_need(Side.SELL, D("100"), D("2"), D("0.5")) == D("3")


def record(side: Side, locked: str, reserve: str = "0") -> OrderRecord:
    return OrderRecord(
        seq=1,
        order_id="1",
        account_id="a",
        symbol="BTCUSDT",
        client_order_id="c",
        side=side,
        type=OrderType.LIMIT,
        time_in_force=TimeInForce.GTC,
        stp_mode=StpMode.EXPIRE_TAKER,
        price=D("100"),
        orig_qty=D("1"),
        req_amount=D(0),
        created_ms=T0,
        avg_quantum=D("0.01"),
        spent_asset="USDT" if side is Side.BUY else "BTC",
        reserve_rate=D(reserve),
        locked=D(locked),
    )


def ledger_with_locked(asset: str, amount: str) -> Ledger:
    ledger = Ledger()
    ledger.open("a", {asset: D(amount)})
    ledger.open("fees")
    ledger.lock("a", asset, D(amount))
    return ledger


def test_settle_a_buy_with_the_fee_in_the_received_asset() -> None:
    ledger = ledger_with_locked("USDT", "100")
    fees = FeeSchedule.token_token(BTCUSDT, D("0.001"), D("0.002"))
    buy = record(Side.BUY, "100")
    assert settle_fill(ledger, fees, "fees", buy, "BTC", "USDT", D("100"), D("1"), is_maker=True) == (D("0.001"), "BTC")
    assert (ledger.locked("a", "USDT"), ledger.free("a", "BTC"), buy.locked) == (D(0), D("0.999"), D(0))
    assert ledger.free("fees", "BTC") == D("0.001")


def test_settle_a_sell_with_the_fee_in_the_spent_asset() -> None:
    ledger = ledger_with_locked("BTC", "1.002")
    fees = FeeSchedule("BTCUSDT", "Token-Token", "BTC", "BTC", "BTC", "BTC", D("0.001"), D("0.002"))
    sell = record(Side.SELL, "1.002", reserve="0.002")
    settle_fill(ledger, fees, "fees", sell, "BTC", "USDT", D("100"), D("1"), is_maker=False)
    assert (ledger.locked("a", "BTC"), ledger.free("a", "USDT"), sell.locked) == (D(0), D("100"), D(0))
    assert ledger.free("fees", "BTC") == D("0.002")


def test_settle_refuses_to_spend_more_than_the_order_holds() -> None:
    ledger = ledger_with_locked("USDT", "1000")
    fees = FeeSchedule.token_token(BTCUSDT, D(0), D(0))
    with pytest.raises(LedgerError):
        settle_fill(ledger, fees, "fees", record(Side.BUY, "50"), "BTC", "USDT", D("100"), D("1"), is_maker=True)


def test_sell_fees_in_base_are_reserved_and_paid_on_top() -> None:
    fees = FeeSchedule("BTCUSDT", "Token-Token", "BTC", "BTC", "BTC", "BTC", D("0.001"), D("0.002"))
    engine = MatchingEngine([BTCUSDT], [fees], id_seed=3)
    engine.open_account("alice", START)
    engine.open_account("bob", START)
    engine.place("alice", limit(Side.SELL, "100", "1"), T0)
    assert engine.ledger.locked("alice", "BTC") == D("1.002")  # may still take: the taker rate
    engine.place("bob", limit(Side.BUY, "100", "1"), T0)
    assert engine.ledger.locked("alice", "BTC") == 0
    assert engine.ledger.free("alice", "BTC") == START["BTC"] - D("1.001")  # it made: the maker rate
    assert engine.ledger.total("BTC") == 2 * START["BTC"]
