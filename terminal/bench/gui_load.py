"""GUI loop health under load, tick-to-paint latency and memory over time: the full main window
(offscreen) fed by the demo exchange at given message rates. Each run is a fresh child process
(``python -m terminal.bench.gui_load``), so its CPU time and memory are the terminal's alone."""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

from terminal.bench.child import emit, run_child
from terminal.bench.live_window import LiveTerminal, offscreen, open_terminal
from terminal.bench.probes import CpuClock, LadderPaints, LoopLag, StreamCounter, WindowFrames, percentile
from terminal.bench.report import Result
from terminal.soak.monitor import rss_bytes

RATES = (500, 2000, 10000)
SIM_RATE = 40  # the demo's market activity during the runs: actions per second per symbol
SYMBOLS = ("BTCUSDT", "ETHUSDT", "SOLUSDT", "ETHBTC", "HSKUSDT")
FIRST_FRAME_TIMEOUT_S = 60.0


def _mb() -> float:
    rss = rss_bytes()
    return rss / 1_048_576 if rss is not None else float("nan")


class Probes:
    def __init__(self) -> None:
        self.lag = LoopLag()
        self.paints = LadderPaints()
        self.stream = StreamCounter()
        self.cpu = CpuClock()
        self.frames = WindowFrames()

    def install(self) -> None:
        self.paints.install()
        self.stream.install()
        self.lag.start()

    def quiet(self) -> None:
        """Stop sampling and let go of every sample (for the memory hold)."""
        self.lag.stop()
        self.paints.recording = False
        self.reset()

    def reset(self) -> None:
        self.lag.reset()
        self.paints.reset()
        self.stream.reset()
        self.cpu.reset()
        self.frames.reset()


def _load_results(rate: int, probes: Probes, terminal: LiveTerminal) -> list[Result]:
    elapsed = probes.cpu.elapsed()
    cpu = probes.cpu.share()
    lag = probes.lag.samples
    received = probes.stream.total / elapsed
    ticks = probes.paints.latencies_ms
    where = (
        f"full main window {terminal.window.width()}x{terminal.window.height()} offscreen, every dock open; "
        f"demo feed {rate} msg/s over {len(SYMBOLS)} symbols, {received:,.0f} msg/s received "
        f"({', '.join(f'{t} {n / elapsed:,.0f}' for t, n in probes.stream.topics.most_common())}); "
        f"{elapsed:.0f} s"
    )
    return [
        Result(f"ui.loop_lag_p50_ms@{rate}", percentile(lag, 0.5), "ms", note=f"event-loop lag, {where}"),
        Result(f"ui.loop_lag_p99_ms@{rate}", percentile(lag, 0.99), "ms", note=f"event-loop lag, {where}"),
        Result(f"ui.loop_lag_max_ms@{rate}", max(lag, default=float("nan")), "ms", note=f"event-loop lag, {where}"),
        Result(f"ui.fps@{rate}", probes.frames.frames / elapsed, "frames/s", note=f"window frames painted, {where}"),
        Result(f"ui.ladder_fps@{rate}", probes.paints.paints / elapsed, "frames/s", note=f"ladder repaints, {where}"),
        Result(f"ui.cpu_share@{rate}", cpu, "% of a core", note=f"terminal process CPU time / wall time, {where}"),
        Result(f"ui.msgs_per_s@{rate}", received, "msg/s", note=f"public messages decoded, {where}"),
        Result(
            f"ui.tick_to_paint_p50_ms@{rate}",
            percentile(ticks, 0.5),
            "ms",
            note=f"demo send time of a book to the end of the ladder repaint showing it, {len(ticks)} books; {where}",
        ),
        Result(
            f"ui.tick_to_paint_p99_ms@{rate}",
            percentile(ticks, 0.99),
            "ms",
            note=f"demo send time of a book to the end of the ladder repaint showing it, {len(ticks)} books; {where}",
        ),
    ]


async def _first_live(probes: Probes) -> None:
    shown = asyncio.Event()
    probes.paints.on_first_live(shown.set)
    if probes.paints.first_live is None:
        await asyncio.wait_for(shown.wait(), FIRST_FRAME_TIMEOUT_S)


async def measure(args: argparse.Namespace) -> list[Result]:
    probes = Probes()
    probes.install()
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="terminal-bench-") as directory:
        terminal = await open_terminal(Path(directory), ["--rate", str(args.sim_rate), "--symbols", ",".join(SYMBOLS)])
        probes.frames.watch(terminal.window)
        try:
            await _first_live(probes)
            await asyncio.sleep(args.warmup)
            started_mb = _mb()
            for rate in args.rates:
                await terminal.set_feed_rate(rate)
                await asyncio.sleep(args.warmup)
                probes.reset()
                await asyncio.sleep(args.seconds)
                results.extend(_load_results(rate, probes, terminal))
            if args.hold:
                probes.quiet()  # their samples would grow for as long as the hold: measure the terminal alone
                results.extend(await _hold(terminal, args.hold, args.hold_rate, started_mb))
        finally:
            await terminal.close()  # stops the demo exchange too
    return results


async def _hold(terminal: LiveTerminal, seconds: float, rate: int, started_mb: float) -> list[Result]:
    """Stream at ``rate`` for ``seconds``; resident size at the start, at the end, and its growth over
    the last four fifths (after caches and the chart's history have filled), sampled every tenth."""
    await terminal.set_feed_rate(rate)
    began = time.monotonic()
    samples: list[tuple[float, float]] = []
    for tenth in range(1, 11):
        await asyncio.sleep(max(0.0, began + seconds * tenth / 10 - time.monotonic()))
        samples.append((seconds * tenth / 10, _mb()))
    settled_mb, final_mb = samples[1][1], samples[-1][1]
    span = _span(seconds)
    trend = ", ".join(f"{_span(at)} {mb:.0f}" for at, mb in samples)
    what = f"full main window, demo feed {rate} msg/s over {len(SYMBOLS)} symbols"
    return [
        Result("memory.rss_mb@start", started_mb, "MB", note=f"resident size at the first live frame, {what}"),
        Result(
            f"memory.rss_mb@{span}",
            final_mb,
            "MB",
            note=f"resident size after {span} of streaming, {what}; samples (MB): {trend}",
        ),
        Result(
            "memory.rss_growth_mb",
            final_mb - settled_mb,
            "MB",
            note=f"resident size change from {_span(seconds / 5)} to {span} of streaming, {what}",
        ),
    ]


def _span(seconds: float) -> str:
    return f"{seconds / 60:.3g}min" if seconds >= 60 else f"{seconds:.3g}s"


def _rates(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip()]


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m terminal.bench.gui_load")
    parser.add_argument("--rates", type=_rates, default=list(RATES), help="feed rates, msg/s, comma-separated")
    parser.add_argument("--seconds", type=float, default=20.0, help="measured seconds per rate")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds before each measurement")
    parser.add_argument("--hold", type=float, default=0.0, help="then stream this many seconds for memory")
    parser.add_argument("--hold-rate", type=int, default=2000, help="the feed rate while holding")
    parser.add_argument("--sim-rate", type=float, default=SIM_RATE, help="demo market activity, actions/s/symbol")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    offscreen()
    import qasync
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication(sys.argv[:1])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        results = loop.run_until_complete(measure(args))
    emit(results)
    return 0


def run_load(quick: bool) -> list[Result]:
    seconds, warmup = ("4", "1.5") if quick else ("20", "4")
    return run_child("terminal.bench.gui_load", ["--seconds", seconds, "--warmup", warmup])


def run_memory(quick: bool) -> list[Result]:
    hold = "20" if quick else "600"
    return run_child("terminal.bench.gui_load", ["--rates", "", "--warmup", "2", "--hold", hold])


if __name__ == "__main__":
    raise SystemExit(main())
