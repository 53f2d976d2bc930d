"""The instruments the fake trades and their last prices (moved only by the test: ``set_price``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Instrument:
    symbol: str  # ticker.region, e.g. 700.HK
    name: str
    market: str  # HK | US
    currency: str  # HKD | USD
    lot_size: int


INSTRUMENTS: dict[str, Instrument] = {
    "700.HK": Instrument("700.HK", "TENCENT", "HK", "HKD", 100),
    "9988.HK": Instrument("9988.HK", "BABA-W", "HK", "HKD", 100),
    "AAPL.US": Instrument("AAPL.US", "Apple Inc.", "US", "USD", 1),
    "TSLA.US": Instrument("TSLA.US", "Tesla, Inc.", "US", "USD", 1),
}

DEFAULT_PRICES: dict[str, Decimal] = {
    "700.HK": Decimal("320.00"),
    "9988.HK": Decimal("85.00"),
    "AAPL.US": Decimal("190.00"),
    "TSLA.US": Decimal("250.00"),
}

# HKEX's spread table (part A): price band upper bound -> tick.
HK_SPREADS: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal("0.25"), Decimal("0.001")),
    (Decimal("0.50"), Decimal("0.005")),
    (Decimal("10"), Decimal("0.01")),
    (Decimal("20"), Decimal("0.02")),
    (Decimal("100"), Decimal("0.05")),
    (Decimal("200"), Decimal("0.1")),
    (Decimal("500"), Decimal("0.2")),
    (Decimal("1000"), Decimal("0.5")),
    (Decimal("2000"), Decimal("1")),
    (Decimal("5000"), Decimal("2")),
    (Decimal("9995"), Decimal("5")),
)


def tick_size(instrument: Instrument, price: Decimal) -> Decimal:
    if instrument.market == "US":
        return Decimal("0.01") if price >= 1 else Decimal("0.0001")
    for bound, tick in HK_SPREADS:
        if price <= bound:
            return tick
    return Decimal("5")


class Market:
    def __init__(self, prices: dict[str, Decimal]) -> None:
        self.prices = dict(prices)

    def instrument(self, symbol: str) -> Instrument | None:
        return INSTRUMENTS.get(symbol)

    def last(self, symbol: str) -> Decimal:
        return self.prices[symbol]
