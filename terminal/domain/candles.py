"""A candle series for one symbol and interval: exact values, compact storage, cheap updates.

Prices are kept as integer multiples of a price quantum and volumes of a quantity quantum, in
numpy int64 arrays: a million candles fit in ~50 MB, every value reads back as the exact Decimal
the venue sent, and charts get float views without copying per frame. The quanta start at the
instrument's tick and step and are refined by powers of ten if a value needs more digits (history
recorded under a finer tick), so nothing is ever rounded.

Older pages are prepended into head room and live updates touch only the last row, so neither
grows in cost with the length of the history. A long history (a cache, a benchmark) loads in bulk
from integer columns, without a Candle per row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import numpy.typing as npt

from terminal.domain.decimals import mul
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle

Int64Array = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
_PRICE_COLUMNS = ("open", "high", "low", "close")
_COLUMNS = ("time", *_PRICE_COLUMNS, "volume")
_MAX_REFINE = 12  # at most 10^12 finer than the starting quantum
_LOAD_ROOM = 8  # a bulk load leaves an eighth of its rows free at each end


@dataclass(frozen=True, slots=True)
class CandleColumns:
    """Candles as equal-length int64 columns: open times (ms, strictly increasing), prices in units of
    a price quantum and volumes in units of a quantity quantum."""

    time: Int64Array
    open: Int64Array
    high: Int64Array
    low: Int64Array
    close: Int64Array
    volume: Int64Array

    def __len__(self) -> int:
        return len(self.time)


@dataclass(frozen=True, slots=True)
class Change:
    """What a merge did: rows added before the old first row, rows added or replaced at the end."""

    prepended: int = 0
    appended: int = 0
    replaced_last: bool = False
    inserted: int = 0  # rows that landed between existing ones (a gap filled)

    @property
    def changed(self) -> bool:
        return bool(self.prepended or self.appended or self.replaced_last or self.inserted)


class CandleSeries:
    def __init__(self, symbol: str, interval: Interval, price_quantum: Decimal, qty_quantum: Decimal) -> None:
        if price_quantum <= 0 or qty_quantum <= 0:
            raise ValueError("quanta must be positive")
        self.symbol = symbol
        self.interval = interval
        self.price_quantum = price_quantum
        self.qty_quantum = qty_quantum
        self._buffers: dict[str, Int64Array] = {name: np.zeros(256, dtype=np.int64) for name in _COLUMNS}
        self._head = 128  # index of the first row in the buffers
        self._size = 0
        self.revision = 0  # grows with every change (views and caches key on it)

    @classmethod
    def from_columns(
        cls, symbol: str, interval: Interval, price_quantum: Decimal, qty_quantum: Decimal, columns: CandleColumns
    ) -> CandleSeries:
        """A series holding ``columns`` (in units of the quanta given), copied as whole arrays rather
        than a Candle per row. Open times must increase strictly."""
        series = cls(symbol, interval, price_quantum, qty_quantum)
        arrays = {name: np.asarray(getattr(columns, name)) for name in _COLUMNS}
        size = len(arrays["time"])
        for name, array in arrays.items():
            if array.ndim != 1 or len(array) != size:
                raise ValueError(f"column {name} must be one-dimensional with {size} rows")
            if not np.issubdtype(array.dtype, np.integer):
                raise ValueError(f"column {name} must hold integers, not {array.dtype}")
        if size > 1 and not bool(np.all(arrays["time"][1:] > arrays["time"][:-1])):
            raise ValueError("open times must increase strictly")
        if size == 0:
            return series
        room = max(64, size // _LOAD_ROOM)  # older pages and live candles fit without copying it all
        for name, array in arrays.items():
            buffer = np.zeros(room + size + room, dtype=np.int64)
            buffer[room : room + size] = array
            series._buffers[name] = buffer
        series._head = room
        series._size = size
        series.revision += 1
        return series

    # ---- reading --------------------------------------------------------------------------

    def __len__(self) -> int:
        return self._size

    def column(self, name: str) -> Int64Array:
        """A view (no copy) of one integer column: time, open, high, low, close, volume."""
        return self._buffers[name][self._head : self._head + self._size]

    @property
    def times(self) -> Int64Array:
        return self.column("time")

    def prices(self, name: str) -> FloatArray:
        """A price column as floats, for drawing only."""
        return self.column(name).astype(np.float64) * float(self.price_quantum)

    def volumes(self) -> FloatArray:
        return self.column("volume").astype(np.float64) * float(self.qty_quantum)

    @property
    def first_open(self) -> int | None:
        return int(self.times[0]) if self._size else None

    @property
    def last_open(self) -> int | None:
        return int(self.times[-1]) if self._size else None

    def index_of(self, open_time_ms: int) -> int | None:
        times = self.times
        i = int(np.searchsorted(times, open_time_ms))
        return i if i < self._size and int(times[i]) == open_time_ms else None

    def candle(self, index: int) -> Candle:
        """The exact candle at ``index`` (negative counts from the end)."""
        if index < 0:
            index += self._size
        if not 0 <= index < self._size:
            raise IndexError(index)
        row = self._head + index
        b = self._buffers

        def price(name: str) -> Decimal:
            return mul(Decimal(int(b[name][row])), self.price_quantum)

        return Candle(
            open_time_ms=int(b["time"][row]),
            open=price("open"),
            high=price("high"),
            low=price("low"),
            close=price("close"),
            volume=mul(Decimal(int(b["volume"][row])), self.qty_quantum),
        )

    def gaps(self) -> list[tuple[int, int]]:
        """(open time before, open time after) of every hole in the series."""
        times = self.times
        out = []
        for i in range(1, self._size):
            expected = self.interval.next_open(int(times[i - 1]))
            if int(times[i]) > expected:
                out.append((int(times[i - 1]), int(times[i])))
        return out

    # ---- writing --------------------------------------------------------------------------

    def update(self, candle: Candle) -> Change:
        """A live candle: replace the last row, or append a newer one. Cost does not grow with history."""
        self._fit_quanta(candle)
        last = self.last_open
        if last is not None and candle.open_time_ms == last:
            self._write(self._head + self._size - 1, candle)
            self.revision += 1
            return Change(replaced_last=True)
        if last is None or candle.open_time_ms > last:
            self._make_room(tail=1)
            self._write(self._head + self._size, candle)
            self._size += 1
            self.revision += 1
            return Change(appended=1)
        return self.merge([candle])

    def merge(self, candles: Iterable[Candle]) -> Change:
        """Any candles (history pages, gap fills, repeats): each replaces the row with its open time."""
        latest = {candle.open_time_ms: candle for candle in candles}  # one per open time: the last wins
        incoming = [latest[t] for t in sorted(latest)]
        if not incoming:
            return Change()
        for candle in incoming:
            self._fit_quanta(candle)
        if self._size == 0 or incoming[-1].open_time_ms < (self.first_open or 0):
            return self._prepend(incoming) if self._size else self._append(incoming)
        if incoming[0].open_time_ms > (self.last_open or 0):
            return self._append(incoming)
        prepended = appended = inserted = 0
        replaced_last = False
        older = [c for c in incoming if c.open_time_ms < (self.first_open or 0)]
        if older:
            prepended = self._prepend(older).prepended
        for candle in incoming:
            if candle.open_time_ms < (self.first_open or 0):
                continue
            index = self.index_of(candle.open_time_ms)
            if index is not None:
                self._write(self._head + index, candle)
                replaced_last = replaced_last or index == self._size - 1
            elif candle.open_time_ms > (self.last_open or 0):
                appended += self._append([candle]).appended
            else:
                self._insert(candle)
                inserted += 1
        self.revision += 1
        return Change(prepended, appended, replaced_last, inserted)

    def _append(self, candles: list[Candle]) -> Change:
        self._make_room(tail=len(candles))
        for candle in candles:
            self._write(self._head + self._size, candle)
            self._size += 1
        self.revision += 1
        return Change(appended=len(candles))

    def _prepend(self, candles: list[Candle]) -> Change:
        self._make_room(head=len(candles))
        self._head -= len(candles)
        for offset, candle in enumerate(candles):
            self._write(self._head + offset, candle)
        self._size += len(candles)
        self.revision += 1
        return Change(prepended=len(candles))

    def _insert(self, candle: Candle) -> None:
        index = int(np.searchsorted(self.times, candle.open_time_ms))
        self._make_room(tail=1)
        start = self._head + index
        end = self._head + self._size
        for buffer in self._buffers.values():
            buffer[start + 1 : end + 1] = buffer[start:end].copy()
        self._write(start, candle)
        self._size += 1

    def _make_room(self, head: int = 0, tail: int = 0) -> None:
        capacity = len(self._buffers["time"])
        free_head = self._head
        free_tail = capacity - self._head - self._size
        if free_head >= head and free_tail >= tail:
            return
        new_head = max(head, self._size // 2, 64)
        new_capacity = new_head + self._size + max(tail, self._size // 2, 64)
        for name, buffer in self._buffers.items():
            bigger = np.zeros(new_capacity, dtype=np.int64)
            bigger[new_head : new_head + self._size] = buffer[self._head : self._head + self._size]
            self._buffers[name] = bigger
        self._head = new_head

    def _write(self, row: int, candle: Candle) -> None:
        b = self._buffers
        b["time"][row] = candle.open_time_ms
        for name in _PRICE_COLUMNS:
            b[name][row] = int(getattr(candle, name) / self.price_quantum)
        b["volume"][row] = int(candle.volume / self.qty_quantum)

    def _fit_quanta(self, candle: Candle) -> None:
        """Refine the quanta by powers of ten until every value of ``candle`` is a whole multiple."""
        for name in _PRICE_COLUMNS:
            self._refine("price", getattr(candle, name))
        self._refine("qty", candle.volume)

    def _refine(self, which: str, value: Decimal) -> None:
        quantum = self.price_quantum if which == "price" else self.qty_quantum
        factor = 1
        while (value / (quantum / factor)) % 1 != 0:
            factor *= 10
            if factor > 10**_MAX_REFINE:
                raise ValueError(f"{value} has more digits than a {which} quantum of {quantum} allows")
        if factor == 1:
            return
        columns = _PRICE_COLUMNS if which == "price" else ("volume",)
        for name in columns:
            self._buffers[name] *= factor
        if which == "price":
            self.price_quantum = quantum / factor
        else:
            self.qty_quantum = quantum / factor
