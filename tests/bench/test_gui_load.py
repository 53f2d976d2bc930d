"""The GUI benchmarks run end to end on a real terminal and demo exchange, in tiny configurations:
they report every figure they promise, with values that can be true (no timing is asserted)."""

from __future__ import annotations

import math
import time
from pathlib import Path

from terminal.bench.child import run_child

FIGURES = (
    "ui.loop_lag_p50_ms",
    "ui.loop_lag_p99_ms",
    "ui.loop_lag_max_ms",
    "ui.fps",
    "ui.ladder_fps",
    "ui.cpu_share",
    "ui.msgs_per_s",
    "ui.tick_to_paint_p50_ms",
    "ui.tick_to_paint_p99_ms",
)


def test_a_load_run_reports_each_figure_per_rate_and_memory_over_the_hold() -> None:
    results = run_child(
        "terminal.bench.gui_load", ["--rates", "300", "--seconds", "1.5", "--warmup", "1", "--hold", "3"], timeout=180
    )
    by_name = {r.name: r for r in results}
    expected = {f"{name}@300" for name in FIGURES} | {"memory.rss_mb@start", "memory.rss_mb@3s", "memory.rss_growth_mb"}
    assert set(by_name) == expected
    for result in results:
        assert math.isfinite(result.value), result
        assert result.note
    assert by_name["ui.msgs_per_s@300"].value > 100  # the demo's feed reached the terminal
    assert "300 msg/s" in by_name["ui.msgs_per_s@300"].note
    assert by_name["ui.fps@300"].value > 0
    assert by_name["ui.cpu_share@300"].value > 0
    assert by_name["ui.tick_to_paint_p99_ms@300"].value >= by_name["ui.tick_to_paint_p50_ms@300"].value >= 0
    assert by_name["ui.loop_lag_max_ms@300"].value >= by_name["ui.loop_lag_p99_ms@300"].value
    assert 50 < by_name["memory.rss_mb@start"].value < 10_000
    assert by_name["memory.rss_mb@3s"].unit == "MB"


def test_startup_reports_the_time_from_spawn_to_the_first_live_frame(tmp_path: Path) -> None:
    spawned = time.time()
    (result,) = run_child(
        "terminal.bench.startup", ["--spawned-at", repr(spawned), "--dir", str(tmp_path)], timeout=120
    )
    assert result.name == "startup.first_live_frame_s"
    assert 0 < result.value < time.time() - spawned
    assert (tmp_path / "config" / "profiles.json").exists()  # the scratch directory, not the user's
