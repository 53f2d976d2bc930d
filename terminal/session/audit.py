"""The session's side of the journal: what is recorded about the user's orders, and when it is committed.

The intent of an order is committed before its request leaves (a failure there stops the order);
everything else (requests, answers, stream events, order and fill rows) is written as it happens
and committed once per frame, so the journal costs the loop one transaction per frame at most.
Without a journal (tests, or a journal that could not be opened) every call is a no-op.
"""

from __future__ import annotations

from collections.abc import Mapping

from terminal.domain.orders import Fill, Order
from terminal.storage.journal import EntryKind, Journal


class Audit:
    def __init__(self, journal: Journal | None) -> None:
        self.journal = journal

    def intent(self, order: Order, source: str) -> None:
        """Record an order about to be sent, durably; raises JournalError when that is impossible."""
        if self.journal is not None:
            self.journal.record_intent(order, source)

    def action(self, text: str, client_order_id: str = "", data: Mapping[str, object] | None = None) -> None:
        self._record(EntryKind.ACTION, text, client_order_id, data)

    def request(self, text: str, client_order_id: str = "", data: Mapping[str, object] | None = None) -> None:
        self._record(EntryKind.REQUEST, text, client_order_id, data)

    def response(self, text: str, client_order_id: str = "", data: Mapping[str, object] | None = None) -> None:
        self._record(EntryKind.RESPONSE, text, client_order_id, data)

    def event(self, text: str, client_order_id: str = "", data: Mapping[str, object] | None = None) -> None:
        self._record(EntryKind.EVENT, text, client_order_id, data)

    def note(self, text: str, client_order_id: str = "", data: Mapping[str, object] | None = None) -> None:
        self._record(EntryKind.NOTE, text, client_order_id, data)

    def save(self, orders: list[Order], fills: list[Fill]) -> None:
        """Keep the latest state of these orders and these new fills, and commit everything pending."""
        journal = self.journal
        if journal is None:
            return
        for order in orders:
            journal.save_order(order)
        for fill in fills:
            journal.save_fill(fill)
        journal.commit()

    def flush(self) -> None:
        """Commit what was recorded since the last frame (the frame clock calls this)."""
        if self.journal is not None:
            self.journal.commit()

    def _record(self, kind: EntryKind, text: str, client_order_id: str, data: Mapping[str, object] | None) -> None:
        if self.journal is not None:
            self.journal.record(kind, text, client_order_id=client_order_id, data=data)
