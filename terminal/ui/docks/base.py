"""A dock that shows part of a session and follows its active symbol; unbinding detaches it cleanly.

Subclasses implement ``on_bind`` (connect to the session's store signals with ``listen``, start
watching data) and ``on_symbol``; everything connected through ``listen`` and every watch taken
through ``watch`` is released on ``bind(None)``, so switching profiles leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import SignalInstance
from PySide6.QtWidgets import QDockWidget, QWidget

from terminal.domain.intervals import Interval
from terminal.session.session import Session
from terminal.venues.base import Topic, Watch


class SessionDock(QDockWidget):
    def __init__(self, title: str, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setObjectName(object_name)  # stable and ASCII: the saved layout refers to it
        self.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable
            | QDockWidget.DockWidgetFeature.DockWidgetFloatable
            | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.session: Session | None = None
        self.symbol = ""
        self._connections: list[tuple[SignalInstance, Callable[..., Any]]] = []
        self._watches: list[Watch] = []

    def bind(self, session: Session | None) -> None:
        if self.session is not None:
            for signal, slot in self._connections:
                signal.disconnect(slot)
            self._connections.clear()
            self.release_watches()
            self.on_unbind()
        self.session = session
        self.symbol = ""
        if session is not None:
            self.listen(session.active_symbol_changed, self._symbol_changed)
            self.on_bind(session)
            if session.active_symbol:
                self._symbol_changed(session.active_symbol)

    def listen(self, signal: SignalInstance, slot: Callable[..., Any]) -> None:
        signal.connect(slot)
        self._connections.append((signal, slot))

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch | None:
        if self.session is None:
            return None
        watch = self.session.watch(topic, symbol, interval)
        self._watches.append(watch)
        return watch

    def release_watches(self) -> None:
        for watch in self._watches:
            watch.release()
        self._watches.clear()

    def _symbol_changed(self, symbol: str) -> None:
        if symbol != self.symbol:
            self.symbol = symbol
            self.on_symbol(symbol)

    # ---- for subclasses -------------------------------------------------------------------

    def on_bind(self, session: Session) -> None:
        """Connect to the session (use ``listen``) and fill the dock."""

    def on_unbind(self) -> None:
        """Forget everything shown about the previous session."""

    def on_symbol(self, symbol: str) -> None:
        """The active symbol changed (watches for the previous symbol are still held: release them)."""
