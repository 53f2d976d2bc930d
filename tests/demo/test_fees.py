"""Fee rates and currencies per symbol (terminal/demo/fees.py)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from terminal.demo.fees import FeeSchedule
from terminal.domain.enums import Side
from tests.demo.factory import BTCUSD, BTCUSDT

D = Decimal


def test_token_token_charges_what_each_side_receives() -> None:
    # 004, "Get VIP Information": BTCUSDT buy fees in BTC, sell fees in USDT.
    fees = FeeSchedule.token_token(BTCUSDT, D("0.001"), D("0.002"))
    assert fees.product_type == "Token-Token"
    assert fees.currency(Side.BUY, True) == fees.currency(Side.BUY, False) == "BTC"
    assert fees.currency(Side.SELL, True) == fees.currency(Side.SELL, False) == "USDT"
    assert (fees.rate(True), fees.rate(False)) == (D("0.001"), D("0.002"))
    assert fees.reserve_rate(Side.BUY, "USDT", may_make=True, may_take=True) == 0
    assert fees.reserve_rate(Side.SELL, "BTC", may_make=True, may_take=True) == 0


def test_token_fiat_charges_quote_and_buys_reserve_it() -> None:
    # 004: BTCHKD charges "HKD" for every side and role.
    fees = FeeSchedule.token_fiat(BTCUSD, D("0.001"), D("0.002"))
    assert {fees.currency(side, maker) for side in Side for maker in (True, False)} == {"USD"}
    assert fees.reserve_rate(Side.BUY, "USD", may_make=True, may_take=True) == D("0.002")
    assert fees.reserve_rate(Side.BUY, "USD", may_make=True, may_take=False) == D("0.001")
    assert fees.reserve_rate(Side.SELL, "BTC", may_make=True, may_take=True) == 0


def test_check_refuses_foreign_currency_and_negative_rates() -> None:
    fees = FeeSchedule.token_token(BTCUSDT, D("0.001"), D("0.002"))
    fees.check(BTCUSDT)
    with pytest.raises(ValueError, match="charges"):
        replace(fees, sell_maker_fee_currency="HSK").check(BTCUSDT)
    with pytest.raises(ValueError, match="charges"):
        fees.check(BTCUSD)
    with pytest.raises(ValueError, match="must lie in"):
        replace(fees, actual_maker_rate=D("-0.0001")).check(BTCUSDT)
    with pytest.raises(ValueError, match="must lie in"):
        replace(fees, actual_taker_rate=D("1")).check(BTCUSDT)
