"""The Help menu: every keyboard shortcut, About, and where the logs and the journal live."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QMenu

from terminal.storage.paths import AppPaths, default_paths
from terminal.ui.dialogs.about import AboutDialog
from terminal.ui.dialogs.locations import LocationsDialog
from terminal.ui.dialogs.shortcuts import ShortcutsDialog, collect_shortcuts

if TYPE_CHECKING:
    from terminal.ui.main_window import MainWindow

D = TypeVar("D", bound=QDialog)


class HelpMenu(QMenu):
    """Each entry builds its dialog when chosen (so it shows the window as it is then) and shows it non-modally."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__("&Help", window)
        self.setObjectName("helpMenu")
        self._window = window
        self.shortcuts_action = self._entry("&Keyboard shortcuts", "helpShortcuts", self.show_shortcuts)
        self.shortcuts_action.setShortcut(QKeySequence.StandardKey.HelpContents)
        self.locations_action = self._entry("&Logs and journal", "helpLocations", self.show_locations)
        self.welcome_action = self._entry("&Welcome panel", "helpWelcome", lambda: window.show_welcome(True))
        self.addSeparator()
        self.about_action = self._entry("&About trading-terminal", "helpAbout", self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.dialog: QDialog | None = None  # the one shown last

    def _entry(self, text: str, name: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self._window)
        action.setObjectName(name)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def show_shortcuts(self) -> ShortcutsDialog:
        return self._show(ShortcutsDialog(collect_shortcuts(self._window), self._window))

    def show_about(self) -> AboutDialog:
        return self._show(AboutDialog(self._window.session, self._window))

    def show_locations(self) -> LocationsDialog:
        # The app hands its paths to the window; without them, the same call the app makes.
        paths: AppPaths = self._window.paths or default_paths()
        session = self._window.session
        journal = session.journal.path if session is not None and session.journal is not None else paths.journal_file
        return self._show(LocationsDialog(paths.log_dir, paths.log_file, journal, self._window))

    def _show(self, dialog: D) -> D:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()  # never exec(): the qasync loop keeps running under it
        dialog.raise_()
        self.dialog = dialog
        return dialog
