"""A DemoProcess without a Qt parent may be dropped right after it stops, with the qasync loop still
running: Qt must not crash when it deletes the child's QProcess. Run in a separate interpreter, so a
crash (SIGSEGV, SIGBUS) fails the test instead of taking pytest down with it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import asyncio, faulthandler, gc, sys, weakref
faulthandler.enable()
import qasync
from PySide6.QtWidgets import QApplication
from terminal.app.demo_process import DemoProcess, DemoProcessError

async def main(arguments):
    demo = DemoProcess()
    try:
        await demo.start(arguments, timeout=60)
    except DemoProcessError as error:
        print("start failed:", error, flush=True)
    await demo.stop()
    gone = weakref.ref(demo)
    del demo
    await asyncio.sleep(0.5)  # the loop runs on: Qt delivers the QProcess's deferred deletion
    gc.collect()
    await asyncio.sleep(0.2)
    print("released" if gone() is None else "still referenced", flush=True)

app = QApplication(sys.argv)
qasync.run(main(sys.argv[1:]))
"""


@pytest.mark.parametrize(
    "arguments",
    [
        pytest.param(["--quiet", "--symbols", "BTCUSDT"], id="after-a-run"),
        pytest.param(["--no-such-option"], id="after-a-failed-start"),
    ],
)
def test_a_parentless_demo_process_dropped_after_stop_does_not_crash_qt(arguments: list[str]) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *arguments],
        check=False,
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, f"exit code {done.returncode}:\n{output}"
    assert "released" in done.stdout, output  # nothing keeps a stopped DemoProcess alive
