"""What one chart frame draws: the candles of a span of x, in full or aggregated per pixel column.
x is UTC time in seconds; a candle is centred half an interval after its open, so a moment falls inside it."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from terminal.ui.chart.lod import Int64Array, Ohlcv, Pyramid, aggregate, group_starts

FloatArray = npt.NDArray[np.float64]
DENSE_PX = 3.0  # below this many pixels per candle, draw one aggregated bar per pixel column


@dataclass(frozen=True, slots=True)
class Frame:
    """Float arrays ready to draw. ``dense``: one bar per pixel column (``width`` = a column),
    else one candle per row (``width`` = an interval)."""

    x: FloatArray
    open: FloatArray
    high: FloatArray
    low: FloatArray
    close: FloatArray
    volume: FloatArray
    width: float
    dense: bool
    x0: float  # the span of x this frame covers
    x1: float
    pixel: float = 0.0  # the x units per pixel column it was built for

    def __len__(self) -> int:
        return len(self.x)

    def within(self, x0: float, x1: float) -> npt.NDArray[np.bool_]:
        half = 0.5 * self.width
        return (self.x + half >= x0) & (self.x - half <= x1)


@dataclass(frozen=True, slots=True)
class Source:
    """The closed rows of a series as the frame needs them."""

    times: Int64Array  # open times, ms
    rows: Ohlcv
    pyramid: Pyramid
    slot_ms: int  # nominal interval length
    price_quantum: float
    qty_quantum: float

    def centre(self, open_ms: Int64Array | int) -> FloatArray:
        return (np.asarray(open_ms, dtype=np.float64) + 0.5 * self.slot_ms) / 1000.0


_MS_LIMIT = 2**62  # far beyond any open time, well inside int64


def ms_at_or_before(seconds: float) -> int:
    """The last whole millisecond at or before ``seconds``: searching int64 times with a float would
    convert the whole column to floats first (8 MB and milliseconds of work per search at 1M rows)."""
    return max(-_MS_LIMIT, min(_MS_LIMIT, math.floor(seconds * 1000.0)))


def ms_at_or_after(seconds: float) -> int:
    return max(-_MS_LIMIT, min(_MS_LIMIT, math.ceil(seconds * 1000.0)))


def _scaled(values: Int64Array, quantum: float) -> FloatArray:
    return np.multiply(values, quantum, dtype=np.float64)


def empty_frame(x0: float, x1: float, width: float, pixel: float) -> Frame:
    nothing = np.zeros(0, dtype=np.float64)
    return Frame(nothing, nothing, nothing, nothing, nothing, nothing, width, False, x0, x1, pixel)


def build_frame(source: Source, x0: float, x1: float, pixel: float) -> Frame:
    """The rows between x0 and x1 (seconds), where ``pixel`` seconds make one pixel column."""
    slot = source.slot_ms / 1000.0
    times = source.times
    if len(times) == 0 or x1 <= x0:
        return empty_frame(x0, x1, slot, pixel)
    first = int(np.searchsorted(times, ms_at_or_after(x0 - slot), side="left"))
    stop = int(np.searchsorted(times, ms_at_or_before(x1 + slot), side="right"))
    first = max(0, first - 1)
    stop = min(len(times), stop)
    if stop <= first:
        return empty_frame(x0, x1, slot, pixel)
    pq, qq = source.price_quantum, source.qty_quantum
    if pixel <= 0 or slot / pixel >= DENSE_PX:
        rows = source.rows.slice(first, stop)
        return Frame(
            source.centre(times[first:stop]),
            _scaled(rows.open, pq),
            _scaled(rows.high, pq),
            _scaled(rows.low, pq),
            _scaled(rows.close, pq),
            _scaled(rows.volume, qq),
            slot,
            False,
            x0,
            x1,
            pixel,
        )
    # Dense: pick the finest level with no more than one bucket per pixel on average, then merge
    # whatever still shares a pixel column. Columns sit on a fixed grid, so a pan moves them whole.
    per_pixel = pixel / slot
    k = min(source.pyramid.depth, max(0, math.floor(math.log2(per_pixel)))) if per_pixel >= 1 else 0
    if k == 0:
        buckets = source.rows.slice(first, stop)
        bucket_times = times[first:stop]
    else:
        lo, hi = first >> k, min(source.pyramid.level(k).open.shape[0], -(-stop >> k))
        buckets = source.pyramid.level(k).slice(lo, hi)
        bucket_times = times[np.arange(lo, hi, dtype=np.int64) << k]
    columns = np.floor(source.centre(bucket_times) / pixel).astype(np.int64)
    starts = group_starts(columns)
    merged = aggregate(buckets, starts)
    return Frame(
        (columns[starts].astype(np.float64) + 0.5) * pixel,
        _scaled(merged.open, pq),
        _scaled(merged.high, pq),
        _scaled(merged.low, pq),
        _scaled(merged.close, pq),
        _scaled(merged.volume, qq),
        pixel,
        True,
        x0,
        x1,
        pixel,
    )
