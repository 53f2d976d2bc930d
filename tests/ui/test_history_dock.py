"""The history dock over a real journal file: rows, filters, following one order, new entries, no journal."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from terminal.storage.journal import EntryKind, Journal
from terminal.ui.docks import history
from terminal.ui.docks.history import NO_JOURNAL, HistoryDock, local_time

START_MS = 1_795_342_530_123


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    ticks = itertools.count(START_MS, 1000)
    with Journal(tmp_path / "journal.sqlite3", "Demo", clock=lambda: next(ticks)) as journal:
        journal.record(EntryKind.ACTION, "place BUY 0.5 BTCUSDT @ 95000 (ticket)", client_order_id="A-1")
        journal.record(EntryKind.REQUEST, "POST /api/v1/spot/order", client_order_id="A-1")
        journal.record(EntryKind.RESPONSE, "accepted as 1777", client_order_id="A-1")
        journal.record(EntryKind.EVENT, "filled 0.2 @ 94990", client_order_id="B-2", data={"qty": "0.2"})
        journal.record(EntryKind.NOTE, "reconciled B-2 after restart")
        journal.commit()
        yield journal


@pytest.fixture
def dock(qtbot: QtBot, journal: Journal) -> HistoryDock:
    dock = HistoryDock()
    qtbot.addWidget(dock)
    dock.bind(journal)
    return dock


def _column(dock: HistoryDock, column: int) -> list[str]:
    model = dock.model
    return [str(model.data(model.index(row, column))) for row in range(model.rowCount())]


def test_entries_appear_oldest_first_with_time_kind_order_and_text(dock: HistoryDock) -> None:
    assert dock.objectName() == "historyDock" and dock.windowTitle() == "History"
    headers = [dock.model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert headers == ["Time", "Kind", "Order", "Text"]
    assert _column(dock, 1) == ["action", "request", "response", "event", "note"]
    assert _column(dock, 2) == ["A-1", "A-1", "A-1", "B-2", ""]
    assert _column(dock, 3)[0] == "place BUY 0.5 BTCUSDT @ 95000 (ticket)"
    assert _column(dock, 0)[0] == local_time(START_MS)
    assert local_time(START_MS).endswith(".123")
    tooltip = dock.model.data(dock.model.index(3, 3), Qt.ItemDataRole.ToolTipRole)
    assert "filled 0.2 @ 94990" in tooltip and '"qty": "0.2"' in tooltip
    assert dock.stack.currentWidget() is dock.table


def test_typing_an_order_id_filters_after_a_short_pause(qtbot: QtBot, dock: HistoryDock) -> None:
    assert dock.search.placeholderText() == "Filter by order id or text"
    dock.search.setText("b-2")
    assert dock.model.rowCount() == 5  # debounced: not on every keystroke
    qtbot.waitUntil(lambda: dock.model.rowCount() == 2, timeout=2000)
    assert _column(dock, 3) == ["filled 0.2 @ 94990", "reconciled B-2 after restart"]


def test_the_kind_filter_and_clear(dock: HistoryDock) -> None:
    assert [dock.kind.itemText(i) for i in range(dock.kind.count())] == [
        "All",
        "action",
        "request",
        "response",
        "event",
        "note",
    ]
    dock.kind.setCurrentIndex(dock.kind.findText(EntryKind.RESPONSE.value))
    assert _column(dock, 3) == ["accepted as 1777"]
    dock.search.setText("nothing matches this")
    dock.refresh()
    assert dock.model.rowCount() == 0
    dock.clear_button.click()
    assert dock.search.text() == "" and dock.kind.currentText() == "All"
    assert dock.model.rowCount() == 5


def test_show_order_filters_to_that_order_and_brings_the_dock_up(qtbot: QtBot, dock: HistoryDock) -> None:
    dock.show_order("A-1")
    assert dock.isVisible()
    assert dock.search.text() == "A-1"
    assert _column(dock, 2) == ["A-1", "A-1", "A-1"]


def test_new_entries_are_appended_and_the_oldest_dropped_beyond_the_limit(
    dock: HistoryDock, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    journal.record(EntryKind.EVENT, "canceled", client_order_id="A-1")
    journal.commit()
    dock.refresh()
    assert _column(dock, 3)[-1] == "canceled" and dock.model.rowCount() == 6
    monkeypatch.setattr(history, "LIMIT", 4)
    journal.record(EntryKind.NOTE, "one more")
    journal.commit()
    dock.refresh()
    assert _column(dock, 3) == ["filled 0.2 @ 94990", "reconciled B-2 after restart", "canceled", "one more"]
    dock.search.setText("A-1")
    dock.refresh()
    assert _column(dock, 3) == [
        "place BUY 0.5 BTCUSDT @ 95000 (ticket)",
        "POST /api/v1/spot/order",
        "accepted as 1777",
        "canceled",
    ]


def test_a_visible_dock_follows_new_entries_and_stays_at_the_bottom(
    qtbot: QtBot, dock: HistoryDock, journal: Journal, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(history, "REFRESH_MS", 50)
    dock._timer.setInterval(history.REFRESH_MS)
    dock.resize(600, 200)
    dock.show()
    qtbot.waitExposed(dock)
    for i in range(100):
        journal.record(EntryKind.EVENT, f"event {i}")
    journal.commit()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 105, timeout=3000)
    bar = dock.table.verticalScrollBar()
    assert bar.maximum() > 0 and bar.value() == bar.maximum()
    journal.record(EntryKind.EVENT, "the newest")
    journal.commit()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 106, timeout=3000)
    assert bar.value() == bar.maximum()
    bar.setValue(0)  # the user scrolls up to read: new rows must not pull the view away
    journal.record(EntryKind.EVENT, "newer still")
    journal.commit()
    qtbot.waitUntil(lambda: dock.model.rowCount() == 107, timeout=3000)
    assert bar.value() == 0
    dock.hide()
    assert not dock._timer.isActive()


def test_without_a_journal_the_dock_says_so(qtbot: QtBot, dock: HistoryDock) -> None:
    dock.bind(None)
    assert dock.stack.currentWidget() is dock.placeholder
    assert dock.placeholder.text() == NO_JOURNAL == "No journal for this profile"
    assert dock.model.rowCount() == 0
    assert not dock.search.isEnabled() and not dock.kind.isEnabled()
    dock.show_order("A-1")  # harmless
    assert dock.model.rowCount() == 0


def test_a_broken_journal_shows_its_problem_instead_of_raising(
    qtbot: QtBot, dock: HistoryDock, journal: Journal
) -> None:
    dock.show()
    journal.close()
    dock.search.setText("x")
    dock.refresh()
    assert dock.model.rowCount() == 0
    assert dock.message.isVisible()
    assert "could not be read" in dock.message.text()
