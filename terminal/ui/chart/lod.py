"""Level of detail for long histories, in pure numpy: OHLCV aggregated over runs of rows, and a pyramid
of 2, 4, 8, ... row buckets (built in O(n), refreshed at its tail in O(log n)) for zoomed-out frames."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

Int64Array = npt.NDArray[np.int64]
FIELDS = ("open", "high", "low", "close", "volume")


@dataclass(frozen=True, slots=True)
class Ohlcv:
    """Equal-length integer columns (exact units of a CandleSeries): one row per candle or bucket."""

    open: Int64Array
    high: Int64Array
    low: Int64Array
    close: Int64Array
    volume: Int64Array

    def __len__(self) -> int:
        return len(self.open)

    def slice(self, start: int, stop: int) -> Ohlcv:
        return Ohlcv(
            self.open[start:stop],
            self.high[start:stop],
            self.low[start:stop],
            self.close[start:stop],
            self.volume[start:stop],
        )


def aggregate(rows: Ohlcv, starts: Int64Array) -> Ohlcv:
    """One bucket per entry of ``starts`` (increasing row indices, the first 0): bucket g holds rows
    ``starts[g]`` up to the next start (or the end). Open of the first row, close of the last."""
    if len(starts) == 0 or len(rows) == 0:
        empty = np.zeros(0, dtype=np.int64)
        return Ohlcv(empty, empty, empty, empty, empty)
    last = np.empty(len(starts), dtype=np.int64)
    last[:-1] = starts[1:] - 1
    last[-1] = len(rows) - 1
    return Ohlcv(
        rows.open[starts],
        np.maximum.reduceat(rows.high, starts),
        np.minimum.reduceat(rows.low, starts),
        rows.close[last],
        np.add.reduceat(rows.volume, starts),
    )


def group_starts(keys: npt.NDArray[np.int64]) -> Int64Array:
    """Where each run of equal values begins in a sorted ``keys`` (e.g. the pixel column of each row)."""
    if len(keys) == 0:
        return np.zeros(0, dtype=np.int64)
    changes = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    return np.concatenate((np.zeros(1, dtype=np.int64), changes.astype(np.int64)))


class _Level:
    """Growable storage of one pyramid level (five columns share one 2-D buffer)."""

    def __init__(self) -> None:
        self._buffer = np.zeros((5, 64), dtype=np.int64)
        self.size = 0

    def view(self) -> Ohlcv:
        b = self._buffer[:, : self.size]
        return Ohlcv(b[0], b[1], b[2], b[3], b[4])

    def write(self, at: int, rows: Ohlcv) -> None:
        """Replace everything from bucket ``at`` on with ``rows``."""
        size = at + len(rows)
        if size > self._buffer.shape[1]:
            bigger = np.zeros((5, max(size, 2 * self._buffer.shape[1])), dtype=np.int64)
            bigger[:, : self.size] = self._buffer[:, : self.size]
            self._buffer = bigger
        for i, column in enumerate((rows.open, rows.high, rows.low, rows.close, rows.volume)):
            self._buffer[i, at:size] = column
        self.size = size


class Pyramid:
    """Buckets of ``2**k`` consecutive rows for k = 1, 2, ... until one bucket holds every row.

    Bucket j of level k covers rows ``j << k`` up to ``(j + 1) << k``. The rows themselves (level 0)
    stay with their owner and are passed in to every call.
    """

    def __init__(self) -> None:
        self._levels: list[_Level] = []
        self.rows = 0

    @property
    def depth(self) -> int:
        """The highest level k held (0 when there are fewer than two rows)."""
        return len(self._levels)

    def level(self, k: int) -> Ohlcv:
        """Level ``k`` (1 <= k <= depth) as views."""
        return self._levels[k - 1].view()

    def rebuild(self, rows: Ohlcv) -> None:
        self._levels.clear()
        self.rows = 0
        self.refresh(rows, 0)

    def refresh(self, rows: Ohlcv, from_row: int) -> None:
        """``rows`` changed from row ``from_row`` on (rows after it may be new, or gone): redo the
        buckets that contain them. Costs O(log n + changed rows)."""
        self.rows = len(rows)
        source = rows
        changed = max(0, min(from_row, len(rows)))
        k = 0
        while len(source) > 1:
            first = changed >> 1
            starts = np.arange(2 * first, len(source), 2, dtype=np.int64)
            if k == len(self._levels):
                self._levels.append(_Level())
            level = self._levels[k]
            level.write(first, aggregate(source.slice(2 * first, len(source)), starts - 2 * first))
            source = level.view()
            changed = first
            k += 1
        del self._levels[k:]

    def total(self) -> Ohlcv | None:
        """One bucket of every row (None without rows or levels)."""
        return self.level(self.depth) if self._levels else None
