"""Changing a working order's price or quantity (a broker that amends orders in place): what the
changed order amounts to as a request, judged like a new one, and why a change cannot be asked at all."""

from __future__ import annotations

from decimal import Decimal

from terminal.domain.decimals import ZERO, format_decimal
from terminal.domain.enums import Side
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order, OrderRequest


def amended_request(order: Order, price: Decimal | None, quantity: Decimal | None) -> OrderRequest:
    """The order as it would stand with the new values. Its time in force does not change, so it is
    left out: an order the venue took keeps it even where the ticket would no longer offer it."""
    return OrderRequest(
        order.symbol,
        order.side,
        order.type,
        quantity=quantity if quantity is not None else order.quantity,
        price=price if price is not None else order.price,
        stp_mode=order.stp_mode,
    )


def held_by(order: Order) -> Decimal:
    """What a working order locks of the asset it spends: free again for the changed order."""
    remaining = order.remaining_qty
    if order.side is Side.SELL:
        return remaining
    return remaining * order.price if order.price is not None else ZERO


def change_problem(order: Order, price: Decimal | None, quantity: Decimal | None, *, in_flight: bool) -> str | None:
    """Why this change cannot be asked for, in words; None when the rules are next to judge it."""
    cid = order.client_order_id
    if order.venue_status is None or not order.status.is_working:
        return f"order {cid} is not working ({order.status.value.replace('_', ' ').lower()})"
    if order.cancel_pending:
        return f"order {cid} is being cancelled"
    if in_flight:
        return f"a change of order {cid} is already on its way"
    if price is not None and order.price is None:
        return "a market order has no price to change"
    if (price is None or price == order.price) and (quantity is None or quantity == order.quantity):
        return "nothing changes: enter a different price or quantity"
    if quantity is not None and quantity <= order.executed_qty:
        filled = format_decimal(order.executed_qty, None)
        return f"{filled} of the order is filled already: the new quantity must be more than that"
    return None


def describe_change(
    order: Order, price: Decimal | None, quantity: Decimal | None, instrument: Instrument | None
) -> str:
    """ "BTCUSDT buy: price 95,000.00 → 94,500.00, quantity 0.010 → 0.020"."""
    step = instrument.step_size if instrument is not None else None
    parts = []
    if price is not None and price != order.price:
        old = _price(order.price, instrument) if order.price is not None else "market"
        parts.append(f"price {old} → {_price(price, instrument)}")
    if quantity is not None and quantity != order.quantity:
        parts.append(f"quantity {format_decimal(order.quantity, step)} → {format_decimal(quantity, step)}")
    return f"{order.symbol} {order.side.value.lower()}: {', '.join(parts) or 'no change'}"


def _price(price: Decimal, instrument: Instrument | None) -> str:
    return format_decimal(price, instrument.tick_at(price) if instrument is not None else None, grouping=True)
