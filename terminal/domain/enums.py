"""The vocabularies of spot trading: sides, order types, time in force, statuses."""

from __future__ import annotations

from enum import StrEnum


class Side(StrEnum):
    BUY = "BUY"
    SELL = "SELL"

    @property
    def opposite(self) -> Side:
        return Side.SELL if self is Side.BUY else Side.BUY


class OrderType(StrEnum):
    """What an order asks of the matching engine.

    LIMIT, MARKET and LIMIT_MAKER are HashKey's (004, "Create Order v1.1"); the others are the
    Hong Kong stock types Longbridge's OpenAPI documents (ELO, AO, ALO, ODD, SLO). Which of them an
    instrument accepts is ``Instrument.order_types``; which a venue sends, its capabilities.
    """

    LIMIT = "LIMIT"  # at the price or better; the rest waits in the book (Longbridge: LO)
    MARKET = "MARKET"  # no price: at the best prices available now (Longbridge: MO)
    LIMIT_MAKER = "LIMIT_MAKER"  # a limit order refused if it would take liquidity (post only)
    # Longbridge ELO: a limit order that may match up to ten price queues at once; what remains
    # rests at the limit price.
    ENHANCED_LIMIT = "ENHANCED_LIMIT"
    # Longbridge AO: no price, matched at the auction's final price (pre-opening or closing auction);
    # what the auction does not fill is cancelled.
    AT_AUCTION = "AT_AUCTION"
    # Longbridge ALO: an auction order with a limit price, matched in the auction at that price or
    # better; what remains is carried into continuous trading as a limit order.
    AT_AUCTION_LIMIT = "AT_AUCTION_LIMIT"
    # Longbridge ODD: a limit order for fewer shares than one board lot (1 to lot - 1 shares).
    ODD_LOT = "ODD_LOT"
    # Longbridge SLO: a limit order that may match up to ten price queues at once; what remains is
    # cancelled, never rests.
    SPECIAL_LIMIT = "SPECIAL_LIMIT"

    @property
    def takes_price(self) -> bool:
        """The order carries a limit price (and needs one); MARKET and AT_AUCTION carry none."""
        return self in _PRICED

    @property
    def rests(self) -> bool:
        """What the order does not fill at once may wait in the book (so it may pay the maker rate)."""
        return self in _RESTING


_PRICED = frozenset(
    {
        OrderType.LIMIT,
        OrderType.LIMIT_MAKER,
        OrderType.ENHANCED_LIMIT,
        OrderType.AT_AUCTION_LIMIT,
        OrderType.ODD_LOT,
        OrderType.SPECIAL_LIMIT,
    }
)
_RESTING = frozenset(
    {OrderType.LIMIT, OrderType.LIMIT_MAKER, OrderType.ENHANCED_LIMIT, OrderType.AT_AUCTION_LIMIT, OrderType.ODD_LOT}
)


class TimeInForce(StrEnum):
    GTC = "GTC"
    IOC = "IOC"
    FOK = "FOK"
    DAY = "DAY"  # until the end of the trading day (stock venues: Webull, Longbridge)


class StpMode(StrEnum):
    """Self-trade prevention (004, "Create Order v1.1": default EXPIRE_TAKER)."""

    EXPIRE_TAKER = "EXPIRE_TAKER"
    EXPIRE_MAKER = "EXPIRE_MAKER"


class SymbolStatus(StrEnum):
    """Trading pair status (004, "Get Exchange Information")."""

    IN_PREVIEW = "IN_PREVIEW"
    TRADING = "TRADING"
    HALT = "HALT"
    RESUMING = "RESUMING"


class OrderStatus(StrEnum):
    """The venue's order statuses (004, "Order Status") and the terminal's local ones.

    Local statuses describe what the terminal knows on its own:
    SUBMITTING (request in flight), UNKNOWN (the request's outcome is uncertain and must be
    reconciled by querying the client order id), CANCEL_REQUESTED (a cancel is in flight),
    MISSING (the venue acknowledged the order once but now answers that it has no such order:
    it can neither fill nor be cancelled, and the user is told).
    """

    SUBMITTING = "SUBMITTING"
    UNKNOWN = "UNKNOWN"
    CANCEL_REQUESTED = "CANCEL_REQUESTED"
    MISSING = "MISSING"
    PENDING_NEW = "PENDING_NEW"
    NEW = "NEW"
    PARTIALLY_FILLED = "PARTIALLY_FILLED"
    PARTIALLY_CANCELED = "PARTIALLY_CANCELED"
    FILLED = "FILLED"
    CANCELED = "CANCELED"
    REJECTED = "REJECTED"

    @property
    def is_local(self) -> bool:
        return self in _LOCAL

    @property
    def is_terminal(self) -> bool:
        """No further change can come from the venue."""
        return self in _TERMINAL

    @property
    def is_working(self) -> bool:
        """Resting at the venue (or possibly so): may still fill or be cancelled."""
        return not self.is_terminal


_LOCAL = frozenset({OrderStatus.SUBMITTING, OrderStatus.UNKNOWN, OrderStatus.CANCEL_REQUESTED, OrderStatus.MISSING})
_TERMINAL = frozenset(
    {
        OrderStatus.FILLED,
        OrderStatus.CANCELED,
        OrderStatus.PARTIALLY_CANCELED,
        OrderStatus.REJECTED,
        OrderStatus.MISSING,
    }
)
