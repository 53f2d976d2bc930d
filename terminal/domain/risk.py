"""Per-profile risk limits and the check an order passes before it leaves: blocked, or confirmed by the user.

An order inside every limit needs no question; each limit it breaks is one ``RiskBreach`` with a
sentence naming the limit and both values. A limit that cannot be judged (no price known) is a
breach too: a limit never passes silently.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal
from enum import StrEnum

from terminal.domain.decimals import (
    DecimalParseError,
    decimals_of,
    div,
    format_decimal,
    mul,
    parse_decimal,
    quantize,
)
from terminal.domain.enums import OrderType, Side
from terminal.domain.instrument import Instrument
from terminal.domain.orders import OrderRequest

ANY_SYMBOL = "*"  # the max_quantity_per_symbol key for every symbol not named
MAX_SYMBOL_LENGTH = 64
CANCEL_ON_DISCONNECT_MIN_S = 5
CANCEL_ON_DISCONNECT_MAX_S = 3600
_HUNDRED = Decimal(100)


class RiskLimitsError(ValueError):
    """Risk limits that cannot be: the message is a sentence for the user."""


class RiskLimit(StrEnum):
    """The limits a profile can set; the values are the field names (and the profile file's keys)."""

    NOTIONAL = "max_order_notional"
    QUANTITY = "max_quantity_per_symbol"
    DISTANCE = "max_price_distance_pct"
    OPEN_ORDERS = "max_open_orders"


class RiskAction(StrEnum):
    """What an order beyond a limit meets: refused outright, or a confirmation naming the limit."""

    BLOCK = "block"
    CONFIRM = "confirm"


def _positive(value: object, what: str) -> Decimal:
    try:
        number = parse_decimal(value, field=what)
    except DecimalParseError as error:
        raise RiskLimitsError(str(error)) from None
    if number <= 0:
        raise RiskLimitsError(f"{what} must be greater than zero, not {format_decimal(number)}")
    return number


def _symbol(value: object) -> str:
    what = "A symbol in max_quantity_per_symbol"
    if not isinstance(value, str):
        raise RiskLimitsError(f"{what} must be text, not {type(value).__name__}")
    if not value:
        raise RiskLimitsError(f"{what} is empty")
    if len(value) > MAX_SYMBOL_LENGTH:
        raise RiskLimitsError(f"{what} is longer than {MAX_SYMBOL_LENGTH} characters")
    if not value.isprintable() or any(character.isspace() for character in value):
        raise RiskLimitsError(f"{what} {value!r} contains a space or a character that cannot be shown")
    return value


def _member(kind: type[RiskLimit] | type[RiskAction], value: object, what: str) -> str:
    if isinstance(value, str):
        try:
            return kind(value)
        except ValueError:
            pass
    allowed = ", ".join(f'"{member.value}"' for member in kind)
    raise RiskLimitsError(f"{what} must be one of {allowed}, not {value!r}")


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Optional limits an order must respect before it leaves; None (or an empty map) means no limit.

    ``max_quantity_per_symbol`` maps symbols to the largest quantity of one order; the key "*"
    covers every symbol not named. ``actions`` says per limit whether an order beyond it is
    blocked or confirmed (a limit not named is confirmed); it always comes back with all four
    limits. ``cancel_on_disconnect_s``: cancel all open orders once the private stream has been
    down longer than this many seconds (None: never).
    """

    max_order_notional: Decimal | None = None  # in the instrument's quote asset
    max_quantity_per_symbol: Mapping[str, Decimal] = field(default_factory=dict)
    max_price_distance_pct: Decimal | None = None  # in percent of the mid: 5 means 5 %
    max_open_orders: int | None = None
    actions: Mapping[RiskLimit, RiskAction] = field(default_factory=dict)
    cancel_on_disconnect_s: int | None = None

    def __post_init__(self) -> None:
        if self.max_order_notional is not None:
            object.__setattr__(self, "max_order_notional", _positive(self.max_order_notional, RiskLimit.NOTIONAL.value))
        if self.max_price_distance_pct is not None:
            object.__setattr__(
                self, "max_price_distance_pct", _positive(self.max_price_distance_pct, RiskLimit.DISTANCE.value)
            )
        if not isinstance(self.max_quantity_per_symbol, Mapping):
            raise RiskLimitsError("max_quantity_per_symbol must map symbols to quantities")
        quantities: dict[str, Decimal] = {}
        seen: dict[str, str] = {}
        for symbol, quantity in self.max_quantity_per_symbol.items():
            checked = _symbol(symbol)
            key = checked.casefold()
            if key in seen:
                raise RiskLimitsError(f"max_quantity_per_symbol names {seen[key]} twice (also as {checked})")
            seen[key] = checked
            quantities[checked] = _positive(quantity, f"max_quantity_per_symbol[{checked}]")
        object.__setattr__(self, "max_quantity_per_symbol", quantities)  # a private copy
        limit = self.max_open_orders
        if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 1):
            raise RiskLimitsError(f"max_open_orders must be a whole number of at least 1, not {limit!r}")
        if not isinstance(self.actions, Mapping):
            raise RiskLimitsError("actions must map limits to block or confirm")
        given: dict[RiskLimit, RiskAction] = {}
        for name, action in self.actions.items():
            member = RiskLimit(_member(RiskLimit, name, "A limit in actions"))
            given[member] = RiskAction(_member(RiskAction, action, f"The action for {member.value}"))
        object.__setattr__(self, "actions", {limit: given.get(limit, RiskAction.CONFIRM) for limit in RiskLimit})
        seconds = self.cancel_on_disconnect_s
        if seconds is not None and (
            isinstance(seconds, bool)
            or not isinstance(seconds, int)
            or not CANCEL_ON_DISCONNECT_MIN_S <= seconds <= CANCEL_ON_DISCONNECT_MAX_S
        ):
            raise RiskLimitsError(
                f"cancel_on_disconnect_s must be a whole number of seconds from {CANCEL_ON_DISCONNECT_MIN_S} "
                f"to {CANCEL_ON_DISCONNECT_MAX_S}, not {seconds!r}"
            )

    def action(self, limit: RiskLimit) -> RiskAction:
        """Blocked or confirmed: what an order beyond ``limit`` meets."""
        return self.actions.get(limit, RiskAction.CONFIRM)

    def max_quantity(self, symbol: str) -> Decimal | None:
        """The quantity limit of ``symbol`` (named in any case), else the "*" limit, else None."""
        key = symbol.casefold()
        named = next((value for name, value in self.max_quantity_per_symbol.items() if name.casefold() == key), None)
        return named if named is not None else self.max_quantity_per_symbol.get(ANY_SYMBOL)

    @property
    def any_set(self) -> bool:
        """Whether any order limit is set (the disconnect option is not an order limit)."""
        return (
            self.max_order_notional is not None
            or bool(self.max_quantity_per_symbol)
            or self.max_price_distance_pct is not None
            or self.max_open_orders is not None
        )


@dataclass(frozen=True, slots=True)
class RiskBreach:
    """One limit an order breaks, what the profile says to do about it, and a sentence for the user."""

    limit: RiskLimit
    action: RiskAction
    message: str


def assess_risk(
    request: OrderRequest,
    instrument: Instrument,
    limits: RiskLimits,
    *,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
    last_price: Decimal | None,
    open_orders: int,
) -> list[RiskBreach]:
    """Every limit ``request`` breaks or that cannot be judged; an empty list means no question is needed.

    ``open_orders`` is the number of the user's open orders the limit counts (not including this one).
    Prices that are None or not above zero count as unknown. A value exactly at its limit is allowed.
    """
    price = _price_estimate(request, best_bid, best_ask, last_price)
    checks = (
        (RiskLimit.NOTIONAL, _notional(request, instrument, limits.max_order_notional, price)),
        (RiskLimit.QUANTITY, _quantity(request, instrument, limits, price)),
        (
            RiskLimit.DISTANCE,
            _distance(request, instrument, limits.max_price_distance_pct, best_bid, best_ask, last_price),
        ),
        (RiskLimit.OPEN_ORDERS, _open_orders(limits.max_open_orders, open_orders)),
    )
    return [RiskBreach(limit, limits.action(limit), message) for limit, message in checks if message is not None]


def _by_amount(request: OrderRequest) -> Decimal | None:
    """The quote amount of a market buy by amount, else None."""
    if request.type is OrderType.MARKET and request.side is Side.BUY:
        return request.amount
    return None


def _notional(
    request: OrderRequest, instrument: Instrument, limit: Decimal | None, price: Decimal | None
) -> str | None:
    if limit is None:
        return None
    quote = instrument.quote_asset
    limit_text = f"{_plain(limit)} {quote}"
    amount = _by_amount(request)
    if amount is not None:
        notional, about = amount, ""
    elif request.quantity is None:
        return f"No quantity is known to check the {limit_text} notional limit"
    elif price is None:
        return f"No price is known to check the {limit_text} notional limit"
    else:
        notional, about = mul(price, request.quantity), "" if request.type.takes_price else " about"
    if notional <= limit:
        return None
    shown = _above(notional, limit, instrument.amount_step)
    return f"Notional{about} {shown} {quote} is above your limit of {limit_text}"


def _quantity(request: OrderRequest, instrument: Instrument, limits: RiskLimits, price: Decimal | None) -> str | None:
    limit = limits.max_quantity(instrument.symbol)
    if limit is None:
        return None
    base = instrument.base_asset
    key = instrument.symbol.casefold()
    named = any(name != ANY_SYMBOL and name.casefold() == key for name in limits.max_quantity_per_symbol)
    limit_text = f"{_plain(limit)} {base}"
    which = f"{instrument.symbol} limit" if named else "per-symbol limit"
    amount = _by_amount(request)
    if amount is not None:
        if price is None:
            return f"No price is known to check your {which} of {limit_text}"
        quantity, about = div(amount, price), " about"
    elif request.quantity is None:
        return f"No quantity is known to check your {which} of {limit_text}"
    else:
        quantity, about = request.quantity, ""
    if quantity <= limit:
        return None
    shown = _above(quantity, limit, instrument.step_size)
    return f"Quantity{about} {shown} {base} is above your {which} of {limit_text}"


def _distance(
    request: OrderRequest,
    instrument: Instrument,
    limit: Decimal | None,
    best_bid: Decimal | None,
    best_ask: Decimal | None,
    last_price: Decimal | None,
) -> str | None:
    if limit is None or not request.type.takes_price:
        return None
    limit_text = f"{_plain(limit)}%"
    price = _known(request.price)
    if price is None:
        return f"The order has no price to check the {limit_text} price distance limit"
    mid = _mid(best_bid, best_ask, last_price)
    if mid is None:
        return f"No mid or last price is known to check the {limit_text} price distance limit"
    gap = mul(abs(price - mid), _HUNDRED)
    # Compared without dividing, so that a distance exactly at the limit is never rounded over it.
    if gap <= mul(limit, mid):
        return None
    distance = _above(div(gap, mid), limit, Decimal("0.01"))
    shown_mid = _plain(quantize(mid, _grid(instrument.tick_size)))
    return f"Price {_plain(price)} is {distance}% from the mid {shown_mid} (limit {limit_text})"


def _open_orders(limit: int | None, open_orders: int) -> str | None:
    if limit is None or open_orders + 1 <= limit:
        return None
    return f"This would be open order {open_orders + 1}; your limit is {limit}"


def _known(price: Decimal | None) -> Decimal | None:
    return price if price is not None and price > 0 else None


def _price_estimate(
    request: OrderRequest, best_bid: Decimal | None, best_ask: Decimal | None, last_price: Decimal | None
) -> Decimal | None:
    """The order's own price, or what an order without one (market, at-auction) is likely to pay: the far
    side of the book, else the last trade."""
    if request.type.takes_price:
        return _known(request.price)
    near = best_ask if request.side is Side.BUY else best_bid
    return _known(near) or _known(last_price)


def _mid(best_bid: Decimal | None, best_ask: Decimal | None, last_price: Decimal | None) -> Decimal | None:
    bid, ask = _known(best_bid), _known(best_ask)
    if bid is not None and ask is not None:
        return div(bid + ask, Decimal(2))
    return _known(last_price)


def _grid(step: Decimal) -> Decimal:
    """The power of ten with the decimals of ``step`` (0.25 -> 0.01): display precision, not a valid price grid."""
    return Decimal(1).scaleb(-decimals_of(step))


def _plain(value: Decimal) -> str:
    """Exactly the value, grouped, without exponent or trailing zeros: 10000 -> "10,000"."""
    return format_decimal(value, grouping=True)


def _above(value: Decimal, limit: Decimal, step: Decimal) -> str:
    """``value`` (above ``limit``) shown with the decimals of ``step`` or of the limit, rounded up so that
    it never reads as equal to the limit it breaks."""
    places = max(decimals_of(step), decimals_of(limit))
    return _plain(quantize(value, Decimal(1).scaleb(-places), ROUND_CEILING))
