"""Placing and cancelling orders: validated before anything leaves, every outcome accounted for.

An order gets its client order id before its request leaves; a refusal marks it REJECTED with
the venue's words; an uncertain outcome marks it UNKNOWN and it is reconciled by querying that
id (with backoff, respecting rate limits) until the venue says what happened. Never re-sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, replace
from decimal import Decimal

from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.order_state import (
    TransitionError,
    cancel_failed,
    mark_rejected,
    mark_unknown,
    new_order,
    report_of,
    request_cancel,
)
from terminal.domain.orders import Order, OrderRequest
from terminal.domain.validation import Violation, validate_order
from terminal.session.account_store import AccountStore
from terminal.session.client_ids import ClientIds
from terminal.session.market_store import MarketStore
from terminal.session.messages import describe_error, describe_order
from terminal.session.order_store import OrderStore
from terminal.venues.base import OrderEvent, Venue
from terminal.venues.errors import MalformedResponse, OrderNotFound, UnknownOutcome, VenueError

log = logging.getLogger("terminal.orders")

# Reconciling an unknown outcome: query again after these many seconds, then every last one.
RECONCILE_DELAYS = (0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
# "Not found" is only conclusive once the venue has had this long to record the order.
NOT_FOUND_GRACE_S = 5.0


@dataclass(frozen=True, slots=True)
class Notice:
    """Something the user should read in the log (and, for fills, see as a notification)."""

    level: str  # info, warning, error
    text: str
    kind: str = "order"  # order, fill, stream, system
    client_order_id: str = ""


class TicketError(Exception):
    """An order that may not be sent: its violations, or a reason (no permission, unknown symbol)."""

    def __init__(self, reason: str, violations: list[Violation] | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.violations = violations or []


class OrderManager:
    def __init__(
        self,
        venue: Venue,
        market: MarketStore,
        orders: OrderStore,
        account: AccountStore,
        notify: Callable[[Notice], None],
    ) -> None:
        self._venue = venue
        self._market = market
        self._orders = orders
        self._account = account
        self._notify = notify
        self._ids = ClientIds()
        self._tasks: set[asyncio.Task[None]] = set()
        self._cancel_on_ack: set[str] = set()  # cancels asked for before the venue acknowledged

    # ---- checks -------------------------------------------------------------------------------

    def reference_price(self, symbol: str) -> Decimal | None:
        trade = self._market.last_trade(symbol)
        if trade is not None:
            return trade.price
        ticker = self._market.tickers.get(symbol)
        return ticker.last if ticker else None

    def check(self, request: OrderRequest) -> list[Violation]:
        """Every rule ``request`` breaks, judged with what the terminal knows right now."""
        instrument = self._venue.instruments.get(request.symbol)
        if instrument is None:
            return [Violation("symbol", "symbol", f"{request.symbol} is not traded on this venue")]
        balance = self._account.balances.get(instrument.spends(request.side))
        book = self._market.books.get(request.symbol)
        return validate_order(
            request,
            instrument,
            reference_price=self.reference_price(request.symbol),
            free_balance=balance.free if balance else Decimal(0),
            best_bid=book.best_bid if book else None,
            best_ask=book.best_ask if book else None,
            open_orders=len(self._orders.working(request.symbol)),
            now_ms=int(time.time() * 1000),
        )

    # ---- placing ------------------------------------------------------------------------------

    async def place(self, request: OrderRequest) -> Order:
        """Validate, send, and return the order as it stands (which may be REJECTED or UNKNOWN)."""
        if not self._venue.permissions.can_trade:
            raise TicketError(self._venue.permissions.reason or "this connection may not trade")
        violations = self.check(request)
        if violations:
            raise TicketError(violations[0].message, violations)
        request = replace(request, client_order_id=self._ids.next())
        cid = request.client_order_id
        assert cid is not None
        order = new_order(request, cid, int(time.time() * 1000))
        self._orders.put(order)
        instrument = self._venue.instruments.get(request.symbol)
        what = describe_order(order, instrument)
        log.info("sending %s (%s)", what, cid)
        try:
            ack = await self._venue.place(request)
        except (UnknownOutcome, MalformedResponse) as exc:
            unknown = mark_unknown(self._current(order), describe_error(exc))
            self._orders.put(unknown)
            self._notify(Notice("warning", f"Outcome of {what} unknown: {describe_error(exc)}", client_order_id=cid))
            self._spawn(self._reconcile(cid, time.monotonic()))
            return unknown
        except VenueError as exc:
            rejected = mark_rejected(self._current(order), describe_error(exc))
            self._orders.put(rejected)
            self._notify(Notice("error", f"Rejected: {what}. {describe_error(exc)}", client_order_id=cid))
            return rejected
        placed = self._orders.apply(OrderEvent(report_of(ack), ack))
        self._notify(Notice("info", f"Accepted: {what}", client_order_id=cid))
        if cid in self._cancel_on_ack:
            self._cancel_on_ack.discard(cid)
            if placed.status.is_working:
                self._spawn(self.cancel(cid))
        return placed

    def _current(self, order: Order) -> Order:
        return self._orders.get(order.client_order_id) or order

    async def _reconcile(self, cid: str, since: float) -> None:
        """Ask the venue what became of an order until it answers (never re-send it)."""
        for attempt in range(10_000):
            await asyncio.sleep(RECONCILE_DELAYS[min(attempt, len(RECONCILE_DELAYS) - 1)])
            order = self._orders.get(cid)
            if order is None or order.venue_status is not None:
                return  # the stream already told us
            try:
                found = await self._venue.query(cid)
            except OrderNotFound:
                if time.monotonic() - since >= NOT_FOUND_GRACE_S:
                    self._orders.put(mark_rejected(order, "the venue has no record of it: it was never placed"))
                    self._notify(
                        Notice(
                            "warning", f"Order {cid} never reached the venue; nothing was placed.", client_order_id=cid
                        )
                    )
                    return
                continue
            except VenueError as exc:
                log.warning("still checking order %s: %s", cid, exc)
                continue
            merged = self._orders.apply(OrderEvent(report_of(found), found))
            self._notify(Notice("info", f"Order {cid} is {merged.status} at the venue.", client_order_id=cid))
            return

    # ---- cancelling ---------------------------------------------------------------------------

    async def cancel(self, client_order_id: str) -> None:
        order = self._orders.get(client_order_id)
        if order is None:
            raise TicketError(f"no order {client_order_id}")
        if order.venue_status is None and order.local_status is OrderStatus.SUBMITTING:
            # Its request is still in flight: cancel it the moment the venue acknowledges it.
            self._cancel_on_ack.add(client_order_id)
            self._orders.put(replace(order, cancel_pending=True))
            self._notify(Notice("info", f"Order {client_order_id} will be cancelled as soon as it is acknowledged."))
            return
        try:
            self._orders.put(request_cancel(order))
        except TransitionError as exc:
            raise TicketError(str(exc)) from None
        try:
            ack = await self._venue.cancel(client_order_id)
        except UnknownOutcome as exc:
            self._notify(
                Notice(
                    "warning", f"Cancel of {client_order_id}: {describe_error(exc)}", client_order_id=client_order_id
                )
            )
            self._spawn(self._settle(client_order_id))
            return
        except OrderNotFound:
            # Already filled or cancelled: learn which.
            self._orders.put(cancel_failed(self._current(order)))
            self._spawn(self._settle(client_order_id))
            return
        except VenueError as exc:
            self._orders.put(cancel_failed(self._current(order)))
            self._notify(Notice("error", f"Cancel refused: {describe_error(exc)}", client_order_id=client_order_id))
            return
        self._orders.apply(OrderEvent(report_of(ack), ack))

    async def _settle(self, client_order_id: str) -> None:
        try:
            found = await self._venue.query(client_order_id)
        except VenueError as exc:
            log.warning("could not query order %s: %s", client_order_id, exc)
            return
        self._orders.apply(OrderEvent(report_of(found), found))

    async def cancel_all(self, symbol: str | None = None) -> int:
        """Cancel every working order (of ``symbol``, or everywhere); returns how many were asked."""
        working = self._orders.working(symbol)
        for order in working:
            if order.venue_status is not None:
                self._orders.put(replace(order, cancel_pending=True))
        try:
            await self._venue.cancel_all(symbol)
        except VenueError as exc:
            for order in working:
                current = self._orders.get(order.client_order_id)
                if current is not None:
                    self._orders.put(cancel_failed(current))
            self._notify(Notice("error", f"Cancel all refused: {describe_error(exc)}"))
            raise TicketError(describe_error(exc)) from None
        return len(working)

    # ---- conveniences for tickets and ladders --------------------------------------------------

    def limit(self, symbol: str, side: Side, quantity: Decimal, price: Decimal) -> OrderRequest:
        return OrderRequest(symbol, side, OrderType.LIMIT, quantity=quantity, price=price)

    def _spawn(self, coroutine: Coroutine[object, object, None]) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
