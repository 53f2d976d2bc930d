"""The instruments the fake lists and trades: a few US stocks and a few Hong Kong stocks, with the
tick ladder of each market."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class FakeInstrument:
    symbol: str
    instrument_id: str
    name: str
    category: str  # US_STOCK | HK_STOCK
    market: str  # US | HK (the ``market`` of an order)
    currency: str
    exchange_code: str
    lot_size: Decimal
    start_price: Decimal


INSTRUMENTS: tuple[FakeInstrument, ...] = (
    # 913256135 is AAPL's instrument id in Webull's own documentation examples.
    FakeInstrument("AAPL", "913256135", "APPLE INC", "US_STOCK", "US", "USD", "NSQ", Decimal(1), Decimal("190.00")),
    FakeInstrument(
        "MSFT", "913323997", "MICROSOFT CORP", "US_STOCK", "US", "USD", "NSQ", Decimal(1), Decimal("420.00")
    ),
    FakeInstrument("TSLA", "913255598", "TESLA INC", "US_STOCK", "US", "USD", "NSQ", Decimal(1), Decimal("250.00")),
    FakeInstrument("00700", "913303964", "TENCENT", "HK_STOCK", "HK", "HKD", "SEHK", Decimal(100), Decimal("380.00")),
    FakeInstrument("09988", "913305124", "BABA-W", "HK_STOCK", "HK", "HKD", "SEHK", Decimal(100), Decimal("80.00")),
)

BY_SYMBOL: dict[str, FakeInstrument] = {instrument.symbol: instrument for instrument in INSTRUMENTS}

# Snapshot, depth and bars accept these categories (the market-data reference's enum).
DATA_CATEGORIES: dict[str, str] = {"US_STOCK": "US_STOCK", "US_ETF": "US_STOCK", "HK_STOCK": "HK_STOCK"}
PROFILE_CATEGORIES = frozenset({"US_STOCK", "HK_STOCK", "CN_STOCK"})

# HKEX spread table: (upper bound of the price band, tick inside it).
_HK_LADDER: tuple[tuple[Decimal, Decimal], ...] = (
    (Decimal("0.25"), Decimal("0.001")),
    (Decimal("0.50"), Decimal("0.005")),
    (Decimal(10), Decimal("0.01")),
    (Decimal(20), Decimal("0.02")),
    (Decimal(100), Decimal("0.05")),
    (Decimal(200), Decimal("0.1")),
    (Decimal(500), Decimal("0.2")),
    (Decimal(1000), Decimal("0.5")),
    (Decimal(2000), Decimal(1)),
    (Decimal(5000), Decimal(2)),
    (Decimal(9995), Decimal(5)),
)


def tick_size(market: str, price: Decimal) -> Decimal:
    """The price increment at ``price``: HKEX's spread table in HK, one cent (0.0001 below $1) in the US."""
    if market == "HK":
        for upper, tick in _HK_LADDER:
            if price <= upper:
                return tick
        return Decimal(5)
    return Decimal("0.01") if price >= 1 else Decimal("0.0001")


def on_tick(market: str, price: Decimal) -> bool:
    return price > 0 and price % tick_size(market, price) == 0


def in_category(instrument: FakeInstrument, category: str) -> bool:
    return DATA_CATEGORIES.get(category, category) == instrument.category


def tick_down(market: str, price: Decimal) -> Decimal:
    """The step to the next valid price below ``price``."""
    return tick_size(market, price)


def tick_up(market: str, price: Decimal) -> Decimal:
    """The step to the next valid price above ``price`` (crossing into a coarser band at its edge)."""
    return tick_size(market, price + tick_size(market, price))


def price_places(market: str, price: Decimal) -> int:
    """Decimal places the fake writes a price with: two, more where the tick is finer."""
    return max(2, -tick_size(market, price).as_tuple().exponent)  # type: ignore[operator]


def as_price(market: str, price: Decimal) -> Decimal:
    """``price`` written with :func:`price_places` places (``151`` -> ``151.00``)."""
    return price.quantize(Decimal(1).scaleb(-price_places(market, price)))
