"""The Help menu: the shortcut list is read from the window's actions, About says what runs where,
and the logs entry says where the logs and the journal are."""

from __future__ import annotations

import platform
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu
from pytestqt.qtbot import QtBot

from terminal import __version__
from terminal.demo.endpoints import Endpoints
from terminal.session.session import Session
from terminal.storage.paths import AppPaths, default_paths
from terminal.ui.dialogs import locations
from terminal.ui.dialogs.about import AboutDialog
from terminal.ui.dialogs.locations import LocationsDialog
from terminal.ui.dialogs.shortcuts import NATIVE, WIDGET_KEY, ShortcutsDialog, collect_shortcuts, plain_text
from terminal.ui.ladder.ladder_view import KEYS as LADDER_KEYS
from terminal.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, tmp_path: Path) -> Iterator[MainWindow]:
    w = MainWindow(tmp_path / "window.ini")
    qtbot.addWidget(w)
    yield w


def _help(window: MainWindow) -> QMenu:
    menus = [a.menu() for a in window.menuBar().actions() if a.text() == "&Help"]
    assert len(menus) == 1 and isinstance(menus[0], QMenu)
    return menus[0]


def test_the_help_menu_has_its_entries(window: MainWindow) -> None:
    texts = [plain_text(a) for a in _help(window).actions() if not a.isSeparator()]
    assert texts == ["Keyboard shortcuts", "Logs and journal", "Welcome panel", "About trading-terminal"]


def test_the_welcome_panel_comes_back_from_the_help_menu(window: MainWindow) -> None:
    window.show()
    window.show_welcome(True)
    window.welcome.dismiss()
    assert not window.welcome_bar.isVisible()
    window.help_menu.welcome_action.trigger()
    assert window.welcome_bar.isVisible() and window.welcome.isVisible()


def test_the_shortcut_list_shows_the_trading_keys_as_the_profile_set_them(window: MainWindow) -> None:
    keys = {(r.context, r.action, r.keys) for r in collect_shortcuts(window)}
    assert ("Trading", "Buy: send the ticket's order as a buy", "Ctrl+Shift+B") in keys
    assert ("View > Navigate", "Next symbol (markets list order)", "Ctrl+PgDown") in keys
    window.keys.apply({"buy": QKeySequence("F9"), "next_symbol": QKeySequence()})
    keys = {(r.action, r.keys) for r in collect_shortcuts(window)}
    assert ("Buy: send the ticket's order as a buy", "F9") in keys
    assert not any(action.startswith("Next symbol") for action, _ in keys)  # no key: not listed


def test_the_shortcut_list_holds_every_action_with_a_shortcut(window: MainWindow) -> None:
    window.help_menu.shortcuts_action.trigger()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, ShortcutsDialog) and dialog.isVisible() and not dialog.isModal()
    listed = {(row.action, row.keys) for row in dialog.rows if row.kind != WIDGET_KEY}
    expected = {
        (plain_text(a), ", ".join(s.toString(NATIVE) for s in a.shortcuts()))
        for a in window.findChildren(QAction)
        if a.shortcuts()
    }
    assert listed == expected
    assert ("KILL SWITCH", "Ctrl+Shift+K") in listed
    assert ("Keyboard shortcuts", QKeySequence(QKeySequence.StandardKey.HelpContents).toString(NATIVE)) in listed
    kill = next(row for row in dialog.rows if row.action == "KILL SWITCH")
    assert kill.context == "Trading"
    assert dialog.model.rowCount() == len(dialog.rows)
    assert dialog.rows == sorted(dialog.rows, key=lambda r: (r.context.casefold(), r.action.casefold()))


def test_the_shortcut_list_follows_actions_added_later(window: MainWindow) -> None:
    extra = QAction("&Next symbol", window)
    extra.setShortcut(QKeySequence("Ctrl+Down"))
    assert ("Next symbol", "Ctrl+Down") in {(r.action, r.keys) for r in collect_shortcuts(window)}


def test_widget_keys_cover_the_keys_widgets_handle_themselves(window: MainWindow) -> None:
    listed = {key for row in collect_shortcuts(window) if row.kind == WIDGET_KEY for key in row.keys.split(", ")}
    shortcuts = window.findChildren(QShortcut)
    assert shortcuts  # the orders dock's Delete
    for shortcut in shortcuts:
        assert shortcut.key().toString(NATIVE) in listed
    for key in (*LADDER_KEYS, Qt.Key.Key_Return, Qt.Key.Key_Enter):
        assert QKeySequence(key).toString(NATIVE) in listed


def test_about_without_a_session_says_not_connected(window: MainWindow) -> None:
    window.help_menu.about_action.trigger()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, AboutDialog) and dialog.isVisible() and not dialog.isModal()
    text = dialog.text()
    for fact in (__version__, platform.python_version(), qVersion(), "MIT", "not connected"):
        assert fact in text


def test_about_shows_the_venue_endpoints_in_use(window: MainWindow, session: Session, demo: Endpoints) -> None:
    window.bind(session, "Demo")
    try:
        text = window.help_menu.show_about().text()
        assert demo.rest_url.rstrip("/") in text and demo.stream_url.rstrip("/") in text
        assert "not connected" not in text
    finally:
        window.bind(None, "")


def test_logs_and_journal_shows_the_folders_and_opens_them(
    window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.help_menu.locations_action.trigger()
    dialog = window.help_menu.dialog
    assert isinstance(dialog, LocationsDialog) and dialog.isVisible() and not dialog.isModal()
    paths = default_paths()  # no paths handed in: the app's own defaults
    assert str(paths.log_dir) in dialog.text() and str(paths.journal_file) in dialog.text()

    window.paths = paths = AppPaths(*(tmp_path / n for n in "cdlks"))
    dialog = window.help_menu.show_locations()
    assert str(tmp_path / "l") in dialog.text() and str(tmp_path / "d" / "journal.sqlite3") in dialog.text()
    opened: list[Path] = []
    monkeypatch.setattr(locations, "open_folder", opened.append)
    dialog.open_logs.click()
    dialog.open_journal.click()
    assert opened == [paths.log_dir, paths.data_dir]
