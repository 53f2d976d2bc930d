"""Chart: bulk load to the first painted frame, pan/zoom frame times across the whole history, and the
cost of one live-candle update at 1k versus 1M candles, on our ChartView painted offscreen (finplot
side by side for load and pan/zoom, when installed)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from terminal.bench import chart_peer
from terminal.bench.chart_harness import (
    FEWEST_SHOWN,
    HEIGHT,
    PAN_STEP,
    WIDTH,
    ZOOM_STEP,
    Screen,
    application,
    percentile,
    sweep,
)
from terminal.bench.report import Result, latency
from terminal.domain.candles import CandleColumns, CandleSeries
from terminal.domain.intervals import Interval
from terminal.domain.market import Candle
from terminal.ui.chart.chart_data import ChartData
from terminal.ui.chart.chart_dock import SHOWN_CANDLES
from terminal.ui.chart.chart_view import ChartView
from terminal.ui.chart.synthetic import synthetic_columns

TICK, STEP = Decimal("0.01"), Decimal("0.0001")
NEW_CANDLE_EVERY = 50  # live updates: one in this many opens a new candle, the rest change the last one


@dataclass(frozen=True, slots=True)
class Sizes:
    """What one run measures: history lengths, repeats, frames and updates, and which peer figures."""

    load: tuple[int, ...] = (100_000, 1_000_000)
    load_repeats: int = 3
    pans_per_zoom: int = 4
    live: tuple[int, int] = (1_000, 1_000_000)
    updates: int = 400
    peer_load: bool = True
    peer_pan: tuple[int, ...] = (100_000, 1_000_000)  # sizes the peer pans over (it is slow at 1M)


FULL = Sizes()
QUICK = Sizes(load_repeats=1, pans_per_zoom=2, updates=150, peer_pan=(100_000,))


class OurChart:
    """A shown ChartView of WIDTH x HEIGHT, empty until ``show``."""

    def __init__(self) -> None:
        application()
        self.view = ChartView()
        self.view.resize(WIDTH, HEIGHT)
        self.view.show()
        self.screen = Screen(self.view.graphics.viewport())
        self.screen.settle()

    def show(self, columns: CandleColumns) -> ChartData:
        """Bulk load, sync (LOD pyramid), hand to the chart with the newest candles in view as the Chart
        dock does, and paint."""
        data = ChartData(CandleSeries.from_columns("BENCH", Interval.M1, TICK, STEP, columns))
        data.sync()
        self.view.set_data(data, TICK, STEP)
        self.view.show_last(SHOWN_CANDLES)
        self.settle()
        return data

    def settle(self) -> None:
        if not self.screen.settle():
            raise RuntimeError("the chart did not paint")

    def close(self) -> None:
        self.view.set_data(None)
        self.view.close()
        self.view.deleteLater()
        self.screen.app.processEvents()


def load_seconds(columns: CandleColumns, repeats: int) -> list[float]:
    """Times from the columns in memory to the first painted frame, each on a fresh chart."""
    times = []
    for _ in range(repeats):
        chart = OurChart()
        started = time.perf_counter()
        chart.show(columns)
        times.append(time.perf_counter() - started)
        chart.close()
    return times


def frame_times_ms(columns: CandleColumns, pans_per_zoom: int) -> list[float]:
    """One frame: set the view range (as a wheel notch or a drag does), then run Qt until painted."""
    chart = OurChart()
    data = chart.show(columns)
    box = chart.view.price_box
    times = []
    for x0, x1 in sweep(data.x_of(0), data.x_of(len(data.series) - 1), data.slot, pans_per_zoom):
        started = time.perf_counter()
        box.setXRange(x0, x1, padding=0)
        chart.settle()
        times.append((time.perf_counter() - started) * 1e3)
    chart.close()
    return times


def live_updates(series: CandleSeries, count: int, seed: int = 7) -> list[Candle]:
    """``count`` stream candles after the series' last: that one ticking, every NEW_CANDLE_EVERY-th a
    new one opening."""
    rng = np.random.default_rng(seed)
    last = series.candle(-1)
    open_ms, opened, high, low, close, volume = (
        last.open_time_ms,
        last.open,
        last.high,
        last.low,
        last.close,
        last.volume,
    )
    out = []
    for i in range(1, count + 1):
        if i % NEW_CANDLE_EVERY == 0:
            open_ms += series.interval.nominal_ms
            opened = high = low = close
            volume = Decimal(0)
        close += TICK * int(rng.integers(-50, 51))
        high, low = max(high, close), min(low, close)
        volume += STEP * int(rng.integers(1, 1000))
        out.append(Candle(open_ms, opened, high, low, close, volume))
    return out


def live_update_ms(columns: CandleColumns, count: int) -> float:
    """p50 of: CandleSeries.update + ChartData.sync + ChartView.data_changed + run Qt until painted."""
    chart = OurChart()
    data = chart.show(columns)
    times = []
    for candle in live_updates(data.series, count):
        started = time.perf_counter()
        data.series.update(candle)
        chart.view.data_changed(data.sync())
        chart.settle()
        times.append((time.perf_counter() - started) * 1e3)
    chart.close()
    return statistics.median(times)


def label(count: int) -> str:
    """1000 -> 1k, 1000000 -> 1M (the figures' names); other counts as they are."""
    if count and count % 1_000_000 == 0:
        return f"{count // 1_000_000}M"
    return f"{count // 1000}k" if count and count % 1000 == 0 else str(count)


def _peer_note(what: str, ran: bool) -> str:
    if not chart_peer.available():
        return f"no peer: finplot not installed ({chart_peer.INSTALL})"
    return f"peer {what}" if ran else "peer: finplot not run at this size in --quick"


WHERE = f"ChartView {WIDTH}x{HEIGHT} offscreen, 1m synthetic candles"


def load_results(sizes: Sizes, count: int, peer: bool) -> Result:
    columns = synthetic_columns(count)
    ours = load_seconds(columns, sizes.load_repeats)
    theirs = chart_peer.load_seconds(columns, sizes.load_repeats) if peer and sizes.peer_load else []
    return latency(
        f"chart.load_s@{label(count)}",
        statistics.median(ours),
        "s",
        statistics.median(theirs) if theirs else None,
        f"{WHERE}: int64 columns in memory -> CandleSeries.from_columns + ChartData.sync (LOD pyramid) "
        f"+ set_data + newest {SHOWN_CANDLES} in view + first paint; median of {sizes.load_repeats} "
        f"(slowest {max(ours):.3g} s: the first also takes fresh memory from the OS); "
        + _peer_note(f"{chart_peer.LOAD} (slowest {max(theirs, default=0):.3g} s)", bool(theirs)),
    )


def pan_results(sizes: Sizes, count: int, peer: bool) -> list[Result]:
    columns = synthetic_columns(count)
    frames = frame_times_ms(columns, sizes.pans_per_zoom)
    theirs = chart_peer.frame_times_ms(columns, sizes.pans_per_zoom) if peer and count in sizes.peer_pan else []
    what = (
        f"{WHERE}: {len(frames)} frames, each a setXRange + Qt run until painted; wheel notches of "
        f"x{ZOOM_STEP} from {FEWEST_SHOWN} candles to all {label(count)} in view and back, travelling "
        f"across the history, {sizes.pans_per_zoom} drag frames of {PAN_STEP:.0%} of the view after each; "
        + _peer_note(f"{chart_peer.PAN} ({len(theirs)} frames painted)", bool(theirs))
    )
    return [
        latency(
            f"chart.pan_frame_p{q}_ms@{label(count)}",
            percentile(frames, q),
            "ms",
            percentile(theirs, q) if theirs else None,
            what,
        )
        for q in (50, 99)
    ]


LIVE_ROUNDS = 2  # sizes measured in turn, the best p50 of each kept: drift on the machine hits both alike


def live_results(sizes: Sizes) -> list[Result]:
    live: dict[int, float] = {}
    for _ in range(LIVE_ROUNDS):
        for count in sizes.live:
            gc.collect()
            cost = live_update_ms(synthetic_columns(count), sizes.updates)
            live[count] = min(live.get(count, cost), cost)
    results = [
        latency(
            f"chart.live_update_ms@{label(count)}",
            cost,
            "ms",
            None,
            f"{WHERE}, {label(count)} candles of history, newest {SHOWN_CANDLES} in view: best of "
            f"{LIVE_ROUNDS} p50s of {sizes.updates} updates (sizes in turn), each CandleSeries.update + "
            f"ChartData.sync + data_changed + Qt run until painted; one in {NEW_CANDLE_EVERY} opens a new "
            "candle; no peer figure",
        )
        for count, cost in live.items()
    ]
    small, large = (label(count) for count in sizes.live)
    ratio = live[sizes.live[1]] / live[sizes.live[0]]
    note = f"live_update_ms@{large} / live_update_ms@{small}: ~1 means flat in history length"
    return [*results, Result(f"chart.live_update_ratio_{large}_vs_{small}", ratio, "x", note=note)]


def measure(sizes: Sizes, progress: Callable[[str], None] = lambda _: None) -> list[Result]:
    peer = chart_peer.available()
    results = []
    for count in sizes.load:
        progress(f"chart: load {label(count)}")
        results.append(load_results(sizes, count, peer))
    for count in sizes.load:
        progress(f"chart: pan/zoom {label(count)}")
        results.extend(pan_results(sizes, count, peer))
    progress("chart: live updates")
    return [*results, *live_results(sizes)]


def run(quick: bool) -> list[Result]:
    return measure(QUICK if quick else FULL, lambda text: print(f"  {text}", flush=True))
