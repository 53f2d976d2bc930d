"""What each engine operation answers: the order(s) as they now stand and the events the change produced."""

from __future__ import annotations

from dataclasses import dataclass

from terminal.demo.events import Event
from terminal.demo.records import AccountTrade, OrderView


@dataclass(frozen=True, slots=True)
class PlaceResult:
    """A placed order after matching, its own fills (oldest first), and every event, in order."""

    order: OrderView
    fills: tuple[AccountTrade, ...]
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class CancelResult:
    """A cancelled order. ``acknowledged`` is the order as it stood when the cancel arrived, which is
    what 004's "Cancel Order" example answers with ("status": "NEW"); ``order`` is the final state."""

    order: OrderView
    acknowledged: OrderView
    events: tuple[Event, ...]


@dataclass(frozen=True, slots=True)
class CancelAllResult:
    """Orders cancelled by a cancel-all, oldest first; ``last_order_id`` as 004's "lastOrderId"."""

    cancelled: tuple[OrderView, ...]
    events: tuple[Event, ...]

    @property
    def last_order_id(self) -> str | None:
        return self.cancelled[-1].order_id if self.cancelled else None


@dataclass(frozen=True, slots=True)
class CancelFailure:
    """One id of a cancel-by-ids that could not be cancelled (004: {"orderId": ..., "code": "0211"})."""

    order_id: str
    code: str


@dataclass(frozen=True, slots=True)
class CancelByIdsResult:
    cancelled: tuple[OrderView, ...]
    failures: tuple[CancelFailure, ...]
    events: tuple[Event, ...]
