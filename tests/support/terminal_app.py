"""The whole terminal (main window and controller) on the Demo profile, for app-level tests."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from pytestqt.qtbot import QtBot

from terminal.app.controller import Controller
from terminal.session.session import Session
from terminal.storage.app_settings import SettingsStore
from terminal.storage.profiles import ProfileStore
from terminal.storage.secrets import SecretStore
from terminal.ui.main_window import MainWindow
from tests.support.keyring import MemoryKeyring
from tests.support.qt import run


@dataclass
class Terminal:
    window: MainWindow
    controller: Controller
    tmp: Path

    @property
    def session(self) -> Session:
        assert self.controller.session is not None
        return self.controller.session

    def state(self) -> dict:  # type: ignore[type-arg]
        endpoints = self.controller.demo.endpoints
        assert endpoints is not None
        params = {"api_key": endpoints.api_key}
        return httpx.get(f"{endpoints.rest_url}/_demo/state", params=params, timeout=10).json()


@contextlib.contextmanager
def terminal(qtbot: QtBot, tmp: Path) -> Iterator[Terminal]:
    # Not qtbot.addWidget: pytest-qt deletes those before fixtures are torn down, and the
    # controller still needs the window to save its layout while it shuts down.
    window = MainWindow(tmp / "window.ini")
    window.show()
    controller = Controller(
        window,
        ProfileStore(tmp / "profiles.json"),
        SecretStore(MemoryKeyring()),
        journal_file=tmp / "journal.sqlite3",
        settings_store=SettingsStore(tmp / "settings.json"),
    )
    try:
        yield Terminal(window, controller, tmp)
    finally:
        run(qtbot, controller.shutdown(), timeout=30)
        window.close()
        window.deleteLater()
