"""HashKey's private user-data stream, and reconciliation over REST after every (re)connect.

A fill or cancel that happened while the link was down is never missed: on each connect the
balances, the open orders, every order believed open that no longer is, and the fills since the
last one seen are fetched and delivered as ordinary events. The session applies all events
idempotently, so a report seen both here and on the stream changes nothing twice.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

from websockets.exceptions import InvalidStatus

from terminal.domain.order_state import report_of
from terminal.domain.orders import Fill
from terminal.venues.base import BalanceEvent, EventSink, FillEvent, OrderEvent, OrderMissingEvent, VenueEvent
from terminal.venues.errors import OrderNotFound
from terminal.venues.hashkey.client import HashKeyRestClient
from terminal.venues.hashkey.hosts import Hosts
from terminal.venues.hashkey.listen_key import ListenKeyKeeper
from terminal.venues.hashkey.stream_wire import decode_private
from terminal.venues.ws_link import Backoff, Heartbeat, Link

log = logging.getLogger("terminal.venues.hashkey.user")

# 004: "The websocket server will send a ping message every 30 seconds". Two missed pings and a
# half mean the link is dead even if the socket looks open.
IDLE_TIMEOUT_S = 75.0
# How far back fills are fetched on the first connect.
FIRST_FILL_WINDOW_MS = 24 * 3600 * 1000
FILL_PAGE = 1000  # 004, "Get Account Trade List": limit at most 1000
SYNC_MARGIN_MS = 5_000


class HashKeyUserStream:
    def __init__(
        self,
        hosts: Hosts,
        rest: HashKeyRestClient,
        sink: EventSink,
        *,
        keeper: ListenKeyKeeper | None = None,
        idle_timeout: float = IDLE_TIMEOUT_S,
        backoff: Backoff | None = None,
        now_ms: Callable[[], int] | None = None,
    ) -> None:
        self._hosts = hosts
        self._rest = rest
        self._sink = sink
        self.keeper = keeper or ListenKeyKeeper(rest)
        self._now_ms = now_ms or (lambda: int(time.time() * 1000))
        self._current_key: str | None = None
        self._open: set[str] = set()  # client order ids believed working at the venue
        self._fills_seen: set[str] = set()
        # Fills are known complete up to here: only a finished REST reconciliation moves it. A fill
        # that arrives on the stream says nothing about older ones missed while it was down.
        self._synced_ms: int | None = None
        # While reconciling, stream events wait here and follow the REST snapshot, in order.
        self._held: list[VenueEvent] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self.link = Link(
            "private",
            self._url,
            on_message=self._on_message,
            sink=sink,
            on_open=self.reconcile,
            on_refused=self._refused,
            heartbeat=Heartbeat(interval=idle_timeout / 3, idle_timeout=idle_timeout),
            backoff=backoff,
        )

    def start(self) -> None:
        self.keeper.start()
        self.link.start()

    async def close(self) -> None:
        await self.link.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self.keeper.close()

    def track(self, client_order_id: str) -> None:
        """An order placed by the terminal: reconcile it even if the stream never mentions it."""
        self._open.add(client_order_id)

    # ---- link hooks ---------------------------------------------------------------------------

    async def _url(self) -> str:
        self._current_key = await self.keeper.get()
        return self._hosts.private(self._current_key)

    async def _refused(self, error: InvalidStatus) -> None:
        log.warning("the venue refused the listen key (HTTP %d); a new one will be made", error.response.status_code)
        self.keeper.invalidate(self._current_key)

    def _on_message(self, message: Any) -> None:
        events, control = decode_private(message)
        if control is not None and control.ping is not None:
            # 004: "We recommend clients respond with a pong message containing the same timestamp."
            self._spawn(self.link.send({"pong": control.ping}))
        for event in events:
            if self._held is not None:
                self._held.append(event)
            else:
                self._deliver(event)

    def _spawn(self, coroutine: Any) -> None:
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _deliver(self, event: VenueEvent) -> None:
        if isinstance(event, OrderEvent):
            if event.order.status.is_terminal:
                self._open.discard(event.order.client_order_id)
            else:
                self._open.add(event.order.client_order_id)
        elif isinstance(event, FillEvent):
            self._note_fill(event.fill)
        self._sink(event)

    def _note_fill(self, fill: Fill) -> None:
        self._fills_seen.add(fill.trade_id)

    # ---- reconciliation -----------------------------------------------------------------------

    async def reconcile(self) -> None:
        """Bring balances, orders and fills up to date over REST (runs on every connect).

        Events that arrive meanwhile are held and delivered after the REST results: balances on the
        stream are absolute values and order reports merge as a join, so the last word is right.
        """
        self._held = []
        try:
            await self._fetch_state()
        finally:
            held, self._held = self._held, None
            for event in held:
                self._deliver(event)

    async def _fetch_state(self) -> None:
        account = await self._rest.account()
        self._sink(BalanceEvent(account.balances, complete=True))
        open_orders = await self._rest.open_orders(limit=1000)
        still_open = {order.client_order_id for order in open_orders}
        for order in open_orders:
            self._deliver(OrderEvent(report_of(order), order))
        for client_order_id in sorted(self._open - still_open):
            try:
                order = await self._rest.get_order(client_order_id=client_order_id)
            except OrderNotFound:
                log.warning("order %s is unknown to the venue", client_order_id)
                self._open.discard(client_order_id)
                self._sink(OrderMissingEvent(client_order_id, "the venue has no record of this order any more"))
                continue
            self._deliver(OrderEvent(report_of(order), order))
        await self._reconcile_fills()
        log.info("reconciled: %d open orders, %d balances", len(open_orders), len(account.balances))

    async def _reconcile_fills(self) -> None:
        """Every fill since the last complete reconciliation (paged back in time when there are many)."""
        since = self._synced_ms if self._synced_ms is not None else self._now_ms() - FIRST_FILL_WINDOW_MS
        started = self._now_ms()
        found: dict[str, Fill] = {}
        end: int | None = None
        while True:
            page = await self._rest.account_trades(start_ms=since, end_ms=end, limit=FILL_PAGE)
            fresh = [fill for fill in page if fill.trade_id not in found]
            found.update((fill.trade_id, fill) for fill in page)
            if len(page) < FILL_PAGE or not fresh:
                break
            end = min(fill.time_ms for fill in page)  # inclusive: fills of that millisecond come again
        for fill in sorted(found.values(), key=lambda f: (f.time_ms, f.trade_id)):
            if fill.trade_id not in self._fills_seen:
                self._deliver(FillEvent(fill))
        # Complete up to the moment of asking, less a margin for fills recorded a moment after their match.
        self._synced_ms = max(since, started - SYNC_MARGIN_MS)
