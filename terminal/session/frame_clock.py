"""The frame clock: at most ``fps`` times a second, each store that changed emits one signal.

Streams update stores at whatever rate the venue sends; widgets hear about it once per frame. A
burst of 5,000 messages costs each store one signal, not 5,000 repaints (DESIGN.md, "The shape").
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject, Qt, QTimer


class Flushable(Protocol):
    def flush(self) -> None:
        """Emit one change signal if anything changed since the last call."""


class FrameClock(QObject):
    def __init__(self, fps: int = 60, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._stores: list[Flushable] = []
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self.tick)
        self.set_fps(fps)
        self.frames = 0

    def set_fps(self, fps: int) -> None:
        self.fps = max(1, min(fps, 240))
        self._timer.setInterval(max(1, round(1000 / self.fps)))

    def register(self, store: Flushable) -> None:
        if store not in self._stores:
            self._stores.append(store)

    def unregister(self, store: Flushable) -> None:
        if store in self._stores:
            self._stores.remove(store)

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def tick(self) -> None:
        self.frames += 1
        for store in list(self._stores):
            store.flush()
