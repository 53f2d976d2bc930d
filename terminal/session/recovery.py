"""On start, the journal's unfinished orders are settled with the venue before trading is enabled.

An order the last session left open, in flight or unknown (a crash, a lost connection, a kill) is
shown at once as the journal last knew it, then asked about by its client order id until the
venue answers: still open, ended (and how), or unknown to it. Never re-sent.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from terminal.domain.order_state import mark_missing, report_of
from terminal.domain.orders import Order
from terminal.session.audit import Audit
from terminal.session.messages import describe_error
from terminal.session.order_store import OrderStore
from terminal.venues.base import OrderEvent, Venue
from terminal.venues.errors import OrderNotFound, VenueError

log = logging.getLogger("terminal.recovery")

RETRY_DELAYS = (1.0, 2.0, 4.0, 8.0, 15.0, 30.0)
# An order sent moments before the last session ended may not be recorded by the venue yet.
NOT_FOUND_GRACE_MS = 5_000


@dataclass(frozen=True, slots=True)
class Recovery:
    """What became of the last session's unfinished orders."""

    open: int = 0
    ended: int = 0
    missing: int = 0

    @property
    def total(self) -> int:
        return self.open + self.ended + self.missing

    def summary(self) -> str:
        return f"{self.open} still open, {self.ended} ended, {self.missing} unknown to the venue"


async def recover(
    venue: Venue,
    orders: OrderStore,
    audit: Audit,
    unfinished: list[Order],
    *,
    now_ms: Callable[[], int] = lambda: int(time.time() * 1000),
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> Recovery:
    """Settle every order of ``unfinished`` with the venue; returns once each has an answer."""
    for order in unfinished:
        if orders.get(order.client_order_id) is None:
            orders.put(order)
    pending = [order.client_order_id for order in unfinished]
    still_open = ended = missing = 0
    attempt = 0
    while pending:
        waiting: list[str] = []
        for cid in pending:
            current = orders.get(cid)
            if current is None:
                continue
            try:
                found = await venue.query(cid)
            except OrderNotFound:
                if current.venue_status is None and now_ms() - current.created_ms < NOT_FOUND_GRACE_MS:
                    waiting.append(cid)
                    continue
                orders.put(mark_missing(current, "the venue has no record of this order"))
                audit.note("recovered from the journal: the venue has no record of this order", cid)
                missing += 1
                continue
            except VenueError as exc:
                log.warning("could not settle order %s from the last session: %s", cid, describe_error(exc))
                waiting.append(cid)
                continue
            merged = orders.apply(OrderEvent(report_of(found), found))
            audit.note(f"recovered from the journal: the venue has the order as {found.status}", cid)
            if merged.status.is_working:
                still_open += 1
            else:
                ended += 1
        pending = waiting
        if pending:
            await sleep(RETRY_DELAYS[min(attempt, len(RETRY_DELAYS) - 1)])
            attempt += 1
    return Recovery(still_open, ended, missing)
