"""The application's main window: closing it hands over to the controller instead of quitting at once."""

from __future__ import annotations

import asyncio

from PySide6.QtGui import QCloseEvent

from terminal.ui.main_window import MainWindow


class AppWindow(MainWindow):
    """The main window, which hands its close to the controller instead of quitting at once."""

    closing_requested: asyncio.Event | None = None

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        if self.closing_requested is not None and not self.closing_requested.is_set():
            self.closing_requested.set()
            event.ignore()  # the window stays until the session has closed cleanly
            return
        super().closeEvent(event)
