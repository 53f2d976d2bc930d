"""The user's orders (keyed by client order id) and fills (keyed by trade id), merged idempotently.

Venue reports merge into the terminal's own record with ``apply_update`` (a join: duplicates and
late reports change nothing); fills are kept once per trade id.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from terminal.domain.order_state import apply_amendment, apply_update
from terminal.domain.orders import Fill, Order
from terminal.venues.base import OrderEvent

FINISHED_KEPT = 5_000  # finished orders kept in memory (the journal keeps everything)
FILLS_KEPT = 10_000


@dataclass
class OrderChange:
    orders: set[str] = field(default_factory=set)  # client order ids
    fills: list[Fill] = field(default_factory=list)  # new fills, oldest first

    def __bool__(self) -> bool:
        return bool(self.orders or self.fills)


class OrderStore(QObject):
    changed = Signal(object)  # OrderChange

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.orders: dict[str, Order] = {}
        self.fills: dict[str, Fill] = {}
        self.replacing: set[str] = set()  # client order ids whose change of price or quantity is in flight
        self._change = OrderChange()

    def get(self, client_order_id: str) -> Order | None:
        return self.orders.get(client_order_id)

    def put(self, order: Order) -> None:
        """The terminal's own transition of an order (submitting, unknown, rejected, cancel requested)."""
        self.orders[order.client_order_id] = order
        self._change.orders.add(order.client_order_id)

    def mark_replacing(self, client_order_id: str, pending: bool) -> None:
        """A change of this order is in flight (or no longer): its row shows it."""
        if pending != (client_order_id in self.replacing):
            if pending:
                self.replacing.add(client_order_id)
            else:
                self.replacing.discard(client_order_id)
            self._change.orders.add(client_order_id)

    def apply(self, event: OrderEvent, *, amendable: bool = False) -> Order:
        """Merge a venue report; an order the terminal did not know is taken as the venue shows it.

        ``amendable``: the venue changes orders in place, so a working order's new price or quantity
        (changed in another app) is taken too, unless the terminal's own change of it is in flight."""
        known = self.orders.get(event.update.client_order_id)
        if known is None:
            merged = event.order
        elif amendable and self._amended_elsewhere(known, event.order):
            merged = apply_amendment(known, event.order)
        else:
            merged = apply_update(known, event.update)
        if merged != known:
            self.orders[merged.client_order_id] = merged
            self._change.orders.add(merged.client_order_id)
        self._prune()
        return merged

    def _amended_elsewhere(self, known: Order, reported: Order) -> bool:
        return (
            known.client_order_id not in self.replacing
            and reported.venue_status is not None
            and reported.status.is_working
            and known.status.is_working
            and (reported.price, reported.quantity) != (known.price, known.quantity)
        )

    def add_fill(self, fill: Fill) -> bool:
        """Keep a fill once; False when it was already known (a replay or the REST copy of it)."""
        if fill.trade_id in self.fills:
            return False
        self.fills[fill.trade_id] = fill
        self._change.fills.append(fill)
        while len(self.fills) > FILLS_KEPT:
            del self.fills[next(iter(self.fills))]
        return True

    def working(self, symbol: str | None = None) -> list[Order]:
        return [o for o in self.orders.values() if o.status.is_working and (symbol is None or o.symbol == symbol)]

    def finished(self) -> list[Order]:
        return [o for o in self.orders.values() if not o.status.is_working]

    def fills_of(self, symbol: str | None = None) -> list[Fill]:
        return [f for f in self.fills.values() if symbol is None or f.symbol == symbol]

    def by_order_id(self, order_id: str) -> Order | None:
        return next((o for o in self.orders.values() if o.order_id == order_id), None)

    def _prune(self) -> None:
        finished = [cid for cid, o in self.orders.items() if not o.status.is_working]
        for cid in finished[: max(0, len(finished) - FINISHED_KEPT)]:
            del self.orders[cid]

    def load(self, orders: Iterable[OrderEvent], fills: Iterable[Fill]) -> None:
        for event in orders:
            self.apply(event)
        for fill in sorted(fills, key=lambda f: (f.time_ms, f.trade_id)):
            self.add_fill(fill)

    def flush(self) -> None:
        if self._change:
            change, self._change = self._change, OrderChange()
            self.changed.emit(change)
