"""Deterministic 19-digit ids for orders, executions and tickets, derived from a seed and a counter.

The document's ids are 19 digits ("orderId": "1563277167764290304", "ticketId": "4636458470505791492").
Ours have the same shape, always the same width (so text order is numeric order), grow with every
id handed out, and depend only on the seed and how many came before: the same seed and the same
inputs give the same ids, with no clock and no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass

_SEED_SPAN = 10**6  # distinct seeds before two engines' id ranges meet
_COUNTER_SPAN = 10**12  # ids per engine and kind: a thousand per second for thirty years
_ORDER_PREFIX = 1 * 10**18  # orders and executions: "1..." (the document's "15...", "21...")
_TICKET_PREFIX = 4 * 10**18  # tickets shared by both sides of a match: "4..." as in the document


@dataclass(slots=True)
class IdGenerator:
    """Hands out order/execution ids and ticket ids; each kind strictly increasing."""

    seed: int
    _next: int = 0
    _next_ticket: int = 0

    def _value(self, prefix: int, counter: int) -> str:
        if counter >= _COUNTER_SPAN:
            raise OverflowError("id counter exhausted")
        return str(prefix + (self.seed % _SEED_SPAN) * _COUNTER_SPAN + counter)

    def next_id(self) -> str:
        """An order id or an execution (per-side trade) id."""
        self._next += 1
        return self._value(_ORDER_PREFIX, self._next)

    def next_ticket(self) -> str:
        """A ticket id: one per match, shared by the buyer's and the seller's trade records."""
        self._next_ticket += 1
        return self._value(_TICKET_PREFIX, self._next_ticket)
