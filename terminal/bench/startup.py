"""Start-up: from process start to the first painted frame with live data (the ladder showing a book
from the demo exchange), running the terminal's own ``main`` in a fresh process, files in a scratch
directory. The parent passes the time it spawned the child; the child reports the difference."""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from terminal.bench.child import emit, run_child
from terminal.bench.report import Result


def _child(spawned_at: float, directory: Path) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from terminal.app import run as app_run
    from terminal.app.main import main as terminal_main
    from terminal.bench.probes import LadderPaints
    from terminal.storage.paths import AppPaths
    from terminal.ui.ladder.ladder_view import LadderView

    scratch = AppPaths(*(directory / name for name in ("config", "data", "log", "cache", "state")))
    app_run.default_paths = lambda: scratch  # type: ignore[attr-defined]
    paints = LadderPaints()
    seconds: list[float] = []

    def shown() -> None:
        assert paints.first_live is not None
        seconds.append(paints.first_live - spawned_at)
        views = [w for w in QApplication.topLevelWidgets() if w.findChild(LadderView) is not None]
        for window in views:
            QTimer.singleShot(0, window.close)

    paints.on_first_live(shown)
    paints.install()
    code = terminal_main(["--exit-after", "60", "--log-level", "WARNING"])
    if code != 0 or not seconds:
        print("no live frame was painted", file=sys.stderr)
        return 1
    result = Result(
        "startup.first_live_frame_s",
        seconds[0],
        "s",
        note="process start to the first ladder repaint showing a demo book (terminal main, demo child started)",
    )
    emit([result])
    return 0


def run(quick: bool) -> list[Result]:
    runs = 1 if quick else 5
    times: list[float] = []
    with tempfile.TemporaryDirectory(prefix="terminal-bench-") as directory:
        for attempt in range(runs + 1):  # the first run warms the disk cache and writes bytecode: not counted
            spawned = time.time()
            (figure,) = run_child("terminal.bench.startup", ["--spawned-at", repr(spawned), "--dir", directory])
            if attempt:
                times.append(figure.value)
    return [
        Result(
            "startup.first_live_frame_s",
            statistics.median(times),
            "s",
            note=f"median of {runs} warm starts ({min(times):.2f}-{max(times):.2f} s): process start to the first "
            "ladder repaint showing a live book, offscreen, the demo exchange started as a child as usual",
        )
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m terminal.bench.startup")
    parser.add_argument("--spawned-at", type=float, required=True)
    parser.add_argument("--dir", type=Path, required=True)
    args = parser.parse_args(argv)
    return _child(args.spawned_at, args.dir)


if __name__ == "__main__":
    raise SystemExit(main())
