"""Soak program for the qasync event loop: many timer and loop callbacks under PySide6.

Run as a subprocess by tests/test_qasync_soak.py, so that the crash it guards against
(PySide6 6.12.0 on Python 3.11: ``Fatal Python error: none_dealloc`` after ~5,000 timer
callbacks, DESIGN.md pitfalls) fails one test instead of killing the test run.
"""

from __future__ import annotations

import asyncio
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync
from PySide6.QtWidgets import QApplication


async def soak(iterations: int) -> int:
    loop = asyncio.get_running_loop()
    fired = 0

    def on_timer(done: asyncio.Future[None]) -> None:
        nonlocal fired
        fired += 1
        done.set_result(None)

    for _ in range(iterations):
        done: asyncio.Future[None] = loop.create_future()
        # call_later goes through a Qt timer in qasync: the path that crashed.
        loop.call_later(0, on_timer, done)
        await done
        loop.call_soon(lambda: None)
        await asyncio.sleep(0)
    return fired


def main() -> int:
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        fired = loop.run_until_complete(soak(iterations))
    print(f"soak ok: {fired} timer callbacks")
    return 0 if fired == iterations else 1


if __name__ == "__main__":
    raise SystemExit(main())
