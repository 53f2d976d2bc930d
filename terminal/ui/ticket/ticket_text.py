"""The ticket's words: what the submit button will do, the cost estimate, what became of the order (no Qt)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from terminal.domain.decimals import decimals_of, format_decimal, is_multiple, quantize, to_plain
from terminal.domain.enums import OrderStatus, OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import Order, OrderRequest
from terminal.session.messages import describe_order
from terminal.ui.ticket.sizing import Estimate

_FEE_QUANTUM = Decimal("0.00000001")  # fees are small: show them to 8 decimals, rounded up


def format_price(value: Decimal, instrument: Instrument, *, grouping: bool = False) -> str:
    """With the tick's decimals; a price off the tick keeps its digits (rounding would misstate it)."""
    step = instrument.tick_size if is_multiple(value, instrument.tick_size) else None
    return format_decimal(value, step, grouping=grouping)


def format_quantity(value: Decimal, instrument: Instrument) -> str:
    step = instrument.step_size if is_multiple(value, instrument.step_size) else None
    return format_decimal(value, step)


def format_amount(value: Decimal, instrument: Instrument, *, grouping: bool = False) -> str:
    """A quote amount with at least the tick's decimals and at most the amount step's (only those it needs)."""
    most = decimals_of(instrument.amount_step)
    least = min(decimals_of(instrument.tick_size), most)
    needed = decimals_of(Decimal(to_plain(value))) if value.is_finite() else most
    places = max(least, min(needed, most))
    return format_decimal(value, Decimal(1).scaleb(-places), grouping=grouping)


# What the submit button adds after the price for a priced type other than a plain limit.
_TYPE_NOTES = {
    OrderType.LIMIT_MAKER: "maker only",
    OrderType.ENHANCED_LIMIT: "enhanced limit",
    OrderType.AT_AUCTION_LIMIT: "at-auction limit",
    OrderType.ODD_LOT: "odd lot",
    OrderType.SPECIAL_LIMIT: "special limit",
}


def submit_label(candidate: OrderRequest | None, side: Side, instrument: Instrument | None) -> str:
    """ "Buy 0.01000 BTC at 95,000.00", "Sell 0.50000 BTC at market", "Buy BTC for 1,000.00 USDT at market"."""
    verb = "Buy" if side is Side.BUY else "Sell"
    if candidate is None or instrument is None:
        return verb
    base = instrument.base_asset
    if candidate.amount is not None:
        amount = candidate.amount
        shown = (
            format_amount(amount, instrument, grouping=True)
            if is_multiple(amount, instrument.amount_step)
            else format_decimal(amount, grouping=True)
        )
        return f"{verb} {base} for {shown} {instrument.quote_asset} at market"
    size = f"{verb} {format_quantity(candidate.quantity, instrument)} {base}" if candidate.quantity else verb
    if candidate.type is OrderType.AT_AUCTION:
        return f"{size} at auction"
    if not candidate.type.takes_price or candidate.price is None:
        return f"{size} at market"
    text = f"{size} at {format_price(candidate.price, instrument, grouping=True)}"
    note = _TYPE_NOTES.get(candidate.type)
    if note:
        return f"{text} ({note})"
    if candidate.time_in_force in (TimeInForce.IOC, TimeInForce.FOK):
        return f"{text} ({candidate.time_in_force})"
    return text


def estimate_text(value: Estimate, instrument: Instrument) -> str:
    """ "Notional 950.00 USDT · fee 0.000015 BTC (maker rate 0.15%)"."""
    quote = instrument.quote_asset
    if value.notional is None:
        notional = "Notional unknown until the market has a price"
    else:
        about = "≈ " if value.approximate else ""
        notional = f"Notional {about}{format_amount(value.notional, instrument, grouping=True)} {quote}"
    if value.rate is None:
        return f"{notional} · fee rate unknown"
    rate = f"{value.liquidity} rate {to_plain(value.rate * 100)}%"
    if value.fee is None:
        return f"{notional} · fee at the {rate}"
    fee = to_plain(quantize(value.fee, _FEE_QUANTUM, ROUND_CEILING))
    about = "≈ " if value.fee_approximate else ""
    return f"{notional} · fee {about}{fee} {value.fee_currency} ({rate})"


class Tone(StrEnum):
    OK = "ok"
    PENDING = "pending"
    WARN = "warn"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Outcome:
    """A line for the ticket's status: what happened, and how it should look."""

    tone: Tone
    text: str


def order_outcome(order: Order, instrument: Instrument | None) -> Outcome:
    what = describe_order(order, instrument)
    ident = f"order {order.order_id}" if order.order_id else f"order {order.client_order_id}"
    status = order.status
    if status is OrderStatus.REJECTED:
        return Outcome(Tone.ERROR, f"Rejected: {order.reject_reason or 'the venue refused the order.'}")
    if status is OrderStatus.UNKNOWN:
        reason = order.reject_reason or "no clear answer from the venue"
        return Outcome(Tone.PENDING, f"Outcome unknown, being checked with the venue: {reason}")
    if status is OrderStatus.SUBMITTING:
        return Outcome(Tone.PENDING, f"Sending {what}…")
    if status is OrderStatus.MISSING:
        return Outcome(Tone.ERROR, f"{ident} is no longer known to the venue: {order.reject_reason}.")
    if status is OrderStatus.FILLED:
        return Outcome(Tone.OK, f"Filled: {ident}, {what}.")
    if status is OrderStatus.PARTIALLY_FILLED:
        done = format_decimal(order.executed_qty, instrument.step_size if instrument else None)
        return Outcome(Tone.OK, f"Accepted: {ident}, {what}; {done} filled so far.")
    if status in (OrderStatus.CANCELED, OrderStatus.PARTIALLY_CANCELED):
        why = f" ({order.cancel_reason})" if order.cancel_reason else ""
        return Outcome(Tone.WARN, f"Accepted, then cancelled{why}: {ident}, {what}.")
    if status is OrderStatus.CANCEL_REQUESTED:
        return Outcome(Tone.PENDING, f"Cancelling {ident}, {what}…")
    return Outcome(Tone.OK, f"Accepted: {ident}, {what}.")
