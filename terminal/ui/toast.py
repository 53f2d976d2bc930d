"""Non-modal notifications in a corner of the window (a fill, a rejection): they never take focus."""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

from terminal.ui import theme

SHOW_MS = 4000


class Toasts(QObject):
    def __init__(self, host: QWidget) -> None:
        super().__init__(host)
        self._host = host
        self._label = QLabel(host)
        self._label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._label.setWordWrap(True)
        self._label.hide()
        self._queue: deque[tuple[str, str]] = deque(maxlen=20)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._next)
        host.installEventFilter(self)
        self.shown: list[str] = []  # every text shown (tests, and the log of notifications)
        self._kind = "info"
        theme.notifier().changed.connect(self._style)

    def show(self, text: str, kind: str = "info") -> None:
        self._queue.append((text, kind))
        if not self._timer.isActive():
            self._next()

    def _next(self) -> None:
        if not self._queue:
            self._label.hide()
            return
        text, self._kind = self._queue.popleft()
        self._style()
        self._label.setText(text)
        self.shown.append(text)
        self._place()
        self._label.show()
        self._label.raise_()
        self._timer.start(SHOW_MS)

    def _style(self) -> None:
        """The current toast's colours (its kind's border), from the current theme."""
        t = theme.current()
        colour = {"fill": t.buy, "error": t.sell, "warning": t.warn}.get(self._kind, t.highlight)
        self._label.setStyleSheet(
            f"background: {t.base}; color: {t.text}; border: 2px solid {colour}; border-radius: 6px; padding: 10px;"
        )

    def _place(self) -> None:
        width = min(420, max(240, self._host.width() // 3))
        self._label.setFixedWidth(width)
        self._label.adjustSize()
        self._label.move(self._host.width() - width - 16, self._host.height() - self._label.height() - 40)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._host and event.type() == QEvent.Type.Resize and self._label.isVisible():
            self._place()
        return False
