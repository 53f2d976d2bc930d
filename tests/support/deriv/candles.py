"""Candles for ticks_history and ohlc: aggregated from the ticks where there are ticks, and before the first tick
a synthetic series seeded by (seed, symbol, granularity) that joins it, so any count up to 5000 comes back full."""

from __future__ import annotations

import math
import random
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from tests.support.deriv.market import Market, Tick
from tests.support.deriv.symbols import Symbol


@dataclass(frozen=True, slots=True)
class Candle:
    open_time: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal


def aggregate(ticks: Sequence[Tick], granularity: int) -> list[Candle]:
    """One candle per bucket that holds ticks (ticks oldest first)."""
    candles: list[Candle] = []
    for tick in ticks:
        bucket = tick.epoch - tick.epoch % granularity
        if candles and candles[-1].open_time == bucket:
            last = candles[-1]
            candles[-1] = Candle(bucket, last.open, max(last.high, tick.quote), min(last.low, tick.quote), tick.quote)
        else:
            candles.append(Candle(bucket, tick.quote, tick.quote, tick.quote, tick.quote))
    return candles


class _Synthetic:
    """Candles going back in time from the first tick: the j-th one (j >= 1) closes where the (j-1)-th opens."""

    def __init__(self, symbol: Symbol, seed: int, granularity: int, anchor: Tick) -> None:
        self._symbol = symbol
        self._rng = random.Random(f"{seed}:{symbol.code}:{granularity}")
        # The walk of `granularity / tick_seconds` ticks spreads like one step of this deviation.
        self._sigma = symbol.sigma * math.sqrt(granularity / symbol.tick_seconds)
        self._granularity = granularity
        self._first_bucket = anchor.epoch - anchor.epoch % granularity
        self._next_close = anchor.quote
        self.series: list[Candle] = []  # series[j - 1] is the j-th candle back

    def extend_to(self, count: int) -> None:
        while len(self.series) < count:
            close = self._next_close
            level = float(close)
            opened = level * math.exp(-self._rng.gauss(0.0, self._sigma))
            high = max(level, opened) * math.exp(abs(self._rng.gauss(0.0, self._sigma / 2)))
            low = min(level, opened) * math.exp(-abs(self._rng.gauss(0.0, self._sigma / 2)))
            open_price = self._symbol.round(opened)
            open_time = self._first_bucket - (len(self.series) + 1) * self._granularity
            candle = Candle(open_time, open_price, max(self._symbol.round(high), open_price, close),
                            min(self._symbol.round(low), open_price, close), close)  # fmt: skip
            self.series.append(candle)
            self._next_close = open_price


class CandleBook:
    def __init__(self, market: Market) -> None:
        self._market = market
        self._synthetic: dict[tuple[str, int], _Synthetic] = {}
        self._live: dict[tuple[str, int], tuple[int, Candle]] = {}  # (ticks consumed, current candle)

    def candles(self, code: str, granularity: int, end: int, count: int, start: int = 0) -> list[Candle]:
        """The last ``count`` candles whose bucket starts at or after ``start``'s bucket and at or before ``end``,
        oldest first; the candle holding ``end`` counts only ticks up to ``end``."""
        ticks = self._market.ticks(code)
        end = min(end, ticks[-1].epoch)  # a bucket no tick has reached yet has no candle
        first_bucket = ticks[0].epoch - ticks[0].epoch % granularity
        end_bucket = end - end % granularity
        lowest = max(end_bucket - (count - 1) * granularity, start - start % granularity, granularity)
        real: list[Candle] = []
        if end_bucket >= first_bucket:
            low = bisect_left(ticks, max(lowest, first_bucket), key=_epoch)
            high = bisect_right(ticks, end, key=_epoch)
            real = aggregate(ticks[low:high], granularity)
        synthetic: list[Candle] = []
        newest_synthetic = min(end_bucket, first_bucket - granularity)
        if lowest <= newest_synthetic:
            series = self._series(code, granularity)
            near, far = (first_bucket - newest_synthetic) // granularity, (first_bucket - lowest) // granularity
            series.extend_to(far)
            synthetic = list(reversed(series.series[near - 1 : far]))
        return (synthetic + real)[-count:]

    def live(self, code: str, granularity: int) -> Candle:
        """The candle holding the last tick, kept up to date incrementally (equal to what candles() returns)."""
        ticks = self._market.ticks(code)
        key = (code, granularity)
        if key not in self._live:
            last = ticks[-1].epoch
            low = bisect_left(ticks, last - last % granularity, key=_epoch)
            self._live[key] = (len(ticks), aggregate(ticks[low:], granularity)[-1])
        consumed, candle = self._live[key]
        for tick in ticks[consumed:]:
            bucket = tick.epoch - tick.epoch % granularity
            if bucket == candle.open_time:
                candle = Candle(
                    bucket, candle.open, max(candle.high, tick.quote), min(candle.low, tick.quote), tick.quote
                )
            else:
                candle = Candle(bucket, tick.quote, tick.quote, tick.quote, tick.quote)
        self._live[key] = (len(ticks), candle)
        return candle

    def _series(self, code: str, granularity: int) -> _Synthetic:
        key = (code, granularity)
        if key not in self._synthetic:
            symbol = self._market.symbol(code)
            self._synthetic[key] = _Synthetic(symbol, self._market.seed, granularity, self._market.first(code))
        return self._synthetic[key]


def _epoch(tick: Tick) -> int:
    return tick.epoch
