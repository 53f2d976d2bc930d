"""The status bar: each stream's state (or that it is polled), round trip, clock offset, request-rate
headroom, 429 countdown."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from terminal.session.session import Session
from terminal.ui import theme
from terminal.ui.docks.polling import poll_note
from terminal.venues.base import ConnectionState

STREAM_NAMES = {"public_v1": "trades", "public_v2": "market", "private": "account"}  # HashKey's three links
CLOCK_WARNING_MS = 1000


EXPIRED_TOKEN_HINT = (
    "the access token has expired: create a new one on the venue's developer site and enter it in Profiles"
)


def token_expired(reason: str) -> bool:
    """Whether a failure reason says the access token expired (Longbridge's TokenExpired, 401003…)."""
    words = reason.casefold()
    return "token" in words and "expire" in words and "profiles" not in words


def _chip(label: QLabel, text: str, colour: str, tooltip: str = "") -> None:
    label.setText(text)
    label.setStyleSheet(f"color: {colour}; padding: 0 6px;")
    label.setToolTip(tooltip)


class StatusBar(QStatusBar):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_label = QLabel("Not connected")
        self.streams: dict[str, QLabel] = {name: QLabel() for name in STREAM_NAMES}
        self.round_trip = QLabel()
        self.clock = QLabel()
        self.rate = QLabel()
        self.addWidget(self.session_label, 1)
        for label in (*self.streams.values(), self.round_trip, self.clock, self.rate):
            self.addPermanentWidget(label)
        self._session: Session | None = None
        theme.notifier().changed.connect(self.refresh)  # the chips' colours are the theme's

    def bind(self, session: Session | None) -> None:
        if self._session is not None:
            self._session.status.changed.disconnect(self.refresh)
        self._session = session
        if session is not None:
            session.status.changed.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        t = theme.current()
        session = self._session
        if session is None:
            self.session_label.setText("Not connected")
            for label in (*self.streams.values(), self.round_trip, self.clock, self.rate):
                label.clear()
            return
        status = session.status
        state = status.session_state
        reason = f": {status.session_reason}" if status.session_reason else ""
        if token_expired(status.session_reason):
            reason += f" ({EXPIRED_TOKEN_HINT})"
        self.session_label.setText(f"{session.name}: {state}{reason}")
        for name in status.streams:
            if name not in self.streams:  # another venue's link (Deriv has one: "deriv")
                label = QLabel()
                self.insertPermanentWidget(len(self.streams), label)  # after the other links, before the ping
                self.streams[name] = label
        # HashKey's three links always show (waiting until they report); any other venue's, once they report.
        capabilities = session.venue.capabilities
        shown = set(status.streams) | (set(STREAM_NAMES) if capabilities.venue == "HashKey" else set())
        polled = poll_note(capabilities)
        for name, label in self.streams.items():
            label.setVisible(name in shown)
            event = status.streams.get(name)
            title = STREAM_NAMES.get(name, name)
            if event is None:
                _chip(label, f"{title}: -", t.muted)
            elif event.state is ConnectionState.LIVE and polled:
                _chip(label, f"{title}: {polled}", t.buy, "Market data and the account are polled, not streamed")
            elif event.state is ConnectionState.LIVE:
                _chip(label, f"{title}: live", t.buy)
            elif event.state is ConnectionState.RECONNECTING:
                _chip(
                    label,
                    f"{title}: reconnecting",
                    t.warn,
                    f"attempt {event.attempt}, in {event.delay_s:.1f} s: {event.reason}",
                )
            elif event.state is ConnectionState.FAILED:
                _chip(label, f"{title}: failed", t.sell, event.reason)
            else:
                _chip(label, f"{title}: {event.state.value}", t.warn, event.reason)
        venue = status.venue
        rtt = f"ping {venue.round_trip_ms:.0f} ms" if venue.round_trip_ms is not None else "ping -"
        _chip(self.round_trip, rtt, t.text)
        self.clock.setVisible(venue.clock_offset_ms is not None or not session.venue.capabilities.contracts)
        if venue.clock_offset_ms is None:  # not measured yet; a venue that signs nothing (Deriv) never measures it
            _chip(self.clock, "clock -", t.muted)
        else:
            warn = abs(venue.clock_offset_ms) > CLOCK_WARNING_MS
            _chip(
                self.clock,
                f"clock {venue.clock_offset_ms:+d} ms" + (" !" if warn else ""),
                t.warn if warn else t.text,
                "Our clock differs from the venue's by more than a second" if warn else "offset to the venue's clock",
            )
        if venue.banned:
            _chip(self.rate, "requests blocked by the venue", t.sell)
        elif venue.rate_limited_for > 0:
            _chip(self.rate, f"rate limited: {venue.rate_limited_for:.0f} s", t.sell, "the venue answered 429; paused")
        else:
            headroom = " ".join(f"{k} {v}" for k, v in venue.rate_headroom.items())
            queued = f", {venue.queued_requests} queued" if venue.queued_requests else ""
            _chip(self.rate, f"headroom: {headroom}{queued}", t.warn if venue.queued_requests else t.muted)
