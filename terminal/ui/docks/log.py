"""Log: what happened, in plain words (orders, fills, streams, clock), newest at the bottom."""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from terminal.storage.log_buffer import LogBuffer, LogEntry
from terminal.ui import theme
from terminal.ui.docks.base import SessionDock

LEVELS = {"Everything": 0, "Warnings and errors": 30, "Errors": 40}
MAX_LINES = 5000


def shown(entry: LogEntry) -> bool:
    """Our own messages, and anybody's warnings: library chatter stays in the log file."""
    return entry.logger.startswith("terminal") or entry.levelno >= 30


def line(entry: LogEntry) -> str:
    stamp = time.strftime("%H:%M:%S", time.localtime(entry.created))
    level = {40: "ERROR", 50: "ERROR", 30: "warn "}.get(entry.levelno, "     ")
    return f"{stamp} {level} {entry.message}"


class _Bridge(QObject):
    """Hands log records to the GUI thread whatever thread logged them."""

    record = Signal(object)


class LogDock(SessionDock):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Log", "logDock", parent)
        self.view = QPlainTextEdit()
        self.view.setReadOnly(True)
        self.view.setMaximumBlockCount(MAX_LINES)
        self.view.setFont(theme.mono_font())
        self.level = QComboBox()
        self.level.addItems(list(LEVELS))
        self.level.currentTextChanged.connect(lambda _: self._reload())
        header = QHBoxLayout()
        header.addWidget(QLabel("Show:"))
        header.addWidget(self.level)
        header.addStretch(1)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(header)
        layout.addWidget(self.view)
        self.setWidget(body)
        self._bridge = _Bridge()
        self._bridge.record.connect(self._queue)
        self._pending: list[LogEntry] = []
        self._flush = QTimer(self)
        self._flush.setInterval(100)
        self._flush.timeout.connect(self._write)
        self._flush.start()
        self._buffer: LogBuffer | None = None
        self._unsubscribe: Callable[[], None] | None = None

    def attach(self, buffer: LogBuffer) -> None:
        """Show ``buffer``'s records (what the app logged before this dock existed, then live ones)."""
        if self._unsubscribe is not None:
            self._unsubscribe()
        self._buffer = buffer
        self._unsubscribe = buffer.add_listener(self._bridge.record.emit)
        self._reload()

    def _minimum(self) -> int:
        return LEVELS.get(self.level.currentText(), 0)

    def _reload(self) -> None:
        self.view.clear()
        self._pending.clear()
        if self._buffer is not None:
            minimum = self._minimum()
            lines = [line(e) for e in self._buffer.entries() if shown(e) and e.levelno >= minimum]
            self.view.setPlainText("\n".join(lines[-MAX_LINES:]))
            self.view.verticalScrollBar().setValue(self.view.verticalScrollBar().maximum())

    def _queue(self, entry: LogEntry) -> None:
        if shown(entry) and entry.levelno >= self._minimum():
            self._pending.append(entry)

    def _write(self) -> None:
        if self._pending:
            pending, self._pending = self._pending, []
            self.view.appendPlainText("\n".join(line(e) for e in pending))

    def text(self) -> str:
        self._write()
        return self.view.toPlainText()
