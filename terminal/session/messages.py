"""Short human sentences for what happens to orders and for venue errors (never a traceback)."""

from __future__ import annotations

from terminal.domain.decimals import format_decimal
from terminal.domain.enums import OrderType
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Fill, Order
from terminal.venues.errors import (
    AuthenticationError,
    Banned,
    ClockSkew,
    InsufficientFunds,
    InvalidRequest,
    MalformedResponse,
    OrderNotFound,
    OrderRejected,
    PermissionDenied,
    RateLimited,
    UnknownOutcome,
    VenueError,
    VenueUnavailable,
)


def describe_error(error: VenueError) -> str:
    """What went wrong, in words, keeping the venue's own message."""
    message = error.message.rstrip(".")
    if isinstance(error, Banned):
        return f"The venue has blocked requests from this address for now: {message}."
    if isinstance(error, RateLimited):
        wait = f"; wait {error.retry_after:.0f} s" if error.retry_after else ""
        return f"Too many requests{wait} ({message})."
    if isinstance(error, InsufficientFunds):
        return f"Not enough funds: {message}."
    if isinstance(error, OrderNotFound):
        return f"The venue does not have that order (any more): {message}."
    if isinstance(error, OrderRejected):
        return f"The venue rejected the order: {message}."
    if isinstance(error, PermissionDenied):
        return f"Not allowed with this API key: {message}."
    if isinstance(error, AuthenticationError):
        return f"The venue did not accept the API key: {message}."
    if isinstance(error, ClockSkew):
        return f"The clock differs too much from the venue's: {message}."
    if isinstance(error, UnknownOutcome):
        return f"No clear answer from the venue ({message}); checking what happened."
    if isinstance(error, VenueUnavailable):
        return f"The venue cannot be reached: {message}."
    if isinstance(error, MalformedResponse):
        return f"The venue answered something unexpected: {message}."
    if isinstance(error, InvalidRequest):
        return f"The venue refused the request: {message}."
    return f"The venue refused the request: {message}."


def describe_order(order: Order, instrument: Instrument | None) -> str:
    """ "buy 0.01000 BTCUSDT at 95,000.00" (or "market buy for 1,000.00 USDT")."""
    side = order.side.value.lower()
    step = instrument.step_size if instrument else None
    tick = instrument.tick_size if instrument else None
    if order.quantity > 0:
        size = f"{format_decimal(order.quantity, step)} {order.symbol}"
    else:
        quote = instrument.quote_asset if instrument else ""
        size = (
            f"{order.symbol} for {format_decimal(order.amount, instrument.amount_step if instrument else None)} {quote}"
        )
    if order.price is None:
        if order.type is OrderType.AT_AUCTION:
            return f"{side} {size} at auction"
        return f"market {side} {size}"
    if order.price is not None and instrument is not None:
        tick = instrument.tick_at(order.price)
    return f"{side} {size} at {format_decimal(order.price, tick, grouping=True)}"


def describe_fill(fill: Fill, instrument: Instrument | None) -> str:
    verb = "Bought" if fill.side.value == "BUY" else "Sold"
    base = instrument.base_asset if instrument else fill.symbol
    qty = format_decimal(fill.quantity, instrument.step_size if instrument else None)
    price = format_decimal(fill.price, instrument.tick_size if instrument else None, grouping=True)
    return f"{verb} {qty} {base} at {price} ({fill.symbol})"
