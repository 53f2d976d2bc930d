"""The chart benchmark in a tiny configuration: every figure is there, named as published, in its unit,
finite and positive (no timing thresholds: benchmarks print figures, they are never timed tests)."""

from __future__ import annotations

import itertools
import math
from typing import Any

from terminal.bench import chart, chart_peer
from terminal.bench.chart_harness import FEWEST_SHOWN, sweep

TINY = chart.Sizes(
    load=(2_000, 5_000),
    load_repeats=1,
    pans_per_zoom=1,
    live=(1_000, 3_000),
    updates=12,
    peer_pan=(2_000,),
)


def test_a_tiny_run_gives_every_figure_named_in_its_unit(qapp: Any) -> None:
    results = chart.measure(TINY)
    units = {r.name: r.unit for r in results}
    assert units == {
        "chart.load_s@2k": "s",
        "chart.load_s@5k": "s",
        "chart.pan_frame_p50_ms@2k": "ms",
        "chart.pan_frame_p99_ms@2k": "ms",
        "chart.pan_frame_p50_ms@5k": "ms",
        "chart.pan_frame_p99_ms@5k": "ms",
        "chart.live_update_ms@1k": "ms",
        "chart.live_update_ms@3k": "ms",
        "chart.live_update_ratio_3k_vs_1k": "x",
    }
    for r in results:
        assert math.isfinite(r.value) and r.value > 0, r.name
        assert r.note, r.name
    by_name = {r.name: r for r in results}
    assert by_name["chart.pan_frame_p50_ms@2k"].value <= by_name["chart.pan_frame_p99_ms@2k"].value
    assert "~1 means flat" in by_name["chart.live_update_ratio_3k_vs_1k"].note
    if chart_peer.available():  # the peer ran where asked, and its ratio is peer / ours
        for name in ("chart.load_s@2k", "chart.pan_frame_p99_ms@2k"):
            r = by_name[name]
            assert r.peer_value is not None and math.isfinite(r.peer_value) and r.peer_value > 0
            assert r.ratio is not None and math.isclose(r.ratio, r.peer_value / r.value)
        assert by_name["chart.pan_frame_p99_ms@5k"].peer_value is None
    else:
        assert all(r.peer_value is None and r.ratio is None for r in results)
        assert "no peer" in by_name["chart.load_s@2k"].note


def test_the_full_run_names_the_headline_figures() -> None:
    assert chart.label(chart.FULL.load[-1]) == "1M" and chart.label(chart.FULL.load[0]) == "100k"
    assert [chart.label(n) for n in chart.FULL.live] == ["1k", "1M"]
    assert chart.label(2_500) == "2500"


def test_the_sweep_zooms_from_the_newest_candles_to_all_and_back_inside_the_history() -> None:
    slot = 60.0
    first, last = 0.0, 99_999 * slot
    views = list(sweep(first, last, slot, pans_per_zoom=3))
    widths = [x1 - x0 for x0, x1 in views]
    assert math.isclose(min(widths), FEWEST_SHOWN * slot)
    assert math.isclose(max(widths), 100_000 * slot)
    newest = last + 0.5 * slot  # starts and ends at the newest candle, most zoomed in
    assert math.isclose(views[0][1], newest) and math.isclose(widths[0], FEWEST_SHOWN * slot)
    assert any(math.isclose(x1, newest) and math.isclose(x1 - x0, widths[0]) for x0, x1 in views[-4:])
    assert all(first - 0.5 * slot - 1e-6 <= x0 and x1 <= last + 0.5 * slot + 1e-6 for x0, x1 in views)
    assert all(a != b for a, b in itertools.pairwise(views))
    oldest = min(x0 for x0, _ in views)
    assert math.isclose(oldest, first - 0.5 * slot)  # the view travels all the way back
