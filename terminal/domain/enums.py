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
    LIMIT = "LIMIT"
    MARKET = "MARKET"
    LIMIT_MAKER = "LIMIT_MAKER"


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
