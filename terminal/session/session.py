"""A running connection to one venue: its stores, its order manager, and the events between them."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from terminal.domain.intervals import Interval
from terminal.domain.order_state import mark_missing, report_of
from terminal.domain.orders import Order
from terminal.domain.risk import RiskLimits
from terminal.session.account_store import AccountStore
from terminal.session.audit import Audit
from terminal.session.contract_desk import ContractDesk
from terminal.session.contract_store import ContractStore
from terminal.session.disconnect_guard import DisconnectGuard
from terminal.session.frame_clock import FrameClock
from terminal.session.kill_switch import SymbolResult, kill_switch
from terminal.session.market_store import MarketStore
from terminal.session.messages import describe_error, describe_fill
from terminal.session.order_manager import Notice, OrderManager
from terminal.session.order_store import OrderChange, OrderStore
from terminal.session.recovery import recover
from terminal.session.status_store import StatusStore
from terminal.venues.base import (
    AccountEvent,
    BalanceEvent,
    ConnectionEvent,
    ConnectionState,
    ContractEvent,
    FillEvent,
    OrderEvent,
    OrderMissingEvent,
    PositionEvent,
    ProposalEvent,
    Topic,
    Venue,
    VenueEvent,
    Watch,
    trades_contracts,
)
from terminal.venues.errors import VenueError

if TYPE_CHECKING:
    from terminal.storage.journal import Journal

CLOCK_WARNING_MS = 1000  # the issue: "an offset over one second is a warning"
RECOVERING = "reconciling the orders of the last session with the venue"

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

    def __init__(
        self,
        venue: Venue,
        name: str,
        clock: FrameClock,
        parent: QObject | None = None,
        *,
        journal: Journal | None = None,
        limits: RiskLimits | None = None,
    ) -> None:
        super().__init__(parent)
        self.venue = venue
        self.name = name
        self.journal = journal  # the audit journal of this profile (None: trading is not journaled)
        self.audit = Audit(journal)
        self.market = MarketStore(self)
        self.orders = OrderStore(self)
        self.account = AccountStore(self)
        self.status = StatusStore(self)
        self.contracts = ContractStore(self)
        self._clock = clock
        for store in self._stores:
            clock.register(store)
        self.orders.changed.connect(self._persist)
        clock.register(self.audit)  # after the stores: commits what their signals recorded
        self.manager = OrderManager(
            venue, self.market, self.orders, self.account, self._notify, audit=self.audit, limits=limits
        )
        # A contract venue (capabilities.contracts) trades through the desk; the order manager has nothing to do there.
        self.desk: ContractDesk | None = None
        if trades_contracts(venue):
            self.desk = ContractDesk(
                venue,
                self.contracts,
                notify=self._notify,
                spawn=self.spawn,
                audit=self.audit,
                blocked=lambda: self.manager.blocked,
                limits=limits,
            )
        self.guard = DisconnectGuard(self._cancel_on_disconnect, self._guard_report)
        self.guard.configure(limits.cancel_on_disconnect_s if limits else None)
        self._clock_warned = False
        self._watches: set[_Held] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self._stream_states: dict[str, ConnectionState] = {}
        self._status_timer = QTimer(self)
        self._status_timer.setInterval(1000)
        self._status_timer.timeout.connect(self._poll_status)
        self.active_symbol = ""
        self.state = "idle"
        self._started_ms = 0

    @property
    def _stores(self) -> tuple[MarketStore | OrderStore | AccountStore | StatusStore | ContractStore, ...]:
        return (self.market, self.orders, self.account, self.status, self.contracts)

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
            if self.desk is not None:
                self.spawn(self.desk.refresh_history())
        self._set_state("live")
        unfinished = self.journal.unfinished_orders() if self.journal is not None else []
        if unfinished and permissions.can_read:
            self.pause_trading(RECOVERING)
            self._notify(
                Notice("warning", f"{len(unfinished)} order(s) of the last session: trading waits for {RECOVERING}.")
            )
            self.spawn(self._recover(unfinished))
        return True

    @property
    def _news_from_ms(self) -> int:
        """Fills from this time on are news (announced), older ones history. Counted from the start of
        the second the session started in: some venues (Longbridge) stamp fills in whole seconds."""
        return self._started_ms // 1000 * 1000

    async def _recover(self, unfinished: list[Order]) -> None:
        result = await recover(self.venue, self.orders, self.audit, unfinished)
        self.resume_trading(RECOVERING)
        self._notify(Notice("info", f"Orders of the last session: {result.summary()}. Trading is enabled."))

    def pause_trading(self, reason: str) -> None:
        """No order may be sent until ``resume_trading(reason)``; the status bar says why."""
        self.manager.blocked = reason
        self._set_state(self.state)

    def resume_trading(self, reason: str) -> None:
        if self.manager.blocked == reason:
            self.manager.blocked = ""
            self._set_state(self.state)

    def set_limits(self, limits: RiskLimits) -> None:
        """New risk limits (saved in the risk dialog) apply to the next order."""
        self.manager.gate.limits = limits
        if self.desk is not None:
            self.desk.limits = limits
        self.guard.configure(limits.cancel_on_disconnect_s)

    async def kill_switch(self) -> list[SymbolResult]:
        """Cancel every open order on every symbol; the result per symbol."""
        results = await kill_switch(self.manager, self.venue, self.orders)
        for result in results:
            self._notify(Notice("info" if result.ok else "error", f"Kill switch: {result.text()}", "system"))
        if not results:
            self._notify(Notice("info", "Kill switch: there were no open orders.", "system"))
        return results

    async def _cancel_on_disconnect(self) -> int:
        return await self.manager.cancel_all(source="cancel on disconnect")

    def _guard_report(self, level: str, text: str) -> None:
        self.audit.note(text)
        self._notify(Notice(level, text, "system"))

    async def close(self) -> None:
        """Release every subscription, stop every task, close the venue (deleting its listen key)."""
        if self.state == "closed":
            return
        self._status_timer.stop()
        for held in list(self._watches):
            held.release()
        if self.desk is not None:
            self.desk.close()
        await self.guard.close()
        await self.manager.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        try:
            await self.venue.close()
        except VenueError as exc:
            log.warning("closing %s: %s", self.name, exc)
        for store in self._stores:
            self._clock.unregister(store)
        self.orders.flush()  # the last changes reach the journal
        self._clock.unregister(self.audit)
        self.audit.flush()
        self._set_state("closed")

    def _set_state(self, state: str, reason: str = "") -> None:
        if not reason and self.manager.blocked and state in ("starting", "live"):
            reason = f"trading paused: {self.manager.blocked}"
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
        earlier = [fill for fill in fills if fill.time_ms < self._news_from_ms]
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
            known = self.orders.get(event.update.client_order_id)
            if self.orders.apply(event, amendable=self.venue.capabilities.amend_orders) != known:
                update = event.update
                self.audit.event(
                    f"{update.status}, executed {update.executed_qty}",
                    update.client_order_id,
                    {"orderId": update.order_id},
                )
        elif isinstance(event, FillEvent):
            # Reconciliation also brings fills from before this session: they are history, not news.
            fill = event.fill
            if self.orders.add_fill(fill):
                self.audit.event(f"fill {fill.quantity} at {fill.price} (trade {fill.trade_id})", fill.client_order_id)
                if fill.time_ms >= self._news_from_ms:
                    instrument = self.venue.instruments.get(fill.symbol)
                    self._notify(Notice("info", describe_fill(fill, instrument), "fill", fill.client_order_id))
        elif isinstance(event, OrderMissingEvent):
            self._on_missing(event)
        elif isinstance(event, BalanceEvent):
            self.account.apply(event)
        elif isinstance(event, PositionEvent):
            self.account.set_positions(event)
        elif isinstance(event, ContractEvent):
            previous = self.contracts.contracts.get(event.contract.contract_id)
            self.contracts.apply(event)
            if self.desk is not None:
                self.desk.on_contract(event, previous)
        elif isinstance(event, ProposalEvent | AccountEvent):
            self.contracts.apply(event)
        elif isinstance(event, ConnectionEvent):
            self._on_connection(event)
        else:
            self.market.apply(event)

    def _on_missing(self, event: OrderMissingEvent) -> None:
        order = self.orders.get(event.client_order_id)
        if order is None or order.venue_status is None:
            return  # not acknowledged yet: the order manager follows it, allowing for requests in flight
        missing = mark_missing(order, event.reason)
        if missing != order:
            self.orders.put(missing)
            self.audit.note(f"the venue has no record of the order: {event.reason}", event.client_order_id)
            self._notify(
                Notice(
                    "warning",
                    f"Order {event.client_order_id} is no longer known to the venue: {event.reason}.",
                    client_order_id=event.client_order_id,
                )
            )

    def _persist(self, change: OrderChange) -> None:
        """Once per frame: the changed orders and the new fills go to the journal, in one commit."""
        orders = [order for cid in change.orders if (order := self.orders.get(cid)) is not None]
        self.audit.save(orders, change.fills)

    def _on_connection(self, event: ConnectionEvent) -> None:
        self.guard.on_connection(event)
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
        status = self.venue.status()
        self.status.set_venue(status)
        offset = status.clock_offset_ms
        if offset is not None and abs(offset) > CLOCK_WARNING_MS and not self._clock_warned:
            self._clock_warned = True
            self._notify(
                Notice(
                    "warning",
                    f"This computer's clock is {abs(offset) / 1000:.1f} s {'behind' if offset > 0 else 'ahead of'} "
                    "the venue's; requests are stamped with the venue's time.",
                    "system",
                )
            )
        elif offset is not None and abs(offset) <= CLOCK_WARNING_MS // 2:
            self._clock_warned = False

    def _notify(self, notice: Notice) -> None:
        level = {"error": logging.ERROR, "warning": logging.WARNING}.get(notice.level, logging.INFO)
        log.log(level, notice.text)
        self.notice.emit(notice)
