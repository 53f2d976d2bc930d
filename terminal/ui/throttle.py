"""Run a refresh at most a few times a second: summary tables (markets, balances) are read, not
watched tick by tick, and repainting them at the frame rate costs more than the ladder does."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

SUMMARY_INTERVAL_MS = 250  # four refreshes a second: every change shows, none is lost


class Throttle(QObject):
    """Calls ``callback`` at once when idle, then at most once per ``interval_ms``: calls in between
    are coalesced into one at the end of the interval, so the last state always shows."""

    def __init__(
        self, callback: Callable[[], None], interval_ms: int = SUMMARY_INTERVAL_MS, parent: QObject | None = None
    ):
        super().__init__(parent)
        self._callback = callback
        self._pending = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self._due)

    def __call__(self) -> None:
        if self._timer.isActive():
            self._pending = True
            return
        self._callback()
        self._timer.start()

    def cancel(self) -> None:
        """Forget a coalesced call (the table was cleared or rebound)."""
        self._pending = False
        self._timer.stop()

    def _due(self) -> None:
        if self._pending:
            self._pending = False
            self._callback()
            self._timer.start()
