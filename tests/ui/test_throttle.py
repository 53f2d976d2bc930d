"""Summary tables refresh at most a few times a second, and the last change always shows."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from terminal.ui.throttle import Throttle


def test_calls_within_an_interval_collapse_into_one_at_its_end(qtbot: QtBot) -> None:
    calls: list[int] = []
    state = {"value": 0}
    throttle = Throttle(lambda: calls.append(state["value"]), interval_ms=100)
    throttle()  # idle: at once
    assert calls == [0]
    for value in range(1, 50):
        state["value"] = value
        throttle()
    assert calls == [0]  # coalesced, not dropped
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    assert calls == [0, 49]  # one call, showing the latest state
    qtbot.wait(250)
    assert calls == [0, 49]  # nothing more without new calls


def test_a_cancelled_call_does_not_come(qtbot: QtBot) -> None:
    calls: list[str] = []
    throttle = Throttle(lambda: calls.append("refresh"), interval_ms=50)
    throttle()
    throttle()
    throttle.cancel()
    qtbot.wait(150)
    assert calls == ["refresh"]
    throttle()  # idle again after a cancel: at once
    assert calls == ["refresh", "refresh"]
