"""Command line, QApplication and the qasync event loop that runs every network task."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from terminal import __version__


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="trading-terminal", description="A desktop trading terminal.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--exit-after", type=float, metavar="SECONDS", help="quit cleanly after this many seconds")
    parser.add_argument("--screenshot", type=Path, metavar="PATH", help="save a PNG of the window just before quitting")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    # Imported here so that --help and --version work without a display.
    import qasync
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setWindowTitle(f"trading-terminal {__version__}")
    label = QLabel("trading-terminal: the main window arrives with the 'Desktop terminal' issue.")
    label.setMargin(24)
    window.setCentralWidget(label)
    window.resize(900, 600)
    window.show()

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    closed = asyncio.Event()
    app.aboutToQuit.connect(closed.set)

    def finish() -> None:
        if args.screenshot is not None:
            args.screenshot.parent.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(args.screenshot), "PNG")
        app.quit()

    if args.exit_after is not None:
        QTimer.singleShot(int(args.exit_after * 1000), finish)
    with loop:
        loop.run_until_complete(closed.wait())
    return 0
