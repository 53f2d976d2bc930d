"""Holdings, accounts and order estimates of stock brokers (terminal/domain/securities.py)."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.securities import BrokerageAccount, Position

D = Decimal


def test_profit_and_loss_of_a_holding_are_exact() -> None:
    held = Position("AAPL", D(10), D("150.125"), D("162.37"), D("1623.70"), "USD")
    assert held.cost == D("1501.250")
    assert held.unrealized_pnl == D("122.450")
    assert held.unrealized_pnl_ratio == D("122.450") / D("1501.250")


def test_a_losing_holding_has_a_negative_profit() -> None:
    held = Position("00700", D(100), D("400"), D("380"), D("38000"), "HKD")
    assert held.unrealized_pnl == D(-2000)
    assert held.unrealized_pnl_ratio == D("-0.05")


def test_a_holding_that_cost_nothing_has_no_ratio() -> None:
    assert Position("GIFT", D(5), D(0), D(10), D(50)).unrealized_pnl_ratio is None


def test_what_may_be_sold_is_the_available_quantity_when_the_venue_gives_it() -> None:
    assert Position("AAPL", D(10), D(1), D(1), D(10)).sellable == D(10)
    assert Position("AAPL", D(10), D(1), D(1), D(10), available=D(4)).sellable == D(4)


def test_an_account_is_described_by_what_the_user_recognises() -> None:
    assert BrokerageAccount("ACC-1", "Individual", "CASH", "USD").describe() == "Individual · CASH · USD"
    assert BrokerageAccount("ACC-2").describe() == "ACC-2"
