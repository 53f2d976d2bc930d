"""The last few thousand log lines in memory, handed to listeners as they come (the UI's log dock); no Qt."""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from terminal.domain.redaction import redact


@dataclass(frozen=True, slots=True)
class LogEntry:
    """One record as the dock shows it; ``text`` is the whole formatted (and redacted) line."""

    created: float  # seconds since the epoch, as in LogRecord.created
    level: str
    levelno: int
    logger: str
    message: str
    text: str


LogListener = Callable[[LogEntry], None]


class LogBuffer(logging.Handler):
    """Keeps the last ``capacity`` entries and calls each listener with every new one.

    Listeners run on the thread that logged (the app's GUI thread: the app has no threads of its
    own) while the handler's lock is held; a listener that fails is reported like any handler
    error and does not stop the others. A record logged from inside a listener is kept but not
    passed to the listeners again, so a listener that logs cannot loop.
    """

    def __init__(self, capacity: int = 2000, level: int = logging.NOTSET) -> None:
        super().__init__(level)
        self._entries: deque[LogEntry] = deque(maxlen=capacity)
        self._listeners: list[LogListener] = []
        self._notifying = False

    def entries(self) -> list[LogEntry]:
        """The kept entries, oldest first (a copy)."""
        return list(self._entries)

    def add_listener(self, listener: LogListener) -> Callable[[], None]:
        """Subscribe; returns a function that unsubscribes."""
        self._listeners.append(listener)
        return lambda: self.remove_listener(listener)

    def remove_listener(self, listener: LogListener) -> None:
        if listener in self._listeners:
            self._listeners.remove(listener)

    def clear(self) -> None:
        self._entries.clear()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            entry = LogEntry(
                created=record.created,
                level=record.levelname,
                levelno=record.levelno,
                logger=record.name,
                message=redact(record.getMessage()),
                text=self.format(record),
            )
        except Exception:
            self.handleError(record)
            return
        self._entries.append(entry)
        if self._notifying:
            return
        self._notifying = True
        try:
            for listener in tuple(self._listeners):
                try:
                    listener(entry)
                except Exception:
                    self.handleError(record)
        finally:
            self._notifying = False
