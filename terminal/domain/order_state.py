"""The order state machine: local transitions and the merge of venue reports.

Venue reports are merged as a join: the status only moves forward in the order of
``VENUE_RANK``, executed and cumulative quantities only grow, and timestamps only advance.
So applying the same reports in any order, any number of times, gives the same order:
a late NEW after FILLED changes nothing, and a duplicated fill is not counted twice.
"""

from __future__ import annotations

from dataclasses import replace

from terminal.domain.decimals import ZERO
from terminal.domain.enums import OrderStatus
from terminal.domain.instrument import DEFAULT_TIME_IN_FORCE
from terminal.domain.orders import Order, OrderRequest, OrderUpdate

# How far along its life each venue status puts an order. Terminal statuses outrank every
# working one; among them the one carrying more information wins, so that the merge is a
# total order (and therefore commutative) even if a venue ever sent two different endings.
VENUE_RANK: dict[OrderStatus, int] = {
    OrderStatus.PENDING_NEW: 1,
    OrderStatus.NEW: 2,
    OrderStatus.PARTIALLY_FILLED: 3,
    OrderStatus.REJECTED: 4,
    OrderStatus.CANCELED: 5,
    OrderStatus.PARTIALLY_CANCELED: 6,
    OrderStatus.FILLED: 7,
}


class TransitionError(ValueError):
    """A local transition that makes no sense for the order's current state."""


def new_order(request: OrderRequest, client_order_id: str, now_ms: int) -> Order:
    """The order as it stands when its request is about to leave: SUBMITTING."""
    return Order(
        symbol=request.symbol,
        side=request.side,
        type=request.type,
        client_order_id=client_order_id,
        quantity=request.quantity or ZERO,
        price=request.price,
        amount=request.amount or ZERO,
        time_in_force=request.time_in_force or DEFAULT_TIME_IN_FORCE[request.type],
        stp_mode=request.stp_mode,
        local_status=OrderStatus.SUBMITTING,
        created_ms=now_ms,
        updated_ms=now_ms,
    )


def apply_update(order: Order, update: OrderUpdate) -> Order:
    """Merge one venue report into the order. Idempotent, commutative, never moves backwards."""
    if update.client_order_id != order.client_order_id:
        raise TransitionError(f"update for {update.client_order_id!r} applied to order {order.client_order_id!r}")
    current = order.venue_status
    status = update.status
    if current is not None and VENUE_RANK[current] >= VENUE_RANK[status]:
        status = current

    executed = max(order.executed_qty, update.executed_qty)
    cumulative = max(order.cumulative_quote_qty, update.cumulative_quote_qty)
    # The average belongs with the largest execution seen: (executed, average) merge as a pair,
    # largest first. A report that executed more but carries no average (None, or the "0" some
    # REST answers of 004 send) resets it to "unknown" (zero, which ``Order.average_price`` then
    # derives from the cumulative quote): keeping the older average would show a stale number and
    # make the result depend on arrival order. On a tie the larger average wins.
    avg_price = order.avg_price
    reported_avg = update.avg_price if update.avg_price is not None and update.avg_price > 0 else ZERO
    if update.executed_qty > order.executed_qty:
        avg_price = reported_avg
    elif update.executed_qty == order.executed_qty:
        avg_price = max(avg_price, reported_avg)

    cancel_reason = order.cancel_reason
    if update.cancel_reason and (not cancel_reason or update.cancel_reason > cancel_reason):
        cancel_reason = update.cancel_reason

    order_id = order.order_id
    if update.order_id and (order_id is None or (order_id != update.order_id and update.order_id < order_id)):
        # A venue gives an order one id; the min keeps the merge order-independent even so.
        order_id = update.order_id

    # A report proves the order exists: it undoes an earlier conclusion that the venue had lost it.
    found = order.local_status is OrderStatus.MISSING
    return replace(
        order,
        local_status=OrderStatus.SUBMITTING if found else order.local_status,
        reject_reason="" if found else order.reject_reason,
        venue_status=status,
        executed_qty=executed,
        cumulative_quote_qty=cumulative,
        avg_price=avg_price,
        order_id=order_id,
        updated_ms=max(order.updated_ms, update.update_ms),
        cancel_reason=cancel_reason,
        cancel_pending=order.cancel_pending and not status.is_terminal,
    )


def mark_unknown(order: Order, reason: str) -> Order:
    """The request's outcome is uncertain (timeout, 5xx). Only meaningful before the venue spoke."""
    if order.venue_status is not None:
        return order  # the venue already told us the order exists: nothing is unknown
    if order.local_status is OrderStatus.REJECTED:
        raise TransitionError(f"order {order.client_order_id} was already rejected")
    return replace(order, local_status=OrderStatus.UNKNOWN, reject_reason=reason)


def mark_rejected(order: Order, reason: str) -> Order:
    """The venue refused the request, or reconciliation proved the order never reached it.

    A later report from the venue still wins over this local conclusion (``status`` prefers
    ``venue_status``), so an order can never be hidden by a wrong inference.
    """
    if order.venue_status is not None:
        return order
    return replace(order, local_status=OrderStatus.REJECTED, reject_reason=reason)


def mark_missing(order: Order, reason: str) -> Order:
    """The venue acknowledged this order once but now says it has no such order.

    Without an acknowledgement that answer means the order never arrived: it is REJECTED. With
    one, the order can no longer fill or be cancelled, yet the terminal cannot claim how it ended:
    MISSING says exactly that. Any later report from the venue replaces the conclusion.
    """
    if order.venue_status is None:
        return mark_rejected(order, reason)
    if order.venue_status.is_terminal:
        return order  # it ended and the venue has forgotten it since: the ending stands
    return replace(order, local_status=OrderStatus.MISSING, reject_reason=reason, cancel_pending=False)


def request_cancel(order: Order) -> Order:
    """A cancel request is about to leave for this order."""
    if order.status.is_terminal:
        raise TransitionError(f"order {order.client_order_id} is already {order.status}")
    if order.venue_status is None and order.local_status is OrderStatus.SUBMITTING:
        # Cancelling by client id works once the venue has the order; before that the
        # request would race the creation. The session waits for the acknowledgement.
        raise TransitionError(f"order {order.client_order_id} is not acknowledged yet")
    return replace(order, cancel_pending=True)


def cancel_failed(order: Order) -> Order:
    """The venue refused the cancel: the order shows its venue status again."""
    return replace(order, cancel_pending=False)


def apply_amendment(order: Order, amended: Order) -> Order:
    """The venue's answer to a change of a working order (``amended``): its price and quantity now
    stand, and its report merges as any other. A venue that leaves either out keeps the old one."""
    if amended.client_order_id != order.client_order_id:
        raise TransitionError(f"amendment of {amended.client_order_id!r} applied to order {order.client_order_id!r}")
    changed = replace(
        order,
        price=amended.price if amended.price is not None else order.price,
        quantity=amended.quantity if amended.quantity > 0 else order.quantity,
    )
    return apply_update(changed, report_of(amended)) if amended.venue_status is not None else changed


def report_of(order: Order) -> OrderUpdate:
    """A venue's view of an order (from REST or a stream) as an update to merge into another record."""
    if order.venue_status is None:
        raise TransitionError(f"order {order.client_order_id} has no venue status to report")
    return OrderUpdate(
        client_order_id=order.client_order_id,
        status=order.venue_status,
        executed_qty=order.executed_qty,
        cumulative_quote_qty=order.cumulative_quote_qty,
        order_id=order.order_id,
        avg_price=order.avg_price or None,
        update_ms=order.updated_ms,
        cancel_reason=order.cancel_reason,
    )
