"""Historical bars (K-lines) drawn backwards from the current price: the newest bar closes at the last
price, each bar opens where the one before it closed, and a bar's shape depends only on the seed."""

from __future__ import annotations

import random
from dataclasses import dataclass
from decimal import Decimal

from tests.support.webull.market import Quote

# BatchBarRequest.timespan (webull/data/common/timespan.py); M and Y taken as 30 and 365 days.
TIMESPANS: dict[str, int] = {
    "S5": 5,
    "S15": 15,
    "M1": 60,
    "M5": 300,
    "M15": 900,
    "M30": 1800,
    "M60": 3600,
    "M120": 7200,
    "M240": 14400,
    "D": 86400,
    "W": 7 * 86400,
    "M": 30 * 86400,
    "Y": 365 * 86400,
}
DEFAULT_COUNT = 200
# "Number of bars, default 200, maximum limit 1200 (M1 supports up to 1650)."
MAX_COUNT = 1200
MAX_COUNT_M1 = 1650


@dataclass(frozen=True)
class Bar:
    start: float
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: int


def max_count(timespan: str) -> int:
    return MAX_COUNT_M1 if timespan == "M1" else MAX_COUNT


def bars_ending(quote: Quote, timespan: str, count: int, end: float, seed: int) -> list[Bar]:
    """``count`` bars of ``timespan``, newest first, the newest being the bucket that holds ``end``."""
    seconds = TIMESPANS[timespan]
    last_bucket = int(end // seconds)
    close = quote.price
    bars: list[Bar] = []
    for index in range(count):
        bucket = last_bucket - index
        rng = random.Random(f"{seed}:{quote.instrument.symbol}:{timespan}:{bucket}")
        move = rng.randint(-6, 6)
        open_ = quote.above(close, move) if move > 0 else quote.below(close, -move)
        if quote.below(open_, 4) <= 0:
            open_ = close
        high = quote.above(max(open_, close), rng.randint(0, 3))
        low = quote.below(min(open_, close), rng.randint(0, 3))
        if low <= 0:
            low = min(open_, close)
        volume = rng.randint(100, 10_000) * int(quote.instrument.lot_size)
        bars.append(Bar(float(bucket * seconds), open_, high, low, close, volume))
        close = open_
    return bars
