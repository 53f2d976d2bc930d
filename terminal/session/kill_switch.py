"""The kill switch: cancel every open order on every symbol, then check with the venue what is left.

Orders in flight are cancelled the moment the venue acknowledges them; orders the terminal did
not place (another session, another app) are found through the venue's open orders first. The
result is one line per symbol: how many orders were asked to cancel and how many are still open.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from terminal.domain.order_state import report_of
from terminal.domain.orders import Order
from terminal.session.messages import describe_error
from terminal.session.order_gate import TicketError
from terminal.session.order_manager import OrderManager
from terminal.session.order_store import OrderStore
from terminal.venues.base import OrderEvent, Venue
from terminal.venues.errors import VenueError

log = logging.getLogger("terminal.orders")

VERIFY_DELAYS = (0.3, 1.0, 2.0)  # a venue may report a cancelled order as open for a moment


@dataclass(frozen=True, slots=True)
class SymbolResult:
    symbol: str
    asked: int  # working orders asked to cancel
    still_open: int | None  # open at the venue afterwards (None: could not be checked)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and self.still_open == 0

    def text(self) -> str:
        if self.error:
            return f"{self.symbol}: cancel refused: {self.error}"
        if self.still_open is None:
            return f"{self.symbol}: {self.asked} cancel(s) asked; the venue could not be asked what is left"
        if self.still_open:
            return f"{self.symbol}: {self.asked} cancel(s) asked, {self.still_open} STILL OPEN"
        return f"{self.symbol}: {self.asked} cancelled, none left open"


async def kill_switch(
    manager: OrderManager,
    venue: Venue,
    orders: OrderStore,
    *,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> list[SymbolResult]:
    manager.audit.action("kill switch: cancel every open order on every symbol")
    await _refresh(venue, orders)  # orders placed elsewhere are open too
    working: dict[str, int] = {}
    for order in orders.working():
        working[order.symbol] = working.get(order.symbol, 0) + 1
    errors: dict[str, str] = {}

    async def cancel(symbol: str) -> None:
        try:
            await manager.cancel_all(symbol, source="kill switch")
        except TicketError as exc:
            errors[symbol] = exc.reason

    await asyncio.gather(*(cancel(symbol) for symbol in working))
    left: dict[str, int] | None = None
    for delay in VERIFY_DELAYS:
        await sleep(delay)
        left = await _refresh(venue, orders)
        if left is not None and not any(left.get(symbol) for symbol in working):
            break
    results = [
        SymbolResult(symbol, count, None if left is None else left.get(symbol, 0), errors.get(symbol, ""))
        for symbol, count in sorted(working.items())
    ]
    summary = "; ".join(result.text() for result in results) or "no open orders"
    manager.audit.note(f"kill switch result: {summary}")
    return results


async def _refresh(venue: Venue, orders: OrderStore) -> dict[str, int] | None:
    """Merge the venue's open orders into the store; the count per symbol (None if it cannot answer)."""
    try:
        open_orders: list[Order] = await venue.open_orders()
    except VenueError as exc:
        log.warning("kill switch: could not read the open orders: %s", describe_error(exc))
        return None
    counts: dict[str, int] = {}
    for order in open_orders:
        orders.apply(OrderEvent(report_of(order), order))
        counts[order.symbol] = counts.get(order.symbol, 0) + 1
    return counts
