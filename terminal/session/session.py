"""A running connection to one venue: its stores, its order manager, and the events between them."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.intervals import Interval
from terminal.domain.order_state import report_of
from terminal.session.account_store import AccountStore
from terminal.session.frame_clock import FrameClock
from terminal.session.market_store import MarketStore
from terminal.session.messages import describe_error, describe_fill
from terminal.session.order_manager import Notice, OrderManager
from terminal.session.order_store import OrderStore
from terminal.session.status_store import StatusStore
from terminal.venues.base import (
    BalanceEvent,
    ConnectionEvent,
    ConnectionState,
    FillEvent,
    OrderEvent,
    Topic,
    Venue,
    VenueEvent,
    Watch,
)
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.session")


class _Held:
    """A watch the session releases itself when it closes, unless the watcher released it first."""

    def __init__(self, session: Session, inner: Watch) -> None:
        self._session = session
        self._inner: Watch | None = inner

    def release(self) -> None:
        if self._inner is not None:
            inner, self._inner = self._inner, None
            inner.release()
            self._session._watches.discard(self)


class Session(QObject):
    state_changed = Signal(str, str)  # state (starting, live, failed, closed), reason
    notice = Signal(object)  # Notice
    active_symbol_changed = Signal(str)

    def __init__(self, venue: Venue, name: str, clock: FrameClock, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.venue = venue
        self.name = name
        self.market = MarketStore(self)
        self.orders = OrderStore(self)
        self.account = AccountStore(self)
        self.status = StatusStore(self)
        self._clock = clock
        for store in (self.market, self.orders, self.account, self.status):
            clock.register(store)
        self.manager = OrderManager(venue, self.market, self.orders, self.account, self._notify)
        self._watches: set[_Held] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stream_states: dict[str, ConnectionState] = {}
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._poll_status)
        self.active_symbol = ""
        self.state = "idle"
        self._started_ms = 0

    # ---- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> bool:
        """Connect; False (with the reason in ``state_changed`` and a notice) if the venue refuses."""
        self._set_state("starting")
        self._started_ms = int(time.time() * 1000)
        try:
            await self.venue.start(self._on_event)
        except VenueError as exc:
            reason = describe_error(exc)
            self._notify(Notice("error", f"Could not connect to {self.name}: {reason}", kind="system"))
            self._set_state("failed", reason)
            return False
        self.market.set_instruments(self.venue.instruments)
        self._status_timer.start()
        self._poll_status()
        permissions = self.venue.permissions
        trading = "trading allowed" if permissions.can_trade else f"read only ({permissions.reason})"
        self._notify(
            Notice("info", f"Connected to {self.name}: {len(self.venue.instruments)} symbols, {trading}.", "system")
        )
        if permissions.can_read:
            self.spawn(self._load_history())
        self._set_state("live")
        return True

    async def close(self) -> None:
        """Release every subscription, stop every task, close the venue (deleting its listen key)."""
        if self.state == "closed":
            return
        self._status_timer.stop()
        for held in list(self._watches):
            held.release()
        await self.manager.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self.venue.close()
        except VenueError as exc:
            log.warning("closing %s: %s", self.name, exc)
        for store in (self.market, self.orders, self.account, self.status):
            self._clock.unregister(store)
        self._set_state("closed")

    def _set_state(self, state: str, reason: str = "") -> None:
        self.state = state
        self.status.set_session(state, reason)
        self.state_changed.emit(state, reason)

    def spawn(self, coroutine: Coroutine[object, object, None]) -> None:
        """Run a task that belongs to this session (cancelled when it closes); errors are logged."""
        task = asyncio.create_task(self._guard(coroutine))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _guard(self, coroutine: Coroutine[object, object, None]) -> None:
        try:
            await coroutine
        except VenueError as exc:
            self._notify(Notice("warning", describe_error(exc), kind="system"))
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("a session task failed")

    async def _load_history(self) -> None:
        """Orders and fills from before this session. Newer fills come as events (the stream or its
        reconciliation), so that each is announced once."""
        orders = await self.venue.order_history(limit=500)
        fills = await self.venue.fills(limit=500)
        earlier = [fill for fill in fills if fill.time_ms < self._started_ms]
        self.orders.load((OrderEvent(report_of(o), o) for o in orders), earlier)

    # ---- what watchers ask for -----------------------------------------------------------------

    def watch(self, topic: Topic, symbol: str, interval: Interval | None = None) -> Watch:
        held = _Held(self, self.venue.watch(topic, symbol, interval))
        self._watches.add(held)
        return held

    def set_active_symbol(self, symbol: str) -> None:
        if symbol != self.active_symbol and symbol in self.venue.instruments:
            self.active_symbol = symbol
            self.active_symbol_changed.emit(symbol)

    async def load_candles(self, symbol: str, interval: Interval, *, older: bool = False) -> int:
        """Load a page of 1,000 candles: the newest, or (``older``) those before the oldest held."""
        series = self.market.candle_series(symbol, interval)
        end = series.first_open - 1 if older and series.first_open is not None else None
        candles = await self.venue.candles(symbol, interval, end_ms=end, limit=1000)
        series.merge(candles)
        self.market.note_candles(symbol, interval)
        return len(candles)

    # ---- events from the venue -----------------------------------------------------------------

    def _on_event(self, event: VenueEvent) -> None:
        if isinstance(event, OrderEvent):
            self.orders.apply(event)
        elif isinstance(event, FillEvent):
            # Reconciliation also brings fills from before this session: they are history, not news.
            if self.orders.add_fill(event.fill) and event.fill.time_ms >= self._started_ms:
                instrument = self.venue.instruments.get(event.fill.symbol)
                self._notify(Notice("info", describe_fill(event.fill, instrument), "fill", event.fill.client_order_id))
        elif isinstance(event, BalanceEvent):
            self.account.apply(event)
        elif isinstance(event, ConnectionEvent):
            self._on_connection(event)
        else:
            self.market.apply(event)

    def _on_connection(self, event: ConnectionEvent) -> None:
        self.status.apply(event)
        previous = self._stream_states.get(event.stream)
        self._stream_states[event.stream] = event.state
        if event.state is previous or event.state is ConnectionState.CONNECTING:
            return
        if event.state is ConnectionState.LIVE:
            if previous is not None:
                self._notify(Notice("info", f"Stream {event.stream} is live again.", "stream"))
        elif event.state is ConnectionState.RECONNECTING:
            self._notify(
                Notice(
                    "warning",
                    f"Stream {event.stream} dropped ({event.reason}); reconnecting in {event.delay_s:.1f} s.",
                    "stream",
                )
            )
        elif event.state is ConnectionState.STALE:
            self._notify(
                Notice("warning", f"Stream {event.stream} went quiet ({event.reason}); renewing it.", "stream")
            )
        elif event.state is ConnectionState.FAILED:
            self._notify(Notice("error", f"Stream {event.stream} failed: {event.reason}", "stream"))

    def _poll_status(self) -> None:
        self.status.set_venue(self.venue.status())

    def _notify(self, notice: Notice) -> None:
        level = {"error": logging.ERROR, "warning": logging.WARNING}.get(notice.level, logging.INFO)
        log.log(level, notice.text)
        self.notice.emit(notice)
