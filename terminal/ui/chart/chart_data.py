"""A chart's view of one CandleSeries: closed rows with their LOD pyramid and a frame cache, plus the
live (last) row kept apart so that a live update never touches the rest."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from terminal.domain.candles import CandleSeries
from terminal.ui.chart.frame import Frame, Source, build_frame, ms_at_or_before
from terminal.ui.chart.lod import FIELDS, Int64Array, Ohlcv, Pyramid

SNAPSHOT_ROWS = 1024  # closed rows compared at each sync: covers a newest page (1,000) merged in place
_COLUMNS = ("time", *FIELDS)


@dataclass(frozen=True, slots=True)
class Sync:
    """What changed since the previous sync."""

    closed: bool = False  # closed rows changed: caches keyed on ``ChartData.version`` are stale
    live: bool = False  # the last row changed
    rebuilt: bool = False  # everything was read again (first sync, older page, refined quanta)

    @property
    def any(self) -> bool:
        return self.closed or self.live


@dataclass(frozen=True, slots=True)
class LiveCandle:
    x: float
    open: float
    high: float
    low: float
    close: float
    volume: float


class ChartData:
    """Read a series for drawing. ``sync`` after every change of the series; it finds what changed by
    comparing the tail of the closed rows with a snapshot, so a live update costs the same at 1k or
    1M candles, and anything else (an older page, a merged gap) rebuilds the pyramid once."""

    def __init__(self, series: CandleSeries) -> None:
        self.series = series
        self.pyramid = Pyramid()
        self.version = 0
        self.closed = 0  # rows in the pyramid: all but the last
        self._first: int | None = None
        self._quanta = (series.price_quantum, series.qty_quantum)
        self._snapshot_at = 0
        self._snapshot = np.zeros((6, 0), dtype=np.int64)
        self._live: tuple[int, ...] = ()
        self._frames: list[Frame] = []  # the viewport cache (a frame or two: price and volume panes)
        self._frames_version = -1

    @property
    def slot(self) -> float:
        """One interval in x units (seconds)."""
        return self.series.interval.nominal_ms / 1000.0

    def _rows(self, stop: int) -> Ohlcv:
        s = self.series
        return Ohlcv(*(s.column(name)[:stop] for name in FIELDS))

    def _tail(self, start: int, stop: int) -> Int64Array:
        return np.stack([self.series.column(name)[start:stop] for name in _COLUMNS])

    def sync(self) -> Sync:
        series = self.series
        closed = max(0, len(series) - 1)
        quanta = (series.price_quantum, series.qty_quantum)
        rebuilt = series.first_open != self._first or closed < self.closed or quanta != self._quanta
        from_row = closed
        if not rebuilt:
            before = self._snapshot
            now = self._tail(self._snapshot_at, self._snapshot_at + before.shape[1])
            differs = np.flatnonzero((now != before).any(axis=0))
            if len(differs) and differs[0] == 0 and self._snapshot_at > 0:
                rebuilt = True  # rows moved (a gap filled further back): read everything again
            elif len(differs):
                from_row = self._snapshot_at + int(differs[0])
            else:
                from_row = self.closed
        if rebuilt:
            self.pyramid.rebuild(self._rows(closed))
        elif from_row < closed or closed != self.closed:
            self.pyramid.refresh(self._rows(closed), from_row)
        closed_changed = rebuilt or from_row < closed or closed != self.closed
        if closed_changed:
            self.version += 1
        self.closed = closed
        self._first = series.first_open
        self._quanta = quanta
        self._snapshot_at = max(0, closed - SNAPSHOT_ROWS)
        self._snapshot = self._tail(self._snapshot_at, closed)
        live = tuple(int(series.column(name)[-1]) for name in _COLUMNS) if len(series) else ()
        live_changed = live != self._live or closed_changed
        self._live = live
        return Sync(closed_changed, live_changed, rebuilt)

    def source(self) -> Source:
        """The closed rows as of the last sync (with the quanta they were read with)."""
        s = self.series
        return Source(
            s.times[: self.closed],
            self._rows(self.closed),
            self.pyramid,
            s.interval.nominal_ms,
            float(self._quanta[0]),
            float(self._quanta[1]),
        )

    def frame(self, x0: float, x1: float, pixel: float) -> Frame:
        """The closed candles for x0..x1 from the viewport cache: a frame covers three view widths
        and serves every pan inside it; a zoom (another pixel size) or new data builds a new one."""
        if self._frames_version != self.version:
            self._frames, self._frames_version = [], self.version
        for cached in self._frames:
            if abs(cached.pixel - pixel) <= 1e-9 * pixel and cached.x0 <= x0 and x1 <= cached.x1:
                return cached
        span = x1 - x0
        frame = build_frame(self.source(), x0 - span, x1 + span, pixel)
        self._frames = [frame, *self._frames[:1]]
        return frame

    def live(self) -> LiveCandle | None:
        if not self._live:
            return None
        t, o, h, low, c, v = self._live
        pq, qq = float(self._quanta[0]), float(self._quanta[1])
        x = (t + 0.5 * self.series.interval.nominal_ms) / 1000.0
        return LiveCandle(x, o * pq, h * pq, low * pq, c * pq, v * qq)

    def extent(self, x0: float, x1: float, pixel: float) -> tuple[float, float, float] | None:
        """(lowest low, highest high, largest volume) of what is drawn between x0 and x1."""
        frame = self.frame(x0, x1, pixel)
        inside = frame.within(x0, x1)
        lows, highs, volumes = frame.low[inside], frame.high[inside], frame.volume[inside]
        low = float(lows.min()) if len(lows) else None
        high = float(highs.max()) if len(highs) else None
        volume = float(volumes.max()) if len(volumes) else 0.0
        live = self.live()
        if live is not None and live.x + 0.5 * self.slot >= x0 and live.x - 0.5 * self.slot <= x1:
            low = live.low if low is None else min(low, live.low)
            high = live.high if high is None else max(high, live.high)
            volume = max(volume, live.volume)
        if low is None or high is None:
            return None
        return low, high, volume

    def bounds(self) -> tuple[float, float, float, float, float] | None:
        """(first x, last x, lowest low, highest high, a volume no bar exceeds) of every row, for the
        items' bounding boxes; O(1) from the top of the pyramid."""
        live = self.live()
        if live is None:
            return None
        total = self.pyramid.total()
        if total is None and self.closed:
            total = self._rows(self.closed)  # a single closed row
        low, high, volume = live.low, live.high, live.volume
        pq, qq = float(self._quanta[0]), float(self._quanta[1])
        if total is not None:
            low, high = min(low, float(total.low[0]) * pq), max(high, float(total.high[0]) * pq)
            volume = max(volume, float(total.volume[0]) * qq)  # the sum of all volumes
        return self.x_of(0), live.x, low, high, volume

    def index_at(self, x: float) -> int | None:
        """The row whose candle contains time x (seconds), if any."""
        s = self.series
        t = x * 1000.0
        i = int(np.searchsorted(s.times, ms_at_or_before(x), side="right")) - 1
        if i < 0 or t >= s.interval.next_open(int(s.times[i])):
            return None
        return i

    def x_of(self, index: int) -> float:
        return (float(self.series.times[index]) + 0.5 * self.series.interval.nominal_ms) / 1000.0
