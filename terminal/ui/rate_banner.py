"""A banner over the window while the venue limits (HTTP 429) or blocks (HTTP 418) our requests.

It counts down on its own one-second timer against a deadline, so the seconds keep moving between
the session's status updates; the queued requests are shown too. "×" hides it until the next 429.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget

from terminal.session.status_store import StatusStore
from terminal.ui import theme
from terminal.ui.toolbar_item import set_shown
from terminal.venues.base import VenueStatus

NEW_PAUSE_S = 1.0  # a pause ending this much later than the one shown comes from a new 429


class StatusSource(Protocol):
    """What the banner reads (a ``Session`` is one)."""

    @property
    def status(self) -> StatusStore: ...


def _queued(count: int) -> str:
    if not count:
        return ""
    return f" {count} request{'s' if count != 1 else ''} waiting."


class RateBanner(QFrame):
    """``visibility_changed(shown)`` when it appears or goes (a container may show and hide with it)."""

    visibility_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(parent)
        self.setObjectName("rateBanner")
        self._clock = clock
        self.message = QLabel()
        # Clipped rather than widening the window in a narrow one; the tooltip holds the whole text.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.close_button = QToolButton()
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Hide until the venue limits our requests again")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 2, 2, 2)
        layout.addWidget(self.message, 1)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setInterval(1000)
        self._timer.timeout.connect(self._render)
        self._source: StatusSource | None = None
        self._deadline: float | None = None  # on ``clock``: when the venue's pause ends
        self._banned = False
        self._queued = 0
        self._dismissed = False
        self._shown = False
        self.hide()
        theme.notifier().changed.connect(self._theme_changed)

    def bind(self, session: StatusSource | None) -> None:
        if self._source is not None:
            self._source.status.changed.disconnect(self.refresh)
        self._source = session
        self._deadline, self._banned, self._queued, self._dismissed = None, False, 0, False
        if session is not None:
            session.status.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        """Take the session's latest figures (a new 429 or a new block brings a dismissed banner back)."""
        venue = self._source.status.venue if self._source is not None else VenueStatus()
        deadline = self._clock() + venue.rate_limited_for if venue.rate_limited_for > 0 else None
        renewed = deadline is not None and (self._deadline is None or deadline > self._deadline + NEW_PAUSE_S)
        if renewed or (venue.banned and not self._banned):
            self._dismissed = False
        self._deadline, self._banned, self._queued = deadline, venue.banned, venue.queued_requests
        self._render()

    def dismiss(self) -> None:
        self._dismissed = True
        self._render()

    @property
    def shown(self) -> bool:
        """Whether it has something to say (and is not dismissed), whatever its container does."""
        return self._shown

    def seconds_left(self) -> int:
        """Whole seconds until the pause ends, rounded up (0: no pause)."""
        if self._deadline is None:
            return 0
        return max(0, math.ceil(self._deadline - self._clock()))

    def _render(self) -> None:
        left = self.seconds_left()
        if self._dismissed or not (self._banned or left):
            self._timer.stop()
            self._set_shown(False)
            return
        t = theme.current()
        if self._banned:
            when = f"in {left} s" if left else "when the venue lifts it"
            text = (
                f"The venue has blocked requests from this address (HTTP 418). Nothing is sent; the block ends {when}."
            )
            colour = t.sell
        else:
            text = f"The venue is limiting our requests (HTTP 429). Orders are held back; sending resumes in {left} s."
            colour = t.warn
        self.message.setText(text + _queued(self._queued))
        self.message.setToolTip(self.message.text())
        self.setStyleSheet(
            f"#rateBanner {{ background: {colour}; }}"
            f" #rateBanner QLabel, #rateBanner QToolButton {{ color: {t.base}; border: none; }}"
        )
        self._set_shown(True)
        if left and not self._timer.isActive():
            self._timer.start()
        elif not left:
            self._timer.stop()

    def _theme_changed(self) -> None:
        if self._shown:  # a hidden banner is styled when it next appears
            self._render()

    def _set_shown(self, shown: bool) -> None:
        set_shown(self, shown)
        if shown != self._shown:
            self._shown = shown
            self.visibility_changed.emit(shown)
