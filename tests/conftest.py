"""Shared test setup: Qt runs offscreen, every file the terminal writes goes to a temporary home,
and Qt tests get a qasync loop riding on pytest-qt's event loop."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Settings, data, logs and caches of every test go to a fresh temporary directory."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        path = Path(home) / variable.lower()
        path.mkdir()
        monkeypatch.setenv(variable, str(path))


@pytest.fixture
def aloop(qapp: object) -> Iterator[asyncio.AbstractEventLoop]:
    """An asyncio loop driven by Qt: anything that spins Qt's loop (qtbot.waitUntil, qtbot.wait)
    also runs asyncio tasks, as in the app (DESIGN.md, "Testing": qasync with already_running)."""
    import qasync

    loop = qasync.QEventLoop(qapp, already_running=True)
    asyncio.set_event_loop(loop)
    try:
        yield loop
    finally:
        for task in asyncio.all_tasks(loop):
            task.cancel()
        # Undo what already_running=True set up (qasync has no public call for it): the loop must
        # not stay registered as "running", or the next pytest-asyncio test refuses to start.
        asyncio.events._set_running_loop(None)
        loop._QEventLoop__is_running = False  # type: ignore[attr-defined]
        loop.close()
        asyncio.set_event_loop(None)
