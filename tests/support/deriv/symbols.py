"""The five underlyings the test server lists: three synthetic indices, an open and a closed forex pair."""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

from tests.support.deriv.wire import DerivError

# One tick's log-return deviation for a yearly volatility at a tick every `seconds` seconds.
_YEAR_SECONDS = 365 * 86400


def _per_tick(yearly: float, seconds: int) -> float:
    return yearly / math.sqrt(_YEAR_SECONDS / seconds)


@dataclass(frozen=True)
class Symbol:
    """An underlying as active_symbols describes it, plus how its synthetic price moves."""

    code: str
    display_name: str
    market: str
    market_display_name: str
    submarket: str
    submarket_display_name: str
    subgroup: str
    subgroup_display_name: str
    symbol_type: str
    pip: Decimal
    base_price: Decimal
    sigma: float  # one tick's log-return standard deviation
    tick_seconds: int  # the real cadence: history spacing, and the clock the pricing model counts in
    display_order: int
    is_open: bool = True
    offers_ticks: bool = True  # tick-duration and digit contracts: Deriv offers them on synthetics only
    exchange_name: str = "RANDOM"
    quoted_currency_symbol: str = ""

    @property
    def pip_size(self) -> int:
        """Decimals of a quote (Deriv's ``pip_size``: 2 for a pip of 0.01)."""
        exponent = self.pip.as_tuple().exponent
        return -exponent if isinstance(exponent, int) else 0

    def round(self, value: float) -> Decimal:
        return Decimal(repr(value)).quantize(self.pip)

    def format(self, price: Decimal) -> str:
        return f"{price:.{self.pip_size}f}"


def _synthetic(code: str, name: str, base: str, yearly: float, seconds: int, order: int) -> Symbol:
    return Symbol(
        code=code,
        display_name=name,
        market="synthetic_index",
        market_display_name="Derived",
        submarket="random_index",
        submarket_display_name="Continuous Indices",
        subgroup="synthetics",
        subgroup_display_name="Synthetics",
        symbol_type="stockindex",
        pip=Decimal("0.01"),
        base_price=Decimal(base),
        sigma=_per_tick(yearly, seconds),
        tick_seconds=seconds,
        display_order=order,
    )


def _forex(code: str, name: str, pip: str, base: str, order: int, *, is_open: bool) -> Symbol:
    return Symbol(
        code=code,
        display_name=name,
        market="forex",
        market_display_name="Forex",
        submarket="major_pairs",
        submarket_display_name="Major Pairs",
        subgroup="none",
        subgroup_display_name="None",
        symbol_type="forex",
        pip=Decimal(pip),
        base_price=Decimal(base),
        sigma=_per_tick(0.07, 2),
        tick_seconds=2,
        display_order=order,
        is_open=is_open,
        offers_ticks=False,
        exchange_name="FOREX",
        quoted_currency_symbol=name.split("/")[1],
    )


SYMBOLS: dict[str, Symbol] = {
    symbol.code: symbol
    for symbol in (
        _synthetic("R_100", "Volatility 100 Index", "1234.56", 1.0, 2, 0),
        _synthetic("R_50", "Volatility 50 Index", "245.67", 0.5, 2, 1),
        _synthetic("1HZ100V", "Volatility 100 (1s) Index", "876.54", 1.0, 1, 2),
        _forex("frxEURUSD", "EUR/USD", "0.00001", "1.08523", 3, is_open=True),
        # A closed market: its history exists, no live ticks come, and nothing can be streamed or bought.
        _forex("frxUSDJPY", "USD/JPY", "0.001", "151.234", 4, is_open=False),
    )
}


def find_symbol(code: str) -> Symbol:
    symbol = SYMBOLS.get(code)
    if symbol is None:
        raise DerivError("InvalidSymbol", f"Symbol {code} is invalid.")
    return symbol
