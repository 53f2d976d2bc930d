"""Free and locked balances that never go negative (terminal/demo/accounts.py)."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from terminal.demo.accounts import Ledger, LedgerError
from terminal.domain.balance import Balance

D = Decimal


def ledger_with(amount: str = "100") -> Ledger:
    ledger = Ledger()
    ledger.open("a", {"USDT": D(amount)})
    ledger.open("b")
    return ledger


def test_open_with_starting_balances() -> None:
    ledger = Ledger()
    ledger.open("a", {"BTC": D("1.5"), "USDT": D("100")})
    assert ledger.balances("a") == [Balance.of("BTC", D("1.5"), D(0)), Balance.of("USDT", D("100"), D(0))]
    assert ledger.has("a") and not ledger.has("z")
    assert ledger.account_ids() == ["a"]


def test_open_twice_is_an_error() -> None:
    ledger = ledger_with()
    with pytest.raises(LedgerError):
        ledger.open("a")


def test_unknown_account_is_an_error() -> None:
    with pytest.raises(LedgerError):
        Ledger().free("nobody", "BTC")


def test_lock_unlock_spend_credit() -> None:
    ledger = ledger_with()
    ledger.lock("a", "USDT", D("30"))
    assert (ledger.free("a", "USDT"), ledger.locked("a", "USDT")) == (D("70"), D("30"))
    ledger.unlock("a", "USDT", D("10"))
    assert (ledger.free("a", "USDT"), ledger.locked("a", "USDT")) == (D("80"), D("20"))
    ledger.spend_locked("a", "USDT", D("20"))
    ledger.credit("b", "USDT", D("20"))
    assert (ledger.free("a", "USDT"), ledger.locked("a", "USDT")) == (D("80"), D(0))
    assert ledger.free("b", "USDT") == D("20")
    assert ledger.total("USDT") == D("100")


@pytest.mark.parametrize(
    "step",
    [
        lambda ledger: ledger.lock("a", "USDT", D("100.01")),
        lambda ledger: ledger.unlock("a", "USDT", D("0.01")),
        lambda ledger: ledger.spend_locked("a", "USDT", D("0.01")),
        lambda ledger: ledger.credit("a", "USDT", D("-1")),
        lambda ledger: ledger.lock("a", "USDT", D("NaN")),
    ],
)
def test_misuse_raises_and_changes_nothing(step: object) -> None:
    ledger = ledger_with()
    assert callable(step)
    with pytest.raises(LedgerError):
        step(ledger)
    assert (ledger.free("a", "USDT"), ledger.locked("a", "USDT")) == (D("100"), D(0))


def test_touched_assets_are_reported_once() -> None:
    ledger = ledger_with()
    assert ledger.drain_touched() == {}  # starting balances are not a change
    ledger.lock("a", "USDT", D("1"))
    ledger.credit("b", "BTC", D("1"))
    ledger.credit("b", "ETH", D("0"))  # moves nothing, touches nothing
    assert ledger.drain_touched() == {"a": ["USDT"], "b": ["BTC"]}
    assert ledger.drain_touched() == {}


def test_balances_of_named_assets_include_unheld_ones() -> None:
    ledger = ledger_with()
    assert ledger.balances("a", ["ETH"]) == [Balance.of("ETH", D(0), D(0))]


def test_sums_are_exact_beyond_28_digits() -> None:
    ledger = Ledger()
    ledger.open("a", {"USDT": D("123456789012345678901234567890")})
    ledger.credit("a", "USDT", D("0.000000000000000000001"))
    assert ledger.free("a", "USDT") == D("123456789012345678901234567890.000000000000000000001")


amounts = st.decimals(min_value=0, max_value=1000, places=4, allow_nan=False, allow_infinity=False)


@given(st.lists(st.tuples(st.sampled_from(["lock", "unlock", "spend", "credit"]), amounts), max_size=40))
def test_balances_never_go_negative(steps: list[tuple[str, Decimal]]) -> None:
    ledger = ledger_with()
    for kind, amount in steps:
        step = {"lock": ledger.lock, "unlock": ledger.unlock, "spend": ledger.spend_locked, "credit": ledger.credit}
        with contextlib.suppress(LedgerError):
            step[kind]("a", "USDT", amount)
        assert ledger.free("a", "USDT") >= 0
        assert ledger.locked("a", "USDT") >= 0
