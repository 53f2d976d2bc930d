"""Connection state of every stream and the venue's figures (round trip, clock offset, rate headroom)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from terminal.venues.base import ConnectionEvent, VenueStatus


class StatusStore(QObject):
    changed = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.streams: dict[str, ConnectionEvent] = {}
        self.venue = VenueStatus()
        self.session_state = "idle"
        self.session_reason = ""
        self._dirty = False

    def apply(self, event: ConnectionEvent) -> None:
        self.streams[event.stream] = event
        self._dirty = True

    def set_venue(self, status: VenueStatus) -> None:
        if status != self.venue:
            self.venue = status
            self._dirty = True

    def set_session(self, state: str, reason: str = "") -> None:
        self.session_state, self.session_reason = state, reason
        self._dirty = True

    def flush(self) -> None:
        if self._dirty:
            self._dirty = False
            self.changed.emit()
