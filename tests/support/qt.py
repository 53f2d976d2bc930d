"""Run coroutines from Qt tests: the qasync loop advances while pytest-qt spins Qt's loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any, TypeVar

from pytestqt.qtbot import QtBot

T = TypeVar("T")


def run(qtbot: QtBot, coroutine: Coroutine[Any, Any, T], timeout: float = 20.0) -> T:
    """Run ``coroutine`` on the test's qasync loop until it finishes; return its result."""
    future = asyncio.ensure_future(coroutine)
    qtbot.waitUntil(future.done, timeout=int(timeout * 1000))
    return future.result()


def wait(qtbot: QtBot, condition: Any, timeout: float = 20.0) -> None:
    qtbot.waitUntil(condition, timeout=int(timeout * 1000))
