"""Generated candle series (a seeded random walk, no network), for chart tests and benchmarks."""

from __future__ import annotations

from decimal import Decimal

import numpy as np

from terminal.domain.candles import CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle


def synthetic_candles(
    count: int,
    interval: Interval = Interval.M1,
    *,
    seed: int = 1,
    end_ms: int = 1_767_225_600_000,  # 2026-01-01 00:00 UTC
    tick: Decimal = Decimal("0.01"),
    step: Decimal = Decimal("0.0001"),
) -> list[Candle]:
    """``count`` consecutive candles ending before ``end_ms``, around 90,000 in ``tick`` units (for
    intervals of fixed length: not 1M)."""
    rng = np.random.default_rng(seed)
    close = 9_000_000 + np.cumsum(rng.integers(-500, 501, count))
    opens = np.concatenate((close[:1], close[:-1]))
    high = np.maximum(opens, close) + rng.integers(0, 300, count)
    low = np.minimum(opens, close) - rng.integers(0, 300, count)
    volume = rng.integers(1, 100_000, count)
    slot = interval.nominal_ms
    start = interval.open_time(end_ms) - count * slot
    return [
        Candle(
            start + i * slot,
            Decimal(int(opens[i])) * tick,
            Decimal(int(high[i])) * tick,
            Decimal(int(low[i])) * tick,
            Decimal(int(close[i])) * tick,
            Decimal(int(volume[i])) * step,
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
    series = CandleSeries("SYNTH", interval, tick, step)
    series.merge(synthetic_candles(count, interval, seed=seed, tick=tick, step=step))
    return series
