"""Placing, changing and cancelling orders: validated before anything leaves, every outcome accounted for.

An order passes the venue's rules and the user's risk limits (order_gate.py), gets its client
order id, and its intent is committed to the journal before its request leaves; a refusal marks
it REJECTED with the venue's words; an uncertain outcome marks it UNKNOWN and it is reconciled by
querying that id (with backoff, respecting rate limits) until the venue says what happened. Never
re-sent. Every action, request and answer is journaled (audit.py).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Collection, Coroutine
from dataclasses import dataclass, replace
from decimal import Decimal

from terminal.domain.confirmation import Origin
from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus, OrderType, Side
from terminal.domain.order_state import (
    TransitionError,
    apply_amendment,
    cancel_failed,
    mark_missing,
    mark_rejected,
    mark_unknown,
    new_order,
    report_of,
    request_cancel,
)
from terminal.domain.orders import Order, OrderRequest
from terminal.domain.risk import RiskBreach, RiskLimits, assess_risk
from terminal.domain.validation import Violation, validate_order
from terminal.session.account_store import AccountStore
from terminal.session.audit import Audit
from terminal.session.client_ids import ClientIds
from terminal.session.market_store import MarketStore
from terminal.session.messages import describe_error, describe_order
from terminal.session.order_gate import NeedsConfirmation, OrderGate, TicketError
from terminal.session.order_store import OrderStore
from terminal.session.replacement import amended_request, change_problem, describe_change, held_by
from terminal.storage.journal import JournalError
from terminal.venues.base import OrderEvent, Venue, amends_orders
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


class OrderManager:
    def __init__(
        self,
        venue: Venue,
        market: MarketStore,
        orders: OrderStore,
        account: AccountStore,
        notify: Callable[[Notice], None],
        *,
        audit: Audit | None = None,
        limits: RiskLimits | None = None,
    ) -> None:
        self._venue = venue
        self._market = market
        self._orders = orders
        self._account = account
        self._notify = notify
        self.audit = audit or Audit(None)
        self.gate = OrderGate(limits)
        self.blocked = ""  # why trading is paused (reconciling the last session, no journal); "" = allowed
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

    def _admit(self, request: OrderRequest, confirmed: Collection[str], origin: Origin | None) -> None:
        """Raise TicketError unless ``request`` may leave now (NeedsConfirmation: only with a yes)."""
        if self.blocked:
            raise TicketError(f"Trading is paused: {self.blocked}")
        if not self._venue.permissions.can_trade:
            raise TicketError(self._venue.permissions.reason or "this connection may not trade")
        violations = self.check(request)
        if violations:
            raise TicketError(violations[0].message, violations)
        breaches = self._risk(request, open_orders=len(self._orders.working()))
        concerns = self.gate.judge(request, breaches, confirmed, origin)
        if concerns:
            raise NeedsConfirmation(concerns)

    def _risk(self, request: OrderRequest, *, open_orders: int) -> list[RiskBreach]:
        book = self._market.books.get(request.symbol)
        return assess_risk(
            request,
            self._venue.instruments[request.symbol],
            self.gate.limits,
            best_bid=book.best_bid if book else None,
            best_ask=book.best_ask if book else None,
            last_price=self.reference_price(request.symbol),
            open_orders=open_orders,
        )

    # ---- placing ------------------------------------------------------------------------------

    async def place(
        self,
        request: OrderRequest,
        *,
        source: str = "ticket",
        confirmed: Collection[str] = (),
        origin: Origin | None = None,
    ) -> Order:
        """Check, journal, send, and return the order as it stands (which may be REJECTED or UNKNOWN).

        ``confirmed`` holds the keys of the concerns the user has said yes to (a risk limit set to
        "confirm", a confirmation rule of the settings for this ``origin``, or the repeat of an
        order just sent); any other concern raises NeedsConfirmation.
        """
        try:
            self._admit(request, confirmed, origin)
        except TicketError as exc:
            self.audit.action(f"{source}: order not sent: {exc.reason}", data=_request_data(request))
            raise
        request = replace(request, client_order_id=self._ids.next())
        cid = request.client_order_id
        assert cid is not None
        order = new_order(request, cid, int(time.time() * 1000))
        instrument = self._venue.instruments.get(request.symbol)
        what = describe_order(order, instrument)
        try:
            self.audit.intent(order, source)
        except JournalError as exc:
            raise TicketError(f"the journal could not record the order, so it was not sent ({exc})") from None
        if confirmed:
            self.audit.note(f"the user confirmed: {', '.join(sorted(confirmed))}", cid)
        self.gate.sent(request)
        self._orders.put(order)
        log.info("sending %s (%s)", what, cid)
        self.audit.request(f"place {what}", cid, _request_data(request))
        try:
            ack = await self._venue.place(request)
        except (UnknownOutcome, MalformedResponse) as exc:
            unknown = mark_unknown(self._current(order), describe_error(exc))
            self._orders.put(unknown)
            self.audit.response(f"outcome unknown: {describe_error(exc)}", cid)
            self._notify(Notice("warning", f"Outcome of {what} unknown: {describe_error(exc)}", client_order_id=cid))
            self._spawn(self._reconcile(cid, time.monotonic()))
            return unknown
        except VenueError as exc:
            rejected = mark_rejected(self._current(order), describe_error(exc))
            self._orders.put(rejected)
            self.audit.response(f"rejected: {describe_error(exc)}", cid, {"code": exc.code})
            self._notify(Notice("error", f"Rejected: {what}. {describe_error(exc)}", client_order_id=cid))
            return rejected
        placed = self._orders.apply(OrderEvent(report_of(ack), ack))
        self.audit.response(f"accepted: {ack.status} as order {ack.order_id}", cid)
        self._notify(Notice("info", f"Accepted: {what}", client_order_id=cid))
        self._cancel_if_asked(placed)
        return placed

    def _current(self, order: Order) -> Order:
        return self._orders.get(order.client_order_id) or order

    def _cancel_if_asked(self, order: Order) -> None:
        """A cancel asked for while the order's fate was open is sent now that the venue has it."""
        if order.client_order_id in self._cancel_on_ack and order.venue_status is not None:
            self._cancel_on_ack.discard(order.client_order_id)
            if order.status.is_working:
                self._spawn(self._cancel_quietly(order.client_order_id))

    async def _cancel_quietly(self, client_order_id: str) -> None:
        try:
            await self.cancel(client_order_id, source="cancel on acknowledgement")
        except TicketError as exc:
            log.warning("could not cancel %s: %s", client_order_id, exc.reason)

    async def _reconcile(self, cid: str, since: float) -> None:
        """Ask the venue what became of an order until it answers (never re-send it)."""
        for attempt in range(10_000):
            await asyncio.sleep(RECONCILE_DELAYS[min(attempt, len(RECONCILE_DELAYS) - 1)])
            order = self._orders.get(cid)
            if order is None:
                self._cancel_on_ack.discard(cid)
                return
            if order.venue_status is not None:
                self._cancel_if_asked(order)
                return  # the stream already told us
            self.audit.request("query the order's fate", cid)
            try:
                found = await self._venue.query(cid)
            except OrderNotFound:
                if time.monotonic() - since >= NOT_FOUND_GRACE_S:
                    self._orders.put(mark_missing(order, "the venue has no record of it: it was never placed"))
                    self._cancel_on_ack.discard(cid)
                    self.audit.note("the venue has no record of the order: it was never placed", cid)
                    self._notify(
                        Notice(
                            "warning", f"Order {cid} never reached the venue; nothing was placed.", client_order_id=cid
                        )
                    )
                    return
                self.audit.response("not found yet", cid)
                continue
            except VenueError as exc:
                log.warning("still checking order %s: %s", cid, exc)
                self.audit.response(f"no answer: {describe_error(exc)}", cid)
                continue
            merged = self._orders.apply(OrderEvent(report_of(found), found))
            self.audit.note(f"reconciled: the venue has the order as {found.status}", cid)
            self._notify(Notice("info", f"Order {cid} is {merged.status} at the venue.", client_order_id=cid))
            self._cancel_if_asked(merged)
            return

    # ---- cancelling ---------------------------------------------------------------------------

    async def cancel(self, client_order_id: str, *, source: str = "user") -> None:
        order = self._orders.get(client_order_id)
        if order is None:
            raise TicketError(f"no order {client_order_id}")
        self.audit.action(f"{source}: cancel", client_order_id)
        if order.venue_status is None and order.local_status in (OrderStatus.SUBMITTING, OrderStatus.UNKNOWN):
            # Its fate is still open: cancel it the moment the venue acknowledges it.
            self._cancel_on_ack.add(client_order_id)
            self._orders.put(replace(order, cancel_pending=True))
            self.audit.note("cancel held until the venue acknowledges the order", client_order_id)
            self._notify(Notice("info", f"Order {client_order_id} will be cancelled as soon as it is acknowledged."))
            return
        try:
            self._orders.put(request_cancel(order))
        except TransitionError as exc:
            raise TicketError(str(exc)) from None
        self.audit.request("cancel", client_order_id)
        try:
            ack = await self._venue.cancel(client_order_id)
        except UnknownOutcome as exc:
            self.audit.response(f"outcome unknown: {describe_error(exc)}", client_order_id)
            self._notify(
                Notice(
                    "warning", f"Cancel of {client_order_id}: {describe_error(exc)}", client_order_id=client_order_id
                )
            )
            self._spawn(self._settle(client_order_id))
            return
        except OrderNotFound:
            # Already filled or cancelled: learn which.
            self.audit.response("not found: it has ended already", client_order_id)
            self._orders.put(cancel_failed(self._current(order)))
            self._spawn(self._settle(client_order_id))
            return
        except VenueError as exc:
            self._orders.put(cancel_failed(self._current(order)))
            self.audit.response(f"refused: {describe_error(exc)}", client_order_id, {"code": exc.code})
            self._notify(Notice("error", f"Cancel refused: {describe_error(exc)}", client_order_id=client_order_id))
            return
        self.audit.response(f"cancel answered: {ack.status}", client_order_id)
        self._orders.apply(OrderEvent(report_of(ack), ack))

    async def _settle(self, client_order_id: str, *, amended: bool = False) -> None:
        """Learn how an order ended after a cancel with no clear answer, or (``amended``) what price and
        quantity it has after a change with no clear answer (retrying until the venue answers)."""
        try:
            for attempt in range(10_000):
                try:
                    found = await self._venue.query(client_order_id)
                except OrderNotFound:
                    current = self._orders.get(client_order_id)
                    if current is not None:
                        self._orders.put(mark_missing(current, "the venue has no record of this order any more"))
                    self.audit.note("the venue has no record of the order any more", client_order_id)
                    return
                except VenueError as exc:
                    log.warning("could not query order %s: %s", client_order_id, exc)
                    await asyncio.sleep(RECONCILE_DELAYS[min(attempt, len(RECONCILE_DELAYS) - 1)])
                    continue
                self.audit.note(f"the venue has the order as {found.status}", client_order_id)
                current = self._orders.get(client_order_id)
                if amended and current is not None:
                    settled = apply_amendment(current, found)
                    self._orders.put(settled)
                    what = describe_order(settled, self._venue.instruments.get(settled.symbol))
                    self._notify(
                        Notice("info", f"Order {client_order_id} stands as {what}.", client_order_id=client_order_id)
                    )
                else:
                    self._orders.apply(OrderEvent(report_of(found), found))
                return
        finally:
            if amended:
                self._orders.mark_replacing(client_order_id, False)

    # ---- changing a working order (AmendingVenue) ----------------------------------------------

    def check_replace(
        self, client_order_id: str, *, price: Decimal | None = None, quantity: Decimal | None = None
    ) -> list[Violation]:
        """Every reason the change may not be sent: the order's state, then the instrument's rules
        for the order as it would stand (what the order itself holds counts as free)."""
        order = self._orders.get(client_order_id)
        if order is None:
            return [Violation("order", "order", f"no order {client_order_id}")]
        problem = change_problem(order, price, quantity, in_flight=client_order_id in self._orders.replacing)
        if problem is not None:
            return [Violation("order", "order", problem)]
        instrument = self._venue.instruments.get(order.symbol)
        if instrument is None:
            return [Violation("symbol", "symbol", f"{order.symbol} is not traded on this venue")]
        request = amended_request(order, price, quantity)
        balance = self._account.balances.get(instrument.spends(order.side))
        book = self._market.books.get(order.symbol)
        return validate_order(
            request,
            instrument,
            reference_price=self.reference_price(order.symbol),
            free_balance=(balance.free if balance else ZERO) + held_by(order),
            best_bid=book.best_bid if book else None,
            best_ask=book.best_ask if book else None,
            open_orders=len(self._orders.working(order.symbol)) - 1,
            now_ms=int(time.time() * 1000),
        )

    def admit_replace(
        self,
        client_order_id: str,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
        confirmed: Collection[str] = (),
    ) -> OrderRequest:
        """The order as it would stand, if the change may be sent now; raises TicketError otherwise
        (NeedsConfirmation: only with a yes to its concerns, passed back in ``confirmed``)."""
        if self.blocked:
            raise TicketError(f"Trading is paused: {self.blocked}")
        if not amends_orders(self._venue):
            raise TicketError("this venue cannot change an order in place: cancel it and place a new one")
        if not self._venue.permissions.can_trade:
            raise TicketError(self._venue.permissions.reason or "this connection may not trade")
        violations = self.check_replace(client_order_id, price=price, quantity=quantity)
        if violations:
            raise TicketError(violations[0].message, violations)
        order = self._orders.orders[client_order_id]
        request = amended_request(order, price, quantity)
        breaches = self._risk(request, open_orders=len(self._orders.working()) - 1)
        concerns = self.gate.judge_limits(breaches, confirmed)
        if concerns:
            raise NeedsConfirmation(concerns)
        return request

    async def replace(
        self,
        client_order_id: str,
        *,
        price: Decimal | None = None,
        quantity: Decimal | None = None,
        confirmed: Collection[str] = (),
        source: str = "user",
    ) -> Order:
        """Change a working order's price and/or quantity at the venue; the order as it then stands.

        A change that may not be sent raises TicketError (after a Notice saying why), or
        NeedsConfirmation for a risk limit set to "confirm". A refusal by the venue leaves the order
        as it was, with a Notice; an unknown outcome is settled by querying the order, never re-sent.
        """
        data = {key: str(value) for key, value in (("price", price), ("quantity", quantity)) if value is not None}
        try:
            self.admit_replace(client_order_id, price=price, quantity=quantity, confirmed=confirmed)
        except NeedsConfirmation as exc:
            self.audit.action(f"{source}: change held for a confirmation: {exc.reason}", client_order_id, data)
            raise
        except TicketError as exc:
            self.audit.action(f"{source}: change not sent: {exc.reason}", client_order_id, data)
            self._notify(
                Notice("warning", f"Order {client_order_id} not changed: {exc.reason}", client_order_id=client_order_id)
            )
            raise
        venue = self._venue
        assert amends_orders(venue)  # admit_replace refused any other venue
        order = self._orders.orders[client_order_id]
        instrument = venue.instruments.get(order.symbol)
        what = describe_change(order, price, quantity, instrument)
        if confirmed:
            self.audit.note(f"the user confirmed: {', '.join(sorted(confirmed))}", client_order_id)
        self._orders.mark_replacing(client_order_id, True)
        log.info("changing %s (%s)", what, client_order_id)
        self.audit.request(f"change {what}", client_order_id, data)
        try:
            ack = await venue.replace(client_order_id, quantity=quantity, price=price)
        except (UnknownOutcome, MalformedResponse) as exc:
            self.audit.response(f"outcome unknown: {describe_error(exc)}", client_order_id)
            self._notify(Notice("warning", f"Change of {what}: {describe_error(exc)}", client_order_id=client_order_id))
            self._spawn(self._settle(client_order_id, amended=True))
            return self._current(order)
        except VenueError as exc:
            self._orders.mark_replacing(client_order_id, False)
            self.audit.response(f"refused: {describe_error(exc)}", client_order_id, {"code": exc.code})
            self._notify(
                Notice("error", f"Change refused: {what}. {describe_error(exc)}", client_order_id=client_order_id)
            )
            if isinstance(exc, OrderNotFound):
                self._spawn(self._settle(client_order_id))  # it has ended: learn how
            return self._current(order)
        self._orders.mark_replacing(client_order_id, False)
        changed = apply_amendment(self._current(order), ack)
        self._orders.put(changed)
        now = describe_order(changed, instrument)
        self.audit.response(f"changed: now {now}", client_order_id)
        self._notify(Notice("info", f"Changed: {now}", client_order_id=client_order_id))
        return changed

    async def cancel_all(self, symbol: str | None = None, *, source: str = "user") -> int:
        """Cancel every working order (of ``symbol``, or everywhere); returns how many were asked."""
        working = self._orders.working(symbol)
        self.audit.action(f"{source}: cancel all {symbol or 'symbols'} ({len(working)} working)")
        for order in working:
            if order.venue_status is not None:
                self._orders.put(replace(order, cancel_pending=True))
            elif order.local_status in (OrderStatus.SUBMITTING, OrderStatus.UNKNOWN):
                self._cancel_on_ack.add(order.client_order_id)  # in flight: cancelled when acknowledged
                self._orders.put(replace(order, cancel_pending=True))
        self.audit.request(f"cancel all {symbol or 'symbols'}")
        try:
            await self._venue.cancel_all(symbol)
        except VenueError as exc:
            for order in working:
                current = self._orders.get(order.client_order_id)
                if current is not None and current.venue_status is not None:
                    self._orders.put(cancel_failed(current))
            self.audit.response(f"cancel all refused: {describe_error(exc)}")
            self._notify(Notice("error", f"Cancel all refused: {describe_error(exc)}"))
            raise TicketError(describe_error(exc)) from None
        self.audit.response(f"cancel all {symbol or 'symbols'} accepted")
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


def _request_data(request: OrderRequest) -> dict[str, object]:
    """The order as sent, for the journal: every field as text (decimals exactly)."""
    fields = {
        "symbol": request.symbol,
        "side": request.side.value,
        "type": request.type.value,
        "quantity": request.quantity,
        "price": request.price,
        "amount": request.amount,
        "timeInForce": request.time_in_force,
        "clientOrderId": request.client_order_id,
    }
    return {key: str(value) for key, value in fields.items() if value is not None}
