"""Candle series loaded in bulk from integer columns: the same series as merging the candles one by
one, room left for older pages and live candles, and bad columns refused."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.candles import CandleColumns, CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle

MINUTE = 60_000
TICK, STEP = Decimal("0.01"), Decimal("0.001")


def _columns(rows: list[tuple[int, int, int, int, int, int]]) -> CandleColumns:
    array = np.array(rows, dtype=np.int64).reshape(-1, 6).T
    return CandleColumns(*(np.ascontiguousarray(c) for c in array))


def _candle(row: tuple[int, int, int, int, int, int]) -> Candle:
    t, o, h, low, c, v = row
    return Candle(t, o * TICK, h * TICK, low * TICK, c * TICK, v * STEP)


rows = st.lists(
    st.tuples(st.integers(1, 5), *[st.integers(-(10**12), 10**12)] * 4, st.integers(0, 10**15)),
    max_size=60,
).map(
    # strictly increasing open times from the drawn gaps
    lambda drawn: [(sum(r[0] for r in drawn[: i + 1]) * MINUTE, *r[1:]) for i, r in enumerate(drawn)]
)


@settings(max_examples=100, deadline=None)
@given(rows)
def test_a_bulk_load_equals_merging_the_candles(values: list[tuple[int, int, int, int, int, int]]) -> None:
    loaded = CandleSeries.from_columns("X", Interval.M1, TICK, STEP, _columns(values))
    merged = CandleSeries("X", Interval.M1, TICK, STEP)
    merged.merge([_candle(r) for r in values])
    assert len(loaded) == len(merged) == len(values)
    assert [loaded.candle(i) for i in range(len(values))] == [merged.candle(i) for i in range(len(values))]
    for name in ("time", "open", "high", "low", "close", "volume"):
        assert loaded.column(name).tolist() == merged.column(name).tolist()
    assert (loaded.price_quantum, loaded.qty_quantum) == (TICK, STEP)


def test_a_loaded_series_takes_live_candles_and_older_pages() -> None:
    values = [(m * MINUTE, 100 + m, 101 + m, 99 + m, 100 + m, 5) for m in range(10, 1010)]
    series = CandleSeries.from_columns("X", Interval.M1, TICK, STEP, _columns(values))
    revision = series.revision
    assert revision > 0
    buffer = series.column("time").base
    assert series.update(_candle((1009 * MINUTE, 1, 2, 1, 2, 7))).replaced_last
    assert series.update(_candle((1010 * MINUTE, 2, 3, 2, 3, 1))).appended == 1
    assert series.merge([_candle((m * MINUTE, 50, 51, 49, 50, 1)) for m in range(10)]).prepended == 10
    assert series.column("time").base is buffer  # all of it fitted in the room left at both ends
    assert list(series.times) == [m * MINUTE for m in range(1011)]
    assert series.candle(-1).close == 3 * TICK and series.candle(0).open == 50 * TICK
    assert series.revision > revision


def test_an_empty_load_is_an_empty_series() -> None:
    empty = np.zeros(0, dtype=np.int64)
    series = CandleSeries.from_columns("X", Interval.M1, TICK, STEP, CandleColumns(*[empty] * 6))
    assert len(series) == 0 and series.last_open is None
    assert series.update(_candle((MINUTE, 1, 1, 1, 1, 1))).appended == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"time": np.array([2, 1, 3]) * MINUTE}, "increase strictly"),
        ({"time": np.array([1, 1, 3]) * MINUTE}, "increase strictly"),
        ({"open": np.array([1, 2])}, "one-dimensional with 3 rows"),
        ({"close": np.array([[1, 2, 3]])}, "one-dimensional"),
        ({"volume": np.array([1.5, 2.0, 3.0])}, "integers"),
    ],
)
def test_bad_columns_are_refused(change: dict[str, npt.NDArray[np.generic]], message: str) -> None:
    good = {
        name: np.arange(1, 4, dtype=np.int64) * (MINUTE if name == "time" else 1) for name in CandleColumns.__slots__
    }
    with pytest.raises(ValueError, match=message):
        columns = CandleColumns(**{**good, **change})  # type: ignore[arg-type]  # wrong on purpose
        CandleSeries.from_columns("X", Interval.M1, TICK, STEP, columns)
