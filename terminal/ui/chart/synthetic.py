"""Generated candle series (a seeded random walk, no network), for chart tests and benchmarks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from terminal.domain.candles import CandleColumns, CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle

END_MS = 1_767_225_600_000  # 2026-01-01 00:00 UTC


def synthetic_columns(
    count: int, interval: Interval = Interval.M1, *, seed: int = 1, end_ms: int = END_MS
) -> CandleColumns:
    """``count`` consecutive candles ending before ``end_ms`` as integer columns: prices around
    9,000,000 ticks, volumes up to 100,000 steps (for intervals of fixed length: not 1M)."""
    rng = np.random.default_rng(seed)
    close = 9_000_000 + np.cumsum(rng.integers(-500, 501, count))
    opens = np.concatenate((close[:1], close[:-1]))
    high = np.maximum(opens, close) + rng.integers(0, 300, count)
    low = np.minimum(opens, close) - rng.integers(0, 300, count)
    volume = rng.integers(1, 100_000, count)
    slot = interval.nominal_ms
    start = interval.open_time(end_ms) - count * slot
    times = start + slot * np.arange(count, dtype=np.int64)
    return CandleColumns(times, opens, high, low, close, volume)


def synthetic_candles(
    count: int,
    interval: Interval = Interval.M1,
    *,
    seed: int = 1,
    end_ms: int = END_MS,
    tick: Decimal = Decimal("0.01"),
    step: Decimal = Decimal("0.0001"),
) -> list[Candle]:
    """The candles of ``synthetic_columns``, around 90,000 in ``tick`` units."""
    c = synthetic_columns(count, interval, seed=seed, end_ms=end_ms)
    return [
        Candle(
            int(c.time[i]),
            Decimal(int(c.open[i])) * tick,
            Decimal(int(c.high[i])) * tick,
            Decimal(int(c.low[i])) * tick,
            Decimal(int(c.close[i])) * tick,
            Decimal(int(c.volume[i])) * step,
        )
        for i in range(count)
    ]


def synthetic_series(
    count: int,
    interval: Interval = Interval.M1,
    *,
    seed: int = 1,
    tick: Decimal = Decimal("0.01"),
    step: Decimal = Decimal("0.0001"),
) -> CandleSeries:
    """The same candles loaded in bulk (exactly equal to merging ``synthetic_candles``)."""
    return CandleSeries.from_columns("SYNTH", interval, tick, step, synthetic_columns(count, interval, seed=seed))
