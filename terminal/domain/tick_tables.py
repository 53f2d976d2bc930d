"""Stock exchanges' price steps (tick tables), as ``PriceFilter`` ladders: where the tick depends on
the price, every venue that trades the exchange's stocks applies the same table."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.instrument import PriceFilter

# HKEX spread table: (upper bound of the price band, tick inside it); HK_TOP_TICK above 5,000.
HK_LADDER: tuple[tuple[Decimal, Decimal], ...] = (
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
)
HK_TOP_TICK = Decimal(5)
# US stocks: one cent, 0.0001 below one dollar (Regulation NMS rule 612).
US_LADDER: tuple[tuple[Decimal, Decimal], ...] = ((Decimal("0.9999"), Decimal("0.0001")),)
US_TOP_TICK = Decimal("0.01")


def hk_price_filter(price: Decimal | None = None) -> PriceFilter:
    """HKEX's table; ``tick_size`` is the tick at ``price``, else the finest (a multiple of every other)."""
    rule = PriceFilter(tick_size=HK_LADDER[0][1], ladder=HK_LADDER, top_tick=HK_TOP_TICK)
    return rule if price is None else PriceFilter(rule.tick_at(price), ladder=HK_LADDER, top_tick=HK_TOP_TICK)


def us_price_filter(price: Decimal | None = None) -> PriceFilter:
    """The US cent (0.0001 below one dollar); ``tick_size`` is the tick at ``price``, else the cent."""
    rule = PriceFilter(tick_size=US_TOP_TICK, ladder=US_LADDER, top_tick=US_TOP_TICK)
    return rule if price is None else PriceFilter(rule.tick_at(price), ladder=US_LADDER, top_tick=US_TOP_TICK)
