"""App-level fixtures: the live terminal on the Demo profile."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.support.qt import run, wait
from tests.support.terminal_app import Terminal, terminal


@pytest.fixture
def live(qtbot: QtBot, aloop: object, tmp_path: Path) -> Iterator[Terminal]:
    with terminal(qtbot, tmp_path) as t:
        assert run(qtbot, t.controller.open(t.controller.book.get("Demo")), timeout=60)
        assert t.session.active_symbol == "BTCUSDT"
        wait(
            qtbot, lambda: t.window.ladder.view.model is not None and t.session.account.balances.get("USDT") is not None
        )
        yield t
