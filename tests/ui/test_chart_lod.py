"""The chart's arithmetic without Qt: OHLCV aggregation and the LOD pyramid against naive models,
what ChartData.sync finds changed, frames, time ticks and the readout's exact text."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from terminal.domain.candles import CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.frame import build_frame, ms_at_or_after, ms_at_or_before
from terminal.ui.chart.lod import Ohlcv, Pyramid, aggregate, group_starts
from terminal.ui.chart.readout import readout_text
from terminal.ui.chart.synthetic import synthetic_candles, synthetic_series
from terminal.ui.chart.time_axis import DAY, HOUR, time_label, time_ticks

NaiveRow = tuple[int, int, int, int, int]


def _rows(values: list[NaiveRow]) -> Ohlcv:
    columns = np.array(values, dtype=np.int64).reshape(-1, 5).T
    return Ohlcv(*(np.ascontiguousarray(c) for c in columns))


def _naive(values: list[NaiveRow], starts: list[int]) -> list[NaiveRow]:
    out = []
    for g, start in enumerate(starts):
        stop = starts[g + 1] if g + 1 < len(starts) else len(values)
        group = values[start:stop]
        out.append(
            (
                group[0][0],
                max(r[1] for r in group),
                min(r[2] for r in group),
                group[-1][3],
                sum(r[4] for r in group),
            )
        )
    return out


def _as_list(rows: Ohlcv) -> list[NaiveRow]:
    return list(zip(*(c.tolist() for c in (rows.open, rows.high, rows.low, rows.close, rows.volume)), strict=True))


@st.composite
def candles(draw: st.DrawFn, min_size: int = 1, max_size: int = 300) -> list[NaiveRow]:
    """Random candles (drawn as a size and a seed: generating hundreds value by value is slow)."""
    n = draw(st.integers(min_size, max_size))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    o, c = rng.integers(1, 10_000, n), rng.integers(1, 10_000, n)
    high = np.maximum(o, c) + rng.integers(0, 500, n)
    low = np.minimum(o, c) - rng.integers(0, 500, n)
    volume = rng.integers(0, 1_000_000, n)
    return [(int(a), int(b), int(d), int(e), int(f)) for a, b, d, e, f in zip(o, high, low, c, volume, strict=True)]


@given(candles(), st.data())
def test_aggregation_per_bucket_equals_a_naive_one(values: list[NaiveRow], data: st.DataObject) -> None:
    cuts = data.draw(st.sets(st.integers(1, max(1, len(values) - 1)), max_size=len(values)))
    starts = sorted({0} | {c for c in cuts if c < len(values)})
    got = aggregate(_rows(values), np.array(starts, dtype=np.int64))
    assert _as_list(got) == _naive(values, starts)


@given(st.lists(st.integers(0, 5), max_size=200))
def test_group_starts_finds_every_run(steps: list[int]) -> None:
    keys = np.cumsum(np.array(steps, dtype=np.int64))
    starts = group_starts(keys).tolist()
    assert starts == [i for i in range(len(keys)) if i == 0 or keys[i] != keys[i - 1]]


@given(candles())
def test_every_pyramid_level_equals_naive_buckets_of_two_to_the_k_rows(values: list[NaiveRow]) -> None:
    pyramid = Pyramid()
    pyramid.rebuild(_rows(values))
    assert pyramid.depth == (len(values) - 1).bit_length()
    for k in range(1, pyramid.depth + 1):
        assert _as_list(pyramid.level(k)) == _naive(values, list(range(0, len(values), 2**k)))


@given(candles(), candles(min_size=0, max_size=80), st.data())
def test_a_refreshed_tail_equals_a_rebuilt_pyramid(
    before: list[NaiveRow], tail: list[NaiveRow], data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(before)))
    after = before[:cut] + tail
    pyramid = Pyramid()
    pyramid.rebuild(_rows(before))
    pyramid.refresh(_rows(after), cut)
    fresh = Pyramid()
    fresh.rebuild(_rows(after))
    assert pyramid.depth == fresh.depth
    for k in range(1, fresh.depth + 1):
        assert _as_list(pyramid.level(k)) == _as_list(fresh.level(k))


def _data(count: int, interval: Interval = Interval.M1) -> ChartData:
    data = ChartData(synthetic_series(count, interval))
    data.sync()
    return data


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 3000), st.floats(0.5, 5000.0))
def test_a_frame_at_any_zoom_holds_every_extreme_and_all_volume(count: int, seconds_per_pixel: float) -> None:
    data = _data(count)
    source = data.source()
    first, last = data.x_of(0), data.x_of(count - 2)
    frame = build_frame(source, first - 60, last + 60, seconds_per_pixel)
    closed = source.rows
    pq, qq = float(data.series.price_quantum), float(data.series.qty_quantum)
    assert frame.high.max() == closed.high.max() * pq
    assert frame.low.min() == closed.low.min() * pq
    assert np.isclose(frame.volume.sum(), closed.volume.sum() * qq)
    assert frame.dense == (60.0 / seconds_per_pixel < 3.0)
    if frame.dense:
        assert len(frame) <= (last - first + 120) / seconds_per_pixel + 2  # about one bar per pixel column


def test_a_dense_frame_at_full_detail_aggregates_per_pixel_column() -> None:
    data = _data(500)
    source = data.source()
    pixel = 90.0  # 1.5 candles per column: finer than the first pyramid level, so rows are merged directly
    frame = build_frame(source, data.x_of(0), data.x_of(498), pixel)
    rows = _as_list(source.rows)
    columns = np.floor(source.centre(source.times) / pixel).astype(np.int64)
    starts = [i for i in range(len(rows)) if i == 0 or columns[i] != columns[i - 1]]
    naive = _naive(rows, starts)
    pq = float(data.series.price_quantum)
    assert frame.dense and len(frame) == len(naive)
    assert frame.high.tolist() == [r[1] * pq for r in naive]
    assert frame.low.tolist() == [r[2] * pq for r in naive]


def _candle(open_ms: int, close: str, volume: str = "1") -> Candle:
    price = Decimal(close)
    return Candle(open_ms, price, price + 1, price - 1, price, Decimal(volume))


def test_a_live_update_touches_only_the_live_row() -> None:
    series = synthetic_series(3000)
    data = ChartData(series)
    assert data.sync().rebuilt
    version = data.version
    last = series.candle(-1)
    series.update(_candle(last.open_time_ms, "90123.45", "7"))
    sync = data.sync()
    assert sync.live and not sync.closed and data.version == version
    live = data.live()
    assert live is not None and live.close == 90123.45 and live.volume == 7.0
    series.update(_candle(last.open_time_ms + 60_000, "90000"))  # a new candle opens
    sync = data.sync()
    assert sync.closed and sync.live and not sync.rebuilt and data.closed == 3000


def test_a_page_merged_into_the_tail_is_found_and_an_older_page_rebuilds() -> None:
    series = synthetic_series(3000)
    data = ChartData(series)
    data.sync()
    changed = series.candle(-50)
    series.merge([_candle(changed.open_time_ms, "1.00")])
    sync = data.sync()
    assert sync.closed and not sync.rebuilt
    fresh = Pyramid()
    fresh.rebuild(data.source().rows)
    assert _as_list(data.pyramid.level(data.pyramid.depth)) == _as_list(fresh.level(fresh.depth))
    assert data.pyramid.total() is not None and data.pyramid.total().low[0] == 0  # type: ignore[union-attr]
    first = series.first_open
    assert first is not None
    series.merge([_candle(first - 60_000, "80000")])
    assert data.sync().rebuilt and data.closed == 3000


def test_finer_prices_refine_the_quantum_and_rebuild() -> None:
    series = CandleSeries("X", Interval.M1, Decimal("0.01"), Decimal("0.01"))
    series.merge(synthetic_candles(100))
    data = ChartData(series)
    data.sync()
    high_before = data.bounds()
    series.update(_candle(series.candle(-1).open_time_ms, "90000.005"))
    assert data.sync().rebuilt
    assert data.bounds() is not None and high_before is not None
    live = data.live()
    assert live is not None and live.close == 90000.005


def test_the_row_under_a_time_and_back() -> None:
    data = _data(100, Interval.M5)
    for i in (0, 37, 99):
        assert data.index_at(data.x_of(i)) == i
        assert data.index_at(float(data.series.times[i]) / 1000) == i  # the open moment is inside
    assert data.index_at(data.x_of(0) - 300) is None
    assert data.index_at(data.x_of(99) + 300) is None


@given(st.floats(1.5e9, 1.9e9), st.floats(600.0, 3e8), st.floats(200.0, 3000.0))
def test_time_ticks_are_round_utc_times_far_enough_apart(x0: float, span: float, pixels: float) -> None:
    step, ticks = time_ticks(x0, x0 + span, pixels)
    assert ticks == sorted(ticks) and all(x0 <= t <= x0 + span for t in ticks)
    assert all((b - a) / span * pixels >= 100 for a, b in itertools.pairwise(ticks))
    for t in ticks:
        moment = dt.datetime.fromtimestamp(t, tz=dt.UTC)
        assert moment.second == 0
        if step >= 28 * DAY:
            assert moment.day == 1 and moment.hour == 0
        elif step == 7 * DAY:
            assert moment.weekday() == 0 and moment.hour == 0
        elif step >= DAY:
            assert moment.hour == 0 and moment.minute == 0
        else:
            assert t % step == 0


def test_time_labels_show_times_and_dates() -> None:
    noon = dt.datetime(2025, 3, 7, 12, 30, tzinfo=dt.UTC).timestamp()
    midnight = dt.datetime(2025, 3, 7, tzinfo=dt.UTC).timestamp()
    assert time_label(noon, HOUR) == "12:30"
    assert time_label(midnight, HOUR) == "Mar 7"
    assert time_label(midnight, DAY) == "Mar 7"
    assert time_label(dt.datetime(2025, 3, 1, tzinfo=dt.UTC).timestamp(), 30 * DAY) == "Mar"
    assert time_label(dt.datetime(2025, 1, 1, tzinfo=dt.UTC).timestamp(), 30 * DAY) == "2025"


def test_the_readout_is_exact_in_the_instrument_decimals_and_utc() -> None:
    candle = Candle(
        1_741_350_600_000,  # 2025-03-07 12:30 UTC
        Decimal("90000"),
        Decimal("90123.5"),
        Decimal("89999.99"),
        Decimal("90100.123"),  # finer than the tick: shown in full, never rounded
        Decimal("12.3"),
    )
    text = readout_text(candle, Interval.M1, Decimal("0.01"), Decimal("0.0001"))
    assert text == ("2025-03-07 12:30 UTC   O 90,000.00   H 90,123.50   L 89,999.99   C 90,100.123   V 12.3000")
    assert readout_text(candle, Interval.D1, Decimal("0.01"), None).startswith("2025-03-07 UTC   O")


@given(
    st.lists(st.integers(-(10**13), 10**13), min_size=1, max_size=50).map(sorted),
    st.floats(-1e10, 1e10),
)
def test_whole_millisecond_bounds_search_int_times_as_floats_would(times: list[int], seconds: float) -> None:
    column = np.array(times, dtype=np.int64)
    as_floats = column.astype(np.float64)
    for side, bound in (("left", ms_at_or_after), ("right", ms_at_or_before)):
        got = np.searchsorted(column, bound(seconds), side=side)  # type: ignore[call-overload]
        assert got == np.searchsorted(as_floats, seconds * 1000.0, side=side)  # type: ignore[call-overload]


def test_the_synthetic_series_is_its_candles_loaded_in_bulk() -> None:
    bulk = synthetic_series(500, Interval.M5, seed=3)
    one_by_one = CandleSeries("SYNTH", Interval.M5, Decimal("0.01"), Decimal("0.0001"))
    one_by_one.merge(synthetic_candles(500, Interval.M5, seed=3))
    assert [bulk.candle(i) for i in range(500)] == [one_by_one.candle(i) for i in range(500)]
