"""What the ticket's fields say: an order request that may be sent, or every problem that stops it (no Qt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from terminal.domain.decimals import DecimalParseError, decimals_of, parse_decimal
from terminal.domain.enums import OrderType, Side, TimeInForce
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest
from terminal.domain.validation import Violation, validate_order

# No price, size or amount on any venue comes near 10**18 or needs 18 decimals: a value beyond that
# is a slip of the finger, refused here rather than echoed digit by digit in the rules' sentences.
MAX_DIGITS = 18

# Judges a well-formed request; the session's order manager adds the book, balances and bands.
Check = Callable[[OrderRequest], list[Violation]]


@dataclass(frozen=True, slots=True)
class TicketInput:
    """The ticket's choices and the texts of its fields, as typed."""

    symbol: str
    side: Side
    type: OrderType
    time_in_force: TimeInForce | None
    price_text: str = ""
    quantity_text: str = ""
    amount_text: str = ""
    by_amount: bool = False  # a market buy sized by a quote amount instead of a quantity

    @property
    def uses_price(self) -> bool:
        return self.type.takes_price

    @property
    def uses_amount(self) -> bool:
        return self.type is OrderType.MARKET and self.side is Side.BUY and self.by_amount


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason the ticket cannot be sent: the field it concerns, a sentence, the nearest valid value."""

    field: str  # price, quantity, amount, or the field of another rule (type, timeInForce, symbol, openOrders)
    message: str
    nearest: Decimal | None = None

    @classmethod
    def of(cls, violation: Violation) -> Problem:
        return cls(violation.field, violation.message, violation.nearest)


@dataclass(frozen=True, slots=True)
class Draft:
    """``candidate`` is what the fields describe (None while a field does not parse); it may be sent
    only when there are no problems, which is what ``request`` returns."""

    candidate: OrderRequest | None
    problems: tuple[Problem, ...]

    @property
    def request(self) -> OrderRequest | None:
        return None if self.problems else self.candidate


def draft_order(ticket: TicketInput, instrument: Instrument, check: Check | None = None) -> Draft:
    """Parse the fields the ticket's type uses and judge the request they make with ``check``
    (by default the instrument's own rules)."""
    problems: list[Problem] = []
    price = _parse(ticket.price_text, "price", problems) if ticket.uses_price else None
    quantity = None if ticket.uses_amount else _parse(ticket.quantity_text, "quantity", problems)
    amount = _parse(ticket.amount_text, "amount", problems) if ticket.uses_amount else None
    if problems:
        return Draft(None, tuple(problems))
    request = OrderRequest(
        symbol=ticket.symbol,
        side=ticket.side,
        type=ticket.type,
        quantity=quantity,
        price=price,
        amount=amount,
        time_in_force=ticket.time_in_force,
    )
    violations = check(request) if check is not None else validate_order(request, instrument)
    # Two rules may say the same thing (MIN_NOTIONAL and TRADE_AMOUNT's minimum): say it once.
    unique = {(v.field, v.message): Problem.of(v) for v in violations}
    return Draft(request, tuple(unique.values()))


def _parse(text: str, field: str, problems: list[Problem]) -> Decimal | None:
    if not text.strip():
        problems.append(Problem(field, f"{field} is required"))
        return None
    try:
        value = parse_decimal(text, field=field)
    except DecimalParseError as error:
        problems.append(Problem(field, str(error)))
        return None
    if value > 0 and value.adjusted() >= MAX_DIGITS:
        problems.append(Problem(field, f"{field} {_shorten(text)} is too large"))
        return None
    if value > 0 and decimals_of(value) > MAX_DIGITS:
        problems.append(Problem(field, f"{field} {_shorten(text)} has more than {MAX_DIGITS} decimals"))
        return None
    return value


def _shorten(text: str) -> str:
    text = text.strip()
    return text if len(text) <= 24 else f"{text[:21]}..."


def parse_field(text: str, field: str) -> tuple[Decimal | None, str]:
    """One numeric field as the ticket reads it: its value, or why it is not one (in words)."""
    problems: list[Problem] = []
    value = _parse(text, field, problems)
    return value, problems[0].message if problems else ""
